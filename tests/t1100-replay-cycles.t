#!/bin/bash
# hs-replay -c: which cycles are replayed, as cut(1) selects fields.
. "$(dirname "$0")/lib.sh"
UCI=$TESTDATA/uci

cycles() {	# the cycles of an event file, each once, in order of appearance
	sed 's/.*"cycle":\([0-9]*\),.*/\1/' "$1" | uniq | tr '\n' ' '
}

test_expect 'a cycle past the last is a usage error naming the valid range' '
	test_exit 2 hs-replay -c 2205 -s TS1 "$UCI" >out 2>err &&
	test ! -s out &&
	grep -q "^hs-replay: -c 2205: out of range: the files have cycles 0-2204$" err
'

test_expect 'a cycle number too large for any file is the same error' '
	test_exit 2 hs-replay -c 99999999999999999999 -s TS1 "$UCI" >out 2>err &&
	test ! -s out && grep -q "the files have cycles 0-2204" err
'

test_expect 'a range that runs past the last cycle writes the cycles there are, then exits 2' '
	test_exit 2 hs-replay -c 2203-2300 -s TS1 "$UCI" >out 2>err &&
	test "$(cycles out)" = "2203 2204 " &&
	grep -q "^hs-replay: -c 2203-2300: out of range: the files have cycles 0-2204$" err
'

test_expect '-c 5- replays from cycle 5 to the end, as in cut(1)' '
	hs-replay -c 2202- -s TS1 "$UCI" >out &&
	test "$(cycles out)" = "2202 2203 2204 " && test_lines out 180
'

test_expect '-c -2 replays from the first cycle to cycle 2' '
	hs-replay -c -2 -s TS1 "$UCI" >out && test "$(cycles out)" = "0 1 2 "
'

test_expect 'an open range past the last cycle is out of range too' '
	test_exit 2 hs-replay -c 3000- -s TS1 "$UCI" >out 2>err &&
	test ! -s out && grep -q "cycles 0-2204" err
'

test_expect '-c 5-2 says that the range is reversed' '
	test_exit 2 hs-replay -c 5-2 -s TS1 "$UCI" >out 2>err &&
	test ! -s out && grep -q "^hs-replay: -c 5-2: the range 5-2 is reversed$" err
'

test_expect '-c takes a list of ranges as cut(1) does' '
	hs-replay -c 0-1,5,2204- -s TS1 "$UCI" >out &&
	test "$(cycles out)" = "0 1 5 2204 " && test_lines out 240
'

test_expect 'overlapping ranges in any order replay each cycle once, in order' '
	hs-replay -c 7,3-5,4-6,1 -s TS1 "$UCI" >out &&
	test "$(cycles out)" = "1 3 4 5 6 7 " && test_lines out 360
'

test_expect 'empty ranges and stray characters in -c are usage errors' '
	for c in "" , 1, ,1 - 1-2-3 x 1x " 1" +1 1..2; do
		test_exit 2 hs-replay -c "$c" -s TS1 "$UCI" >out 2>err &&
		test ! -s out && grep -q "^hs-replay: -c: expected cycles" err ||
		{ echo "-c \"$c\" was taken"; return 1; }
	done
'

test_expect 'rows before the range are passed over without reading their cells' '
	sed -n 1,3p "$UCI/CE.txt" >CE.txt &&
	sed -i "1,2s/^[^\t]*/bad/" CE.txt &&
	hs-replay -c 2 CE.txt >out 2>err &&
	test ! -s err && test_lines out 60
'

test_expect 'hs-replay leaves its arguments as given: ps shows the command' '
	hs-replay --speed 0.5 -c 0-1,3 -s TS1,CE "$UCI" >/dev/null &
	pid=$! &&
	sleep 0.3 &&
	tr "\0" " " </proc/$pid/cmdline >cmdline &&
	kill $pid && wait $pid 2>/dev/null;
	grep -q "hs-replay --speed 0.5 -c 0-1,3 -s TS1,CE " cmdline
'

test_done
