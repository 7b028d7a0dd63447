#!/bin/bash
# State files: a path that cannot hold state is found at start; late events
# before a checkpoint survive a kill -9; a checkpoint is one file written
# once, so keeping eight costs no more per checkpoint than keeping one.
. "$(dirname "$0")/lib.sh"

test_expect 'a --state path that is a directory is refused at start' '
	mkdir dir.state &&
	test_exit 3 hs-agg -a count --state dir.state </dev/null 2>err &&
	grep -q "dir.state: not a regular file" err &&
	test_exit 3 hs-window -w 1m --state dir.state </dev/null 2>err &&
	grep -q "dir.state: not a regular file" err
'

test_expect 'a --state path where no file can be written is refused at start' '
	test_exit 3 hs-agg -a count --state no/such/dir/a.state </dev/null 2>err &&
	grep -q "no/such/dir/a.state: cannot write state beside it: No such file or directory" err &&
	test ! -e no
'

checkpoint() { echo "{\"_hs\":\"checkpoint\",\"id\":$1,\"positions\":[]}"; }
ev() { echo "{\"sensor\":\"A\",\"value\":1,\"timestamp\":\"2025-11-08T$1Z\"}"; }

test_expect 'late events before a checkpoint are in the late file when the stage is killed' '
	mkfifo in.fifo &&
	{ hs-window -w 1m --late-file late.ndjson --state w.state <in.fifo >out 2>err & } &&
	pid=$! && exec 8>in.fifo &&
	{ ev 14:31:00; ev 14:30:05; checkpoint 1; } >&8 &&
	wait_until 10 "[ -s w.state ]" &&
	kill -9 $pid && exec 8>&- &&
	grep -q "14:30:05" late.ndjson
'

# N groups that stay open (no window), then C checkpoints, then the end
groups() {	# N C
	awk -v n=$1 -v c=$2 "BEGIN {
		for (i = 0; i < n; i++) printf \"{\\\"k\\\":\\\"key-%d\\\",\\\"value\\\":%d.5}\\n\", i, i
		for (j = 1; j <= c; j++) printf \"{\\\"_hs\\\":\\\"checkpoint\\\",\\\"id\\\":%d,\\\"positions\\\":[]}\\n\", j
		print \"{\\\"_hs\\\":\\\"end\\\"}\"
	}"
}

test_expect 'each checkpoint is one file written once; eight are kept, older ones removed' '
	groups 1000 11 >g.in &&
	hs-agg -g k -a count,avg,p50 -f value --state g.state g.in >rows &&
	test "$(grep -c "^{\"k\"" rows)" -eq 1000 &&
	test "$(ls g.state.* | wc -l)" -eq 8 &&
	test -e g.state.11 && test ! -e g.state.3 && test ! -e g.state.tmp &&
	test "$(wc -c <g.state)" -lt 4096 &&
	test "$(jq -c "[.checkpoints[].id]" g.state)" = "[4,5,6,7,8,9,10,11]"
'

test_expect 'checkpoints cost memory of the live state once, however many are kept' '
	groups 100000 8 >big.in && groups 100000 0 >plain.in &&
	/usr/bin/time -f %M -o rss.state hs-agg -g k -a count,avg,p50 -f value \
	    --state big.state big.in >/dev/null &&
	/usr/bin/time -f %M -o rss.plain hs-agg -g k -a count,avg,p50 -f value \
	    plain.in >/dev/null &&
	echo "peak KB with 8 checkpoints: $(cat rss.state), without: $(cat rss.plain)" &&
	test "$(cat rss.state)" -lt $(( $(cat rss.plain) * 5 / 4 + 8192 ))
'

test_expect 'a restart after a failed run replaces its later checkpoints' '
	{ ev 14:30:00; checkpoint 1; ev 14:30:01; checkpoint 2; ev 14:30:02; checkpoint 3; } |
	    hs-window -w 1m --state r.state >/dev/null 2>&1;
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; ev 14:30:01; checkpoint 2; } |
	    hs-window -w 1m --state r.state >/dev/null &&
	test "$(jq -c "[.checkpoints[].id]" r.state)" = "[1,2]" &&
	test "$(ls r.state.* | wc -l)" -eq 2
'

test_done
