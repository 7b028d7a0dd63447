#!/bin/bash
# hs-replay -t: the start of cycle 0 as an instant, a date, epoch seconds
# or now; and the status line on a terminal.
. "$(dirname "$0")/lib.sh"
UCI=$TESTDATA/uci

first_time() {	# ARGS...: the timestamp of the first event
	hs-replay -c 0 -s TS1 "$@" "$UCI" | head -1 |
	sed "s/.*\"timestamp\":\"\([^\"]*\)\".*/\1/"
}

test_expect '-t takes a date: its midnight' '
	test "$(TZ=UTC first_time -t 2025-11-08)" = 2025-11-08T00:00:00.000Z
'

test_expect '-t takes epoch seconds as @SECONDS, with decimals' '
	test "$(first_time -t @1762612200)" = 2025-11-08T14:30:00.000Z &&
	test "$(first_time -t @1762612200.25)" = 2025-11-08T14:30:00.250Z &&
	test "$(first_time -t @0)" = 1970-01-01T00:00:00.000Z
'

test_expect '-t now starts at the present, to the millisecond' '
	before=$(date +%s) && t=$(first_time -t now) && after=$(date +%s) &&
	case $t in *.[0-9][0-9][0-9]Z) ;; *) false;; esac &&
	s=$(date -d "$t" +%s) && test "$s" -ge "$before" && test "$s" -le "$after"
'

test_expect 'a -t that does not read names the accepted forms' '
	for t in 1762612200 2025-13-01 @ @1.2.3 @99999999999999 @1.1234567 yesterday 2025-11-08T25:00:00Z; do
		test_exit 2 hs-replay -t "$t" -s TS1 "$UCI" >out 2>err &&
		test ! -s out &&
		grep -q "^hs-replay: -t: expected an ISO-8601 instant (2025-11-08T14:30:00Z), a date (2025-11-08), epoch seconds (@1762612200) or now, not .$t.$" err ||
		{ echo "taken: $t"; return 1; }
	done
'

test_expect 'cycles that would end after the year 9999 are refused' '
	test_exit 3 hs-replay -t 9999-12-31T23:58:30Z -c 0-1 -s TS1 "$UCI" >out 2>err &&
	test_lines out 60 &&
	grep -q "^hs-replay: cycle 1 would end after the year 9999" err &&
	hs-replay -t 9999-12-31T23:59:00Z -c 0 -s TS1 "$UCI" | tail -1 |
	grep -q "\"timestamp\":\"9999-12-31T23:59:59.000Z\""
'

# The status line needs a terminal on standard error: script(1) makes one.
on_terminal() {	# COMMAND: run with a terminal as its standard error
	script -qec "$1" /dev/null >typescript 2>&1 </dev/null || :
}

test_expect 'the progress line is erased when the output pipe closes' '
	on_terminal "hs-replay \"$UCI\" | head -1 >/dev/null" &&
	grep -q "hs-replay: cycle" typescript &&
	# after the last progress text comes the erase sequence, nothing else
	perl -0ne "exit !/hs-replay: cycle[^\r]*\r\r\e\[K\z/" typescript
'

test_expect 'the progress line is erased at the end and before a diagnostic' '
	sed -n 1,3p "$UCI/CE.txt" >CE.txt && sed -i "2s/^[^\t]*/x/" CE.txt &&
	on_terminal "hs-replay -c 0-2 CE.txt >/dev/null" &&
	perl -0ne "exit !/cycle[^\r]*\r\r\e\[Khs-replay: CE.txt:2: column 1/" typescript &&
	on_terminal "hs-replay -c 0-2 -s CE \"$UCI\" >/dev/null" &&
	perl -0ne "exit !/cycle[^\r]*\r\r\e\[K\z/" typescript
'

test_expect 'no progress line when the output is the terminal too, or with -q' '
	on_terminal "hs-replay -c 0-2 -s CE \"$UCI\"" &&
	! grep -q "hs-replay: cycle" typescript &&
	on_terminal "hs-replay -q -c 0-2 -s CE \"$UCI\" >/dev/null" &&
	! grep -q "hs-replay: cycle" typescript
'

test_done
