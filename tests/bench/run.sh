#!/bin/bash
# tests/bench/run.sh - speed and memory of hs beside the tools a user would
# otherwise pick, in one run on this machine, as ratios against the goals
# of issue 14 (`make bench`; `make bench FULL=1` adds the full-scale
# replay). Not a test: nothing here fails on time.
#
#   mlr     hs-window | hs-agg beside Miller and jq, 1.06M real events
#   ndjson  the same beside DuckDB's read_ndjson, 16.9M events (the real
#           1 Hz data replayed 16 times), rows compared
#   matrix  hs-replay | hs-window | hs-agg beside DuckDB reading the
#           matrix files, 17 sensors (the 100 Hz and 10 Hz files are
#           SYNTHETIC, tests/bench/gen-uci.sh), rows compared
#   kafka   hs-kafkacat beside kcat, produce and consume (kafka.sh)
#
# BENCH_ONLY="ndjson kafka" runs some sections; BENCH_RUNS (default 3) sets
# the runs per comparison; FULL=1 the full 2205-cycle replay (96.3M events).
# DuckDB comes from npm (@duckdb/node-api) into a cache folder outside the
# repository; without node, npm or the registry its cases are skipped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/bench/kafka.sh"

only=${BENCH_ONLY:-mlr ndjson matrix kafka}
AGG="hs-agg -g sensor -a count,avg,max,min,sum -f value"
T0=2025-11-08T14:30:00Z

say "hs benchmarks, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
hs-replay -q "$ROOT/testdata/uci" >events.ndjson
n1=$(wc -l <events.ndjson)

section_mlr() {
	say ""
	say "== hs beside Miller and jq: $n1 events, $(du -m events.ndjson | cut -f1) MB (hs-replay testdata/uci)"
	compare "window|agg vs Miller, ${n1} ev" none 0 \
	    "$(tm hs-window)hs-window -w 1m <events.ndjson | $(tm hs-agg)$AGG" \
	    mlr "$(tm mlr)mlr --ijson --ojson put '\$window_start = sec2gmt(int(gmt2sec(\$timestamp) / 60) * 60)' then stats1 -a count,mean,max,min,sum -f value -g window_start,sensor events.ndjson"
	compare "window|agg vs jq projection" none 0 \
	    "hs-window -w 1m <events.ndjson | $AGG" \
	    jq "$(tm jq)jq -c '{sensor,value}' events.ndjson"
	compare "hs-fmt -o csv vs mlr --ocsv" none 0 \
	    "$(tm hs-fmt)hs-fmt -o csv <events.ndjson" \
	    mlr "mlr --ijson --ocsv cat events.ndjson"
	under "hs-replay testdata/uci alone" 1 "$(tm hs-replay)hs-replay -q '$ROOT/testdata/uci'"
	under "hs-fmt -o sql | sqlite3" 10 \
	    "hs-fmt -o sql -T ev <events.ndjson | sqlite3 ev.db; rm -f ev.db"
}

# Rows of hs-agg (FILE) equal to DuckDB's (FILE, window_start, sensor):
# count, min and max exactly, sum and avg to 1e-9 relative.
same_rows() {	# CASE HS_ROWS DUCK_ROWS DUCK_WINDOW_EXPRESSION
	cat >check.sql <<EOF
WITH h AS (SELECT "window".start::TIMESTAMP AS ws, sensor, count, avg_value,
	max_value, min_value, sum_value
    FROM read_ndjson('$2', columns = {'window': 'STRUCT(start VARCHAR)',
	sensor: 'VARCHAR', count: 'BIGINT', avg_value: 'DOUBLE',
	max_value: 'DOUBLE', min_value: 'DOUBLE', sum_value: 'DOUBLE'})
    WHERE "window" IS NOT NULL),
d AS (SELECT $4 AS ws, sensor, count, avg_value, max_value, min_value,
	sum_value FROM read_ndjson('$3'))
SELECT (SELECT count(*) FROM h) AS hs, (SELECT count(*) FROM d) AS duckdb,
    count(*) FILTER (WHERE h.count IS DISTINCT FROM d.count
	OR h.max_value IS DISTINCT FROM d.max_value
	OR h.min_value IS DISTINCT FROM d.min_value
	OR abs(h.sum_value - d.sum_value) > 1e-9 * greatest(abs(d.sum_value), 1)
	OR abs(h.avg_value - d.avg_value) > 1e-9 * greatest(abs(d.avg_value), 1)
	OR h.count IS NULL OR d.count IS NULL) AS differ
FROM h FULL JOIN d ON h.ws = d.ws AND h.sensor = d.sensor
EOF
	local r
	r=$($DUCK check.sql) || r='{"failed":"the comparison query"}'
	say "  rows: $r"
	row "$1" "$(echo "$r" | sed 's/.*"hs":"\{0,1\}\([0-9]*\).*/\1/') rows" \
	    "$(echo "$r" | sed 's/.*"duckdb":"\{0,1\}\([0-9]*\).*/\1/') rows" \
	    "$(echo "$r" | sed 's/.*"differ":"\{0,1\}\([0-9]*\).*/\1/') differ" - \
	    "same rows" "$(echo "$r" | grep -q '"differ":"\{0,1\}0"\{0,1\}}' && echo PASS || echo MISS)"
}

section_ndjson() {
	local k start
	say ""
	if [ -z "$DUCK" ]; then
		row "window|agg vs DuckDB read_ndjson" - - - - ">= 2.0x faster" skipped
		return
	fi
	# 16 copies of the replay, each starting where the last ended
	# (2205 cycles of 60 s), so event time keeps rising
	for k in $(seq 0 15); do
		start=$(date -u -d "@$(( $(date -u -d "$T0" +%s) + k * 2205 * 60 ))" +%FT%TZ)
		hs-replay -q -t "$start" "$ROOT/testdata/uci"
	done >ev16.ndjson
	local n=$(wc -l <ev16.ndjson)
	say "== hs-window | hs-agg beside DuckDB read_ndjson: $n events, $(du -m ev16.ndjson | cut -f1) MB (16 replays of testdata/uci)"
	cat >ndjson.sql <<'EOF'
COPY (SELECT time_bucket(INTERVAL 1 MINUTE, timestamp) AS window_start,
	sensor, count(*) AS count, avg(value) AS avg_value,
	max(value) AS max_value, min(value) AS min_value, sum(value) AS sum_value
    FROM read_ndjson('ev16.ndjson', columns = {sensor: 'VARCHAR',
	value: 'DOUBLE', timestamp: 'TIMESTAMP'})
    GROUP BY ALL) TO 'duck16.ndjson' (FORMAT json)
EOF
	warm=ev16.ndjson compare "window|agg vs DuckDB read_ndjson, $n ev" faster 2 \
	    "$(tm hs-window)hs-window -w 1m -l 10s <ev16.ndjson | $(tm hs-agg)$AGG >hs16.ndjson" \
	    duckdb "$(tm duckdb)$DUCK ndjson.sql"
	same_rows "  rows of hs = DuckDB's" hs16.ndjson duck16.ndjson window_start
	# the floor of any hs-agg: hs-window's 3.3 GB through a pipe into cat
	warm=ev16.ndjson compare "  floor: window|cat vs DuckDB" none 0 \
	    "hs-window -w 1m -l 10s <ev16.ndjson | cat >/dev/null" \
	    duckdb "$DUCK ndjson.sql"
}

# The matrix files of N cycles, made once into the cache by gen-uci.sh.
matrices() {	# N
	local dir=$CACHE/uci-$1 stamp
	stamp=$(cat "$ROOT/tests/bench/gen-uci.sh" "$ROOT"/testdata/uci/*.txt | cksum)
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
		say "making $1 cycles of UCI-shaped files (synthetic 100 Hz, 10 Hz) in $dir" >&2
		rm -rf "$dir"
		bash "$ROOT/tests/bench/gen-uci.sh" "$1" "$dir" >&2
		echo "$stamp" >"$dir/.stamp"
	fi
	echo "$dir"
}

# DuckDB aggregating each row of each matrix file: one row a cycle, so
# one window a cycle and sensor
matrix_sql() {	# DIR
	local f s sep=
	printf 'COPY ('
	for f in "$1"/*.txt; do
		s=$(basename "$f" .txt)
		case $s in README|profile) continue ;; esac
		printf "%sSELECT '%s' AS sensor, row_number() OVER () - 1 AS cycle,
	list_count(v) AS count, list_avg(v) AS avg_value, list_max(v) AS max_value,
	list_min(v) AS min_value, list_sum(v) AS sum_value
    FROM (SELECT list_transform(string_split(line, chr(9)), x -> x::DOUBLE) AS v
	FROM read_csv('%s', columns = {line: 'VARCHAR'}, header = false,
	    delim = chr(1), quote = '', escape = ''))\n" "$sep" "$s" "$f"
		sep="UNION ALL "
	done
	printf ") TO 'duckm.ndjson' (FORMAT json)\n"
}

section_matrix() {
	local cycles=276 dir n
	say ""
	if [ "${FULL:-0}" = 1 ]; then cycles=2205; fi
	if [ ! -f "$ROOT/tests/bench/gen-uci.sh" ]; then
		say "matrix: skipped (no tests/bench/gen-uci.sh to make the files)"
		row "replay|window|agg vs DuckDB" - - - - "within 1.5x" skipped
		return
	fi
	dir=$(matrices "$cycles")
	n=$((cycles * (7 * 6000 + 2 * 600 + 8 * 60)))
	say "== hs-replay | hs-window | hs-agg on $cycles cycles of 17 sensors ($n events; 100 Hz and 10 Hz files SYNTHETIC)"
	local hs="$(tm hs-replay)hs-replay -q '$dir' | $(tm hs-window)hs-window -w 1m -l 10s | $(tm hs-agg)$AGG >hsm.ndjson"
	if [ -n "$DUCK" ]; then
		matrix_sql "$dir" >matrix.sql
		warm="$dir/*.txt" compare "replay|window|agg vs DuckDB, $n ev" within 1.5 \
		    "$hs" duckdb "$(tm duckdb)$DUCK matrix.sql"
		same_rows "  rows of hs = DuckDB's" hsm.ndjson duckm.ndjson \
		    "TIMESTAMP '2025-11-08 14:30:00' + cycle * INTERVAL 1 MINUTE"
	else
		row "replay|window|agg vs DuckDB" - - - - "within 1.5x" skipped
	fi
	if [ "$cycles" = 2205 ]; then
		under "full replay|window|agg, $n ev" 30 "$hs"
	else
		row "full replay, 96.3M events" - - - - "< 30 s" "FULL=1"
	fi
}

case " $only " in
*" ndjson "* | *" matrix "*) duck_setup || true ;;
esac
for s in $only; do
	"section_$s"
done
memory_rows
table_print
