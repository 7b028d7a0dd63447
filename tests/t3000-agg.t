#!/bin/bash
# hs-agg: group-by aggregation per window, finalized by the watermark.
. "$(dirname "$0")/lib.sh"

test_expect 'count, avg, max, min, sum per window and sensor' '
	{ rec 30 A 1; rec 30 B 10; rec 30 A 2.5; rec 31 A 7; } |
	    hs-agg -g sensor -a count,avg,max,min,sum -f value >out &&
	cat >expect <<-X &&
	{"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:31:00.000Z"},"sensor":"A","count":2,"avg_value":1.75,"max_value":2.5,"min_value":1,"sum_value":3.5}
	{"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:31:00.000Z"},"sensor":"B","count":1,"avg_value":10,"max_value":10,"min_value":10,"sum_value":10}
	{"window":{"start":"2025-11-08T14:31:00.000Z","end":"2025-11-08T14:32:00.000Z"},"sensor":"A","count":1,"avg_value":7,"max_value":7,"min_value":7,"sum_value":7}
	X
	test_cmp expect out
'

test_expect 'a window is written once, when the watermark passes its end' '
	{ rec 30 A 1; wm 30 59; rec 30 A 2; wm 31 0; rec 31 A 3; wm 31 30; } |
	    hs-agg -g sensor -a count >out &&
	cat >expect <<-X &&
	{"_hs":"watermark","watermark":"2025-11-08T14:30:59.000Z"}
	{"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:31:00.000Z"},"sensor":"A","count":2}
	{"_hs":"watermark","watermark":"2025-11-08T14:31:00.000Z"}
	{"_hs":"watermark","watermark":"2025-11-08T14:31:30.000Z"}
	{"window":{"start":"2025-11-08T14:31:00.000Z","end":"2025-11-08T14:32:00.000Z"},"sensor":"A","count":1}
	X
	test_cmp expect out
'

test_expect 'var, stddev (sample), first, last and percentiles' '
	for v in 4 1 3 2 5 6 7 8 9 10; do rec 30 A $v; done |
	    hs-agg -a var,stddev,first,last,p50,p90,p95,p99 -f value >out &&
	grep -q "\"var_value\":9.166666666666666," out &&
	grep -q "\"stddev_value\":3.0276503540974917," out &&
	grep -q "\"first_value\":4,\"last_value\":10,\"p50_value\":6,\"p90_value\":10,\"p95_value\":10,\"p99_value\":10}" out
'

test_expect 'percentiles agree with Miller stats1 (nearest rank)' '
	for i in $(seq 1 37); do echo "{\"value\":$(( (i * 7919) % 101 ))}"; done >in &&
	hs-agg -a p50,p90,p95,p99 -f value in >out &&
	mlr --ijson --ojson stats1 -a p50,p90,p95,p99 -f value in >mlr.json &&
	for p in 50 90 95 99; do
		a=$(sed "s/.*\"p${p}_value\":\([0-9.]*\).*/\1/" out) &&
		b=$(grep "value_p$p" mlr.json | sed "s/[^0-9.]//g;s/^$p//") &&
		test "$a" = "$b" || { echo "p$p: $a vs $b"; exit 1; }
	done
'

test_expect 'output columns can be renamed' '
	rec 30 A 1 | hs-agg -g sensor -a count,avg -f value -r count=message_count,avg_value=avg >out &&
	grep -q "\"sensor\":\"A\",\"message_count\":1,\"avg\":1}" out
'

test_expect 'without windows the whole input is one group per key' '
	printf "{\"k\":1,\"x\":2}\n{\"k\":2,\"x\":3}\n{\"k\":1,\"x\":4}\n" |
	    hs-agg -g k -a count,sum -f x >out &&
	printf "{\"k\":1,\"count\":2,\"sum_x\":6}\n{\"k\":2,\"count\":1,\"sum_x\":3}\n" >expect &&
	test_cmp expect out
'

test_expect 'several value fields and group fields' '
	printf "{\"a\":\"x\",\"b\":1,\"u\":1,\"v\":10}\n{\"a\":\"x\",\"b\":1,\"u\":3,\"v\":30}\n" |
	    hs-agg -g a,b -a count,max -f u,v >out &&
	echo "{\"a\":\"x\",\"b\":1,\"count\":2,\"max_u\":3,\"max_v\":30}" >expect &&
	test_cmp expect out
'

test_expect 'numbers print in the shortest form that reads back the same' '
	printf "{\"x\":0.1}\n{\"x\":0.2}\n" | hs-agg -a sum -f x >out &&
	grep -q "\"sum_x\":0.30000000000000004}" out &&
	printf "{\"x\":1e300}\n" | hs-agg -a sum -f x | grep -q "\"sum_x\":1e+300}"
'

test_expect 'empty input gives empty output' '
	hs-agg -a count </dev/null >out && test ! -s out
'

test_expect 'bad records are reported, skipped and counted' '
	{ rec 30 A 1; echo "{oops"; echo "{\"sensor\":\"A\",\"value\":\"12\"}";
	  rec 30 A 2; } >in &&
	test_exit 1 hs-agg -g sensor -a count,sum -f value in >out 2>err &&
	grep -q "in:2: invalid JSON" err &&
	grep -q "in:3: not a finite number in field .value." err &&
	grep -q "2 bad records skipped" err &&
	grep -q "\"count\":2,\"sum_value\":3}" out
'

test_expect 'usage errors exit 2' '
	test_exit 2 hs-agg && test_exit 2 hs-agg -a bogus -f x &&
	test_exit 2 hs-agg -a avg && test_exit 2 hs-agg -a count -r nope=x
'

test_done
