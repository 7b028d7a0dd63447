#!/bin/bash
# Source watermarks of a live consumer (no -e): a partition that reached
# its end without delivering anything holds nothing back, one silent for
# --idle stops holding the others back.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

ev() {	# PARTITION SECOND...: events at 12:00:SECOND into topic live
	p=$1; shift
	for s in "$@"; do
		printf '{"sensor":"A","value":1,"timestamp":"2025-11-08T12:00:%02dZ"}\n' "$s"
	done | hs-kafkacat -P -b "$B" -t live -p "$p"
}
swm() { printf '{"_hs":"source_watermark","watermark":"2025-11-08T12:00:%02d.000Z"}' "$1"; }

test_expect 'empty partitions hold nothing back; an idle one stops holding after --idle' '
	mock_cmd "topic live 4" &&
	ev 0 1 2 3 10 && ev 1 5 || exit 1
	hs-kafkacat -C -b "$B" -t live --idle 2s >out 2>err &
	pid=$! &&
	wait_until 10 "grep -q \"\$(swm 5)\" out" &&
	! grep -q "$(swm 10)" out &&
	# partition 0 goes on delivering, partition 1 falls silent
	for s in 11 12 13 14 15 16 17 18 19 20; do ev 0 $s; sleep 0.5; done &&
	wait_until 10 "grep -q \"\$(swm 20)\" out" &&
	kill -TERM $pid && wait &&
	tail -1 out | grep -qx "{\"_hs\":\"stop\"}" && test ! -s err
'

test_expect 'without --idle, a silent partition that delivered holds the watermark' '
	hs-kafkacat -C -b "$B" -t live --idle 1h >out &
	pid=$! &&
	wait_until 10 "grep -q \"\$(swm 5)\" out" &&
	for s in 21 22 23 24 25 26; do ev 0 $s; sleep 0.5; done &&
	kill -TERM $pid && wait &&
	! grep -q "$(swm 10)" out
'

test_expect 'the newest event time of each partition is in the checkpoint' '
	hs-kafkacat -C -b "$B" -t live -e --checkpoint 1h >out &&
	grep "^{\"_hs\":\"checkpoint\"" out | tail -1 >cp &&
	grep -q "\"partition\":0,\"offset\":20,\"event_time\":\"2025-11-08T12:00:26.000Z\"" cp &&
	grep -q "\"partition\":1,\"offset\":1,\"event_time\":\"2025-11-08T12:00:05.000Z\"" cp
'

test_expect 'messages without an event time pass, counted, and move nothing' '
	printf "{\"a\":1}\n" | hs-kafkacat -P -b "$B" -t live -p 2 &&
	hs-kafkacat -C -b "$B" -t live -e >out 2>err &&
	grep -q "^{\"a\":1}$" out &&
	grep -q "1 message without an event time in .timestamp. passed on" err &&
	hs-kafkacat -C -b "$B" -t live -e --time ts >out 2>err &&
	! grep -q source_watermark out && test ! -s err
'

test_expect '--no-watermark: payloads only' '
	hs-kafkacat -C -b "$B" -t live -e --no-watermark >out &&
	! grep -q "^{\"_hs\"" out && test_lines out 22
'

test_expect 'with -e the newest event time is the last source watermark, before the end' '
	for i in 1 2 3 4 5 6; do
		echo "{\"timestamp\":\"2025-11-08T12:00:4${i}Z\"}" |
		    hs-kafkacat -P -b "$B" -t last$i &&
		hs-kafkacat -C -b "$B" -t last$i -e >out &&
		tail -2 out | head -1 | grep -qx "$(swm 4$i)" &&
		tail -1 out | grep -qx "{\"_hs\":\"end\"}" || exit 1
	done
'

test_expect 'event times without a zone are read in the zone of --tz' '
	echo "{\"timestamp\":\"2025-11-08T13:00:30\"}" |
	    hs-kafkacat -P -b "$B" -t naive &&
	hs-kafkacat -C -b "$B" -t naive -e --tz Europe/Berlin >out &&
	grep -q "^$(swm 30)$" out &&
	TZ=Europe/Berlin hs-kafkacat -C -b "$B" -t naive -e >out &&
	grep -q "^$(swm 30)$" out
'

test_done
