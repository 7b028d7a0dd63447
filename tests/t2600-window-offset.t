#!/bin/bash
# hs-window --offset, Spark's startTime: windows start at the epoch plus
# the offset plus any multiple of the slide, for tumbling and hopping
# windows; |offset| < slide; boundaries are fixed in UTC, so daylight
# saving does not move them.
. "$(dirname "$0")/lib.sh"

ev() {	# TIME: one event line
	printf '{"timestamp":"%s"}\n' "$1"
}
bounds() {	# the start and end of each window written
	sed -n 's/.*"window":{"start":"\([^"]*\)","end":"\([^"]*\)".*/\1 \2/p'
}

test_expect 'a day window with a 6h offset runs from 06:00 to 06:00' '
	{ ev 2025-11-08T05:59:59.999Z; ev 2025-11-08T06:00:00Z
	  ev 2025-11-09T05:59:59.999Z; ev 2025-11-09T06:00:00Z; } |
	    hs-window -w 1d --offset 6h | bounds >got &&
	cat >expect <<-X &&
	2025-11-07T06:00:00.000Z 2025-11-08T06:00:00.000Z
	2025-11-08T06:00:00.000Z 2025-11-09T06:00:00.000Z
	2025-11-08T06:00:00.000Z 2025-11-09T06:00:00.000Z
	2025-11-09T06:00:00.000Z 2025-11-10T06:00:00.000Z
	X
	test_cmp expect got
'

test_expect 'hourly windows at a quarter past, as Spark'"'"'s example' '
	{ ev 2025-11-08T14:14:59Z; ev 2025-11-08T14:15:00Z; } |
	    hs-window -w 1h --offset 15m | bounds >got &&
	cat >expect <<-X &&
	2025-11-08T13:15:00.000Z 2025-11-08T14:15:00.000Z
	2025-11-08T14:15:00.000Z 2025-11-08T15:15:00.000Z
	X
	test_cmp expect got
'

test_expect 'hopping day windows every 12h from 06:00 across midnight' '
	{ ev 2025-11-08T05:00:00Z; ev 2025-11-08T23:59:59Z; ev 2025-11-09T00:00:00Z; } |
	    hs-window -w 1d -s 12h --offset 6h | bounds >got &&
	cat >expect <<-X &&
	2025-11-07T06:00:00.000Z 2025-11-08T06:00:00.000Z
	2025-11-07T18:00:00.000Z 2025-11-08T18:00:00.000Z
	2025-11-08T06:00:00.000Z 2025-11-09T06:00:00.000Z
	2025-11-08T18:00:00.000Z 2025-11-09T18:00:00.000Z
	2025-11-08T06:00:00.000Z 2025-11-09T06:00:00.000Z
	2025-11-08T18:00:00.000Z 2025-11-09T18:00:00.000Z
	X
	test_cmp expect got
'

test_expect 'a negative offset is the slide less it: -2h is 22h on days' '
	for t in 2025-11-07T21:59:59Z 2025-11-07T22:00:00Z 2025-11-08T21:59:59Z; do
		ev $t
	done >in &&
	hs-window -w 1d --offset -2h in | bounds >neg &&
	hs-window -w 1d --offset 22h in | bounds >pos &&
	test_cmp pos neg &&
	head -1 neg >got &&
	echo "2025-11-06T22:00:00.000Z 2025-11-07T22:00:00.000Z" >expect &&
	test_cmp expect got
'

test_expect 'before the epoch and in the year 0001 windows align the same' '
	for t in 1969-12-31T05:59:59Z 0001-01-02T06:00:00Z; do
		ev $t | hs-window -w 1d --offset 6h | bounds
	done >got &&
	cat >expect <<-X &&
	1969-12-30T06:00:00.000Z 1969-12-31T06:00:00.000Z
	0001-01-02T06:00:00.000Z 0001-01-03T06:00:00.000Z
	X
	test_cmp expect got &&
	ev 0001-01-01T05:00:00Z | test_exit 1 hs-window -w 1d --offset 6h >out 2>err &&
	grep -q "would not lie within the years 0001 to 9999" err
'

test_expect 'the offset must be less than the slide in absolute value' '
	test_exit 2 hs-window -w 1d --offset 1d </dev/null 2>err &&
	grep -q "less than the slide" err &&
	test_exit 2 hs-window -w 1d -s 1h --offset -1h </dev/null 2>err &&
	test_exit 2 hs-window -w 1d --offset 25h </dev/null 2>err &&
	test_exit 2 hs-window -w 1d --offset 6x </dev/null 2>err &&
	test_exit 0 hs-window -w 1d -s 1h --offset -59m59s </dev/null
'

test_expect 'shift windows stay fixed in UTC across a daylight-saving change' '
	# a Berlin plant: --offset 5h is 06:00 in winter (UTC+1); after the
	# change of 2025-03-30 the same boundary is 07:00 summer time
	for t in 2025-03-29T05:59:00 2025-03-29T06:00:00 2025-03-30T06:30:00 \
	    2025-03-30T06:59:00 2025-03-30T07:00:00; do
		ev $t
	done | hs-window -w 1d --offset 5h --tz Europe/Berlin | bounds >got &&
	cat >expect <<-X &&
	2025-03-28T05:00:00.000Z 2025-03-29T05:00:00.000Z
	2025-03-29T05:00:00.000Z 2025-03-30T05:00:00.000Z
	2025-03-29T05:00:00.000Z 2025-03-30T05:00:00.000Z
	2025-03-29T05:00:00.000Z 2025-03-30T05:00:00.000Z
	2025-03-30T05:00:00.000Z 2025-03-31T05:00:00.000Z
	X
	test_cmp expect got
'

test_expect 'a watermark is announced at each offset boundary' '
	{ ev 2025-11-08T14:14:00Z; ev 2025-11-08T14:15:30Z; ev 2025-11-08T14:16:00Z; } |
	    hs-window -w 1h --offset 15m --stream s >out &&
	grep "^{\"_hs\"" out >got &&
	cat >expect <<-X &&
	{"_hs":"watermark","watermark":"2025-11-08T14:14:00.000Z","stream":"s"}
	{"_hs":"watermark","watermark":"2025-11-08T14:15:30.000Z","stream":"s"}
	{"_hs":"watermark","watermark":"2025-11-08T14:16:00.000Z","stream":"s","final":true}
	X
	test_cmp expect got
'

test_expect 'hs-agg writes each offset day window once it is complete' '
	hs-replay -s CE -c 0-3 -t 2025-11-08T05:58:00Z "$TESTDATA/uci" |
	    hs-window -w 1d --offset 6h --stream s |
	    hs-agg -g sensor -a count -f value >out &&
	cat >expect <<-X &&
	{"window":{"start":"2025-11-07T06:00:00.000Z","end":"2025-11-08T06:00:00.000Z"},"sensor":"CE","count":120}
	{"_hs":"watermark","watermark":"2025-11-08T06:00:00.000Z","stream":"s"}
	{"_hs":"watermark","watermark":"2025-11-08T06:01:59.000Z","stream":"s","final":true}
	{"window":{"start":"2025-11-08T06:00:00.000Z","end":"2025-11-09T06:00:00.000Z"},"sensor":"CE","count":120}
	X
	grep -v "watermark\":\"2025-11-08T05" out >got &&
	test_cmp expect got
'

test_expect 'a state saved with one offset is refused under another' '
	printf "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}\n" |
	    hs-window -w 1h --offset 15m --state w.st >/dev/null &&
	printf "{\"_hs\":\"resume\",\"id\":1}\n" |
	    test_exit 3 hs-window -w 1h --state w.st 2>err &&
	printf "{\"_hs\":\"resume\",\"id\":1}\n" |
	    hs-window -w 1h --offset 15m --state w.st >/dev/null
'

test_done
