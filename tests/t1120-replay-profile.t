#!/bin/bash
# hs-replay -p: the labels of profile.txt, a row per cycle, or a fatal error.
. "$(dirname "$0")/lib.sh"
UCI=$TESTDATA/uci

test_expect 'a profile file that does not parse is fatal before any output' '
	test_exit 3 hs-replay -p "$UCI/TS1.txt" "$UCI" >out 2>err &&
	test ! -s out && test_lines err 1 &&
	grep -q "^hs-replay: .*/TS1.txt:1: not a profile row: expected 5 tab-separated integers" err
'

test_expect 'a bad row deep in the profile is fatal before any output' '
	sed "1500s/\t0\t/\t0.5\t/" "$UCI/profile.txt" >profile.txt &&
	test_exit 3 hs-replay -c 0 -s TS1 -p profile.txt "$UCI" >out 2>err &&
	test ! -s out && grep -q "^hs-replay: profile.txt:1500: not a profile row" err
'

test_expect 'rows of other widths are not profile rows' '
	for row in "3\t100\t0\t130" "3\t100\t0\t130\t1\t7" "3 100 0 130 1" "3\t100\t0\t130\t+1" ""; do
		{ printf "$row\n"; sed 1d "$UCI/profile.txt"; } >profile.txt &&
		test_exit 3 hs-replay -c 0 -s TS1 -p profile.txt "$UCI" >out 2>err &&
		test ! -s out && grep -q "profile.txt:1: not a profile row" err ||
		{ echo "taken: $row"; return 1; }
	done
'

test_expect 'an empty profile is fatal' '
	: >profile.txt &&
	test_exit 3 hs-replay -s TS1 -p profile.txt "$UCI" >out 2>err &&
	test ! -s out && grep -q "^hs-replay: profile.txt: empty" err
'

test_expect 'a profile shorter than the files is fatal at the first cycle without labels' '
	sed -n 1,3p "$UCI/profile.txt" >profile.txt &&
	test_exit 3 hs-replay -s TS1 -p profile.txt "$UCI" >out 2>err &&
	test_lines out 180 &&
	grep -q "^hs-replay: profile.txt: no labels for cycle 3: the profile has 3 rows" err
'

test_expect 'a profile longer than the files is reported, with its row count' '
	sed -n 1,4p "$UCI/TS1.txt" >TS1.txt &&
	test_exit 1 hs-replay -p "$UCI/profile.txt" TS1.txt >out 2>err &&
	test_lines out 240 &&
	grep -q "^hs-replay: .*profile.txt:5: 2205 rows, but the files have 4 cycles" err
'

test_expect 'a profile with CRLF line ends and a byte-order mark reads' '
	{ printf "\357\273\277"; sed "s/\$/\r/" "$UCI/profile.txt"; } >profile.txt &&
	hs-replay -c 0 -s TS1 -p profile.txt "$UCI" >out &&
	head -1 out | grep -q ",\"cooler\":3,\"valve\":100,\"pump_leak\":0,\"accumulator\":130,\"stable\":1}$"
'

test_done
