# tests/bench/lib.sh - what the benchmark sections share: paths, a cache
# folder outside the repository, timing of alternating runs, peak memory
# per binary, DuckDB from npm, and the table of ratios against the goals
# of issue 14 that run.sh prints at the end. Sourced by run.sh.
#
# Nothing here passes or fails a build: a MISS is a figure to work on.

HS_BIN=${HS_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PATH=$HS_BIN:$PATH
export PATH
runs=${BENCH_RUNS:-3}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/hs-bench
DUCKDB_VERSION=${DUCKDB_VERSION:-1.5.6-r.1}
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX")
mkdir "$work/mem"
cleanups=()
trap 'for c in "${cleanups[@]}"; do eval "$c"; done; rm -rf "$work"' EXIT
cd "$work"

say() { printf '%s\n' "$*"; }

# The prefix that records a binary's peak resident size (KB, as
# /usr/bin/time -v reports it) in $work/mem/NAME, one line per run.
tm() {	# NAME
	printf '/usr/bin/time -f %%M -a -o %s/mem/%s ' "$work" "$1"
}

# Wall seconds and CPU seconds (user + system, all its processes) of one
# shell command line, as "WALL CPU"; its stdout is discarded. The system
# part of the last one is left in $work/system.
wall() {	# COMMAND
	local s e u k
	s=$(date +%s%N)
	if ! /usr/bin/time -f '%U %S' -o "$work/cpu" bash -c "$1" >/dev/null \
	    2>"$work/stderr"; then
		say "failed: $1" >&2
		sed 's/^/  /' "$work/stderr" | head -5 >&2
	fi
	e=$(date +%s%N)
	read -r u k <"$work/cpu"
	echo "$k" >"$work/system"
	awk -v t=$((e - s)) -v u="$u" -v k="$k" \
	    'BEGIN { printf "%.3f %.2f", t / 1e9, u + k }'
}

# The table: one row per goal, printed by table_print.
rows=()
row() {	# CASE HS PEER RATIO CPU_RATIO GOAL STATUS
	rows+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$@")")
}
table_print() {
	say ""
	say "Goals of issue 14 (runs alternating; ratio = peer wall time / hs wall time, >1: hs"
	say "faster: median of the per-run ratios, range in brackets; cpu = the same for CPU"
	say "seconds, user + system; times are the best run):"
	{
		printf 'case\ths\tpeer\tratio\tcpu\tgoal\tstatus\n'
		printf '%s\n' "${rows[@]}"
	} | awk -F'\t' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i;
		if (length($i) > w[i]) w[i] = length($i) } n = NR }
	    END { for (r = 1; r <= n; r++) { line = ""
		for (i = 1; i <= 7; i++) line = line sprintf("%-" w[i] "s  ", c[r, i])
		sub(/ +$/, "", line); print line } }'
}

# Read the files of $warm (if set) whole, so that each timed run starts
# from the same page cache: this machine keeps little of it, and a 2 GB
# input read from disk costs several seconds of system time, more than
# the tools themselves. Both tools of a row get it before every run.
warm_up() {
	[ -n "${warm:-}" ] && cat $warm >/dev/null
	return 0
}

# Run an hs command and a peer's alternately, $runs times each (the order
# swapped every other run), and add a row. KIND is how the goal reads:
#   faster X   hs at least X times as fast (median ratio >= X)
#   within X   hs at most X times as slow (median ratio >= 1/X)
#   every X    every run's ratio >= X
#   none       no goal: a figure for the README
compare() {	# CASE KIND X HS_COMMAND PEER PEER_COMMAND
	local name=$1 kind=$2 x=$3 hs=$4 peer=$5 pc=$6 i th tp ks ths= tps=
	for i in $(seq "$runs"); do
		if [ $((i % 2)) -eq 1 ]; then
			warm_up; th=$(wall "$hs"); ks=$(cat "$work/system")
			warm_up; tp=$(wall "$pc")
		else
			warm_up; tp=$(wall "$pc")
			warm_up; th=$(wall "$hs"); ks=$(cat "$work/system")
		fi
		ths="$ths ${th// /:}" tps="$tps ${tp// /:}"
		say "  run $i: hs ${th% *} s (cpu ${th#* } s, system $ks s), $peer ${tp% *} s (cpu ${tp#* } s)"
	done
	rows+=("$name	$(awk -v a="$ths" -v b="$tps" -v k="$kind" -v x="$x" -v p="$peer" '
	    function sort(v, n,   i, j, t) { for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t } }
	    function median(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
	    BEGIN {
		n = split(a, ha, " "); split(b, qa, " ")
		for (i = 1; i <= n; i++) {
			split(ha[i], t, ":"); h[i] = t[1]; hc = t[2]
			split(qa[i], t, ":"); q[i] = t[1]; qc = t[2]
			r[i] = q[i] / (h[i] > 0 ? h[i] : 0.001)
			c[i] = qc / (hc > 0 ? hc : 0.01)
		}
		sort(h, n); sort(q, n); sort(r, n); sort(c, n)
		med = median(r, n)
		if (k == "faster") { goal = sprintf(">= %.1fx faster", x); ok = med >= x }
		else if (k == "within") { goal = sprintf("within %.1fx (>= %.2f)", x, 1 / x); ok = med >= 1 / x }
		else if (k == "every") { goal = "as fast in every run"; ok = r[1] >= x }
		else { goal = "-"; ok = -1 }
		printf "%.2f s\t%s %.2f s\t%.2f [%.2f-%.2f]\t%.2f\t%s\t%s", h[1], p, q[1],
		    med, r[1], r[n], median(c, n), goal, ok < 0 ? "-" : ok ? "PASS" : "MISS"
	    }')")
}

# The best wall time of an hs command against an absolute goal.
under() {	# CASE SECONDS HS_COMMAND
	local i t best=
	for i in $(seq "$runs"); do
		t=$(wall "$3")
		t=${t% *}
		say "  run $i: hs $t s"
		if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
			best=$t
		fi
	done
	row "$1" "$best s" "-" "-" "-" "< $2 s" \
	    "$(awk -v t="$best" -v g="$2" 'BEGIN { print t < g ? "PASS" : "MISS" }')"
}

# Peak memory of each binary over every run, against the goal (16 MB).
memory_rows() {
	local f kb
	for f in "$work"/mem/*; do
		[ -e "$f" ] || continue
		kb=$(sort -n "$f" | tail -1)
		case $(basename "$f") in
		hs-*) row "peak memory $(basename "$f")" "$((kb / 1024)).$(( (kb % 1024) * 10 / 1024 )) MB" \
		    "-" "-" "-" "< 16 MB" "$([ "$kb" -lt 16384 ] && echo PASS || echo MISS)" ;;
		*) say "peak memory $(basename "$f"): $((kb / 1024)) MB" ;;
		esac
	done
}

# DuckDB from npm (@duckdb/node-api) into $CACHE, once; DUCK is the command
# that runs SQL files with it, empty when node, npm or the registry is not
# there.
DUCK=
duck_setup() {
	local v
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		say "DuckDB: skipped (node or npm is not installed)"
		return 1
	fi
	v=$(cd "$CACHE" 2>/dev/null && node -p \
	    "require('./node_modules/@duckdb/node-api/package.json').version" 2>/dev/null)
	if [ "$v" != "$DUCKDB_VERSION" ]; then
		say "DuckDB: npm install @duckdb/node-api@$DUCKDB_VERSION into $CACHE"
		mkdir -p "$CACHE"
		if ! timeout 600 npm install --prefix "$CACHE" --no-save --no-audit \
		    --no-fund --loglevel=error "@duckdb/node-api@$DUCKDB_VERSION" >&2; then
			say "DuckDB: skipped (npm could not install it)"
			return 1
		fi
	fi
	DUCK="node $ROOT/tests/bench/duck.mjs $CACHE"
	say "DuckDB $($DUCK <(echo "SELECT version() AS v") | cut -d'"' -f4), $(nproc) threads, from npm @duckdb/node-api@$DUCKDB_VERSION"
}
