#!/bin/bash
# tests/bench/replay.sh - hs-replay alone on the 17 UCI-shaped files: events
# a second, CPU nanoseconds an event, peak memory, and what skipping rows
# with -c costs. Not a test: nothing here passes or fails on time.
#
#   tests/bench/replay.sh [N_CYCLES]      (default 276: 1/8 of the data set)
#
# The 100 Hz and 10 Hz files are SYNTHETIC (tests/bench/gen-uci.sh), made
# once into $HS_BENCH_DATA (default: a folder under ${TMPDIR:-/tmp}).
# HS_REPLAY_BEFORE=path/to/hs-replay adds the same figures for another
# build, measured in turn in the same run.
set -euo pipefail
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
n=${1:-276}
data=${HS_BENCH_DATA:-${TMPDIR:-/tmp}/hs-bench-uci-$n}
runs=${BENCH_RUNS:-3}
if [ ! -f "$data/README.txt" ]; then
	echo "making $n cycles of synthetic UCI-shaped files in $data" >&2
	bash "$(dirname "$0")/gen-uci.sh" "$n" "$data"
fi
events=$((n * (7 * 6000 + 2 * 600 + 8 * 60)))
tm=$(mktemp)
trap 'rm -f "$tm"' EXIT

# best CPU seconds (user + sys), its wall seconds, peak KB of hs-replay
# writing into a pipe, over $runs runs
measure() {	# BINARY ARGS...
	local best= wall= mem= i cpu
	for i in $(seq "$runs"); do
		/usr/bin/time -f '%U %S %e %M' -o "$tm" "$@" | cat >/dev/null
		read -r u s e m <"$tm"
		cpu=$(awk "BEGIN { print $u + $s }")
		if [ -z "$best" ] || awk "BEGIN { exit !($cpu < $best) }"; then
			best=$cpu wall=$e
		fi
		if [ -z "$mem" ] || [ "$m" -gt "$mem" ]; then mem=$m; fi
	done
	echo "$best $wall $mem"
}

report() {	# LABEL BINARY
	local all first last
	all=$(measure "$2" "$data")
	first=$(measure "$2" -c "0-$((n / 8 - 1))" "$data")
	last=$(measure "$2" -c "$((n - n / 8))-$((n - 1))" "$data")
	echo "$1 $all $first $last" | awk -v ev="$events" '{
		printf "%-22s %6.2f s CPU %6.2f s wall %6.1f ns/event %6.1fM events/s %6d KB; -c last/first eighth CPU %.2fx\n",
		    $1, $2, $3, $2 * 1e9 / ev, ev / ($3 > 0 ? $3 : 0.01) / 1e6, $4,
		    ($5 > 0 ? $8 / $5 : 0)
	}'
}

echo "hs-replay on $n cycles of 17 sensors ($events events), best of $runs, into a pipe:"
report "hs-replay" "$HS_BIN/hs-replay"
if [ -n "${HS_REPLAY_BEFORE:-}" ]; then
	report "HS_REPLAY_BEFORE" "$HS_REPLAY_BEFORE"
fi
