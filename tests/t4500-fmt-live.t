#!/bin/bash
# hs-fmt on a live stream: a table per batch as the batches come, and
# nothing held is lost on SIGINT or SIGTERM. No timed assertions: every
# wait is wait_until with a generous bound.
. "$(dirname "$0")/lib.sh"

row() {	# MINUTE SENSOR
	printf '{"window":{"start":"2025-11-08T14:%02d:00.000Z","end":"2025-11-08T14:%02d:00.000Z"},"sensor":"%s","count":1}\n' \
	    "$1" $(($1 + 1)) "$2"
}

# Whether process PID catches SIGTERM yet (bit 15 of SigCgt).
catches_term() {	# PID
	_m=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) &&
	    [ $((0x$_m & 0x4000)) -ne 0 ]
}

# Start hs-fmt ARGS... reading the fifo feed into out, fd 8 writing it,
# and wait until it catches signals; $FMT is its process id.
start_fmt() {
	rm -f feed && mkfifo feed &&
	{ hs-fmt "$@" <feed >out 2>err & FMT=$!; } &&
	exec 8>feed &&
	wait_until 30 "catches_term $FMT"
}

test_expect 'a paced replay shows its first batch while it runs, and SIGTERM ends it cleanly' '
	{ hs-replay --speed 60 "$TESTDATA/uci" | hs-window -w 1m -l 10s |
	    hs-agg -g sensor -a count,avg -f value | hs-fmt -o table >out 2>err &
	  FMT=$!; } &&
	test_at_exit "kill $FMT 2>/dev/null" &&
	wait_until 60 "grep -q \"^Batch: 0\$\" out" &&
	wait_until 60 "test \$(grep -c \"^|\\[2025-11-08 14:30:00\" out) -eq 8" &&
	kill -TERM $FMT && wait $FMT &&
	test "$(tail -1 out | cut -c1-2)" = "+-" && test ! -s err
'

test_expect 'SIGTERM prints the rows held of an unfinished batch' '
	start_fmt -o table &&
	{ row 30 CE; wm 31 0; } >&8 &&
	wait_until 30 "grep -q \"^Batch: 0\$\" out" &&
	row 31 TS1 >&8 && row 31 PS1 >&8 &&
	kill -TERM $FMT && wait $FMT &&
	grep -q "^Batch: 1$" out && grep -q "|TS1 *|" out && grep -q "|PS1 *|" out &&
	test "$(tail -1 out | cut -c1-2)" = "+-" && exec 8>&-
'

test_expect 'SIGINT prints what is held too' '
	start_fmt -o table &&
	{ row 30 CE; wm 31 0; } >&8 &&
	wait_until 30 "grep -q \"^Batch: 0\$\" out" &&
	row 31 TS1 >&8 &&
	kill -INT $FMT && wait $FMT &&
	grep -q "|TS1 *|" out && exec 8>&-
'

test_expect 'SIGTERM commits the open SQL transaction, sqlite3 loads it' '
	start_fmt -o sql -T t --commit-time 1h &&
	row 30 CE >&8 && { row 30 TS1; wm 31 0; } >&8 &&
	kill -TERM $FMT && wait $FMT && exec 8>&- &&
	test "$(tail -1 out)" = "COMMIT;" && sqlite3 t.db <out &&
	test "$(sqlite3 t.db "SELECT count(*) FROM t")" -eq 2
'

test_expect 'SIGTERM writes the CSV look-ahead and the Prometheus snapshot' '
	start_fmt -o csv &&
	row 30 CE >&8 && kill -TERM $FMT && wait $FMT && exec 8>&- &&
	test_lines out 2 && grep -q ",CE,1$" out &&
	start_fmt -o prom &&
	row 30 CE >&8 && kill -TERM $FMT && wait $FMT && exec 8>&- &&
	promtool check metrics <out && grep -q "sensor=\"CE\"} 1$" out
'

test_done
