#!/bin/bash
# Session windows, as Spark's session_window: hs-window --session GAP gives
# each event the window [t, t + gap), marked as a session; hs-agg merges,
# per key, the session windows that overlap or touch into one session
# [first event, last event + gap). Every expected row here is computed by
# hand.
. "$(dirname "$0")/lib.sh"

ev() {	# KEY VALUE SECONDS [MEMBERS]: an event at 14:30:SECONDS
	printf '{"k":"%s","v":%s,"timestamp":"2025-11-08T14:30:%sZ"%s}\n' \
	    "$1" "$2" "$3" "${4:+,$4}"
}
row() {	# START END KEY REST: a session row, START and END in 14:30:SS.mmm
	printf '{"window":{"start":"2025-11-08T14:30:%sZ","end":"2025-11-08T14:30:%sZ"},"k":"%s",%s}\n' \
	    "$1" "$2" "$3" "$4"
}
rows() { sed '/^{"_hs"/d'; }

# Two keys interleaved; A's event at 04 joins its first session, and the
# late event at 05.5 bridges that session and the one that began at 08.
input() {
	ev A 1 00; ev A 2 01; ev B 10 01; ev A 3 08; ev B 20 09
	ev A 4 04; ev A 5 05.5; ev B 30 30
}

test_expect 'hs-window gives each event its session window, marked' '
	ev A 1 00 | hs-window --session 3s | rows >got &&
	echo "{\"k\":\"A\",\"v\":1,\"timestamp\":\"2025-11-08T14:30:00Z\",\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:30:03.000Z\",\"session\":true}}" >expect &&
	test_cmp expect got
'

test_expect 'sessions merge per key; a late event bridges two sessions' '
	input | hs-window --session 3s -l 10s |
	    hs-agg -g k -a count,duration,sum,min,max,first,last,p50 -f v |
	    rows >got &&
	{
	row 00.000 11.000 A "\"count\":5,\"duration\":8,\"sum_v\":15,\"min_v\":1,\"max_v\":5,\"first_v\":1,\"last_v\":3,\"p50_v\":3"
	row 01.000 04.000 B "\"count\":1,\"duration\":0,\"sum_v\":10,\"min_v\":10,\"max_v\":10,\"first_v\":10,\"last_v\":10,\"p50_v\":10"
	row 09.000 12.000 B "\"count\":1,\"duration\":0,\"sum_v\":20,\"min_v\":20,\"max_v\":20,\"first_v\":20,\"last_v\":20,\"p50_v\":20"
	row 30.000 33.000 B "\"count\":1,\"duration\":0,\"sum_v\":30,\"min_v\":30,\"max_v\":30,\"first_v\":30,\"last_v\":30,\"p50_v\":30"
	} >expect &&
	test_cmp expect got
'

test_expect 'the merged variance equals the variance of all the values' '
	input | hs-window --session 3s -l 10s | hs-agg -g k -a var -f v |
	    rows | head -1 >got &&
	row 00.000 11.000 A "\"var_v\":2.5" >expect &&
	test_cmp expect got
'

test_expect 'a session is written once the watermark passes its end' '
	{ ev A 1 00; ev A 2 02; ev A 3 04.999; ev A 4 08; } |
	    hs-window --session 3s --stream s | hs-agg -g k -a count -f v >out &&
	# [00, 07.999) ends before the watermark 08 that the 4th event makes
	grep -v "watermark\":\"2025-11-08T14:30:0[0-4]" out >got &&
	cat >expect <<-X &&
	{"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:30:07.999Z"},"k":"A","count":3}
	{"_hs":"watermark","watermark":"2025-11-08T14:30:08.000Z","stream":"s"}
	{"_hs":"watermark","watermark":"2025-11-08T14:30:08.000Z","stream":"s","final":true}
	{"window":{"start":"2025-11-08T14:30:08.000Z","end":"2025-11-08T14:30:11.000Z"},"k":"A","count":1}
	X
	test_cmp expect got
'

test_expect 'an event exactly the gap after the last joins its session' '
	{ ev A 1 00; ev A 2 03; ev A 3 06.001; } | hs-window --session 3s |
	    hs-agg -g k -a count -f v | rows >got &&
	{
	row 00.000 06.000 A "\"count\":2"
	row 06.001 09.001 A "\"count\":1"
	} >expect &&
	test_cmp expect got
'

test_expect 'a gap per event (--gap-field), as Spark'"'"'s dynamic gap' '
	{ ev A 1 00 "\"gap\":\"10s\""; ev A 2 08; ev A 3 12 "\"gap\":2.5"
	  ev A 4 14.5 "\"gap\":null"; ev A 5 20 "\"gap\":\"1 second\""; } |
	    hs-window --session 3s --gap-field gap | hs-agg -g k -a count,sum -f v |
	    rows >got &&
	{
	row 00.000 11.000 A "\"count\":2,\"sum_v\":3"
	row 12.000 17.500 A "\"count\":2,\"sum_v\":7"
	row 20.000 21.000 A "\"count\":1,\"sum_v\":5"
	} >expect &&
	test_cmp expect got
'

test_expect 'a gap that is not a duration above zero is a bad record' '
	{ ev A 1 00 "\"gap\":0"; ev A 2 01 "\"gap\":\"-3s\""; ev A 3 02 "\"gap\":true"
	  ev A 4 03 "\"gap\":\"soon\""; ev A 5 04; } >in &&
	test_exit 1 hs-window --session 3s --gap-field gap in >out 2>err &&
	test "$(grep -c "field .gap.: not a gap above zero" err)" -eq 4 &&
	test "$(rows <out | wc -l)" -eq 1
'

test_expect 'a session window that ends at or before the watermark is late' '
	{ ev A 1 10; ev A 2 05; ev A 3 07.5; } >in &&
	hs-window --session 3s in 2>err | hs-agg -g k -a count,sum -f v |
	    rows >got &&
	grep -q "1 late event dropped" err &&
	row 07.500 13.000 A "\"count\":2,\"sum_v\":4" >expect &&
	test_cmp expect got
'

test_expect 'update mode writes the session as it grows and merges' '
	input | hs-window --session 3s -l 10s |
	    hs-agg --mode update -g k -a count,sum -f v >out &&
	grep "\"k\":\"A\"" out >got &&
	{
	row 00.000 03.000 A "\"count\":1,\"sum_v\":1"
	row 00.000 04.000 A "\"count\":2,\"sum_v\":3"
	row 08.000 11.000 A "\"count\":1,\"sum_v\":3"
	row 00.000 11.000 A "\"count\":5,\"sum_v\":15"
	} >expect &&
	test_cmp expect got
'

test_expect 'complete mode writes every session at each trigger' '
	input | hs-window --session 3s -l 10s |
	    hs-agg --mode complete -g k -a count -f v >out &&
	sed -n "/\"batch\":3}/,\$p" out | rows >got &&
	{
	row 00.000 11.000 A "\"count\":5"
	row 01.000 04.000 B "\"count\":1"
	row 09.000 12.000 B "\"count\":1"
	row 30.000 33.000 B "\"count\":1"
	} >expect &&
	test_cmp expect got
'

test_expect 'hs-window refuses --session with -w, -s or --offset' '
	test_exit 2 hs-window --session 3s -w 1m </dev/null 2>err &&
	grep -q "takes no -w" err &&
	test_exit 2 hs-window --session 3s --offset 1s </dev/null 2>err &&
	test_exit 2 hs-window -w 1m --gap-field g </dev/null 2>err &&
	grep -q "needs --session" err
'

test_expect 'hs-agg refuses a session window without its bounds' '
	printf "{\"k\":\"A\",\"v\":1,\"window\":{\"session\":true}}\n{\"k\":\"A\",\"v\":1,\"window\":{\"start\":\"2025-11-08T14:30:03Z\",\"end\":\"2025-11-08T14:30:03Z\",\"session\":true}}\n" |
	    test_exit 1 hs-agg -g k -a count -f v >out 2>err &&
	test "$(grep -c "a session window without a start before its end" err)" -eq 2 &&
	! test -s out
'

test_expect 'sessions resume from a checkpoint: the rows of an unbroken run' '
	# A and B are open at the checkpoint; after it, an event of A
	# bridges two of its restored sessions
	{ ev A 1 00; ev A 2 01; ev B 10 01; ev A 3 08; ev B 20 09; } >one &&
	{ ev A 4 04; ev A 5 05.5; ev B 30 30; } >two &&
	cp="{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}" &&
	{ cat one; echo "$cp"; cat two; echo "{\"_hs\":\"end\"}"; } |
	    hs-window --session 3s -l 10s |
	    hs-agg -g k -a count,duration,var,p50,first,last -f v | rows >want &&
	{ cat one; echo "$cp"; } |
	    hs-window --session 3s -l 10s --state w.st >mid &&
	test_exit 3 hs-agg -g k -a count,duration,var,p50,first,last -f v \
	    --state a.st mid >out 2>err &&
	rows <out >got &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; cat two; echo "{\"_hs\":\"end\"}"; } |
	    hs-window --session 3s -l 10s --state w.st |
	    hs-agg -g k -a count,duration,var,p50,first,last -f v --state a.st |
	    rows >>got &&
	sort want >w && sort -u got >g && test_cmp w g &&
	test_lines want 4
'

test_expect 'a state holding two sessions of a key that meet is refused' '
	FORGE=${HS_UNIT:-$HS_ROOT/build/tests}/state_forge &&
	key="\"{\\\"session\\\":true}\\u001f\\\"A\\\"\"" &&
	s1="{\"key\":$key,\"windowed\":1,\"start\":0,\"end\":3000000,\"count\":1,\"dirty\":1,\"fields\":[]}" &&
	s2="{\"key\":$key,\"windowed\":1,\"start\":3000000,\"end\":6000000,\"count\":1,\"dirty\":1,\"fields\":[]}" &&
	s3="{\"key\":$key,\"windowed\":1,\"start\":3000001,\"end\":6000000,\"count\":1,\"dirty\":1,\"fields\":[]}" &&
	for s in "$s1,$s2" "$s1,$s3"; do
		rm -f st st.* &&
		printf "{\"watermark\":0,\"batch\":0,\"groups\":[%s]}" "$s" |
		    "$FORGE" st hs-agg "mode=0 g=k a=0 f=" 1 &&
		printf "{\"_hs\":\"resume\",\"id\":1}\n{\"_hs\":\"end\"}\n" |
		    hs-agg -g k -a count --state st
		echo "exit $?"
	done >out 2>err &&
	grep -c "^{\"window\"" out >n && echo 2 >expect && test_cmp expect n &&
	grep -q "^exit 3" out && grep -q "is malformed" err
'

test_done
