#!/bin/bash
# hs-window: event-time windows, the watermark and late data.
. "$(dirname "$0")/lib.sh"

ev() {	# TIME [FIELD=VALUE ...]: one event line
	printf '{"timestamp":"%s"%s}\n' "$1" "${2:+,$2}"
}

test_expect 'a tumbling window adds its start and end to the event' '
	ev 2025-11-08T14:30:05Z "\"v\":1" | hs-window -w 1m | grep -v _hs >out &&
	echo "{\"timestamp\":\"2025-11-08T14:30:05Z\",\"v\":1,\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"}}" >expect &&
	test_cmp expect out
'

test_expect 'an event on a boundary belongs to the window that starts there' '
	ev 2025-11-08T14:31:00Z | hs-window -w 1m | grep -v _hs >out &&
	grep -q "\"start\":\"2025-11-08T14:31:00.000Z\",\"end\":\"2025-11-08T14:32:00.000Z\"" out
'

test_expect 'hopping windows give one copy per window the event is in' '
	ev 2025-11-08T14:30:05Z | hs-window -w 5m -s 1m | grep -v _hs >out &&
	test_lines out 5 &&
	sed "s/.*\"start\":\"\([^\"]*\)\".*\"end\":\"\([^\"]*\)\".*/\1 \2/" out >got &&
	cat >expect <<-X &&
	2025-11-08T14:26:00.000Z 2025-11-08T14:31:00.000Z
	2025-11-08T14:27:00.000Z 2025-11-08T14:32:00.000Z
	2025-11-08T14:28:00.000Z 2025-11-08T14:33:00.000Z
	2025-11-08T14:29:00.000Z 2025-11-08T14:34:00.000Z
	2025-11-08T14:30:00.000Z 2025-11-08T14:35:00.000Z
	X
	test_cmp expect got
'

test_expect 'each time format gives the same window' '
	for t in "\"2025-11-08T14:30:05Z\"" "\"2025-11-08T14:30:05.250Z\"" \
	    "\"2025-11-08T16:30:05+02:00\"" "\"2025-11-08T09:30:05-0500\"" \
	    "\"2025-11-08T14:30:05.123456\"" "\"2025-11-08 14:30:05\"" \
	    1762612205 1762612205.5 1762612205123; do
		printf "{\"timestamp\":%s}\n" "$t" | hs-window -w 1m | grep -v _hs
	done >out &&
	test_lines out 9 &&
	test "$(grep -c "\"start\":\"2025-11-08T14:30:00.000Z\"" out)" -eq 9
'

test_expect 'the time field can be chosen with -t' '
	echo "{\"ts\":\"2025-11-08T14:30:05Z\"}" | hs-window -w 1m -t ts | grep -q "14:30:00.000Z"
'

test_expect 'the watermark travels downstream as a control record' '
	{ ev 2025-11-08T14:30:05Z; ev 2025-11-08T14:31:15Z; } |
	    hs-window -w 1m -l 10s --stream w1 >out &&
	grep -x "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:05.000Z\",\"stream\":\"w1\"}" out &&
	tail -1 out | grep -x "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:05.000Z\",\"stream\":\"w1\",\"final\":true}"
'

late_input() {
	ev 2025-11-08T14:30:05Z '"n":1'
	ev 2025-11-08T14:31:15Z '"n":2'
	ev 2025-11-08T14:30:59Z '"n":3'
	ev 2025-11-08T14:31:01Z '"n":4'
}

test_expect 'an event within the allowed lateness is kept, out of order' '
	{ ev 2025-11-08T14:31:05Z; ev 2025-11-08T14:30:58Z "\"n\":9"; } |
	    hs-window -w 1m -l 10s 2>err | grep "\"n\":9" | grep -q "14:30:00.000Z" &&
	test ! -s err
'

test_expect 'late events are dropped and counted by default' '
	late_input | hs-window -w 1m -l 10s >out 2>err &&
	! grep -q "\"n\":3" out && grep -q "\"n\":4" out &&
	grep -q "1 late event dropped" err
'

test_expect '--late mark passes late events on marked, without a window' '
	late_input | hs-window -w 1m -l 10s --late mark >out 2>err &&
	grep -x "{\"timestamp\":\"2025-11-08T14:30:59Z\",\"n\":3,\"late\":true}" out &&
	grep -q "1 late event passed on marked" err
'

test_expect '--late-file writes late events to a file' '
	late_input | hs-window -w 1m -l 10s --late-file late.ndjson >out 2>err &&
	echo "{\"timestamp\":\"2025-11-08T14:30:59Z\",\"n\":3}" >expect &&
	test_cmp expect late.ndjson && ! grep -q "\"n\":3" out &&
	grep -q "written to late.ndjson" err
'

test_expect 'empty input gives empty output and success' '
	hs-window -w 1m </dev/null >out && test ! -s out
'

test_expect 'bad records are reported with input and line, and skipped' '
	{ ev 2025-11-08T14:30:05Z "\"n\":1"; echo "not json";
	  echo "{\"n\":2}"; echo "{\"timestamp\":\"yesterday\"}";
	  echo "{\"timestamp\":NaN}"; echo "{\"timestamp\":true}";
	  ev 2025-11-08T14:30:06Z "\"n\":3"; } >in &&
	test_exit 1 hs-window -w 1m in >out 2>err &&
	grep -q "^hs-window: in:2: not a JSON object" err &&
	grep -q "^hs-window: in:3: no field .timestamp." err &&
	grep -q "^hs-window: in:4: field .timestamp.: unparsable time" err &&
	grep -q "^hs-window: in:5: invalid JSON" err &&
	grep -q "^hs-window: in:6: " err &&
	grep -q "5 bad records skipped" err &&
	grep -q "\"n\":1" out && grep -q "\"n\":3" out
'

test_expect 'an over-long line is reported and skipped' '
	{ printf "{\"x\":\"%0*d\"}\n" 1100000 0; ev 2025-11-08T14:30:06Z; } >in &&
	test_exit 1 hs-window -w 1m in >out 2>err &&
	grep -q "in:1: line longer than" err && grep -q 14:30:06Z out
'

test_expect '-S makes the first bad record fatal' '
	{ echo "nope"; ev 2025-11-08T14:30:06Z; } | test_exit 3 hs-window -S -w 1m
'

test_expect 'usage errors exit 2' '
	test_exit 2 hs-window && test_exit 2 hs-window -w 1x &&
	test_exit 2 hs-window -w 1m -s 2m && test_exit 2 hs-window -w 1m --late keep
'

test_expect 'control records from upstream pass through' '
	echo "{\"_hs\":\"other\"}" | hs-window -w 1m >out &&
	echo "{\"_hs\":\"other\"}" >expect && test_cmp expect out
'

test_done
