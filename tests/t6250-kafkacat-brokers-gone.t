#!/bin/bash
# A consumer whose brokers all vanish: it waits for them as long as
# --down-timeout says (5 minutes by default), goes on if they come back,
# and otherwise exits 3 with one line naming them, having written what it
# had read, so that a cron job does not wait forever.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

messages() { seq "$1" "$2" | sed "s/.*/{\"n\":&}/"; }
all_brokers() { for id in 1 2 3; do mock_cmd "$1 $id" || return 1; done; }

test_expect 'every broker gone for --down-timeout: exit 3, one line, rows kept' '
	messages 1 100 >in &&
	hs-kafkacat -P -b "$B" -t gone in &&
	{ hs-kafkacat -C -b "$B" -t gone --down-timeout 3s >out 2>err &
	  pid=$!; } &&
	wait_until 20 "[ \$(wc -l <out) -ge 100 ]" &&
	all_brokers down &&
	{ wait $pid; rc=$?; } ; all_brokers up &&
	test "$rc" = 3 &&
	test_lines out 100 &&
	grep -c "unreachable for [0-9]* s (--down-timeout): giving up" err \
	    >count && test "$(cat count)" = 1 &&
	grep -q "$B" err
'

test_expect 'brokers back within --down-timeout: the consumer goes on past it' '
	messages 1 100 >in &&
	hs-kafkacat -P -b "$B" -t back in &&
	{ hs-kafkacat -C -b "$B" -t back -c 200 --down-timeout 10s \
	    >out 2>err & pid=$!; } &&
	wait_until 20 "[ \$(wc -l <out) -ge 100 ]" &&
	all_brokers down && sleep 1 && all_brokers up && sleep 11 &&
	messages 101 200 >more &&
	hs-kafkacat -P -b "$B" -t back more &&
	wait $pid &&
	test_lines out 200
'

test_expect '--down-timeout 0 waits; a bad duration is a usage error' '
	test_exit 2 hs-kafkacat -C -b "$B" -t back --down-timeout soon &&
	hs-kafkacat -C -b "$B" -t back -e --down-timeout 0 >out &&
	test_lines out 200
'

test_done
