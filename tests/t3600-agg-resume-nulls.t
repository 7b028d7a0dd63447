#!/bin/bash
# A checkpoint of groups whose value fields held nulls restores: a field
# may hold fewer values than its group has records.
. "$(dirname "$0")/lib.sh"

test_expect 'a group with null values resumes from its checkpoint' '
	printf "{\"s\":\"A\",\"v\":1}\n{\"s\":\"A\",\"v\":null}\n{\"s\":\"A\"}\n" >before &&
	printf "{\"s\":\"A\",\"v\":5}\n{\"_hs\":\"end\"}\n" >after &&
	{ cat before; echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"; } >in &&
	# no end record: a failed run, whose state is kept
	test_exit 3 hs-agg -g s -a count,nonnull,avg,p50 -f v --state st in >/dev/null &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; cat after; } |
	    hs-agg -g s -a count,nonnull,avg,p50 -f v --state st >out &&
	echo "{\"s\":\"A\",\"count\":4,\"nonnull_v\":2,\"avg_v\":3,\"p50_v\":5}" >expect &&
	grep -v "^{\"_hs\"" out >got && test_cmp expect got
'

test_done
