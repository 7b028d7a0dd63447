#!/bin/bash
# tests/fuzz/run.sh BUILD TARGET... - run AFL++ on each target in turn (one
# at a time, niced: the machine is shared) for FUZZ_SECONDS, starting from
# tests/fuzz/corpus and from what earlier runs in BUILD/out found; copy each
# crash into tests/fuzz/crashes/TARGET/ (replayed by `make check`); print
# executions, time and findings per target, also kept in BUILD/summary.
set -u
build=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/fuzz/lib.sh"
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_AUTORESUME=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1
# the harnesses write their scratch files, and hs-agg syncs its state
# files, in TMPDIR: in memory where the machine has it
if [ -z "${TMPDIR:-}" ]; then
	TMPDIR=/tmp
	[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=/dev/shm
fi
export TMPDIR
for t in "$@"; do
	out=$build/out/$t
	mkdir -p "$out" "$root/tests/fuzz/crashes/$t"
	nice -n 10 afl-fuzz -V "${FUZZ_SECONDS:-60}" -m none -t 2000 \
	    -i "$root/tests/fuzz/corpus/$(corpus_of "$t")" -o "$out" \
	    -- "$build/fuzz/$t" @@ >"$out.log" 2>&1 ||
	    { echo "$t: afl-fuzz failed, see $out.log"; tail -5 "$out.log"; }
	found=0
	for c in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
		[ -e "$c" ] || continue
		cp "$c" "$root/tests/fuzz/crashes/$t/$(sha1sum <"$c" | cut -c1-16)"
		found=$((found + 1))
	done
	stats=$out/default/fuzzer_stats
	printf '%s: %s executions in %s s, %s paths, %s crashes and hangs\n' \
	    "$t" "$(awk '/^execs_done/ { print $3 }' "$stats" 2>/dev/null)" \
	    "$(awk '/^run_time/ { print $3 }' "$stats" 2>/dev/null)" \
	    "$(awk '/^corpus_count/ { print $3 }' "$stats" 2>/dev/null)" \
	    "$found" | tee -a "$build/summary"
done
