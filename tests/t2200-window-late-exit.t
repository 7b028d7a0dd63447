#!/bin/bash
# hs-window --late-exit: a cron job can tell from the exit status that
# events were dropped as late; and ps shows the command as it was typed.
. "$(dirname "$0")/lib.sh"

ev() { printf '{"timestamp":"2025-11-08T12:%s"}\n' "$@"; }

test_expect 'late events with --late-exit: every window written, then exit 1' '
	ev 00:30 01:10 00:59.999999 01:00 >in &&
	test_exit 1 hs-window -w 1m -l 10s --late-exit in >out 2>err &&
	grep -q "1 late event dropped" err &&
	test "$(grep -c "\"window\"" out)" -eq 3
'

test_expect 'late events without --late-exit still exit 0' '
	test_exit 0 hs-window -w 1m -l 10s in >/dev/null 2>err &&
	grep -q "1 late event dropped" err
'

test_expect 'no late event with --late-exit: exit 0, nothing said' '
	ev 00:30 00:40 01:10 >ok &&
	test_exit 0 hs-window -w 1m -l 10s --late-exit ok >/dev/null 2>err &&
	test ! -s err
'

test_expect '--late-exit counts marked and filed late events too' '
	test_exit 1 hs-window -w 1m -l 10s --late mark --late-exit in >out 2>/dev/null &&
	grep -q "\"late\":true" out &&
	test_exit 1 hs-window -w 1m -l 10s --late-file late --late-exit in >/dev/null 2>&1 &&
	test_lines late 1
'

test_expect 'ps shows the arguments of hs-window and hs-agg as typed' '
	mkfifo fifo || exit 1
	hs-window -w 1m -l 10s -t timestamp <fifo |
	    hs-agg -g sensor,cycle -a count,avg -f value,x -r count=n >/dev/null &
	pid=$! && exec 3>fifo &&
	wait_until 5 "grep -q hs-agg /proc/$pid/cmdline" &&
	tr "\0" " " </proc/$pid/cmdline >cmdline &&
	exec 3>&- && wait &&
	grep -q "hs-agg -g sensor,cycle -a count,avg -f value,x -r count=n $" cmdline
'

test_done
