#!/bin/bash
# hs-pivot scans the key, column and window fields of every row with keys
# prepared once (common/json.h): -k and -c together may name 63 fields;
# more is a usage error at the start, not a bad record on every row.
. "$(dirname "$0")/lib.sh"

names() {	# FIRST LAST: f<FIRST>,...,f<LAST>
	seq -s, -f 'f%g' "$1" "$2"
}
seq -f '"f%g":1' 0 69 | paste -sd, | sed 's/.*/{&}/' >row

test_expect '-k and -c naming 64 fields together is a usage error' '
	test_exit 2 hs-pivot -k "$(names 0 31)" -c "$(names 32 63)" row \
	    >out 2>err &&
	grep -q "^hs-pivot: -k, -c: more than 63 names together" err &&
	! [ -s out ]
'

test_expect '-k and -c naming 63 fields together pivot the row' '
	hs-pivot -k "$(names 0 31)" -c "$(names 32 62)" row >out &&
	test_lines out 1 &&
	grep -q "^{\"f0\":1,.*\"f31\":1,\"1_1_1_" out
'
test_done
