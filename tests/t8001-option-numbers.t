#!/bin/bash
# Every number an option takes is read by one checked parser
# (common/cli: hs_arg_long, hs_arg_double): not a number, trailing text,
# a sign or blank before a whole number, and a value out of the option's
# range are usage errors (exit 2) that name the option.
. "$(dirname "$0")/lib.sh"

: >empty
while read -r tool opt bad; do
	test_expect "$tool $opt '$bad' is a usage error naming the option" "
		test_exit 2 $tool $opt '$bad' empty >out 2>err </dev/null &&
		grep -q -- '^$tool: $opt: expected ' err && ! [ -s out ]
	"
done <<'LIST'
hs-fmt --lookahead 0
hs-fmt --commit-rows x
hs-fmt -W +5
hs-fmt -W 10001
hs-score -d 18
hs-score -d 3x
hs-replay --speed -1
hs-replay --speed x
hs-learn --eta 2
hs-learn --cv 1
hs-kafkacat -c 0
hs-kafkacat -m x
hs-detect --for 0
hs-detect --stuck 99999999999999999999
hs-agg --streams 0
hs-agg --streams 1000001
hs-agg --accuracy 2
hs-agg --accuracy 0.00001
LIST

test_expect 'a number in range is taken' '
	hs-replay --speed 0 -c 0-0 -s CE "$TESTDATA/uci" >out &&
	test_lines out 60 &&
	hs-fmt -o csv --lookahead 1 --commit-rows 5 -W 10 out >csv &&
	test_lines csv 61
'
test_done
