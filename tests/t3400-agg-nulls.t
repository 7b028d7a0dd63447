#!/bin/bash
# hs-agg follows SQL on nulls, as Spark does: count counts records, the
# other aggregates skip a null or missing value, nonnull counts values; a
# record without a group field is in the null group. Numeric group keys
# sort as numbers.
. "$(dirname "$0")/lib.sh"

test_expect 'count counts every record; avg, min, max, sum skip a null value' '
	printf "{\"s\":\"A\",\"v\":1}\n{\"s\":\"A\",\"v\":null}\n{\"s\":\"A\"}\n{\"s\":\"A\",\"v\":3}\n" |
	    hs-agg -g s -a count,nonnull,avg,min,max,sum -f v >out &&
	echo "{\"s\":\"A\",\"count\":4,\"nonnull_v\":2,\"avg_v\":2,\"min_v\":1,\"max_v\":3,\"sum_v\":4}" >expect &&
	test_cmp expect out
'

test_expect 'with two value fields a null skips only its own field' '
	printf "{\"u\":1,\"v\":null}\n{\"u\":null,\"v\":10}\n{\"u\":3,\"v\":20}\n" |
	    hs-agg -a count,nonnull,sum,first,last -f u,v >out &&
	echo "{\"count\":3,\"nonnull_u\":2,\"nonnull_v\":2,\"sum_u\":4,\"sum_v\":30,\"first_u\":1,\"first_v\":10,\"last_u\":3,\"last_v\":20}" >expect &&
	test_cmp expect out
'

test_expect 'a group whose values are all null has null aggregates' '
	printf "{\"s\":\"B\",\"v\":null}\n{\"s\":\"B\"}\n" |
	    hs-agg -g s -a count,nonnull,avg,min,max,sum,stddev,p50,first -f v >out &&
	echo "{\"s\":\"B\",\"count\":2,\"nonnull_v\":0,\"avg_v\":null,\"min_v\":null,\"max_v\":null,\"sum_v\":null,\"stddev_v\":null,\"p50_v\":null,\"first_v\":null}" >expect &&
	test_cmp expect out
'

test_expect 'a record without a group field is in the null group' '
	printf "{\"s\":\"A\",\"v\":1}\n{\"v\":2}\n{\"s\":null,\"v\":4}\n" |
	    hs-agg -g s -a count,sum -f v >out &&
	printf "{\"s\":null,\"count\":2,\"sum_v\":6}\n{\"s\":\"A\",\"count\":1,\"sum_v\":1}\n" >expect &&
	test_cmp expect out
'

test_expect 'a value of another type is still a bad record' '
	printf "{\"v\":\"12\"}\n{\"v\":true}\n{\"v\":2}\n" >in &&
	test_exit 1 hs-agg -a count,sum -f v in >out 2>err &&
	grep -q "in:1: not a finite number in field .v." err &&
	grep -q "in:2: not a finite number in field .v." err &&
	echo "{\"count\":1,\"sum_v\":2}" >expect && test_cmp expect out
'

test_expect 'in windows, the null group and null values follow the same rules' '
	{ rec 30 A 1; echo "{\"value\":null,\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"}}"; } |
	    hs-agg -g sensor -a count,avg -f value >out &&
	grep -q "\"sensor\":null,\"count\":1,\"avg_value\":null}" out &&
	grep -q "\"sensor\":\"A\",\"count\":1,\"avg_value\":1}" out
'

test_expect 'numeric group keys sort as numbers, strings after them' '
	for c in 10 2 1 11 0 -3 2.5 "\"b\"" "\"a\"" null; do
		echo "{\"cycle\":$c}"; done | hs-agg -g cycle -a count >out &&
	sed "s/{\"cycle\":\(.*\),\"count\":1}/\1/" out | tr "\n" " " >got &&
	printf "%s" "null -3 0 1 2 2.5 10 11 \"a\" \"b\" " >expect && test_cmp expect got
'

test_expect 'per-cycle rows of the real data come out in cycle order' '
	hs-replay -c 0-11 -s TS1 "$TESTDATA/uci" | hs-agg -g cycle,sensor -a count >out &&
	sed "s/{\"cycle\":\([0-9]*\),.*/\1/" out | tr "\n" " " >got &&
	printf "%s" "0 1 2 3 4 5 6 7 8 9 10 11 " >expect && test_cmp expect got
'

test_expect 'a sum beyond the range of a double is null (JSON has no infinity); min, max and count stay numbers' '
	printf "%s\n" "{\"sensor\":\"A\",\"value\":1e308}" \
	    "{\"sensor\":\"A\",\"value\":1e308}" >big &&
	hs-agg -g sensor -a count,sum,avg,min,max -f value big >out &&
	echo "{\"sensor\":\"A\",\"count\":2,\"sum_value\":null,\"avg_value\":null,\"min_value\":1e+308,\"max_value\":1e+308}" >expect &&
	test_cmp expect out
'

test_done
