#!/bin/bash
# hs-kafkacat consumer groups: members split the partitions; when one dies
# the others take over its partitions, re-delivering at most what it had
# not committed, never losing a message.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }
mock_cmd "topic grp 4"
mock_cmd "topic takeover 4"
FAST="-X session.timeout.ms=6000 -X heartbeat.interval.ms=500"

messages() {	# FIRST LAST
	seq "$1" "$2" | sed "s/.*/{\"n\":&}/"
}
member() {	# NAME GROUP TOPIC: a group member in the background
	hs-kafkacat -C -b "$B" -G "$2" $FAST "$3" >"$1.out" 2>"$1.err" &
	echo $! >"$1.pid"
	test_at_exit "kill $(cat "$1.pid") 2>/dev/null"
}
assigned() {	# NAME N: the member's last assignment has N partitions
	grep "assigned\|revoked" "$1.err" 2>/dev/null | tail -1 |
	    grep -q "assigned $2 partitions"
}
lines() { cat "$@" 2>/dev/null | wc -l; }

test_expect 'two members of one group split the partitions, no loss, no duplicate' '
	member a g1 grp && member b g1 grp &&
	wait_until 30 "assigned a 2 && assigned b 2" &&
	messages 1 4000 | hs-kafkacat -P -b "$B" -t grp -k "{n}" &&
	wait_until 30 "test \$(lines a.out b.out) -ge 4000" &&
	kill -TERM $(cat a.pid) $(cat b.pid) &&
	wait $(cat a.pid) && wait $(cat b.pid) &&
	test "$(lines a.out)" -gt 0 && test "$(lines b.out)" -gt 0 &&
	test "$(lines a.out b.out)" -eq 4000 &&
	test "$(cat a.out b.out | sort -u | wc -l)" -eq 4000
'

test_expect 'kill -9 of one member: the other takes over, nothing is lost' '
	member c g2 takeover && member d g2 takeover &&
	wait_until 30 "assigned c 2 && assigned d 2" &&
	messages 1 2000 | hs-kafkacat -P -b "$B" -t takeover -k "{n}" &&
	wait_until 30 "test \$(lines c.out d.out) -ge 2000" &&
	kill -KILL $(cat c.pid) &&
	messages 2001 4000 | hs-kafkacat -P -b "$B" -t takeover -k "{n}" &&
	wait_until 40 "assigned d 4" &&
	wait_until 30 "test \$(cat c.out d.out | sort -u | wc -l) -ge 4000" &&
	kill -TERM $(cat d.pid) && wait $(cat d.pid) &&
	messages 1 4000 | sort >want &&
	cat c.out d.out | sort -u >got && test_cmp want got
'

test_done
