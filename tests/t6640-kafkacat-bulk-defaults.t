#!/bin/bash
# hs-kafkacat's librdkafka defaults for a bulk pipe, as -X dump shows them
# (kcat's flag): -P batches of up to 1000 messages wait up to 100 ms to
# fill (linger.ms), at most 5000 messages queued, idempotent with
# acks=all (-C's are in t6650). -X overrides any of them.
# Their speed is measured by tests/bench/kafka.sh, not here.
. "$(dirname "$0")/lib.sh"

test_expect '-P batches wait up to 100 ms to fill, 1000 at most, 5000 queued' '
	hs-kafkacat -P -X dump >dump &&
	test "$(dump_prop dump queue.buffering.max.ms)" = 100 &&
	test "$(dump_prop dump batch.num.messages)" = 1000 &&
	test "$(dump_prop dump queue.buffering.max.messages)" = 5000 &&
	test "$(dump_prop dump enable.idempotence)" = true &&
	test "$(dump_prop dump request.required.acks)" = -1
'

test_expect '-X overrides a default, and -X dump prints no pointers' '
	hs-kafkacat -P -X linger.ms=5 -X dump >dump &&
	test "$(dump_prop dump queue.buffering.max.ms)" = 5 &&
	! grep -E "=0x|_cb=|^opaque=|^default_topic_conf=" dump
'

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

test_expect 'a bulk run into 64 partitions delivers every line with the defaults' '
	mock_cmd topic bulk 64 &&
	seq 20000 | sed "s/.*/{\"i\":&}/" >in &&
	hs-kafkacat -P -b "$B" -t bulk in &&
	hs-kafkacat -C -b "$B" -t bulk -e -q --no-watermark >out &&
	sort in >a && sort out >b && test_cmp a b
'

test_expect 'a message timeout not above the 100 ms linger is refused, naming it' '
	echo "{\"i\":1}" >one &&
	{ hs-kafkacat -P -b "$B" -t short -X message.timeout.ms=100 one \
	    2>err; test $? = 3; } &&
	grep -q "linger.ms" err &&
	hs-kafkacat -P -b "$B" -t short -X linger.ms=5 \
	    -X message.timeout.ms=100 one
'

test_done
