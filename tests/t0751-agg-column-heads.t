#!/bin/bash
# hs-agg writes each output column's ,"name": once, at the start, and
# counts without printf: the rows must read as before, names escaped and
# renamed, counts in decimal.
. "$(dirname "$0")/lib.sh"

RENAMES='sum_v=s"\x,count=n\é'
ROW='{"n\\é":3,"s\"\\x":3.5,"nonnull_v":2,"max_v":2}'

test_expect 'renamed columns are written escaped, each in its place' '
	printf "{\"v\":1.5}\n{\"v\":null}\n{\"v\":2}\n" |
	    hs-agg -a count,sum,nonnull,max -f v -r "$RENAMES" >out &&
	printf "%s\n" "$ROW" >expect &&
	test_cmp expect out &&
	jq -r "keys_unsorted[]" out >keys &&
	printf "%s\n" "n\\é" "s\"\\x" nonnull_v max_v >expect &&
	test_cmp expect keys
'

test_expect 'counts of every size print in decimal' '
	seq 1 100000 | sed "s/.*/{\"g\":1,\"v\":&}/" |
	    hs-agg -g g -a count,nonnull,sum -f v >out &&
	printf "{\"g\":1,\"count\":100000,\"nonnull_v\":100000,\"sum_v\":5000050000}\n" >expect &&
	test_cmp expect out &&
	printf "{\"v\":0}\n" | hs-agg -a count,nonnull -f v >out &&
	printf "{\"count\":1,\"nonnull_v\":1}\n" >expect && test_cmp expect out
'

test_done
