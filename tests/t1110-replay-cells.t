#!/bin/bash
# hs-replay and hostile matrix files: every cell written is a JSON number,
# every fault is reported with its file, row and column, nothing crashes.
. "$(dirname "$0")/lib.sh"
UCI=$TESTDATA/uci

# CE.txt of two rows of the real data, the second cell of row 1 replaced.
with_cell() {	# CELL
	sed -n 1,2p "$UCI/CE.txt" >CE.txt &&
	CELL="$1" perl -i -pe 's/^([^\t]*)\t[^\t]*/$1\t$ENV{CELL}/ if $. == 1' CE.txt
}

# Every line valid JSON, the value of each a number.
all_json() {	# FILE
	jq -e -n '[inputs | .value | type == "number"] | all' "$1" >/dev/null
}

for form in +5 .5 5. 00012 "$(printf '\v5')" 0x10 inf nan -nan 1e999 \
    -1e999 1e 1.5e+ - -.5 "5 5" '"5"' 5,0 "$(printf '5\377')"; do
	test_expect "a cell JSON does not read as a finite number is left out and reported: $(printf %q "$form")" '
		with_cell "$form" &&
		test_exit 1 hs-replay CE.txt >out 2>err &&
		grep -q "^hs-replay: CE.txt:1: column 2: \(not a JSON number\|out of range\)" err &&
		grep -q "1 bad record skipped" err &&
		test_lines out 119 && all_json out &&
		! grep -q "\"cycle\":0,\"sample_idx\":1," out
	'
done

test_expect 'a number longer than the scanner reads is out of range, not copied' '
	with_cell "0.$(printf "%070d" 1)" &&
	test_exit 1 hs-replay CE.txt >out 2>err &&
	grep -q "^hs-replay: CE.txt:1: column 2: out of range" err && all_json out
'

test_expect 'JSON spellings of numbers are copied exactly as written' '
	for v in -0 1e5 0.5E+3 1E-400 -12.25e-2 0 123456789012345678901234567890; do
		with_cell "$v" && hs-replay CE.txt >out &&
		grep -q "\"cycle\":0,\"sample_idx\":1,\"value\":$v," out &&
		all_json out || { echo "$v"; return 1; }
	done
'

test_expect 'blanks around a cell are ignored' '
	with_cell "  42.5 " && hs-replay CE.txt >out &&
	grep -q "\"sample_idx\":1,\"value\":42.5," out && test_lines out 120
'

test_expect 'the first bad cell of a row is named, and that there are more' '
	sed -n 1p "$UCI/CE.txt" | sed "s/\t[^\t]*\t/\tx\t+1\t/" >CE.txt &&
	test_exit 1 hs-replay CE.txt >out 2>err &&
	grep -q "^hs-replay: CE.txt:1: column 2: not a JSON number: .x. (and more in this row)$" err &&
	test_lines out 58
'

test_expect 'control bytes in a bad cell are shown escaped' '
	with_cell "$(printf "\033[2J")" &&
	test_exit 1 hs-replay CE.txt >out 2>err &&
	grep -q "column 2: not a JSON number: .\\\\x1b\[2J." err
'

test_expect 'CRLF line ends and a byte-order mark are ignored' '
	sed -n 1,3p "$UCI/TS1.txt" >TS1.txt &&
	hs-replay TS1.txt >want &&
	{ printf "\357\273\277"; sed "s/\$/\r/" TS1.txt; } >crlf && mv crlf TS1.txt &&
	hs-replay TS1.txt >got 2>err &&
	test ! -s err && test_cmp want got
'

test_expect 'a line too long to be a row is reported, its cycle left out, the next keep theirs' '
	{ sed -n 1p "$UCI/TS2.txt"; awk "BEGIN { for (i = 0; i < 100000; i++) printf \"1.5\t\"; print 1 }";
	  sed -n 3,4p "$UCI/TS2.txt"; } >TS2.txt &&
	test_exit 1 hs-replay TS2.txt >out 2>err &&
	grep -q "^hs-replay: TS2.txt:2: line longer than [0-9]* bytes$" err &&
	test "$(sed "s/.*\"cycle\":\([0-9]*\),.*/\1/" out | uniq | tr "\n" " ")" = "0 2 3 " &&
	grep "\"cycle\":3,\"sample_idx\":0," out | grep -q "\"value\":$(sed -n 4p "$UCI/TS2.txt" | cut -f1),"
'

test_expect 'rows of the wrong width are reported with their cell counts' '
	sed -n 1,3p "$UCI/VS1.txt" >VS1.txt &&
	sed -i "1s/\$/\t1.5\t2/; 2s/\t[^\t]*\t[^\t]*\$//; 3s/\$/\t/" VS1.txt &&
	test_exit 1 hs-replay VS1.txt >out 2>err &&
	grep -q "^hs-replay: VS1.txt:1: 62 cells, 60 expected; the extra cells are ignored$" err &&
	grep -q "^hs-replay: VS1.txt:2: 58 of 60 cells; samples 58-59 left out$" err &&
	grep -q "^hs-replay: VS1.txt:3: 61 cells, 60 expected" err &&
	grep -q "^hs-replay: VS1.txt:3: column 61: empty cell" err &&
	test_lines out $((60 + 58 + 60))
'

test_expect 'an empty line is a row without cells' '
	{ sed -n 1p "$UCI/SE.txt"; echo; sed -n 3p "$UCI/SE.txt"; } >SE.txt &&
	test_exit 1 hs-replay SE.txt >out 2>err &&
	grep -q "^hs-replay: SE.txt:2: 0 of 60 cells" err &&
	test "$(sed "s/.*\"cycle\":\([0-9]*\),.*/\1/" out | uniq | tr "\n" " ")" = "0 2 "
'

test_expect 'a file that ends early is reported and counted; the other files go on' '
	sed -n 1,2p "$UCI/CP.txt" >CP.txt && sed -n 1,3p "$UCI/SE.txt" >SE.txt &&
	test_exit 1 hs-replay CP.txt SE.txt >out 2>err &&
	grep -q "^hs-replay: CP.txt:3: no row for cycle 2: the file ends after 2 rows; the other files go on$" err &&
	test_lines out $((2 * 60 + 3 * 60))
'

test_expect 'an empty file is reported; the other files go on' '
	: >CE.txt && sed -n 1,2p "$UCI/SE.txt" >SE.txt &&
	test_exit 1 hs-replay CE.txt SE.txt >out 2>err &&
	grep -q "^hs-replay: CE.txt:1: empty file: no rows; the other files go on$" err &&
	test_lines out 120 &&
	test_exit 1 hs-replay CE.txt >out 2>err &&
	grep -q "^hs-replay: CE.txt:1: empty file: no rows$" err && test ! -s out
'

test_expect 'files of 6000 and 600 columns with faults: reported, no crash' '
	awk "BEGIN { for (r = 0; r < 3; r++) { for (c = 0; c < 6000; c++)
		printf \"%s%s\", c ? \"\t\" : \"\", (r == 1 && c == 4321) ? \"1e400\" : c / 7; print \"\" } }" >PS1.txt &&
	awk "BEGIN { for (c = 0; c < 599; c++) printf \"%s%d\", c ? \"\t\" : \"\", c; print \"\" }" >FS1.txt &&
	test_exit 1 hs-replay PS1.txt FS1.txt >out 2>err &&
	grep -q "^hs-replay: PS1.txt:2: column 4322: out of range" err &&
	grep -q "^hs-replay: FS1.txt:1: 599 of 600 cells" err &&
	grep -q "^hs-replay: FS1.txt:2: no row for cycle 1" err &&
	test_lines out $((3 * 6000 - 1 + 599)) && all_json out
'

test_expect 'a directory with no sensor files is a usage error that names it' '
	mkdir empty && touch empty/notes.txt &&
	test_exit 2 hs-replay empty >out 2>err && test ! -s out &&
	grep -q "^hs-replay: empty: no sensor files in this directory: a sensor.s name and rate come from its file.s name" err
'

test_expect 'a directory without the sensors of -s says so' '
	mkdir d && sed -n 1p "$UCI/CE.txt" >d/CE.txt &&
	test_exit 2 hs-replay -s TS1 d >out 2>err &&
	grep -q "^hs-replay: d: no file of the sensors TS1 (-s) in this directory$" err
'

test_expect 'standard input cannot be replayed: the message says why' '
	test_exit 2 hs-replay - <"$UCI/CE.txt" >out 2>err && test ! -s out &&
	grep -q "^hs-replay: -: standard input cannot be replayed: a sensor.s name and rate come from its file.s name" err
'

test_expect 'a sensor given twice is a usage error' '
	sed -n 1p "$UCI/CE.txt" >CE.txt &&
	test_exit 2 hs-replay CE.txt ./CE.txt >out 2>err &&
	grep -q "sensor CE given twice" err
'

test_done
