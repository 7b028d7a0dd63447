#!/bin/bash
# tests/bench/model.sh - model inference and per-key state at scale: feature
# records per second through hs-detect --model, and hs-detect, --learn and
# hs-score over two million keys, with peak memory. Not a test: nothing
# here passes or fails on time. Run with `make bench`.
#
# Input: the 2205 real cycles of testdata/uci as feature records (5 s
# means, hs-pivot), repeated 20 times; keys and units made up.
set -euo pipefail
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$HS_BIN:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# seconds and peak resident kilobytes of one command line, best of $runs
runs=${BENCH_RUNS:-3}
measure() {	# NAME RECORDS COMMAND
	local best= mem= i t m
	for i in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o tm bash -c "$3" >/dev/null
		read -r t m <tm
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		if [ -z "$mem" ] || [ "$m" -gt "$mem" ]; then mem=$m; fi
	done
	printf '%-44s %8.2f s %9.0f records/s %8d KB\n' "$1" "$best" \
	    "$(awk "BEGIN{print $2 / ($best > 0 ? $best : 0.01)}")" "$mem" >&2
}

labels=cycle,cooler,valve,pump_leak,accumulator,stable
hs-replay -q -p "$ROOT/testdata/uci/profile.txt" "$ROOT/testdata/uci" |
    hs-window -w 5s | hs-agg -g $labels,sensor -a avg -f value |
    hs-pivot -k $labels --span 1m | grep -v '^{"_hs"' >features
for i in $(seq 20); do cat features; done >many
n=$(wc -l <many)
hs-learn -l valve -o valve.json features
hs-learn -l cooler -o cooler.json features
echo "feature records: $n (the 2205 real cycles, 20 times; 96 features)" >&2
measure "hs-detect --model valve.json" "$n" "hs-detect --model valve.json many"
measure "hs-detect --model cooler.json --model valve.json" "$n" \
    "hs-detect --model cooler.json --model valve.json many"

awk 'BEGIN { for (i = 0; i < 2000000; i++)
	printf "{\"sensor\":\"s%d\",\"cycle\":%d,\"cooler\":%d,\"value\":%d}\n",
	    i, i, i % 3 ? 3 : 100, i % 7 }' >keys
echo >&2
echo "two million keys, one record each" >&2
measure "hs-detect --stuck 3" 2000000 "hs-detect --stuck 3 keys"
measure "hs-detect --learn" 2000000 "hs-detect --learn base.json keys"
hs-detect --learn base.json keys
measure "hs-detect -b (2M-key baseline)" 2000000 "hs-detect -b base.json keys"
measure "hs-score (2M units)" 2000000 "hs-score -l cooler keys"
