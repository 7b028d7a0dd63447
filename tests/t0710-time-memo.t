#!/bin/bash
# The last timestamp parsed is remembered for the next event: never across
# a change of zone, and never in place of another text.
. "$(dirname "$0")/lib.sh"

test_expect 'a remembered timestamp is read again in a new zone (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/instant_memo_test" >tap &&
	! grep -q "^not ok" tap && grep -q "^1\.\.4" tap
'

test_expect 'events of one tick are windowed by their own timestamps' '
	for s in a b c; do
		echo "{\"sensor\":\"$s\",\"timestamp\":\"2025-11-08T14:30:59.999Z\"}"
	done >in &&
	echo "{\"sensor\":\"d\",\"timestamp\":\"2025-11-08T14:31:00.000Z\"}" >>in &&
	echo "{\"sensor\":\"e\",\"timestamp\":\"2025-11-08T14:30:59.999+01:00\"}" >>in &&
	hs-window -w 1m -l 2h in | grep -v _hs | jq -r ".sensor + \" \" + .window.start" >out &&
	printf "%s\n" "a 2025-11-08T14:30:00.000Z" "b 2025-11-08T14:30:00.000Z" \
	    "c 2025-11-08T14:30:00.000Z" "d 2025-11-08T14:31:00.000Z" \
	    "e 2025-11-08T13:30:00.000Z" >expect &&
	test_cmp expect out
'

test_done
