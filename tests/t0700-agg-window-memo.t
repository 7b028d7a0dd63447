#!/bin/bash
# hs-agg remembers the window of the last record: a record that ends with
# the same ,"window":{...} is scanned only up to it. Records so read must
# group, aggregate and fail exactly as when read whole.
. "$(dirname "$0")/lib.sh"

W='"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:31:00.000Z"}'
S='"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:30:05.000Z","session":true}'

test_expect 'records sharing a window group by their values and the window' '
	printf "{\"sensor\":\"A\",\"value\":1,$W}\n{\"sensor\":\"B\",\"value\":2,$W}\n{\"sensor\":\"A\",\"value\":4,$W}\n" |
	    hs-agg -g sensor -a count,sum -f value >out &&
	printf "{$W,\"sensor\":\"A\",\"count\":2,\"sum_value\":5}\n{$W,\"sensor\":\"B\",\"count\":1,\"sum_value\":2}\n" >expect &&
	test_cmp expect out
'

test_expect 'a record with nothing before the remembered window is invalid JSON' '
	printf "{\"sensor\":\"A\",\"value\":1,$W}\n{,$W}\n{ ,$W}\n" >in &&
	test_exit 1 hs-agg -g sensor -a count -f value in >out 2>err &&
	grep -q "in:2: invalid JSON (expected a string key) at column 2" err &&
	grep -q "in:3: invalid JSON (expected a string key) at column 3" err &&
	grep -q "\"sensor\":\"A\",\"count\":1}" out && test_lines out 1
'

test_expect 'an error before the remembered window is reported at its column' '
	printf "{\"sensor\":\"A\",\"value\":1,$W}\n{\"sensor\":\"A\",\"value\":x,$W}\n" >in &&
	test_exit 1 hs-agg -g sensor -a count -f value in >out 2>err &&
	grep -q "in:2: invalid JSON (expected a value) at column 23" err
'

test_expect 'the remembered text nested in another member is not the window' '
	printf "{\"sensor\":\"A\",\"value\":1,$W}\n{\"a\":{\"b\":1,$W}}\n" |
	    hs-agg -g sensor -a count -f value >out &&
	printf "{\"sensor\":null,\"count\":1}\n{$W,\"sensor\":\"A\",\"count\":1}\n" >expect &&
	test_cmp expect out
'

test_expect 'an earlier window member gives way to the remembered last one' '
	printf "{\"sensor\":\"A\",\"value\":1,$W}\n{\"sensor\":\"A\",\"value\":2,\"window\":5,$W}\n{\"sensor\":\"A\",\"value\":4 ,$W}\n" |
	    hs-agg -g sensor -a count,sum -f value >out &&
	printf "{$W,\"sensor\":\"A\",\"count\":3,\"sum_value\":7}\n" >expect &&
	test_cmp expect out
'

test_expect 'records sharing a session window are sessions of their own key' '
	printf "{\"sensor\":\"A\",\"value\":1,$S}\n{\"sensor\":\"B\",\"value\":2,$S}\n{\"sensor\":\"A\",\"value\":4,$S}\n" |
	    hs-agg -g sensor -a count,sum -f value >out &&
	grep -q "\"sensor\":\"A\",\"count\":2,\"sum_value\":5}" out &&
	grep -q "\"sensor\":\"B\",\"count\":1,\"sum_value\":2}" out && test_lines out 2
'

test_expect 'each record of a broken session window is reported' '
	B="\"window\":{\"start\":\"2025-11-08T14:30:05.000Z\",\"end\":\"2025-11-08T14:30:05.000Z\",\"session\":true}" &&
	printf "{\"sensor\":\"A\",\"value\":1,$B}\n{\"sensor\":\"A\",\"value\":2,$B}\n" >in &&
	test_exit 1 hs-agg -g sensor -a count -f value in >out 2>err &&
	grep -q "in:1: a session window without a start before its end" err &&
	grep -q "in:2: a session window without a start before its end" err
'

test_expect 'windows of the real data aggregate as jq adds them up' '
	hs-replay -c 0-2 -s CE,CP "$TESTDATA/uci" | hs-window -w 1m >ev &&
	hs-agg -g sensor -a count,sum -f value ev | grep -v _hs |
	    jq -c "[.window.start, .sensor, .count, .sum_value]" >got &&
	jq -s -c "map(select(.window)) | group_by(.window.start, .sensor) |
	    .[] | [.[0].window.start, .[0].sensor, length, (map(.value) | add)]" \
	    ev >expect &&
	test_lines got 6 && test_cmp expect got
'

test_done
