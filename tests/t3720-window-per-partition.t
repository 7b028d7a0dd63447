#!/bin/bash
# hs-window --per-partition: a watermark per source partition, late only
# against its own, named in its watermark records, forgotten on a revoke,
# kept in checkpoints; and what hs-agg --partial and --merge make of the
# rest: duration across machines, session windows refused, a lane revoked.
. "$(dirname "$0")/lib.sh"

# An event of PS1 at 14:MINUTE:SECOND from partition P of topic t.
ev() {	# P MINUTE SECOND [OFFSET]
	printf '{"_src":{"topic":"t","partition":%d,"offset":%d},"sensor":"PS1","value":%d,"timestamp":"2025-11-08T14:%02d:%02d.000Z"}\n' \
	    "$1" "${4:-0}" "$3" "$2" "$3"
}

# Partition 0 runs a minute and a half ahead of partition 1, as a consumer
# reading one partition's backlog before the other's delivers them.
{ ev 0 30 0; ev 0 30 30; ev 0 31 0; ev 0 31 30; ev 1 30 5; ev 1 30 40
  ev 1 31 10; } >skewed

test_expect 'one watermark for all: the partition behind loses its events as late' '
	hs-window -w 1m -l 10s skewed >out 2>err &&
	grep "^hs-window: 2 late events dropped" err
'

test_expect '--per-partition: late only against its own partition, whose watermark records name it' '
	hs-window -w 1m -l 10s --per-partition skewed >out 2>err &&
	! test -s err &&
	test "$(grep -c "\"window\"" out)" -eq 7 &&
	grep -q "^{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:20.000Z\",\"stream\":\"t/0\"}" out &&
	grep -q "^{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00.000Z\",\"stream\":\"t/1\"}" out &&
	ev 1 30 20 | cat skewed - | hs-window -w 1m -l 10s --per-partition 2>err >/dev/null &&
	grep "^hs-window: 1 late event dropped" err
'

test_expect '--per-partition into hs-agg --streams 2: the slowest partition governs, each window once with all its events' '
	hs-window -w 1m -l 1h skewed | hs-agg -g sensor -a count,sum -f value |
	    grep "\"window\"" >want &&
	hs-window -w 1m -l 10s --per-partition skewed |
	    hs-agg -g sensor -a count,sum -f value --streams 2 >out 2>err &&
	! test -s err &&
	grep "\"window\"" out >got &&
	test_cmp want got &&
	hs-window -w 1m -l 10s --per-partition skewed |
	    hs-agg -g sensor -a count,sum -f value >out 2>err &&
	test "$(grep -c "14:30:00.000Z" out)" -eq 1 &&
	grep "^hs-agg: 2 late records dropped" err
'

test_expect 'at the end of its input each partition'"'"'s last watermark is final' '
	hs-window -w 1m -l 10s --per-partition skewed >out &&
	grep -q "^{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:20.000Z\",\"stream\":\"t/0\",\"final\":true}" out &&
	grep -q "^{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00.000Z\",\"stream\":\"t/1\",\"final\":true}" out &&
	test "$(grep -c "\"final\":true" out)" -eq 2
'

test_expect 'source watermarks are read and dropped: each partition'"'"'s own events make its watermark' '
	{ echo "{\"_hs\":\"source_watermark\",\"watermark\":null}"; head -n 4 skewed
	  echo "{\"_hs\":\"source_watermark\",\"watermark\":\"2025-11-08T14:35:00.000Z\"}"
	  tail -n 3 skewed; } | hs-window -w 1m -l 10s --per-partition >out 2>err &&
	! test -s err &&
	! grep -q source_watermark out &&
	test "$(grep -c "\"window\"" out)" -eq 7
'

test_expect 'a revoke record forgets its partitions'"'"' watermarks' '
	{ cat skewed; echo "{\"_hs\":\"revoke\",\"partitions\":[{\"topic\":\"t\",\"partition\":1}]}"
	  ev 1 30 0; } | hs-window -w 1m -l 10s --per-partition >out 2>err &&
	! test -s err &&
	grep -q "\"_hs\":\"revoke\"" out &&
	test "$(grep -c "\"window\"" out)" -eq 8
'

test_expect 'the watermarks of the partitions are kept in checkpoints and restored' '
	{ ev 0 30 0; ev 1 30 5; ev 0 31 30; } >one &&
	{ ev 1 30 40; ev 1 31 10; ev 0 30 0; } >two &&
	cat one two | hs-window -w 1m -l 10s --per-partition >want 2>want.err &&
	{ cat one; echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"; } |
	    hs-window -w 1m -l 10s --per-partition --state w.state >got &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; cat two; } |
	    hs-window -w 1m -l 10s --per-partition --state w.state >>got 2>got.err &&
	grep -v "^{\"_hs\"" want >want.rows && grep -v "^{\"_hs\"" got >got.rows &&
	test_cmp want.rows got.rows &&
	grep "^hs-window: 1 late event dropped" got.err &&
	test_exit 3 hs-window -w 1m -l 10s --state w.state </dev/null 2>err
'

test_expect 'duration merges across source partitions: the span of all their events' '
	hs-window -w 1m -l 1h skewed | hs-agg -g sensor -a count,duration -f value |
	    grep "\"window\"" >want &&
	hs-window -w 1m -l 10s --per-partition skewed |
	    hs-agg --partial -g sensor -a count,duration -f value |
	    hs-agg --merge --streams 2 -g sensor -a count,duration -f value |
	    grep "\"window\"" >got &&
	test_cmp want got &&
	grep -q "\"duration\":40" got
'

test_expect 'a session window is a bad record with --partial: sessions do not merge across machines' '
	ev 0 30 0 | hs-window --session 3s >in.ndjson &&
	test_exit 1 hs-agg --partial -g sensor -a count -f value in.ndjson >out 2>err &&
	grep "in.ndjson:1: a session window: sessions of several machines do not merge" err
'

test_expect 'a merge member given a revoke record drops the open windows of that lane' '
	prow() {	# LANE SOURCE N
		printf "{\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"},\"sensor\":\"S%d\",\"_src\":{\"topic\":\"partials\",\"partition\":%d},\"_partial\":{\"source\":\"%s\",\"count\":%d,\"fields\":{\"value\":{\"n\":%d}}}}\n" \
		    "$1" "$1" "$2" "$3" "$3"
	} &&
	{ prow 0 t/0 2; prow 1 t/0 3
	  echo "{\"_hs\":\"revoke\",\"partitions\":[{\"topic\":\"partials\",\"partition\":1}]}"; } |
	    hs-agg --merge -g sensor -a count -f value >out &&
	grep "\"window\"" out >rows && test_lines rows 1 &&
	jq -e ".sensor == \"S0\" and .count == 2" rows
'

test_done
