#!/bin/bash
# hs-kafkacat: NDJSON to Kafka and back, on its own mock cluster.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

# Events of all 17 sensors of the rig (synthetic), N per sensor.
events17() {	# N
	awk -v n="$1" 'BEGIN {
		split("CE CP EPS1 FS1 FS2 PS1 PS2 PS3 PS4 PS5 PS6 SE TS1 TS2 TS3 TS4 VS1", s, " ")
		for (i = 0; i < n; i++) for (k = 1; k <= 17; k++)
			printf "{\"sensor\":\"%s\",\"cycle\":%d,\"sample_idx\":%d,\"value\":%d.25,\"timestamp\":\"2025-11-08T14:30:%02d.000Z\",\"sampling_rate_hz\":1}\n", s[k], int(i / 60), i % 60, i * k, i % 60
	}'
}

test_expect 'the mock cluster prints its bootstrap servers' '
	echo "$B" | grep -Eq "^127\.0\.0\.1:[0-9]+(,127\.0\.0\.1:[0-9]+){2}$"
'

test_expect 'the mock brokers send at once (TCP_NODELAY), as Kafka brokers do' '
	! grep "sockets" "$SCRATCH/.mock.err" &&
	for n in 1 5; do
		hs-kafkacat --mock $n </dev/null >boot 2>err &&
		test "$(head -1 boot | tr , "\n" | wc -l)" -eq $n &&
		! grep "sockets" err || exit 1
	done
'

test_expect 'the mock takes a burst of 200 commands at once, no client busy' '
	for i in $(seq 200); do echo "topic burst-$i 2"; done >&9 &&
	wait_until 20 "grep -q \"ok: topic burst-200 \" \"$SCRATCH/.mock.err\""
'

test_expect 'round trip: 17 per-sensor topics of 4 partitions, same multiset' '
	events17 300 >in &&
	hs-kafkacat -P -b "$B" -t "hydraulic-{sensor}" -k "{sample_idx}" in &&
	hs-kafkacat -L -b "$B" | grep "\"topic\":\"hydraulic-" >md &&
	test "$(cut -d\" -f4 md | sort -u | wc -l)" -eq 17 &&
	test "$(grep -c "\"topic\":\"hydraulic-PS1\"" md)" -eq 4 &&
	test "$(grep "\"topic\":\"hydraulic-PS1\"" md | grep -vc "\"high\":0}")" -gt 1 &&
	hs-kafkacat -C -b "$B" -G rt -e "^hydraulic-.*" >out &&
	sort in >a && grep -v "^{\"_hs\"" out | sort >b &&
	test_cmp a b
'

test_expect 'kcat consumes what hs-kafkacat produced, byte for byte' '
	events17 20 >in &&
	hs-kafkacat -P -b "$B" -t interop1 in &&
	kcat -C -b "$B" -t interop1 -e -q -f "%s\n" >out &&
	sort in >a && sort out >b && test_cmp a b
'

test_expect 'hs-kafkacat consumes what kcat produced, byte for byte' '
	events17 20 >in &&
	kcat -P -b "$B" -t interop2 <in &&
	hs-kafkacat -C -b "$B" -t interop2 -e --no-watermark >out &&
	sort in >a && sort out >b && test_cmp a b
'

test_expect '--source adds topic, partition, offset, key and timestamp' '
	echo "{\"sensor\":\"PS1\",\"value\":1}" | hs-kafkacat -P -b "$B" -t src -k "{sensor}" -p 2 &&
	hs-kafkacat -C -b "$B" -t src -e --source >out &&
	grep -Eq "^\{\"sensor\":\"PS1\",\"value\":1,\"_src\":\{\"topic\":\"src\",\"partition\":2,\"offset\":0,\"key\":\"PS1\",\"ts\":[0-9]{13}\}\}$" out
'

test_expect '-o: absolute, relative to the end, -c stops after N' '
	seq 0 99 | sed "s/.*/{\"i\":&}/" | hs-kafkacat -P -b "$B" -t offs -p 0 &&
	hs-kafkacat -C -b "$B" -t offs -p 0 -o 90 -e >out &&
	test_lines out 10 && head -1 out | grep -qx "{\"i\":90}" &&
	hs-kafkacat -C -b "$B" -t offs -p 0 -o -3 -e >out &&
	test_lines out 3 && head -1 out | grep -qx "{\"i\":97}" &&
	hs-kafkacat -C -b "$B" -t offs -p 0 -c 5 >out && test_lines out 5
'

test_expect 'bad payloads: reported with topic, partition and offset, counted' '
	printf "{\"ok\":1}\nnot json\n{\"ok\":2}\n[1,2]\n" | kcat -P -b "$B" -t bad -p 0 &&
	test_exit 1 hs-kafkacat -C -b "$B" -t bad -e >out 2>err &&
	grep -q "^hs-kafkacat: bad/0:1: payload is not a JSON object" err &&
	grep -q "^hs-kafkacat: bad/0:3: payload is not a JSON object" err &&
	grep -q "2 bad records skipped" err &&
	printf "{\"ok\":1}\n{\"ok\":2}\n" >expect && test_cmp expect out &&
	test_exit 1 hs-kafkacat -C -b "$B" -t bad -e --wrap >out 2>/dev/null &&
	grep -q "^{\"_raw\":\"not json\",\"_src\":{\"topic\":\"bad\",\"partition\":0,\"offset\":1" out
'

test_expect 'produce rejects lines that are not JSON objects, by line number' '
	printf "{\"sensor\":\"A\"}\nnope\n{\"x\":1}\n" >in &&
	test_exit 1 hs-kafkacat -P -b "$B" -t "rej-{sensor}" in 2>err &&
	grep -q "in:2: not a JSON object" err &&
	grep -q "in:3: no string or number field .sensor." err &&
	hs-kafkacat -C -b "$B" -t rej-A -e >out && test_lines out 1
'

test_expect 'an unknown topic: a clear error and exit 3' '
	mock_cmd "topic-error gone 3" &&
	test_exit 3 hs-kafkacat -C -b "$B" -t gone -e 2>err &&
	grep -q "^hs-kafkacat: gone: Broker: Unknown topic or partition" err
'

test_expect 'unreachable brokers: a clear error and exit 3 within the bound' '
	start=$(date +%s) &&
	echo "{}" | test_exit 3 hs-kafkacat -P -b 127.0.0.1:1 -m 1500 -t x 2>err &&
	test_exit 3 hs-kafkacat -C -b 127.0.0.1:1 -m 1500 -t x 2>>err &&
	test $(( $(date +%s) - start )) -le 8 &&
	grep -q "cannot reach the brokers 127.0.0.1:1 within 1500 ms" err
'

test_expect 'brokers from HS_BROKERS and properties from -F and -X' '
	echo "{\"a\":1}" | HS_BROKERS=$B hs-kafkacat -P -t envtopic &&
	printf "# test\nbootstrap.servers=%s\nclient.id=from-file\n" "$B" >k.conf &&
	hs-kafkacat -C -F k.conf -t envtopic -e >out && test_lines out 1 &&
	test_exit 2 hs-kafkacat -C -b "$B" -X no.such.property=1 -t envtopic 2>err &&
	grep -q "No such configuration property" err
'

test_expect 'a closed stdout ends the consumer quietly' '
	hs-kafkacat -C -b "$B" -t offs -p 0 -e 2>err | head -1 >out &&
	test_lines out 1 && test ! -s err
'

test_done
