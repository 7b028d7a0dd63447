#!/bin/bash
# tests/bench/kafka.sh - hs-kafkacat beside kcat on the same mock cluster,
# in one run: produce and consume rates of NDJSON sample events, as
# ratios. Not a test: nothing passes or fails on time. Run by `make bench`.
set -euo pipefail
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$HS_BIN:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-kbench.XXXXXX")
cd "$work"
mkfifo ctl
hs-kafkacat --mock 3 <ctl >boot 2>mock.err &
mock=$!
exec 9>ctl
trap 'exec 9>&-; wait $mock; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s boot ] && break; sleep 0.05; done
B=$(head -1 boot)

# 600 cycles of the eight 1 Hz sensors: 288,000 events, 35 MB; spread
# over 8 partitions so that no partition passes the mock's 5 MB bound
hs-replay -c 0-599 "$ROOT/testdata/uci" >events
n=$(wc -l <events)
runs=${BENCH_RUNS:-5}
same="-X enable.idempotence=true -X acks=all -X linger.ms=5"
fetch="-X fetch.wait.max.ms=100"	# hs-kafkacat's default with -e

# wall seconds of a command
seconds() {
	local s
	s=$(date +%s%N)
	bash -c "$1" >/dev/null 2>&1
	awk -v t="$(( $(date +%s%N) - s ))" 'BEGIN { printf "%.3f", t / 1e9 }'
}
min() { printf "%s\n" "$@" | sort -g | head -1; }

# each run produces into fresh topics, then consumes one of them whole
hp=() kp=() hc=() kc=()
for i in $(seq "$runs"); do
	echo "topic hs-$i 8" >&9
	echo "topic kcat-$i 8" >&9
	sleep 0.3
	hp+=("$(seconds "hs-kafkacat -P -b $B -t hs-$i $same events")")
	kp+=("$(seconds "kcat -P -b $B -t kcat-$i $same <events")")
	hc+=("$(seconds "hs-kafkacat -C -b $B -t hs-$i -e $fetch")")
	kc+=("$(seconds "kcat -C -b $B -t kcat-$i -e -q -f '%s\n' $fetch")")
done
t_hs_p=$(min "${hp[@]}") t_kc_p=$(min "${kp[@]}")
t_hs_c=$(min "${hc[@]}") t_kc_c=$(min "${kc[@]}")

echo "hs-kafkacat beside kcat, mock cluster of 3 brokers, $n events (best of $runs):"
awk -v n="$n" -v hp="$t_hs_p" -v kp="$t_kc_p" -v hc="$t_hs_c" -v kc="$t_kc_c" 'BEGIN {
	printf "produce  hs-kafkacat %8.0f msg/s   kcat %8.0f msg/s   ratio %.2f\n", n / hp, n / kp, kp / hp
	printf "consume  hs-kafkacat %8.0f msg/s   kcat %8.0f msg/s   ratio %.2f\n", n / hc, n / kc, kc / hc
}'
echo "(consume: every hs-kafkacat line is also checked to be a JSON object)"
