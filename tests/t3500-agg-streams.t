#!/bin/bash
# Several watermark streams into one hs-agg: the slowest governs (Spark's
# multipleWatermarkPolicy "min"), a stream that has ended holds no other
# back, append mode never writes a window twice; and a stream that stops
# is not a stream that ends.
. "$(dirname "$0")/lib.sh"

# Samples of TS1, one a second from 12:00:00 + FROM s to + TO s.
ev() {	# FROM TO
	awk -v from="$1" -v to="$2" 'BEGIN { for (i = from; i <= to; i++)
		printf "{\"sensor\":\"TS1\",\"value\":1,\"timestamp\":\"2025-11-08T12:%02d:%02dZ\"}\n", int(i / 60), i % 60 }'
}
counts() { grep -v "^{\"_hs\"" | sed 's/.*"start":"[^T]*T\([0-9:]*\)\.000Z".*"count":\([0-9]*\)}/\1 \2/'; }

test_expect 'two window streams concatenated, --streams 2: one row of 60, not two of 30' '
	{ ev 0 29; ev 90 150; } | hs-window -w 1m -l 10s >a.out &&
	{ ev 30 59; ev 60 150; } | hs-window -w 1m -l 10s >b.out &&
	cat a.out b.out | hs-agg -g sensor -a count --streams 2 2>err | counts >got &&
	printf "12:00:00 60\n12:01:00 90\n12:02:00 62\n" >expect &&
	test_cmp expect got && test ! -s err
'

test_expect 'the same without --streams: each window once, the late records counted' '
	cat a.out b.out | hs-agg -g sensor -a count 2>err | counts >got &&
	test "$(cut -d" " -f1 got | sort | uniq -d)" = "" &&
	grep -q "^12:00:00 30$" got &&
	grep -q "^12:02:00 62$" got &&
	grep -q "90 late records dropped: their window was already final here" err
'

mark() { echo "{\"_hs\":\"mark\"}"; }
before_mark() { sed "/^{\"_hs\":\"mark\"}$/q" "$@" | counts; }

test_expect 'interleaved streams: the slowest watermark governs' '
	ev 0 120 | hs-window -w 1m --stream fast >fast &&
	ev 0 30 | hs-window -w 1m --stream slow | grep -v final >slow1 &&
	ev 31 59 | hs-window -w 1m --stream slow >slow2 &&
	cat slow1 fast slow2 | hs-agg -a count | counts >got &&
	printf "12:00:00 120\n12:01:00 60\n12:02:00 1\n" >expect && test_cmp expect got
'

test_expect 'a stream that has ended stops holding the others back' '
	ev 0 10 | hs-window -w 1m --stream short >short &&
	ev 0 150 | hs-window -w 1m --stream long | grep -v final >long &&
	{ grep -v final short; cat long; mark; } | hs-agg -a count --streams 2 |
	    before_mark >got && test ! -s got &&
	{ cat short long; mark; } | hs-agg -a count --streams 2 | before_mark >got &&
	printf "12:00:00 71\n12:01:00 60\n" >expect && test_cmp expect got
'

test_expect 'the streams and the late count are in the checkpoint' '
	{ cat a.out; echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}";
	  echo "{\"_hs\":\"stop\"}"; } |
	    hs-agg -g sensor -a count --streams 2 --state s.agg >/dev/null &&
	cat s.agg.* | grep -q "streams.*\"id\":\"[0-9a-f]\{16\}\",\"watermark\":[0-9]*,\"final\":1" &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; cat b.out; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg -g sensor -a count --streams 2 --state s.agg | counts >got &&
	printf "12:00:00 60\n12:01:00 90\n12:02:00 62\n" >expect && test_cmp expect got
'

test_expect 'a stop record: append mode writes no open window, and says so' '
	{ ev 0 70; echo "{\"_hs\":\"stop\"}"; } | hs-window -w 1m >w.out &&
	! grep -q final w.out &&
	hs-agg -g sensor -a count <w.out 2>err | counts >got &&
	echo "12:00:00 60" >expect && test_cmp expect got &&
	grep -q "stopped, not ended: 1 open group not written (--state keeps them" err
'

test_expect 'the end of input is an end: every open window is written' '
	ev 0 70 | hs-window -w 1m | hs-agg -g sensor -a count | counts >got &&
	printf "12:00:00 60\n12:01:00 11\n" >expect && test_cmp expect got
'

test_expect 'SIGTERM stops hs-window: what it read goes on, no final watermark' '
	mkfifo in || exit 1
	hs-window -w 1m -l 5s <in >w.out 2>w.err &
	pid=$! && exec 3>in && ev 0 70 >&3 &&
	wait_until 10 "test \$(grep -c window w.out 2>/dev/null) -eq 71" &&
	kill -TERM $pid && wait &&
	exec 3>&- && ! grep -q final w.out && test ! -s w.err
'

test_expect 'SIGTERM stops hs-agg: nothing open is written as final' '
	mkfifo in2 || exit 1
	hs-agg -g sensor -a count <in2 >out 2>a.err &
	pid=$! && exec 3>in2 && cat w.out >&3 &&
	wait_until 10 "grep -q count out" &&
	kill -TERM $pid && wait && exec 3>&- &&
	counts <out >got && echo "12:00:00 60" >expect && test_cmp expect got &&
	grep -q "stopped, not ended: 1 open group not written" a.err
'

test_expect 'with --state a stop keeps the open windows for the resume' '
	{ echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"; ev 0 70;
	  echo "{\"_hs\":\"checkpoint\",\"id\":2,\"positions\":[]}";
	  echo "{\"_hs\":\"stop\"}"; } | hs-window -w 1m |
	    hs-agg -g sensor -a count --state st.agg 2>err | counts >got &&
	echo "12:00:00 60" >expect && test_cmp expect got && test ! -s err &&
	{ echo "{\"_hs\":\"resume\",\"id\":2}"; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg -g sensor -a count --state st.agg | counts >got &&
	echo "12:01:00 11" >expect && test_cmp expect got
'

test_expect '--streams takes a positive number' '
	test_exit 2 hs-agg -a count --streams 0 </dev/null &&
	test_exit 2 hs-agg -a count --streams x </dev/null
'

test_done
