#!/bin/bash
# tests/bench/scale.sh - more than one machine (hs-agg(1), "MORE THAN ONE
# MACHINE"): events per second through one instance of the partial
# pipeline and through two in one consumer group, on the mock cluster, and
# the merge stage's own cost per partial row. Not a test: nothing here
# passes or fails on time. The real 1 Hz data, CYCLES cycles (default
# all 2205, 1,058,400 events), into the per-sensor topics of 8 partitions
# each, keyed by sample so that every sensor spreads over its partitions;
# the partials into 16 partitions (the mock keeps ~5 MB of each).
set -euo pipefail
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$HS_BIN:$PATH
CYCLES=${CYCLES:-2205}
RUNS=${RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX")
cd "$work"
mkfifo mock.ctl
hs-kafkacat --mock 1 <mock.ctl >mock.boot 2>mock.err &
mock=$!
exec 9>mock.ctl
trap 'exec 9>&-; wait $mock; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s mock.boot ] && break; sleep 0.05; done
B=$(head -1 mock.boot)

topic() {	# NAME PARTITIONS
	echo "topic $1 $2" >&9
	for _ in $(seq 100); do grep -q "ok: topic $1 " mock.err && return; sleep 0.05; done
}
for s in CE CP SE TS1 TS2 TS3 TS4 VS1; do topic "hydraulic-$s" 8; done
hs-replay -c "0-$((CYCLES - 1))" "$ROOT/testdata/uci" >events
events=$(wc -l <events)
hs-kafkacat -P -b "$B" -t 'hydraulic-{sensor}' -k '{sensor}{sample_idx}' events

A="-g sensor -a count,avg,max,min,sum,stddev,p95 -f value"
# The mock cluster forgets a member that left only when its session ends:
# the others wait that long in the rebalance that follows.
S="-X session.timeout.ms=6000 -X heartbeat.interval.ms=500"
# One instance of the partial pipeline, in the background; N names its
# files, RUN its consumer group and topic of partials.
instance() {	# RUN N
	hs-kafkacat -C -b "$B" -G "agg$1" -q -e --source --checkpoint 1s $S \
	    --commit-from "pos.$1.$2" '^hydraulic-.*' |
	    hs-window -w 1m -l 10s --per-partition --state "w.$1.$2" |
	    hs-agg --partial $A --state "a.$1.$2" |
	    hs-kafkacat -P -b "$B" -t "partials$1" -k '{_key}' \
	    --broadcast _progress --commit-to "pos.$1.$2"
}
# Wall seconds and CPU seconds of N instances together, from start to
# the end of the last.
run() {	# RUN N
	local s e i
	topic "partials$1" 16
	s=$(date +%s%N)
	for i in $(seq "$2"); do
		/usr/bin/time -f '%U %S' -o "cpu.$1.$i" bash -c \
		    "$(declare -f instance); B=$B A='$A' S='$S'; instance $1 $i" &
	done
	wait
	e=$(date +%s%N)
	awk -v t=$((e - s)) -v n="$events" '{ cpu += $1 + $2 } END {
	    printf "%.3f %.2f %.0f %.0f\n", t / 1e9, cpu, n / (t / 1e9),
	    n / cpu }' cpu."$1".*
}

printf 'hs scale benchmark: %d events (%d cycles of the real 1 Hz data),\n' \
    "$events" "$CYCLES"
printf '8 topics of 8 partitions, mock cluster on loopback, %d runs each;\n' "$RUNS"
printf 'instance: hs-kafkacat -C | hs-window --per-partition | hs-agg --partial | hs-kafkacat -P\n'
printf '%-12s %8s %8s %12s %14s\n' instances wall cpu events/s events/cpu-s
r=0
for n in 1 2; do
	for _ in $(seq "$RUNS"); do
		r=$((r + 1))
		read -r wall cpu rate per_cpu < <(run "$r" "$n")
		printf '%-12s %8s %8s %12s %14s\n' "$n" "$wall" "$cpu" "$rate" \
		    "$per_cpu"
		last=$r
	done
done

# The merge's own cost: the partial rows of the last run, merged from a
# file (with their "_src", so that each partition of the topic is a lane
# of its own), CPU per row.
hs-kafkacat -C -b "$B" -t "partials$last" -e -q --source >partials.ndjson
rows=$(wc -l <partials.ndjson)
for _ in $(seq "$RUNS"); do
	/usr/bin/time -f '%U %S' -o cpu.merge \
	    hs-agg --merge --streams 64 $A partials.ndjson >merged.ndjson \
	    2>merge.err
	awk -v n="$rows" '{ c = $1 + $2; printf "merge: %d rows (partials " \
	    "and progress) in %.2f s CPU: %.1f us a row, %.0f rows/cpu-s\n",
	    n, c, c / n * 1e6, n / c }' cpu.merge
done
# A check, not a figure: with more than about 300 cycles the mock cluster's
# retention (~5 MB a partition) has dropped the oldest partials, and the
# merged rows are fewer.
hs-replay -c "0-$((CYCLES - 1))" "$ROOT/testdata/uci" | hs-window -w 1m -l 10s |
    hs-agg $A | grep -v '^{"_hs"' | sort >single.rows
grep -v '^{"_hs"' merged.ndjson | sort >merged.rows
printf 'merged rows: %d, rows of one machine: %d; %s\n' \
    "$(wc -l <merged.rows)" "$(wc -l <single.rows)" \
    "$(cat merge.err 2>/dev/null | sed 's/^hs-agg: //; s/ (.*//')"
