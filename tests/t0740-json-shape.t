#!/bin/bash
# A record of the last one's shape (the same text between its values) is
# scanned by its values only: the result is still the full scan's, the
# same spans, and each bad record refused for the same reason at the
# same column.
. "$(dirname "$0")/lib.sh"

test_expect 'records one edit away from a learnt shape scan as afresh (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/json_shape_test" >tap &&
	! grep -q "^not ok" tap && grep -q "^1\.\.10" tap
'

test_expect 'hs-window: bad values in records of one shape, at their column' '
	t="\"timestamp\":\"2025-11-08T14:30:0" &&
	printf "%s\n" "{${t}0Z\",\"value\":1}" "{${t}1Z\",\"value\":1.}" \
	    "{${t}2Z\",\"value\":01}" "{${t}3Z\",\"value\":1}x" \
	    "{${t}4Z\",\"value\": 1}" "{${t}5Z\",\"value\":1,}" \
	    "{${t}6Z\",\"value\":1" "{${t}7Z\",\"value\":\"\\ud800\"}" \
	    "{${t}8Z\",\"value\":2}" >in &&
	test_exit 1 hs-window -w 1m <in >out 2>err &&
	cat >expect <<-\EOT &&
	hs-window: <stdin>:2: invalid JSON (invalid number) at column 45
	hs-window: <stdin>:3: invalid JSON (expected Q,Q or Q}Q) at column 46
	hs-window: <stdin>:4: trailing data after the JSON object at column 47
	hs-window: <stdin>:6: invalid JSON (expected a string key) at column 47
	hs-window: <stdin>:7: invalid JSON (unexpected end of line) at column 46
	hs-window: <stdin>:8: lone surrogate escape at column 46
	hs-window: 6 bad records skipped
	EOT
	tr "\047" Q <err >err.q && test_cmp expect err.q &&
	grep -c "\"value\":" out >n && echo 3 >three && test_cmp three n
'

test_expect 'hs-agg: records of one shape and of another, good and bad' '
	d="\"2025-11-08T14:3" &&
	w="\"window\":{\"start\":${d}0:00.000Z\",\"end\":${d}1:00.000Z\"}" &&
	printf "%s\n" "{\"sensor\":\"A\",\"value\":1,$w}" \
	    "{\"sensor\":\"A\",\"value\":2.,$w}" "{\"sensor\":\"B\",\"value\":3}" \
	    "{\"sensor\":\"B\",\"value\":-}" "{\"sensor\":\"B\",\"value\":4 }" \
	    "{\"sensor\":\"B\",\"value\":5}}" "{\"sensor\":\"B\\x\",\"value\":6}" \
	    "{\"sensor\":\"B\",\"value\":7}" >in &&
	test_exit 1 hs-agg -g sensor -a count,sum -f value <in >out 2>err &&
	cat >expect <<-\EOT &&
	hs-agg: <stdin>:2: invalid JSON (invalid number) at column 23
	hs-agg: <stdin>:4: invalid JSON (expected a value) at column 23
	hs-agg: <stdin>:6: trailing data after the JSON object at column 25
	hs-agg: <stdin>:7: invalid JSON (invalid escape) at column 13
	hs-agg: 4 bad records skipped
	EOT
	test_cmp expect err &&
	grep -q "\"sensor\":\"B\",\"count\":3,\"sum_value\":14" out &&
	grep -q "\"sensor\":\"A\",\"count\":1,\"sum_value\":1}" out
'

test_done
