#!/bin/bash
# hs-kafkacat under faults injected through the mock cluster: brokers down
# and up, request errors, slow brokers. Nothing is lost, and the producer's
# exit status tells the truth.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

messages() { seq "$1" "$2" | sed "s/.*/{\"n\":&}/"; }
consumed() {	# TOPIC: sorted distinct records
	hs-kafkacat -C -b "$B" -t "$1" -e 2>/dev/null | sort -u
}

test_expect 'a broker down during produce, then up: every message arrives' '
	mock_cmd "topic down 4" &&
	messages 1 20000 >in &&
	mock_cmd "down 2" || exit 1
	{ sleep 2; mock_cmd "up 2"; } &
	hs-kafkacat -P -b "$B" -t down -k "{n}" in 2>err &&
	wait $! &&
	consumed down >got && sort in >want && test_cmp want got
'

test_expect 'retriable request errors: delivered once each (idempotent producer)' '
	mock_cmd "topic retry 4" &&
	mock_cmd "error 0 5 6" &&
	messages 1 10000 >in &&
	hs-kafkacat -P -b "$B" -t retry -k "{n}" in 2>err &&
	hs-kafkacat -C -b "$B" -t retry -e >all 2>/dev/null &&
	test_lines all 10000 && sort -u all >got && sort in >want &&
	test_cmp want got
'

test_expect 'failed deliveries: exit 3, and every failed line in --failed' '
	mock_cmd "topic fail 1" &&
	mock_cmd "error 0 3 87" &&
	messages 1 10 >in &&
	test_exit 3 hs-kafkacat -P -b "$B" -t fail --failed failed \
	    -X enable.idempotence=false -X message.send.max.retries=0 in 2>err &&
	grep -q "10 of 10 messages not delivered; written to failed" err &&
	test_cmp in failed &&
	mock_cmd "clear 0"
'

test_expect 'slow brokers during consume: every message arrives' '
	mock_cmd "topic slow 4" &&
	messages 1 5000 >in &&
	hs-kafkacat -P -b "$B" -t slow -k "{n}" in &&
	mock_cmd "rtt 1 300" && mock_cmd "rtt 2 300" && mock_cmd "rtt 3 300" &&
	consumed slow >got &&
	mock_cmd "rtt 1 0" && mock_cmd "rtt 2 0" && mock_cmd "rtt 3 0" &&
	sort in >want && test_cmp want got
'

test_expect 'a broker down during consume with a group, then up: nothing lost' '
	mock_cmd "topic cdown 4" &&
	messages 1 8000 >in &&
	hs-kafkacat -P -b "$B" -t cdown -k "{n}" in &&
	mock_cmd "down 3" || exit 1
	{ sleep 2; mock_cmd "up 3"; } &
	hs-kafkacat -C -b "$B" -G cdown -e cdown >out 2>err &&
	wait $! &&
	sort -u out >got && sort in >want && test_cmp want got
'

test_done
