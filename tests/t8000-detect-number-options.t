#!/bin/bash
# hs-detect's number options (--robust, --z, --clear-band) take a finite
# number of at least 0: anything else is a usage error (exit 2) naming the
# option, where it used to be read as 0 or as its leading digits.
. "$(dirname "$0")/lib.sh"

echo '{"sensor":"CE","value":1}' >in

for opt in --robust --z --clear-band; do
	for bad in x 4x '' -1 inf nan; do
		test_expect "$opt '$bad' is a usage error that names the option" "
			test_exit 2 hs-detect $opt '$bad' -t 'value<0' in \
			    >out 2>err &&
			grep -q -- \"^hs-detect: $opt: expected a number\" err &&
			! [ -s out ]
		"
	done
	test_expect "$opt takes a fraction" "
		hs-detect $opt 3.5 -t 'value<2' in >out &&
		grep -q '\"anomaly\"' out
	"
done
test_done
