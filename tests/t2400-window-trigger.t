#!/bin/bash
# hs-window --trigger: Spark's micro-batch rule. The watermark that judges
# lateness moves only at processing-time boundaries, so the events that
# arrive in one batch are judged against the watermark of the batches
# before it.
. "$(dirname "$0")/lib.sh"

ev() { printf '{"sensor":"A","timestamp":"2025-11-08T12:%s"}\n' "$@"; }
counts() { grep -v "^{\"_hs\"" | sed 's/.*"start":"[^T]*T\([0-9:]*\)\.000Z".*"count":\([0-9]*\)}/\1 \2/'; }

test_expect 'the audit case in one batch: 2 in [12:00, 12:01), as Spark counts' '
	ev 00:30 01:10 00:59.999999 01:00 |
	    hs-window -w 1m -l 10s --trigger 10s 2>err | hs-agg -g sensor -a count |
	    counts >got &&
	printf "12:00:00 2\n12:01:00 2\n" >expect && test_cmp expect got && test ! -s err
'

test_expect 'without --trigger, each event moves the watermark: 1, and 1 late' '
	ev 00:30 01:10 00:59.999999 01:00 |
	    hs-window -w 1m -l 10s 2>err | hs-agg -g sensor -a count | counts >got &&
	printf "12:00:00 1\n12:01:00 2\n" >expect && test_cmp expect got &&
	grep -q "1 late event dropped" err
'

test_expect 'in a later batch, the watermark of the batches before judges' '
	{ ev 00:30 01:10; sleep 1; ev 00:59.999999 01:00; } |
	    hs-window -w 1m -l 10s --trigger 200ms 2>err | hs-agg -g sensor -a count |
	    counts >got &&
	printf "12:00:00 1\n12:01:00 2\n" >expect && test_cmp expect got &&
	grep -q "1 late event dropped" err
'

test_expect 'the watermark moves at a boundary while no input arrives' '
	mkfifo in &&
	{ hs-window -w 1m -l 10s --trigger 200ms <in >out & } &&
	exec 3>in && ev 00:30 01:10 >&3 &&
	wait_until 10 "grep -q \"watermark\\\":\\\"2025-11-08T12:01:00.000Z\" out" &&
	exec 3>&- && wait
'

test_expect 'with --per-partition each partition'"'"'s watermark waits for the trigger' '
	ev 00:30 01:10 00:59.999999 01:00 |
	    sed "s/^{/{\"_src\":{\"topic\":\"t\",\"partition\":0},/" |
	    hs-window -w 1m -l 10s --trigger 10s --per-partition 2>err |
	    hs-agg -g sensor -a count | counts >got &&
	printf "12:00:00 2\n12:01:00 2\n" >expect && test_cmp expect got && test ! -s err
'

test_expect 'a trigger interval must be a duration' '
	test_exit 2 hs-window -w 1m --trigger soon </dev/null &&
	test_exit 2 hs-window -w 1m --trigger 0 </dev/null
'

test_done
