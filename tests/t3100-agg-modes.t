#!/bin/bash
# hs-agg output modes (append, update, complete) and processing-time
# triggers, as in Spark Structured Streaming.
. "$(dirname "$0")/lib.sh"

stream() {
	rec 30 A 1; rec 30 B 5; wm 30 20
	rec 30 A 2; wm 30 40
	rec 31 A 7; wm 31 10
}
rows() {	# keep sensor, count and sum of the rows, and batch ends
	sed -n 's/.*"start":"[^"]*T\([0-9:]*\)\.000Z".*"sensor":"\(.\)","count":\([0-9]*\),"sum_value":\([0-9.]*\)}/\1 \2 \3 \4/p; s/{"_hs":"trigger","batch":\([0-9]*\)}/batch \1/p'
}

test_expect 'append mode writes each window once, when it is complete' '
	stream | hs-agg -g sensor -a count,sum -f value | rows >out &&
	cat >expect <<-X &&
	14:30:00 A 2 3
	14:30:00 B 1 5
	14:31:00 A 1 7
	X
	test_cmp expect out
'

test_expect 'update mode writes the rows changed since the last trigger' '
	stream | hs-agg --mode update -g sensor -a count,sum -f value | rows >out &&
	cat >expect <<-X &&
	14:30:00 A 1 1
	14:30:00 B 1 5
	batch 0
	14:30:00 A 2 3
	batch 1
	14:31:00 A 1 7
	batch 2
	batch 3
	X
	test_cmp expect out
'

test_expect 'complete mode writes every row at each trigger' '
	stream | hs-agg --mode complete -g sensor -a count,sum -f value | rows >out &&
	cat >expect <<-X &&
	14:30:00 A 1 1
	14:30:00 B 1 5
	batch 0
	14:30:00 A 2 3
	14:30:00 B 1 5
	batch 1
	14:30:00 A 2 3
	14:30:00 B 1 5
	14:31:00 A 1 7
	batch 2
	14:30:00 A 2 3
	14:30:00 B 1 5
	14:31:00 A 1 7
	batch 3
	X
	test_cmp expect out
'

test_expect 'update mode drops a window once the watermark passes it, and its late records' '
	{ rec 30 A 1; wm 31 0; rec 30 A 2; } |
	    hs-agg --mode update -g sensor -a count,sum -f value 2>err | rows >out &&
	cat >expect <<-X &&
	14:30:00 A 1 1
	batch 0
	batch 1
	X
	test_cmp expect out &&
	grep -q "1 late record dropped: its window was already final here" err
'

test_expect 'a processing-time trigger fires while no input arrives' '
	{ rec 30 A 1; sleep 1.3; rec 30 A 2; } |
	    hs-agg --mode update --trigger 500ms -g sensor -a count,sum -f value |
	    rows >out &&
	# the first row comes out before the second record arrives, in a
	# batch of its own; empty batches fire while the input is silent
	head -1 out | grep -qx "14:30:00 A 1 1" &&
	grep -qx "14:30:00 A 2 3" out &&
	test "$(grep -c "^batch" out)" -ge 3
'

test_expect 'rows of a trigger come out within the interval' '
	mkfifo in &&
	{ hs-agg --mode update --trigger 200ms -g sensor -a count -f value <in >out & } &&
	exec 3>in && rec 30 A 1 >&3 && sleep 0.6 &&
	grep -q "\"count\":1" out && exec 3>&- && wait
'

test_expect 'an unknown mode is a usage error' '
	test_exit 2 hs-agg --mode sometimes -a count &&
	test_exit 2 hs-agg --mode update --trigger soon -a count
'

test_done
