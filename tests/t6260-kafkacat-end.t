#!/bin/bash
# hs-kafkacat -C -e ends once every assigned partition is at its end, every
# time. It used to serve librdkafka's callbacks with rd_kafka_poll on the
# consumer's own queue, which now and then took an end-of-partition event
# away (the consumer then waited forever) or aborted in librdkafka: about
# one run in fifty on a loaded machine, so this test reads many topics.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

test_expect 'a consumer with -e ends on each of 30 fresh topics, all read' '
	for i in $(seq 1 30); do
		echo "{\"n\":$i}" | hs-kafkacat -P -b "$B" -t "end$i" &&
		timeout 20 hs-kafkacat -C -b "$B" -t "end$i" -e >>out ||
		{ echo "topic end$i: exit $?"; exit 1; }
	done &&
	seq 1 30 | sed "s/.*/{\"n\":&}/" >expect &&
	test_cmp expect out
'

test_expect 'and with a group, on topics of four partitions' '
	for i in $(seq 1 3); do
		echo "{\"n\":$i}" | hs-kafkacat -P -b "$B" -t "gend$i" &&
		timeout 30 hs-kafkacat -C -b "$B" -G "gend$i" -e "gend$i" \
		    >>gout || { echo "topic gend$i: exit $?"; exit 1; }
	done &&
	seq 1 3 | sed "s/.*/{\"n\":&}/" >expect &&
	test_cmp expect gout
'

test_done
