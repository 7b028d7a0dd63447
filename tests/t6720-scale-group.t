#!/bin/bash
# More than one machine through Kafka (hs-agg(1), "MORE THAN ONE
# MACHINE"): three instances of the partial pipeline in one consumer
# group, their partials through a topic of the mock cluster, merged by two
# members of another group, give the rows of one machine on the real data;
# so they do when one instance is killed with SIGKILL mid-run and a
# replacement resumes from its checkpoint.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

SENSORS=CE,CP,SE,TS1,TS2,TS3,TS4,VS1
A="-g sensor -a count,sum,avg,min,max,var,stddev,p50,p90,first,last -f value"
# Small fetches from a slow broker, so that a run lasts long enough for
# the members to share the partitions and for a kill to land mid-run; a
# dead member is noticed within seconds.
SLOW="-X message.max.bytes=16384 -X fetch.max.bytes=16384 -X max.partition.fetch.bytes=16384 -X fetch.wait.max.ms=10 -X session.timeout.ms=6000 -X heartbeat.interval.ms=500"

# Instance N of run R: consume its share of the per-sensor topics, window
# per source partition, aggregate partially, produce the partials; in a
# session of its own, so that a kill takes the whole machine.
instance() {	# R N [--resume FILE]
	setsid bash -c "hs-kafkacat -C -b $B -G agg$1 -e --source \
	    --checkpoint 200ms --commit-from pos.$1.$2 $SLOW ${3:-} ${4:-} \
	    '^hydraulic-.*' 2>>err.$1.$2 |
	    hs-window -w 1m -l 10s --per-partition --state w.$1.$2 |
	    hs-agg --partial $A --state a.$1.$2 |
	    hs-kafkacat -P -b $B -t partials$1 -k '{_key}' \
	    --broadcast _progress --commit-to pos.$1.$2" &
	pids="$pids $!"
}
alive() {	# PID...: whether one of them still runs
	for p; do kill -0 "$p" 2>/dev/null && return 0; done
	return 1
}

# The merge of run R: two members of one group, each with its share of
# the partials topic's partitions; their rows together.
merge() {	# R
	pids=
	for m in 1 2; do
		hs-kafkacat -C -b $B -G merge$1 -e -q --source \
		    --commit-from never.$1 $SLOW partials$1 |
		    hs-agg --merge --streams 32 $A >merged.$1.$m \
		    2>>merge.err.$1 &
		pids="$pids $!"
	done
	wait $pids &&
	cat merged.$1.1 merged.$1.2 | grep "^{\"window\"" | sort -u >rows.$1
}

test_expect 'the real data in per-sensor topics of 4 partitions, and one machine'"'"'s rows' '
	for s in $(echo $SENSORS | tr , " "); do
		mock_cmd "topic hydraulic-$s 4" || return 1
	done &&
	hs-replay -s $SENSORS -c 0-39 "$TESTDATA/uci" >events &&
	hs-kafkacat -P -b "$B" -t "hydraulic-{sensor}" -k "{sensor}{cycle}" \
	    -X batch.num.messages=100 events &&
	hs-window -w 1m -l 10s events | hs-agg $A | grep "^{\"window\"" |
	    sort >single &&
	test_lines single 320 &&
	mock_cmd "rtt 1 10"
'

test_expect 'three instances in one group and a merge of two members give exactly the rows of one' '
	mock_cmd "topic partials1 4" &&
	pids= &&
	for n in 1 2 3; do instance 1 $n; done && wait $pids &&
	grep -h "assigned" err.1.* >assigned &&
	test "$(grep -c "assigned [1-9]" assigned)" -ge 3 &&
	merge 1 &&
	test_lines rows.1 320 &&
	test_rows_close single rows.1 0.01
'

test_expect 'one instance killed with SIGKILL mid-run: the group rebalances, its replacement resumes from its checkpoint, the rows are still exactly those' '
	mock_cmd "topic partials2 4" &&
	pids= &&
	for n in 1 2 3; do instance 2 $n; done &&
	survivors=${pids% *} victim=$! &&
	wait_until 30 "[ -s pos.2.3 ] && grep -q checkpoint a.2.3" &&
	kill -KILL -- -$victim &&
	seen=$(cat err.2.1 err.2.2 | grep -c assigned) &&
	# the group notices the death (session.timeout.ms): the survivors
	# are given its partitions, or they have ended and left
	wait_until 30 "[ \$(cat err.2.1 err.2.2 | grep -c assigned) -gt $seen ] ||
	    ! alive $survivors" &&
	instance 2 3 --resume a.2.3 &&
	wait $pids;
	merge 2 &&
	test_lines rows.2 320 &&
	test_rows_close single rows.2 0.01

'

test_done
