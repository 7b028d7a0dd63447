#!/bin/bash
# hs-kafkacat -C --commit-from: a member of a consumer group commits the
# positions the end of its pipeline wrote to a file, not the offsets it
# wrote itself; nothing when the file is missing.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }
mock_cmd "topic c 1"
# The mock cluster forgets a member that left only when its session ends.
S="-X session.timeout.ms=6000 -X heartbeat.interval.ms=500"

pos() {	# OFFSET: a positions file for c/0
	printf '{"positions":[{"topic":"c","partition":0,"offset":%d}]}\n' "$1" >pos
}

test_expect 'the offsets written are committed without it, for reference' '
	seq 1 10 | sed "s/.*/{\"n\":&}/" | hs-kafkacat -P -b "$B" -t c &&
	hs-kafkacat -C -b "$B" -G plain -e -q $S c >first &&
	test_lines first 10 &&
	hs-kafkacat -C -b "$B" -G plain -e -q $S c >again &&
	test_lines again 0
'

test_expect 'with --commit-from, the member after it starts at the position in the file' '
	pos 4 &&
	hs-kafkacat -C -b "$B" -G safe -e -q $S --commit-from pos c >first &&
	test_lines first 10 &&
	hs-kafkacat -C -b "$B" -G safe -e -q $S c >again &&
	test_lines again 6 && head -1 again | jq -e ".n == 5"
'

test_expect 'with --commit-from a file that is missing, nothing is committed' '
	hs-kafkacat -C -b "$B" -G none -e -q $S --commit-from missing c >first &&
	hs-kafkacat -C -b "$B" -G none -e -q $S c >again &&
	test_lines again 10
'

test_expect 'hs-kafkacat -P --commit-to saves the id of the last checkpoint whose output Kafka acknowledged' '
	{ echo "{\"n\":1}"; echo "{\"_hs\":\"checkpoint\",\"id\":7,\"positions\":[]}";
	  echo "{\"n\":2}"; echo "{\"_hs\":\"commit\",\"positions\":[{\"topic\":\"c\",\"partition\":0,\"offset\":3}]}"; } |
	    hs-kafkacat -P -b "$B" -t out7 --commit-to p7 &&
	jq -e ".checkpoint == 7 and .positions[0].offset == 3" p7 >/dev/null
'

test_expect 'a resume with --commit-from starts from that checkpoint, not a newer one whose output may be lost' '
	for id in 1 2 3; do
		echo "{\"_hs\":\"checkpoint\",\"id\":$id,\"positions\":[{\"topic\":\"c\",\"partition\":0,\"offset\":$((id * 2))}]}"
	done >ckpts && echo "{\"_hs\":\"end\"}" >>ckpts &&
	hs-agg --partial -a count --state a.state ckpts >/dev/null &&
	printf "{\"positions\":[{\"topic\":\"c\",\"partition\":0,\"offset\":2}],\"checkpoint\":2}\n" >safe &&
	hs-kafkacat -C -b "$B" -G resumed -e $S --resume a.state --commit-from safe c >out &&
	head -1 out | grep -q "^{\"_hs\":\"resume\",\"id\":2[,}]" &&
	grep -v "^{\"_hs\"" out | head -1 | jq -e ".n == 5" >/dev/null &&
	hs-kafkacat -C -b "$B" -G newest -e $S --resume a.state c >out &&
	head -1 out | grep -q "^{\"_hs\":\"resume\",\"id\":3[,}]" &&
	grep -v "^{\"_hs\"" out | head -1 | jq -e ".n == 7" >/dev/null
'

test_done
