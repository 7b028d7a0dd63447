#!/bin/bash
# Live latency: a record entering a pipeline with a processing-time trigger
# shows in the output within the trigger interval plus 100 ms.
. "$(dirname "$0")/lib.sh"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait until FILE has a line matching PATTERN; print the time it took
wait_for() {	# FILE PATTERN START_MS
	for i in $(seq 1 300); do
		if grep -q "$2" "$1" 2>/dev/null; then
			echo $(( $(now_ms) - $3 )); return 0
		fi
		sleep 0.01
	done
	echo timeout; return 1
}

test_expect 'a record reaches the table within the trigger interval plus 100 ms' '
	mkfifo in &&
	{ hs-window -w 1m -l 10s <in |
	    hs-agg --mode update --trigger 1s -g sensor -a count,avg -f value |
	    hs-fmt >out & } &&
	exec 3>in &&
	echo "{\"sensor\":\"PS1\",\"value\":1,\"timestamp\":\"2025-11-08T14:30:00Z\"}" >&3 &&
	sleep 1.5 &&
	start=$(now_ms) &&
	echo "{\"sensor\":\"TS1\",\"value\":7,\"timestamp\":\"2025-11-08T14:30:01Z\"}" >&3 &&
	took=$(wait_for out "|TS1 " "$start") &&
	exec 3>&- && wait &&
	echo "row shown after $took ms" &&
	test "$took" -le 1100
'

test_expect 'paced replay, window, aggregate and table show rows while running' '
	{ timeout 4 hs-replay --speed 1 -s TS1 "$TESTDATA/uci" |
	    hs-window -w 1m -l 10s |
	    hs-agg --mode update --trigger 1s -g sensor -a count -f value |
	    hs-fmt >out & } &&
	sleep 3 && grep -q "^|\[2025-11-08 14:30:00, 2025-11-08 14:31:00\]|TS1" out &&
	grep -q "^Batch: 1" out && wait
'

test_done
