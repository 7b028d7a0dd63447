#!/bin/bash
# hs-kafkacat's part in partial aggregates: -P --broadcast sends progress
# rows to every partition; -P --commit-to writes a commit record's
# positions to a file once every message before it is acknowledged.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }
mock_cmd "topic parts 3"
mock_cmd "topic lost 1"

commit() {	# OFFSET: a commit record for partition t/0
	printf '{"_hs":"commit","positions":[{"topic":"t","partition":0,"offset":%d}]}\n' "$1"
}

test_expect '--broadcast: a record with the member goes to every partition, unkeyed; the others by their key' '
	{ echo "{\"_key\":\"a\",\"n\":1}"; echo "{\"_progress\":{\"source\":\"t/0\"}}"
	  echo "{\"_key\":\"b\",\"n\":2}"; } |
	    hs-kafkacat -P -b "$B" -t parts -k "{_key}" --broadcast _progress &&
	hs-kafkacat -C -b "$B" -t parts -e --source >got &&
	test "$(grep -c _progress got)" -eq 3 &&
	grep _progress got | jq -s -e "map(._src.partition) | sort == [0, 1, 2]" &&
	grep _progress got | jq -s -e "map(._src | has(\"key\")) | any | not" &&
	test "$(grep -c "\"n\":" got)" -eq 2
'

test_expect '--commit-to: the positions of the last commit record, once its messages are delivered' '
	{ echo "{\"_key\":\"a\",\"n\":1}"; commit 5; echo "{\"_key\":\"b\",\"n\":2}"
	  commit 9; } |
	    hs-kafkacat -P -b "$B" -t parts -k "{_key}" --commit-to pos &&
	jq -e ".positions == [{topic: \"t\", partition: 0, offset: 9}]" pos &&
	! test -e pos.tmp
'

test_expect '--commit-to: after a lost message no position is written' '
	mock_cmd "error 0 3 87" &&
	{ echo "{\"n\":1}"; commit 7; } >in &&
	test_exit 3 hs-kafkacat -P -b "$B" -t lost --commit-to lost.pos \
	    -X enable.idempotence=false -X message.send.max.retries=0 in 2>err &&
	mock_cmd "clear 0" &&
	! test -e lost.pos && grep "1 of 1 messages not delivered" err
'

test_done
