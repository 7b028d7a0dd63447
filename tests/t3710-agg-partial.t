#!/bin/bash
# hs-agg --partial and --merge without Kafka: partial rows per source
# partition, merged exactly once each, final when every source partition
# has passed the window, percentiles within the sketch's accuracy.
. "$(dirname "$0")/lib.sh"

A="-g sensor -a count,sum,avg,min,max,var,stddev,p50,p90,first,last -f value"

# The events of some sensors of the real data, each with the "_src" of a
# per-sensor topic of one partition, as hs-kafkacat -C --source adds it.
sourced() {	# SENSORS
	hs-replay -s "$1" "$TESTDATA/uci" |
	    sed 's/^{"sensor":"\([^"]*\)"/{"_src":{"topic":"hydraulic-\1","partition":0},"sensor":"\1"/'
}

# A partial row of window 14:MINUTE and PS1 from SOURCE, of N values
# summing to SUM; a progress row of SOURCE at 14:MINUTE:SECOND.
prow() {	# MINUTE SOURCE N SUM
	printf '{"window":{"start":"2025-11-08T14:%02d:00.000Z","end":"2025-11-08T14:%02d:00.000Z"},"sensor":"PS1","_partial":{"source":"%s","count":%d,"fields":{"value":{"n":%d,"sum":%s}}}}\n' \
	    "$1" $(($1 + 1)) "$2" "$3" "$3" "$4"
}
prog() {	# SOURCE MINUTE SECOND [final]
	printf '{"_progress":{"source":"%s","watermark":"2025-11-08T14:%02d:%02d.000Z"%s}}\n' \
	    "$1" "$2" "$3" "${4:+,\"final\":true}"
}
# A windowed event of PS1 with its source partition and offset.
srec() {	# MINUTE PARTITION OFFSET VALUE
	printf '{"_src":{"topic":"t","partition":%d,"offset":%d},"sensor":"PS1","value":%s,"window":{"start":"2025-11-08T14:%02d:00.000Z","end":"2025-11-08T14:%02d:00.000Z"}}\n' \
	    "$2" "$3" "$4" "$1" $(($1 + 1))
}
swm() {	# PARTITION MINUTE SECOND: the watermark of stream t/PARTITION
	printf '{"_hs":"watermark","watermark":"2025-11-08T14:%02d:%02d.000Z","stream":"t/%d"}\n' \
	    "$2" "$3" "$1"
}

test_expect 'three instances, merged, give the rows of one on every cycle of the real data (count, min, max exact; sums to 1e-9; percentiles within 1 %)' '
	hs-replay "$TESTDATA/uci" | hs-window -w 1m -l 10s | hs-agg $A >single &&
	test "$(grep -vc "^{\"_hs\"" single)" -eq 17640 &&
	sourced CE,TS1,TS4 | hs-window -w 1m -l 10s | hs-agg --partial $A >part.0 &&
	sourced CP,TS2,VS1 | hs-window -w 1m -l 10s | hs-agg --partial $A >part.1 &&
	sourced SE,TS3 | hs-window -w 1m -l 10s | hs-agg --partial $A >part.2 &&
	cat part.0 part.1 part.2 | hs-agg --merge --streams 8 $A >merged &&
	test "$(grep -vc "^{\"_hs\"" merged)" -eq 17640 &&
	test_rows_close single merged 0.01
'

test_expect 'the order in which the instances arrive does not matter' '
	cat part.2 part.0 part.1 | hs-agg --merge --streams 8 $A >merged.2 &&
	test_rows_close single merged.2 0.01
'

test_expect 'a partial seen twice is merged once, and the merge says how many it dropped' '
	cat part.0 part.1 part.0 part.2 part.1 |
	    hs-agg --merge --streams 8 $A >merged.3 2>err &&
	test_rows_close single merged.3 0.01 &&
	n=$(grep -c "\"_partial\"" part.0 part.1 | awk -F: "{ s += \$2 } END { print s }") &&
	grep "^hs-agg: $n partials seen again, dropped" err
'

test_expect 'partial rows are NDJSON for jq: count, mean and M2 (not sums of squares), a sketch' '
	grep -m1 "\"sensor\":\"CE\"" part.0 >row &&
	jq -e "._partial | .source == \"hydraulic-CE/0\" and .count == 60 and
	    (.fields.value | .n == 60 and (.mean | type) == \"number\" and
	    (.m2 | type) == \"number\" and .sketch.alpha == 0.01 and
	    (has(\"sumsq\") | not))" row &&
	jq -e "._key | test(\"^[0-9a-f]{16}$\")" row
'

test_expect 'the variance of nearly equal large values, merged from two sources, stays accurate' '
	# 1e9 + i/1000, i = 0..999: the sample variance is 0.0834166...;
	# sums of squares (1e21) would have lost every digit of it
	for i in $(seq 0 999); do
		printf "{\"_src\":{\"topic\":\"t\",\"partition\":%d},\"sensor\":\"PS1\",\"value\":1000000000.%03d}\n" $((i % 2)) $i
	done >big &&
	hs-agg --partial -g sensor -a var -f value big |
	    hs-agg --merge -g sensor -a var -f value >got &&
	grep -v "^{\"_hs\"" got |
	    jq -e "(.var_value - 0.08341666666857711 | fabs) < 1e-3 * 0.0834"
'

test_expect 'a window is written when every source partition has passed its end: the slowest governs' '
	mkfifo in &&
	{ hs-agg --merge -g sensor -a count,sum -f value <in >out & } &&
	exec 7>in &&
	{ prow 30 t/0 2 10; prow 30 t/1 3 20; prog t/0 31 5; prog t/1 30 30
	  echo "{\"_hs\":\"mark\",\"n\":1}"; } >&7 &&
	wait_until 10 "grep -q \"\\\"n\\\":1\" out" &&
	! grep -q "\"window\"" out &&
	{ prog t/1 31 0; echo "{\"_hs\":\"mark\",\"n\":2}"; } >&7 &&
	wait_until 10 "grep -q \"\\\"n\\\":2\" out" &&
	exec 7>&- && wait &&
	head -2 out | tail -1 | jq -e ".count == 5 and .sum_value == 30" &&
	test_lines out 3
'

test_expect '--streams: no window is final before that many source partitions are heard of' '
	{ prow 30 t/0 2 10; prog t/0 31 5; prow 30 t/1 3 20; prog t/1 31 5; } |
	    hs-agg --merge --streams 2 -g sensor -a count,sum -f value >out 2>err &&
	jq -e ".count == 5" out && ! test -s err &&
	{ prow 30 t/0 2 10; prog t/0 31 5; prow 30 t/1 3 20; prog t/1 31 5; } |
	    hs-agg --merge -g sensor -a count,sum -f value >out 2>err &&
	jq -e ".count == 2" out &&
	grep "^hs-agg: 1 late partial dropped: its window was written before its source partition was heard of" err
'

test_expect 'an ended source partition holds no window back' '
	{ prow 30 t/0 2 10; prog t/0 30 0 final; prow 30 t/1 3 20; prog t/1 31 0
	  prow 31 t/1 1 1; echo "{\"_hs\":\"mark\"}"; prog t/1 40 0; } |
	    hs-agg --merge --streams 2 -g sensor -a count -f value >out &&
	head -1 out | jq -e ".count == 5 and .window.start == \"2025-11-08T14:30:00.000Z\"" &&
	sed -n 2p out | grep -q "_hs.*mark"
'

test_expect 'a malformed partial row is a bad record; the others are merged' '
	{ prow 30 t/0 2 10; echo "{\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"},\"sensor\":\"PS1\",\"_partial\":{\"source\":\"t/1\",\"count\":1,\"fields\":{\"value\":{\"n\":1}}}}"
	  prow 30 t/2 1 5; echo "{\"sensor\":\"PS1\"}"; } >in.ndjson &&
	test_exit 1 hs-agg --merge -g sensor -a count,sum -f value in.ndjson >out 2>err &&
	jq -e ".count == 3 and .sum_value == 15" out &&
	grep "in.ndjson:2: the partial state of .value. is missing or lacks what the aggregates need" err &&
	grep "in.ndjson:4: neither a partial nor a progress row" err
'

test_expect '--partial needs each record'"'"'s source partition, and writes each partial once' '
	echo "{\"sensor\":\"PS1\",\"value\":1}" >in.ndjson &&
	test_exit 1 hs-agg --partial -g sensor -a count -f value in.ndjson >out 2>err &&
	grep "in.ndjson:1: no source partition: --partial needs \"_src\"" err &&
	test_exit 2 hs-agg --partial --mode update -a count -f value </dev/null 2>err &&
	grep "not with --mode or --trigger" err
'

test_expect 'a partition'"'"'s watermark writes its partials, then its progress row and the safe commit positions' '
	{ srec 30 0 0 1; srec 30 0 1 2; srec 30 1 0 5; srec 31 0 2 3; srec 31 0 3 4
	  swm 0 31 0; } | hs-agg --partial -g sensor -a count,sum -f value >out &&
	sed -n 1p out | jq -e "._partial | .source == \"t/0\" and .count == 2" &&
	sed -n 2p out | jq -e "._progress == {source: \"t/0\", watermark: \"2025-11-08T14:31:00.000Z\"}" &&
	sed -n 3p out | jq -e ".positions == [{topic: \"t\", partition: 0, offset: 2},
	    {topic: \"t\", partition: 1, offset: 0}]" &&
	grep -c "\"_partial\"" out | grep -qx 3 &&
	tail -1 out | jq -e "._hs == \"commit\" and .positions[0].offset == 4 and .positions[1].offset == 1"
'

test_expect 'a revoke record drops the groups of its partitions unwritten' '
	{ srec 30 0 0 1; srec 30 1 0 5
	  echo "{\"_hs\":\"revoke\",\"partitions\":[{\"topic\":\"t\",\"partition\":1}]}"
	  srec 30 0 1 2; } | hs-agg --partial -g sensor -a count,sum -f value >out &&
	grep "\"_partial\"" out | jq -e "._partial | .source == \"t/0\" and .count == 2" &&
	! grep -q "t/1" out
'

test_expect 'a partial stage resumes from its checkpoint: the partials of an uninterrupted run' '
	{ srec 30 0 0 1; srec 30 1 0 5; srec 30 0 1 2; } >one &&
	{ srec 31 0 2 3; srec 31 1 1 6; swm 0 31 0; srec 31 0 3 4; swm 1 32 0; } >two &&
	cat one two | hs-agg --partial -g sensor -a count,avg,p50 -f value >want &&
	{ cat one; echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"
	  echo "{\"_hs\":\"stop\"}"; } |
	    hs-agg --partial -g sensor -a count,avg,p50 -f value --state st >got &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; cat two; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg --partial -g sensor -a count,avg,p50 -f value --state st >>got &&
	grep -v "^{\"_hs\"" want >want.rows && grep -v "^{\"_hs\"" got >got.rows &&
	test_cmp want.rows got.rows
'

test_expect 'a merge resumes from its checkpoint: the rows of an uninterrupted run' '
	{ prow 30 t/0 2 10; prow 30 t/1 3 20; prog t/0 31 5; } >one &&
	{ prow 30 t/0 2 10; prog t/1 31 0; prow 31 t/1 1 1; } >two &&
	cat one two | hs-agg --merge -g sensor -a count,sum -f value >want &&
	{ cat one; echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"
	  echo "{\"_hs\":\"stop\"}"; } |
	    hs-agg --merge -g sensor -a count,sum -f value --state st2 >got &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; cat two; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg --merge -g sensor -a count,sum -f value --state st2 >>got 2>err &&
	grep -v "^{\"_hs\"" want >want.rows && grep -v "^{\"_hs\"" got >got.rows &&
	test_cmp want.rows got.rows && grep "1 partial seen again" err
'

test_expect '--accuracy 0.001: percentiles within 0.1 %' '
	sourced SE,TS3 | hs-window -w 1m -l 10s |
	    hs-agg --partial --accuracy 0.001 $A >part.fine &&
	hs-agg --merge --accuracy 0.001 $A part.fine >merged.fine &&
	hs-replay -s SE,TS3 "$TESTDATA/uci" | hs-window -w 1m -l 10s |
	    hs-agg $A >single.fine &&
	test_rows_close single.fine merged.fine 0.001 &&
	test_exit 1 hs-agg --merge $A part.fine >/dev/null 2>err &&
	grep "lacks what the aggregates need" err
'

test_done
