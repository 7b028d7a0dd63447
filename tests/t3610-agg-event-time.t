#!/bin/bash
# hs-agg learns each record's event time from -t (default timestamp):
# first and last are the values of the earliest and the latest time, and
# duration the span of the times, whatever the input order; without
# times, the input order decides, as before.
. "$(dirname "$0")/lib.sh"

ev() {	# VALUE SECONDS: an event of key A at 14:30:SECONDS
	printf '{"k":"A","v":%s,"timestamp":"2025-11-08T14:30:%sZ"}\n' "$1" "$2"
}

test_expect 'first and last follow event time, not input order' '
	{ ev 2 20; ev 1 10; ev 4 40; ev 3 30; } |
	    hs-agg -g k -a first,last,duration -f v >got &&
	echo "{\"k\":\"A\",\"first_v\":1,\"last_v\":4,\"duration\":30}" >expect &&
	test_cmp expect got
'

test_expect 'the time field is chosen with -t' '
	printf "{\"v\":1,\"ts\":20}\n{\"v\":2,\"ts\":10}\n" |
	    hs-agg -t ts -a first,last,duration -f v >got &&
	echo "{\"first_v\":2,\"last_v\":1,\"duration\":10}" >expect &&
	test_cmp expect got
'

test_expect 'without times first and last keep the input order' '
	printf "{\"v\":2}\n{\"v\":1}\n{\"v\":3}\n" |
	    hs-agg -a first,last,duration -f v >got &&
	echo "{\"first_v\":2,\"last_v\":3,\"duration\":null}" >expect &&
	test_cmp expect got
'

test_expect 'a time that does not parse is a bad record, when a time is needed' '
	{ ev 1 10; echo "{\"k\":\"A\",\"v\":9,\"timestamp\":\"soon\"}"; } >in &&
	test_exit 1 hs-agg -g k -a first -f v in >got 2>err &&
	grep -q "field .timestamp.: unparsable time" err &&
	echo "{\"k\":\"A\",\"first_v\":1}" >expect && test_cmp expect got &&
	hs-agg -g k -a count,sum -f v in >got &&
	echo "{\"k\":\"A\",\"count\":2,\"sum_v\":10}" >expect && test_cmp expect got
'

test_expect 'event times survive a checkpoint; a state without them restores' '
	{ ev 2 20; ev 1 10; echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"; } >one &&
	test_exit 3 hs-agg -g k -a first,last,duration -f v --state st one >/dev/null &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; ev 0 05; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg -g k -a first,last,duration -f v --state st | sed "/^{\"_hs\"/d" >got &&
	echo "{\"k\":\"A\",\"first_v\":0,\"last_v\":2,\"duration\":15}" >expect &&
	test_cmp expect got &&
	FORGE=${HS_UNIT:-$HS_ROOT/build/tests}/state_forge &&
	rm -f old old.* &&
	printf "{\"watermark\":0,\"batch\":0,\"groups\":[{\"key\":\"\\\\u001f\\\\\"A\\\\\"\",\"windowed\":0,\"start\":0,\"end\":0,\"count\":2,\"dirty\":1,\"fields\":[[2,3,1.5,0.5,1,2,1,2,[]]]}]}" |
	    "$FORGE" old hs-agg "mode=0 g=k a=7,8 f=v" 1 &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; ev 5 00; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg -g k -a first,last -f v --state old | sed "/^{\"_hs\"/d" >got &&
	echo "{\"k\":\"A\",\"first_v\":1,\"last_v\":5}" >expect &&
	test_cmp expect got
'

test_done
