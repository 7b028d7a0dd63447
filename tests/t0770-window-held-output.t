#!/bin/bash
# hs-window holds its output and writes it with write(2), past stdio: the
# lines come out whole and in order across many writes, and a full disk or
# a closed pipe ends it as a write through stdio would.
. "$(dirname "$0")/lib.sh"

events() {	# N: N events a second apart, from 00:00:00
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
	    printf "{\"sensor\":\"PS%d\",\"value\":%d.5,\"timestamp\":" \
	    "\"2025-11-08T%02d:%02d:%02d.000Z\"}\n", i % 17, i,
	    int(i / 3600), int(i / 60) % 60, i % 60 }'
}

test_expect 'megabytes of output: every event once, in order, then the end' '
	events 40000 >in &&
	hs-window -w 1m <in >out &&
	grep -v "^{\"_hs\"" out | sed "s/,\"window\":{[^}]*}}\$/}/" >events &&
	test_cmp in events &&
	grep -c "^{\"_hs\":\"watermark\"" out >n && echo 668 >want &&
	test_cmp want n &&
	tail -1 out | grep -q "\"watermark\":\"2025-11-08T11:06:39.000Z\".*\"final\":true}\$"
'

test_expect 'output split across writes is what a slow reader gets' '
	events 40000 >in &&
	hs-window -w 1m <in >whole &&
	hs-window -w 1m <in | dd bs=1000 status=none >piped &&
	test_cmp whole piped
'

test_expect 'a full disk is a write error, exit 3, with many writes or one' '
	events 40000 >in &&
	test_exit 3 hs-window -w 1m <in >/dev/full 2>err &&
	grep -q "^hs-window: write error on standard output: No space left" err &&
	head -3 in >few &&
	test_exit 3 hs-window -w 1m <few >/dev/full 2>err &&
	grep -q "^hs-window: write error on standard output: No space left" err
'

test_expect 'a reader that goes away ends hs-window by SIGPIPE, silently' '
	events 40000 >in &&
	{ hs-window -w 1m <in 2>err; echo $? >rc; } | head -1 >first &&
	echo 141 >want && test_cmp want rc && test ! -s err &&
	grep -q "\"sensor\":\"PS0\"" first
'

test_done
