#!/bin/bash
# tests/demo-scale.sh - `make demo-scale`: more than one machine on one
# (README, "More than one machine"). The mock cluster; CYCLES cycles of the
# real data replayed into the per-sensor topics (8 partitions each, keyed
# by sensor and cycle); three instances of the partial pipeline in one
# consumer group; a merge stage; the table `make demo` prints, its rows in
# the same order (several lanes of the merge write in turn). Every
# process it starts is ended when it ends.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PATH=$ROOT/bin:$PATH
CYCLES=${CYCLES:-10}
A="-g sensor -a count,avg,max,min,sum -f value"
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-scale.XXXXXX")
pids=

cleanup() {
	for p in $pids; do
		kill -- "-$p" 2>/dev/null || true
	done
	exec 9>&-
	wait
	rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

mkfifo mock.ctl
hs-kafkacat --mock 1 <mock.ctl >mock.boot 2>mock.err &
exec 9>mock.ctl
until [ -s mock.boot ]; do sleep 0.05; done
B=$(head -1 mock.boot)
sensors=$(hs-replay -c 0-0 "$ROOT/testdata/uci" | jq -r .sensor | sort -u)
for s in $sensors; do
	echo "topic hydraulic-$s 8" >&9
done
echo "topic partials 4" >&9
until [ "$(grep -c "ok: topic" mock.err)" -gt "$(echo $sensors | wc -w)" ]; do
	sleep 0.05
done

echo "replaying $CYCLES cycles into the per-sensor topics..." >&2
hs-replay -c "0-$((CYCLES - 1))" "$ROOT/testdata/uci" |
    hs-kafkacat -P -b "$B" -t 'hydraulic-{sensor}' -k '{sensor}{cycle}'

# An instance: a machine of its own in real life; here a process group.
for n in 1 2 3; do
	setsid bash -c "hs-kafkacat -C -b $B -G agg -e -q --source \
	    --checkpoint 1s --commit-from pos.$n '^hydraulic-.*' |
	    hs-window -w 1m -l 10s --per-partition --state w.$n |
	    hs-agg --partial $A --state a.$n |
	    hs-kafkacat -P -b $B -t partials -k '{_key}' \
	    --broadcast _progress --commit-to pos.$n" &
	pids="$pids $!"
done
echo "three instances in consumer group agg..." >&2
wait $pids
pids=
# A window is final once every source partition with events has passed
# it: so many the merge must hear of.
sources=$(hs-kafkacat -L -b "$B" | jq -s '[.[] | select(.topic != null and
    (.topic | startswith("hydraulic-")) and .high > .low)] | length')
echo "merging their partials, from $sources source partitions:" >&2
hs-kafkacat -C -b "$B" -G merge -e -q --source partials |
    hs-agg --merge --streams "$sources" $A | grep '^{"window"' | sort |
    hs-fmt -o table
