#!/bin/bash
# The README's session example on the real data: the operating sessions
# of SE above 60 % with a gap of 3 s, its rows, and where sessions break.
. "$(dirname "$0")/lib.sh"

sessions() {	# hs-replay options: the README's pipeline up to hs-agg
	hs-replay -s SE -p "$TESTDATA/uci/profile.txt" "$@" "$TESTDATA/uci" |
	    jq -c 'select(.value > 60 and .sample_idx > 0)' |
	    hs-window --session 3s |
	    hs-agg -g cycle,cooler,pump_leak -a count,duration,avg -f value
}

test_expect 'SE is 0 in samples 1 to 8; sample 0 repeats the cycle before'"'"'s last' '
	awk -F"\t" "{ for (i = 2; i <= 9; i++) if (\$i != 0) bad++
		if (NR > 1 && \$1 != last) bad++; last = \$60 }
		END { print NR, bad + 0 }" "$TESTDATA/uci/SE.txt" >got &&
	echo "2205 0" >expect && test_cmp expect got
'

test_expect 'the README'"'"'s rows for cycles 342 to 345' '
	sessions -c 342-345 | hs-fmt -o csv --ofmt %.2f >got &&
	cat >expect <<-X &&
	window.start,window.end,cycle,cooler,pump_leak,count,duration,avg_value
	2025-11-08T20:12:09.000Z,2025-11-08T20:13:02.000Z,342,3,0,47,50,70.04
	2025-11-08T20:13:09.000Z,2025-11-08T20:13:21.000Z,343,3,2,10,9,64.44
	2025-11-08T20:13:49.000Z,2025-11-08T20:14:02.000Z,343,3,2,11,10,70.88
	2025-11-08T20:14:11.000Z,2025-11-08T20:15:02.000Z,344,3,2,45,48,66.19
	2025-11-08T20:15:11.000Z,2025-11-08T20:15:21.000Z,345,3,2,8,7,65.04
	2025-11-08T20:15:49.000Z,2025-11-08T20:16:02.000Z,345,3,2,11,10,70.62
	X
	test_cmp expect got
'

test_expect 'over all cycles, sessions break only with the cooler at 3 %' '
	sessions | sed "/^{\"_hs\"/d" >rows &&
	# sessions per cycle, then the cycles with more than one
	jq -c "del(.window)" rows | hs-agg -g cycle,cooler,pump_leak -a count |
	    jq -c "select(.count > 1) | del(.cycle)" |
	    hs-agg -g cooler,pump_leak -a count >got &&
	cat >expect <<-X &&
	{"cooler":3,"pump_leak":0,"count":13}
	{"cooler":3,"pump_leak":1,"count":102}
	{"cooler":3,"pump_leak":2,"count":112}
	X
	test_cmp expect got &&
	hs-replay -s SE -c 0-2204 -p "$TESTDATA/uci/profile.txt" "$TESTDATA/uci" |
	    jq -c "select(.sample_idx == 0) | {cooler, pump_leak}" |
	    hs-agg -g cooler,pump_leak -a count | grep "\"cooler\":3," >all &&
	cat >expect <<-X &&
	{"cooler":3,"pump_leak":0,"count":404}
	{"cooler":3,"pump_leak":1,"count":164}
	{"cooler":3,"pump_leak":2,"count":164}
	X
	test_cmp expect all
'

test_done
