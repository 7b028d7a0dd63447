#!/bin/bash
# hs-window under source watermarks: once the input carries the source's
# watermark records (hs-kafkacat writes them per partition), the watermark
# is the source's less the lateness, not the newest event's; inputs
# without them (files, hs-replay) behave as before.
. "$(dirname "$0")/lib.sh"

ev() {	# SENSOR FROM TO: one sample a second from 12:00:00 + FROM s
	awk -v s="$1" -v from="$2" -v to="$3" 'BEGIN { for (i = from; i <= to; i++)
		printf "{\"sensor\":\"%s\",\"value\":1,\"timestamp\":\"2025-11-08T12:%02d:%02dZ\"}\n", s, int(i / 60), i % 60 }'
}
swm() {	# SECONDS: a source watermark at 12:00:00 + SECONDS, or null
	if [ "$1" = null ]; then
		echo "{\"_hs\":\"source_watermark\",\"watermark\":null}"
	else
		printf "{\"_hs\":\"source_watermark\",\"watermark\":\"2025-11-08T12:%02d:%02d.000Z\"}\n" $(($1 / 60)) $(($1 % 60))
	fi
}
counts() { grep -v "^{\"_hs\"" | sed 's/.*"start":"[^T]*T\([0-9:]*\)\.000Z".*"sensor":"\([^"]*\)","count":\([0-9]*\)}/\1 \2 \3/'; }

# Two partitions read unevenly, as a consumer delivers them: all of A's
# five minutes, then all of B's. The source watermark is the minimum of
# the newest event times of the partitions that can still deliver.
uneven() {
	swm null; ev A 0 299; ev B 0 150; swm 150; ev B 151 299; swm 299
}

test_expect 'partitions read unevenly, with source watermarks: every event counted' '
	uneven | hs-window -w 1m -l 10s 2>err | hs-agg -g sensor -a count | counts >got &&
	test "$(wc -l <got)" -eq 10 && ! grep -v " 60$" got && test ! -s err
'

test_expect 'the same without them: B is late (the behaviour of files, as before)' '
	uneven | grep -v source_watermark | hs-window -w 1m -l 10s 2>err |
	    hs-agg -g sensor -a count | counts >got &&
	grep -q "240 late events dropped" err
'

test_expect 'the watermark is the source watermark less the lateness; its records stay' '
	{ swm null; ev A 0 100; swm 100; } | hs-window -w 1m -l 10s --stream s >out &&
	! grep -q source_watermark out &&
	grep -x "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T12:01:30.000Z\",\"stream\":\"s\"}" out
'

test_expect 'events do not move it; a lower source watermark does not move it back' '
	{ swm null; ev A 0 100; swm 100; ev A 200 200; swm 20; ev A 85 95; } |
	    hs-window -w 1m -l 10s 2>err | hs-agg -g sensor -a count | counts >got &&
	printf "12:00:00 A 60\n12:01:00 A 52\n12:03:00 A 1\n" >expect &&
	test_cmp expect got &&
	test ! -s err &&
	{ swm null; ev A 0 100; swm 100; swm 20; ev A 15 16; } |
	    hs-window -w 1m -l 10s 2>&1 >/dev/null | grep -q "2 late events dropped"
'

test_expect 'files and hs-replay: the same watermarks as before, and a final one' '
	hs-replay -c 0-2 -s TS1 "$TESTDATA/uci" | hs-window -w 1m -l 10s |
	    grep "^{\"_hs\"" | sed "s/,\"stream\":\"[0-9a-f]*\"//" >got &&
	cat >expect <<-X &&
	{"_hs":"watermark","watermark":"2025-11-08T14:29:50.000Z"}
	{"_hs":"watermark","watermark":"2025-11-08T14:30:00.000Z"}
	{"_hs":"watermark","watermark":"2025-11-08T14:31:00.000Z"}
	{"_hs":"watermark","watermark":"2025-11-08T14:32:00.000Z"}
	{"_hs":"watermark","watermark":"2025-11-08T14:32:49.000Z","final":true}
	X
	test_cmp expect got
'

test_expect 'with --state, a resumed window keeps taking the source watermark' '
	{ swm null; ev A 0 100; swm 100;
	  echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"; } |
	    hs-window -w 1m -l 10s --state w.state >/dev/null &&
	cat w.state.* | grep -q "\"source\":1" &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; ev A 101 200; ev A 95 95; } |
	    hs-window -w 1m -l 10s --state w.state 2>err >out &&
	test ! -s err && ! grep -q "\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T12:03" out
'

test_done
