#!/bin/bash
# Event time that survives Kafka (issue 10): 20 cycles of the real data
# replayed into per-sensor topics of several partitions, keyed so that most
# partitions stay empty, beside a topic that never receives anything, and
# consumed as a group with -e, give exactly the rows of the same replay
# aggregated without Kafka, with no event dropped as late: however
# unevenly the consumer reads its partitions, with a second member joining
# mid-stream, and across a kill -9 and --resume.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }
SENSORS="CE CP SE TS1 TS2 TS3 TS4 VS1"
FAST="-X session.timeout.ms=6000 -X heartbeat.interval.ms=500"
# Small fetches from slow brokers, so that a run lasts a few seconds and
# something can happen in the middle of it.
SLOW="-X message.max.bytes=16384 -X fetch.max.bytes=16384 -X max.partition.fetch.bytes=16384 -X fetch.wait.max.ms=10"

agg() { hs-agg -g sensor -a count,avg,max,min,sum -f value "$@"; }
rows() { cat "$@" | grep -v "^{\"_hs\"" | sort; }
no_late() {	# ERRFILE...: no stage dropped anything
	! grep -H "late" "$@"
}

# Topics PREFIX-SENSOR of 4 partitions, an empty PREFIX-EMPTY of 3; the
# replay goes in keyed by sensor, so 3 of the 4 partitions of each topic
# stay empty.
load() {	# PREFIX
	for s in $SENSORS; do mock_cmd "topic $1-$s 4" || return 1; done
	mock_cmd "topic $1-EMPTY 3" &&
	hs-replay -c 300-319 "$TESTDATA/uci" |
	    hs-kafkacat -P -b "$B" -t "$1-{sensor}" -k "{sensor}"
}

test_expect 'the batch rows, for reference: 160 rows, none late' '
	hs-replay -c 300-319 "$TESTDATA/uci" | hs-window -w 1m -l 10s 2>batch.err |
	    agg >batch 2>>batch.err &&
	rows batch >want && test_lines want 160 && test ! -s batch.err
'

test_expect 'through Kafka as typed in the issue: the same rows, 0 late events' '
	load hydraulic &&
	hs-kafkacat -L -b "$B" | grep "\"topic\":\"hydraulic-" >md &&
	test "$(grep -c "\"high\":0}" md)" -eq 27 &&
	{ hs-kafkacat -C -b "$B" -G wm -e -q -t "^hydraulic-.*" 2>k.err |
	    hs-window -w 1m -l 10s 2>w.err |
	    hs-agg -g sensor -a count,avg,max,min,sum -f value >got 2>a.err; } &&
	rows got >have && test_cmp want have && no_late w.err a.err &&
	test ! -s k.err && test ! -s a.err
'

test_expect 'the consumer writes source watermarks, the stream none of its own' '
	hs-kafkacat -C -b "$B" -G wm-look -e -q "^hydraulic-.*" >raw &&
	head -1 raw | grep -qx "{\"_hs\":\"source_watermark\",\"watermark\":null}" &&
	test "$(grep -c "^{\"_hs\":\"source_watermark\",\"watermark\":\"2025-" raw)" -ge 1 &&
	! grep -q "^{\"_hs\":\"watermark\"" raw &&
	test "$(grep -vc "^{\"_hs\"" raw)" -eq 9600
'

# A live member of group G in the background: consumer, window and
# aggregate; NAME.win has its windowed events, NAME its rows.
member() {	# NAME GROUP TOPICS [OPTIONS...]
	local name=$1 group=$2 topics=$3
	shift 3
	mkfifo "$name.pipe" || return 1
	hs-window -w 1m -l 10s <"$name.pipe" 2>"$name.werr" | tee "$name.win" |
	    agg >"$name" 2>"$name.aerr" &
	hs-kafkacat -C -b "$B" -G "$group" $FAST "$@" "$topics" \
	    >"$name.pipe" 2>"$name.kerr" &
	echo $! >"$name.pid"
}
test_at_exit 'for p in $(cat "$SCRATCH"/*.pid 2>/dev/null); do kill $p 2>/dev/null; done'
events() { cat "$@" 2>/dev/null | grep -c "\"window\"" || true; }

test_expect 'a second member joins mid-stream: together the same rows, 0 late' '
	for s in $SENSORS; do mock_cmd "topic join-$s 4" || exit 1; done &&
	mock_cmd "topic join-EMPTY 3" &&
	hs-replay -c 300-309 "$TESTDATA/uci" |
	    hs-kafkacat -P -b "$B" -t "join-{sensor}" -k "{sensor}" &&
	member m1 wm2 "^join-.*" &&
	{ wait_until 30 "test \$(events m1.win) -ge 4800" ||
	    { echo "first member: $(events m1.win) events"; cat m1.kerr; false; }; } &&
	sleep 1 && member m2 wm2 "^join-.*" &&
	wait_until 30 "grep -q assigned m2.kerr && grep -q revoked m1.kerr &&
	    test \$(grep -c assigned m1.kerr) -ge 2" &&
	hs-replay -c 310-320 "$TESTDATA/uci" |
	    hs-kafkacat -P -b "$B" -t "join-{sensor}" -k "{sensor}" &&
	wait_until 60 "test \$(events m1.win m2.win) -eq 10080" &&
	wait_until 10 "test \$(rows m1 m2 | wc -l) -eq 160" &&
	kill -TERM $(cat m1.pid) $(cat m2.pid) &&
	wait &&
	test "$(events m2.win)" -gt 0 && no_late m1.werr m2.werr m1.aerr m2.aerr &&
	grep -q "stopped, not ended: [1-7] open groups\? not written" m1.aerr &&
	grep -q "stopped, not ended: [1-7] open groups\? not written" m2.aerr &&
	rows m1 m2 >have && test_cmp want have &&
	echo "rows: $(rows m1 | wc -l) from the first member, $(rows m2 | wc -l) from the second"
'

# One run of a checkpointed pipeline in the background, each stage's pid
# in a file; with a state file from an earlier run it resumes from it.
run() {	# N
	local resume=
	[ -s a.state ] && grep -q "\"checkpoints\":\[{" a.state &&
	    resume="--resume a.state"
	rm -f k.fifo w.fifo && mkfifo k.fifo w.fifo || return 1
	hs-kafkacat -C -b "$B" -G wm3 -e -q $FAST $SLOW --checkpoint 100ms \
	    $resume "^res-.*" >k.fifo 2>>k.err &
	echo $! >kafka.pid
	hs-window -w 1m -l 10s --state w.state <k.fifo >w.fifo 2>>w.err &
	echo $! >window.pid
	hs-agg -g sensor -a count,avg,max,min,sum -f value --state a.state \
	    <w.fifo >rows.$1 2>>a.err &
	echo $! >agg.pid
	wait
}

test_expect 'killed with SIGKILL mid-stream and resumed: the same rows, 0 late' '
	load res && mock_cmd "rtt 1 20" && mock_cmd "rtt 2 20" &&
	mock_cmd "rtt 3 20" &&
	n=0 &&
	for stage in kafka window agg; do
		n=$((n + 1)) && { run $n & } && sleep "$n.5" &&
		kill -KILL $(cat $stage.pid); wait
	done &&
	run final && grep -q "^{\"_hs\":\"end\"}" rows.final &&
	mock_cmd "rtt 1 0" && mock_cmd "rtt 2 0" && mock_cmd "rtt 3 0" &&
	test "$(cat rows.* | grep -c "^{\"_hs\":\"resume\"")" -ge 3 &&
	! grep late w.err a.err &&
	# a row torn by SIGKILL (no newline) is not a row
	for f in rows.*; do sed "\$!b; /}\$/!d" "$f"; done |
	    grep "^{\"window\"" | sort -u >have && test_cmp want have
'

test_done
