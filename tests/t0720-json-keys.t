#!/bin/bash
# The keys a tool scans every record for are prepared once: the scan
# finds them as it did when it took them afresh.
. "$(dirname "$0")/lib.sh"

test_expect 'prepared keys find what json_scan finds (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/json_keys_test" >tap &&
	! grep -q "^not ok" tap && grep -q "^1\.\.8" tap
'

test_expect 'hs-agg with a field both grouped and aggregated' '
	printf "{\"v\":1}\n{\"v\":2}\n{\"v\":2}\n" | hs-agg -g v -a count,sum -f v >out &&
	printf "{\"v\":1,\"count\":1,\"sum_v\":1}\n{\"v\":2,\"count\":2,\"sum_v\":4}\n" >expect &&
	test_cmp expect out
'

test_done
