#!/bin/bash
# hs-kafkacat -C keeps librdkafka's prefetch queue short for its memory
# (6000 messages or 2 MB; 64 KB a partition and 1 MB a broker per fetch),
# and refill.c wakes the fetchers each time the consumer has emptied half
# of it: librdkafka 2.0 would otherwise look at a full queue again only
# when a broker's thread wakes for another reason, up to a second later.
# Here a queue of 4 messages, refilled 8 at a time, is full 250 times
# while 2000 messages are read: stalled, that is minutes; refilled, well
# under a second. The timeout is a guard against the stall, not a measure
# of speed (that is tests/bench/kafka.sh).
. "$(dirname "$0")/lib.sh"

test_expect '-C fetches at most 6000 messages or 2 MB ahead, 64 KB a partition and 1 MB a broker at a time' '
	hs-kafkacat -C -X dump >dump &&
	test "$(dump_prop dump queued.min.messages)" = 6000 &&
	test "$(dump_prop dump queued.max.messages.kbytes)" = 2048 &&
	test "$(dump_prop dump fetch.message.max.bytes)" = 65536 &&	# alias
	test "$(dump_prop dump fetch.max.bytes)" = 1048576
'

test_expect 'a message.max.bytes above 1 MB (for -P, in a shared file) raises the fetches with it, not refused' '
	echo message.max.bytes=5000000 >shared.conf &&
	hs-kafkacat -C -F shared.conf -X dump >dump &&
	test "$(dump_prop dump fetch.max.bytes)" = 5000000 &&
	hs-kafkacat -C -F shared.conf -X fetch.max.bytes=6000000 -X dump >dump &&
	test "$(dump_prop dump fetch.max.bytes)" = 6000000
'

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

test_expect 'a queue full 250 times is refilled each time, not stalled' '
	mock_cmd topic short 1 &&
	seq 2000 | sed "s/.*/{\"i\":&,\"pad\":\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\"}/" >in &&
	hs-kafkacat -P -b "$B" -t short -X batch.num.messages=8 in &&
	timeout 15 hs-kafkacat -C -b "$B" -t short -e -q --no-watermark \
	    -X queued.min.messages=4 -X max.partition.fetch.bytes=1024 >out &&
	test_cmp in out
'

test_expect '-C with that shared file reads the topic' '
	hs-kafkacat -C -F shared.conf -b "$B" -t short -e -q --no-watermark >out2 &&
	test_cmp in out2
'

test_done
