#!/bin/bash
# hs-window remembers the window start of the last event: events that go
# back and forth between windows, or hop, get their own windows still.
. "$(dirname "$0")/lib.sh"

ev() {	# HH:MM:SS
	echo "{\"timestamp\":\"2025-11-08T$1.000Z\"}"
}

test_expect 'events back and forth between windows get their own windows' '
	{ ev 14:30:59; ev 14:31:00; ev 14:30:00; ev 14:31:59; ev 14:29:59; ev 14:32:00; } |
	    hs-window -w 1m -l 1h | jq -r "select(.window) | .timestamp[11:19] + \" \" + .window.start[11:19]" >out &&
	printf "%s\n" "14:30:59 14:30:00" "14:31:00 14:31:00" "14:30:00 14:30:00" \
	    "14:31:59 14:31:00" "14:29:59 14:29:00" "14:32:00 14:32:00" >expect &&
	test_cmp expect out
'

test_expect 'hopping windows with an offset, events out of order' '
	{ ev 14:30:14; ev 14:30:15; ev 14:29:44; ev 14:30:45; } |
	    hs-window -w 1m -s 30s --offset 15s -l 1h |
	    jq -r "select(.window) | .timestamp[11:19] + \" \" + .window.start[11:19]" >out &&
	printf "%s\n" "14:30:14 14:29:15" "14:30:14 14:29:45" "14:30:15 14:29:45" \
	    "14:30:15 14:30:15" "14:29:44 14:28:45" "14:29:44 14:29:15" \
	    "14:30:45 14:30:15" "14:30:45 14:30:45" >expect &&
	test_cmp expect out
'

test_done
