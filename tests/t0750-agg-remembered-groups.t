#!/bin/bash
# hs-agg remembers, for the window of the last record, which group each
# group value joined, and what the window's bounds are, so that the
# records of one window build no key. What it remembers must go when
# groups are written and freed or the window changes: records must group
# exactly as when every key is looked up.
. "$(dirname "$0")/lib.sh"

rows() {	# window start minute, sensor, count and sum of the rows
	sed -n 's/.*"start":"[^"]*T14:\([0-9]*\):00\.000Z".*"sensor":\([^,]*\),"count":\([0-9]*\),"sum_value":\([0-9.]*\)}/\1 \2 \3 \4/p; s/{"_hs":"trigger","batch":\([0-9]*\)}/batch \1/p; s/{"_hs":"watermark".*/wm/p'
}

test_expect 'a record of a window a watermark closed is late, not added to the freed group' '
	{ rec 30 A 1; rec 30 B 2; rec 30 A 3; rec 30 B 4; wm 31 0
	  rec 30 A 5; rec 30 B 6; rec 31 A 7; } |
	    hs-agg -g sensor -a count,sum -f value 2>err | rows >out &&
	cat >expect <<-X &&
	30 "A" 2 4
	30 "B" 2 6
	wm
	31 "A" 1 7
	X
	test_cmp expect out &&
	grep -q "2 late records dropped: their window was already final here" err
'

test_expect 'update mode: the same records after the watermark are late' '
	{ rec 30 A 1; rec 30 A 3; wm 31 0; rec 30 A 5; rec 30 A 6; } |
	    hs-agg --mode update -g sensor -a count,sum -f value 2>err |
	    rows >out &&
	printf "30 \"A\" 2 4\nbatch 0\nwm\nbatch 1\n" >expect &&
	test_cmp expect out &&
	grep -q "2 late records dropped" err
'

test_expect 'complete mode: records after the watermark join the group kept' '
	{ rec 30 A 1; rec 30 B 2; rec 30 A 3; wm 31 0; rec 30 A 5; rec 30 B 6; } |
	    hs-agg --mode complete -g sensor -a count,sum -f value 2>err |
	    rows >out &&
	cat >expect <<-X &&
	30 "A" 2 4
	30 "B" 1 2
	batch 0
	wm
	30 "A" 3 9
	30 "B" 2 8
	batch 1
	X
	test_cmp expect out && test_lines err 0
'

test_expect 'a missing group field and a null one are one group, "null" another' '
	for v in "\"sensor\":null," "" "\"sensor\":\"null\"," "" "\"sensor\":null,"; do
		printf "{${v}\"value\":1,\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"}}\n"
	done | hs-agg -g sensor -a count,sum -f value | rows >out &&
	printf "30 null 4 4\n30 \"null\" 1 1\n" >expect &&
	test_cmp expect out
'

test_expect 'long group values alike in their first and last bytes are groups apart' '
	for i in 1 2 3; do
		rec 30 machine-0001-rack-a 1; rec 30 machine-0002-rack-a 10
		rec 30 machine-0001-rack-a-long-name-x 100
	done | hs-agg -g sensor -a count,sum -f value | rows >out &&
	cat >expect <<-X &&
	30 "machine-0001-rack-a" 3 3
	30 "machine-0001-rack-a-long-name-x" 3 300
	30 "machine-0002-rack-a" 3 30
	X
	test_cmp expect out
'

test_expect 'several group fields: values that join alike are groups apart' '
	W="\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"}" &&
	for i in 1 2; do
		printf "{\"a\":1,\"b\":23,\"value\":1,$W}\n{\"a\":12,\"b\":3,\"value\":10,$W}\n{\"b\":1,\"value\":100,$W}\n"
	done | hs-agg -g a,b -a count,sum -f value |
	    sed "s/.*},//" >out &&
	cat >expect <<-X &&
	"a":null,"b":1,"count":2,"sum_value":200}
	"a":1,"b":23,"count":2,"sum_value":2}
	"a":12,"b":3,"count":2,"sum_value":20}
	X
	test_cmp expect out
'

test_expect 'records back in an earlier window take its groups and bounds' '
	{ rec 31 A 1; rec 31 B 2; rec 30 A 3; rec 30 B 4; rec 31 A 5
	  rec 30 B 6; rec 31 B 7; wm 31 0; } |
	    hs-agg -g sensor -a count,sum -f value | rows >out &&
	cat >expect <<-X &&
	30 "A" 1 3
	30 "B" 2 10
	wm
	31 "A" 2 6
	31 "B" 2 9
	X
	test_cmp expect out
'

test_expect 'a remembered window without bounds makes groups without a window' '
	for v in 1 2 3; do
		printf "{\"sensor\":\"A\",\"value\":$v,\"window\":{\"n\":1}}\n{\"sensor\":\"B\",\"value\":$v,\"window\":{\"n\":1}}\n"
	done | hs-agg -g sensor -a count,sum -f value >out &&
	printf "{\"window\":{\"n\":1},\"sensor\":\"A\",\"count\":3,\"sum_value\":6}\n{\"window\":{\"n\":1},\"sensor\":\"B\",\"count\":3,\"sum_value\":6}\n" >expect &&
	test_cmp expect out
'

test_done
