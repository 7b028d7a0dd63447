#!/bin/bash
# tests/bench/run.sh - speed and memory of the hs pipeline beside Miller and
# jq, in one run on this machine, reported as ratios. Not a test: nothing
# here passes or fails on time. Run with `make bench`.
#
# Input: the ~1.06M sample events hs-replay makes from the eight real 1 Hz
# UCI files in testdata/uci.
set -euo pipefail
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$HS_BIN:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# seconds and peak resident kilobytes of one command line, best of $runs
runs=${BENCH_RUNS:-3}
measure() {	# NAME COMMAND
	local best= mem= i t m
	for i in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o tm bash -c "$2" >/dev/null
		read -r t m <tm
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		if [ -z "$mem" ] || [ "$m" -gt "$mem" ]; then mem=$m; fi
	done
	printf '%-34s %8.2f s %8d KB\n' "$1" "$best" "$mem" >&2
	echo "$best"
}

hs-replay "$ROOT/testdata/uci" >events.ndjson
n=$(wc -l <events.ndjson)
echo "input: $n events, $(du -m events.ndjson | cut -f1) MB (hs-replay testdata/uci)" >&2
echo >&2

t_replay=$(measure "hs-replay testdata/uci" "hs-replay '$ROOT/testdata/uci'")
t_window=$(measure "hs-window -w 1m" "hs-window -w 1m <events.ndjson")
hs-window -w 1m <events.ndjson >windowed.ndjson
t_agg=$(measure "hs-agg (5 aggregates)" \
    "hs-agg -g sensor -a count,avg,max,min,sum -f value <windowed.ndjson")
t_fmt=$(measure "hs-fmt -o csv (raw events)" "hs-fmt -o csv <events.ndjson")
t_mlrcsv=$(measure "mlr --ijson --ocsv cat (raw events)" "mlr --ijson --ocsv cat events.ndjson")
t_influx=$(measure "hs-fmt -o influx (raw events)" "hs-fmt -o influx <events.ndjson")
t_sql=$(measure "hs-fmt -o sql | sqlite3 (raw events)" \
    "hs-fmt -o sql -T ev <events.ndjson | sqlite3 ev.db; rm -f ev.db")
t_hs=$(measure "hs-window | hs-agg" \
    "hs-window -w 1m <events.ndjson | hs-agg -g sensor -a count,avg,max,min,sum -f value")
t_mlr=$(measure "mlr put window + stats1" \
    "mlr --ijson --ojson put '\$window_start = sec2gmt(int(gmt2sec(\$timestamp) / 60) * 60)' then stats1 -a count,mean,max,min,sum -f value -g window_start,sensor events.ndjson")
t_jq=$(measure "jq projection {sensor,value}" "jq -c '{sensor,value}' events.ndjson")

echo >&2
awk -v n="$n" -v hs="$t_hs" -v mlr="$t_mlr" -v jq="$t_jq" -v w="$t_window" -v a="$t_agg" \
    -v csv="$t_fmt" -v mcsv="$t_mlrcsv" -v ifx="$t_influx" -v sql="$t_sql" 'BEGIN {
	printf "hs-window | hs-agg: %.0f events/s\n", n / hs
	printf "hs-window alone:    %.0f events/s\n", n / w
	printf "hs-agg alone:       %.0f events/s\n", n / a
	printf "speed-up over Miller (same windowed statistics): %.1fx\n", mlr / hs
	printf "speed-up over a jq projection:                  %.1fx\n", jq / hs
	printf "hs-fmt -o csv over mlr --ocsv:                  %.1fx\n", mcsv / csv
	printf "hs-fmt -o influx: %.0f events/s; -o sql into sqlite3: %.0f events/s\n", n / ifx, n / sql
}'
