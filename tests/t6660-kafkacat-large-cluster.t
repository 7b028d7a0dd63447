#!/bin/bash
# hs-kafkacat on a cluster of many topics: starting, a producer waits for
# the brokers' own metadata and a consumer asks for its topic's, not for
# that of every topic (megabytes on a large cluster, and 2.5x kcat's time
# to produce 10 messages on one of 2,000 topics), and -L asks for the
# watermark offsets of all partitions in a few requests, not two round trips
# a partition (2.5 s for 16,000 partitions on loopback). The tests count
# requests in librdkafka's debugging output.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

test_expect 'producing, or listing one topic, does not ask for the metadata of every topic' '
	echo "{\"a\":1}" >in &&
	hs-kafkacat -P -b "$B" -t few1 -d metadata in 2>err &&
	grep -q "Request metadata for brokers only" err &&
	hs-kafkacat -L -b "$B" -t few1 -d metadata >md 2>>err &&
	grep -q "\"topic\":\"few1\"" md &&
	! grep "Request metadata for all topics" err
'

test_expect 'consuming, alone or in a group, does not either' '
	hs-kafkacat -C -b "$B" -t few1 -e -q -d metadata >out 2>err &&
	test_lines out 1 &&
	hs-kafkacat -C -b "$B" -G few -t few1 -e -q -d metadata >out 2>>err &&
	test_lines out 1 &&
	! grep "Request metadata for all topics" err
'

test_expect 'brokers that name no controller: the metadata of all topics, as before' '
	hs-kafkacat -L -b "$B" -t few1 -m 5000 -X api.version.request=false \
	    -X broker.version.fallback=0.9.0 -d metadata >md 2>err &&
	grep -q "Request metadata for all topics: application requested" err &&
	grep -q "\"topic\":\"few1\",.*\"high\":1}" md
'

test_expect '-L: the low and high offsets of every partition' '
	mock_cmd "topic wm 4" &&
	seq 3 | sed "s/.*/{\"i\":&}/" >three &&
	hs-kafkacat -P -b "$B" -t wm -p 0 three &&
	hs-kafkacat -P -b "$B" -t wm -p 2 three &&
	hs-kafkacat -P -b "$B" -t wm -p 2 in &&
	hs-kafkacat -L -b "$B" -t wm | grep -o "\"partition\".*" >md &&
	cat >want <<-\EOT &&
	"partition":0,"leader":1,"replicas":[1],"isrs":[1],"low":0,"high":3}
	"partition":1,"leader":2,"replicas":[2],"isrs":[2],"low":0,"high":0}
	"partition":2,"leader":3,"replicas":[3],"isrs":[3],"low":0,"high":4}
	"partition":3,"leader":1,"replicas":[1],"isrs":[1],"low":0,"high":0}
	EOT
	sed "s/\"leader\".*\"low\"/\"low\"/" want >a &&
	sed "s/\"leader\".*\"low\"/\"low\"/" md >b &&
	test_cmp a b
'

test_expect '-L: a topic in error is named on stderr; the offsets of the others stay theirs' '
	mock_cmd "topic err-a 2" && mock_cmd "topic err-b 3" &&
	mock_cmd "topic err-c 2" &&
	hs-kafkacat -P -b "$B" -t err-c -p 1 in &&
	mock_cmd "topic-error err-b 3" &&
	hs-kafkacat -L -b "$B" >md 2>err &&
	grep -q "err-b: Broker: Unknown topic or partition" err &&
	! grep -q "\"topic\":\"err-b\"" md &&
	grep -q "\"topic\":\"err-c\",\"partition\":1,.*\"high\":1}" md &&
	grep -q "\"topic\":\"err-c\",\"partition\":0,.*\"high\":0}" md
'

test_expect '-L: offsets the brokers refuse are -1, with a warning and the reason' '
	mock_cmd "error 2 20 29" &&
	hs-kafkacat -L -b "$B" -t wm >md 2>err &&
	mock_cmd "clear 2" &&
	test "$(grep -c "\"low\":-1,\"high\":-1}" md)" -eq 4 &&
	grep -q "the low offsets of 4 of 4 partitions unknown: .*authorization failed" err &&
	grep -q "the high offsets of 4 of 4 partitions unknown" err
'

test_expect '-L asks for the offsets of 600 partitions in a few requests, not 1,200' '
	mock_cmd "topic wide1 300" && mock_cmd "topic wide2 300" &&
	hs-kafkacat -L -b "$B" -d protocol >md 2>err &&
	test "$(grep -c "\"topic\":\"wide" md)" -eq 600 &&
	n=$(grep -c "Sent ListOffsetsRequest" err) &&
	test "$n" -ge 2 && test "$n" -le 12
'

test_done
