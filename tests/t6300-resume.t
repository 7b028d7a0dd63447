#!/bin/bash
# Exact resume: a Kafka-fed pipeline with checkpoints, killed with SIGKILL
# at 20 random moments (a random stage each time) and restarted each time,
# gives exactly the rows of an uninterrupted run.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }
mock_cmd "topic replay 1"

# Small fetches from a slow broker, so that a run lasts a few seconds and
# can be cut anywhere.
SLOW="-X message.max.bytes=16384 -X fetch.max.bytes=16384 -X max.partition.fetch.bytes=16384 -X fetch.wait.max.ms=10"

# One run of the pipeline, in the background; its rows go to rows.N.
# With a state file from an earlier run it resumes from it.
start_run() {	# N
	resume=
	[ -s agg.state ] && grep -q '"checkpoints":\[{' agg.state &&
	    resume="--resume agg.state"
	hs-kafkacat -C -b "$B" -t replay -e --checkpoint 100ms $SLOW $resume \
	    2>>kafka.err | { hs-window -w 1m -l 10s --state window.state
	    echo $? >window.rc; } |
	    hs-agg -g sensor -a count,sum,avg,p50 -f value --state agg.state \
	    >rows.$1 2>>agg.err
}

test_expect 'an uninterrupted run, for reference' '
	hs-replay -c 0-59 "$TESTDATA/uci" >events &&
	hs-kafkacat -P -b "$B" -t replay -X batch.num.messages=100 events &&
	mock_cmd "rtt 1 15" &&
	hs-kafkacat -C -b "$B" -t replay -e $SLOW --checkpoint 100ms |
	    hs-window -w 1m -l 10s --state ref.window |
	    hs-agg -g sensor -a count,sum,avg,p50 -f value --state ref.agg >ref &&
	grep -v "^{\"_hs\"" ref | sort >want &&
	test_lines want 480 &&
	test "$(grep -c "^{\"_hs\":\"checkpoint\"" ref)" -ge 5
'

test_expect 'killed 20 times at random, resumed each time: the same rows' '
	rm -f agg.state window.state rows.* &&
	RANDOM=4242 &&
	for i in $(seq 1 20); do
		start_run $i &
		sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
		case $((RANDOM % 3)) in
		0) pkill -KILL -f "hs-kafkacat -C -b $B -t replay" ;;
		1) pkill -KILL -f "hs-window -w 1m -l 10s --state window.state" ;;
		2) pkill -KILL -f "hs-agg -g sensor -a count,sum,avg,p50 -f value --state agg.state" ;;
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
