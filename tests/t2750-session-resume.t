#!/bin/bash
# Exact resume with session windows: a Kafka-fed pipeline with
# checkpoints, killed with SIGKILL at 20 random moments while sessions are
# open (seven sensors' sessions last the whole run; SE's break at every
# cycle, and a late SE event in each cycle bridges two of its sessions),
# restarted each time, gives exactly the rows of an uninterrupted run.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }
mock_cmd "topic sessions 1"

# The state files by their absolute paths, in this script's own scratch
# directory, so that the kills below hit this script's processes only.
WSTATE=$PWD/window.state
ASTATE=$PWD/agg.state
SLOW="-X message.max.bytes=16384 -X fetch.max.bytes=16384 -X max.partition.fetch.bytes=16384 -X fetch.wait.max.ms=10"
AGG="-g sensor -a count,duration,sum,avg,p50,first,last -f value"

# One run of the pipeline, in the background; its rows go to rows.N.
# With a state file from an earlier run it resumes from it.
start_run() {	# N
	resume=
	[ -s "$ASTATE" ] && grep -q '"checkpoints":\[{' "$ASTATE" &&
	    resume="--resume $ASTATE"
	hs-kafkacat -C -b "$B" -t sessions -e --checkpoint 100ms $SLOW $resume \
	    2>>kafka.err | hs-window --session 1s -l 10s --state "$WSTATE" |
	    hs-agg $AGG --state "$ASTATE" >rows.$1 2>>agg.err
}

test_expect 'an uninterrupted run, for reference' '
	# SE without its idle samples (value 0), and each cycle'"'"'s sample 19
	# of SE moved after its sample 21, so that it comes late and joins
	# the sessions before and after it
	hs-replay -c 0-59 "$TESTDATA/uci" |
	    awk "/\"sensor\":\"SE\"/ && /\"sample_idx\":19,/ { held = \$0; next }
		{ print }
		/\"sensor\":\"SE\"/ && /\"sample_idx\":21,/ { print held }" |
	    jq -c "select(.sensor != \"SE\" or .value > 1)" >events &&
	hs-kafkacat -P -b "$B" -t sessions -X batch.num.messages=100 events &&
	mock_cmd "rtt 1 15" &&
	hs-kafkacat -C -b "$B" -t sessions -e $SLOW --checkpoint 100ms |
	    hs-window --session 1s -l 10s --state ref.window |
	    hs-agg $AGG --state ref.agg >ref &&
	sed "/^{\"_hs\"/d" ref | sort >want &&
	test_lines want 68 &&
	test "$(grep -c "\"sensor\":\"SE\",\"count\":52," want)" -eq 59 &&
	test "$(grep -c "^{\"_hs\":\"checkpoint\"" ref)" -ge 5
'

test_expect 'killed 20 times at random with sessions open: the same rows' '
	rm -f "$ASTATE"* "$WSTATE"* rows.* &&
	RANDOM=1616 &&
	for i in $(seq 1 20); do
		start_run $i &
		sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
		case $((RANDOM % 3)) in
		0) pkill -KILL -f "hs-kafkacat -C -b $B -t sessions" ;;
		1) pkill -KILL -f "hs-window --session 1s -l 10s --state $WSTATE" ;;
		2) pkill -KILL -f "hs-agg $AGG --state $ASTATE" ;;
		esac
		wait
	done &&
	start_run final && grep -q "^{\"_hs\":\"end\"}" rows.final &&
	# a row torn by SIGKILL (no newline) is not a row
	for f in rows.*; do sed "\$!b; /}\$/!d" "$f"; done |
	    grep "^{\"window\"" | sort -u >got &&
	test_cmp want got
'

test_done
