#!/bin/bash
# hs-detect's two-number options, --ewma alpha,limit and --cusum k,h, are
# read by the same checked parser as its other numbers: each part a finite
# number in its range (alpha above 0 and at most 1, k at least 0, limit
# and h above 0), else a usage error (exit 2) naming the option, where a
# range was once only checked for --ewma, without saying why, and --cusum
# took a negative allowance, NaN or infinity and never fired.
. "$(dirname "$0")/lib.sh"

echo '{"sensor":"CE","value":1}' >in

while read -r opt bad; do
	test_expect "$opt '$bad' is a usage error that names the option" "
		test_exit 2 hs-detect $opt '$bad' in >out 2>err &&
		grep -q -- '^hs-detect: $opt' err && ! [ -s out ]
	"
done <<'LIST'
--ewma 2,3
--ewma 0,3
--ewma -0.5,3
--ewma 0.5,0
--ewma 0.5,-1
--ewma nan,3
--ewma 0.5,inf
--ewma 0.5
--ewma 0.5,3,
--ewma 0.5,3x
--cusum -1,3
--cusum 0.5,0
--cusum nan,5
--cusum 0.5,inf
--cusum inf,5
--cusum ,5
LIST

test_expect 'the reason is said: which part, and its range' '
	test_exit 2 hs-detect --ewma 2,3 in 2>err &&
	grep -q "^hs-detect: --ewma alpha: expected a number from 0 to 1, not .2." err &&
	test_exit 2 hs-detect --ewma 0,3 in 2>err &&
	grep -q "^hs-detect: --ewma alpha: expected a number above 0, not .0." err &&
	test_exit 2 hs-detect --cusum -1,3 in 2>err &&
	grep -q "^hs-detect: --cusum k: expected a number of at least 0, not .-1." err
'

test_expect 'numbers in range are taken: alpha 1, k 0, fractions' '
	hs-replay -s TS1 -c 0-29 "$TESTDATA/uci" >events &&
	hs-detect -f value --ewma 1,3 events >ewma &&
	test_lines ewma 1800 &&
	grep -q "\"detector\":\"ewma\"" ewma &&
	hs-detect -f value --cusum 0,0.5 events >cusum &&
	test_lines cusum 1800 &&
	grep -q "\"detector\":\"cusum\"" cusum
'

test_done
