# tests/bench/kafka.sh - hs-kafkacat beside kcat on one mock cluster
# (hs-kafkacat --mock 3), each with its default configuration: produce 10,
# 40,000 and 1,000,000 real sample events into fresh topics (created by
# the first message) and into existing ones, and consume them whole with
# -e; then, on the same cluster with 2,000 more topics of 8 partitions,
# produce 10 events into fresh topics again and list the metadata (-L;
# kcat's lists no offsets). Sourced by run.sh: the section "kafka". Issue
# 14's goal: hs-kafkacat at least as fast as kcat in every run.

kafka_mock() {
	mkfifo mock.ctl
	hs-kafkacat --mock 3 <mock.ctl >mock.boot 2>mock.err &
	local pid=$!
	exec 9>mock.ctl
	cleanups+=("exec 9>&-; wait $pid")
	for _ in $(seq 100); do [ -s mock.boot ] && break; sleep 0.05; done
	B=$(head -1 mock.boot)
}

# Create a topic of 64 partitions (the mock keeps ~5 MB a partition:
# 1M events fit whole).
kafka_topic() {	# NAME
	echo "topic $1 64" >&9
	for _ in $(seq 100); do grep -q "ok: topic $1 " mock.err && return; sleep 0.05; done
}

section_kafka() {
	local runs=${BENCH_KAFKA_RUNS:-5} n name in got
	say ""
	say "== hs-kafkacat beside kcat $(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\).*/\1/p'), mock cluster of 3 brokers, defaults of each ($runs runs)"
	kafka_mock
	for n in 10 40000 1000000; do
		in=ev$n.ndjson
		head -n "$n" events.ndjson >"$in"
		name=$n
		[ "$n" = 40000 ] && name=40k
		[ "$n" = 1000000 ] && name=1M
		compare "produce $name, fresh topics" every 1 \
		    "$(tm hs-kafkacat-P)hs-kafkacat -P -b $B -t hs-\$(date +%s%N) <$in" \
		    kcat "$(tm kcat)kcat -P -b $B -t kc-\$(date +%s%N) <$in"
		[ "$n" = 10 ] && continue
		kafka_topic "hs-$n"
		kafka_topic "kc-$n"
		compare "produce $name, existing topic" every 1 \
		    "$(tm hs-kafkacat-P)hs-kafkacat -P -b $B -t hs-$n <$in" \
		    kcat "$(tm kcat)kcat -P -b $B -t kc-$n <$in"
		kafka_topic "c-$n"
		# keyed, so that the hash spreads the events over the partitions
		hs-kafkacat -P -b "$B" -t "c-$n" -k '{sensor}{timestamp}' "$in"
		# one untimed run of each first (hyperfine's --warmup), so that
		# no timed run is the first after the load
		hs-kafkacat -C -b "$B" -t "c-$n" -e >hs.out
		kcat -C -b "$B" -t "c-$n" -e -q >kcat.out
		compare "consume $name" every 1 \
		    "$(tm hs-kafkacat-C)hs-kafkacat -C -b $B -t c-$n -e >hs.out" \
		    kcat "$(tm kcat)kcat -C -b $B -t c-$n -e -q >kcat.out"
		# hs-kafkacat's stream carries control records (source
		# watermarks, the end): the events are the other lines
		for got in hs.out kcat.out; do
			[ "$(grep -vc '^{"_hs"' $got)" -eq "$n" ] ||
			    say "  WARNING: $got has $(grep -vc '^{"_hs"' $got) of $n events"
		done
	done	# what starting costs must not grow with the cluster
	for n in $(seq 2000); do echo "topic many-$n 8"; done >&9
	for _ in $(seq 300); do
		grep -q "ok: topic many-2000 " mock.err && break
		sleep 0.1
	done
	n=$(grep -c "ok: topic many-" mock.err)
	[ "$n" -eq 2000 ] || say "  WARNING: the mock made $n of the 2000 topics"
	compare "produce 10, fresh topics, 2000 more topics" every 1 \
	    "hs-kafkacat -P -b $B -t hs-\$(date +%s%N) <ev10.ndjson" \
	    kcat "kcat -P -b $B -t kc-\$(date +%s%N) <ev10.ndjson"
	compare "-L, 16,000 more partitions (kcat: no offsets)" none 0 \
	    "hs-kafkacat -L -b $B >/dev/null" kcat "kcat -L -b $B >/dev/null"
}
