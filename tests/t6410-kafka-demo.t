#!/bin/bash
# The README's Kafka demo (make demo-kafka, hs-kafkacat(1)'s example): the
# whole shipped data set through per-sensor topics of the mock cluster,
# with the original ten seconds of lateness, gives the 17,640 rows of the
# same pipeline without Kafka and drops nothing.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

agg() { hs-agg -g sensor -a count,avg,max,min,sum -f value; }

test_expect 'the whole data set through Kafka: the batch rows exactly, 0 late' '
	for s in CE CP SE TS1 TS2 TS3 TS4 VS1; do
		mock_cmd "topic hydraulic-$s 8" || exit 1; done &&
	hs-replay "$TESTDATA/uci" |
	    hs-kafkacat -P -b "$B" -t "hydraulic-{sensor}" -k "{cycle}" &&
	hs-kafkacat -L -b "$B" | grep "\"topic\":\"hydraulic-" >md &&
	! grep -v "\"low\":0," md &&
	hs-kafkacat -C -b "$B" -G demo -e -q "^hydraulic-.*" |
	    hs-window -w 1m -l 10s 2>w.err | agg >kafka 2>a.err &&
	hs-replay "$TESTDATA/uci" | hs-window -w 1m -l 10s | agg >batch &&
	grep -v "^{\"_hs\"" kafka | sort >have &&
	grep -v "^{\"_hs\"" batch | sort >want &&
	test_lines want 17640 && test_cmp want have &&
	test ! -s w.err && test ! -s a.err
'

test_expect 'and through hs-fmt, the table of the demo' '
	hs-kafkacat -C -b "$B" -G demo2 -e -q "^hydraulic-.*" |
	    hs-window -w 1m -l 10s | agg | hs-fmt >table &&
	test "$(grep -c "^|\[2025-.*|  *60|" table)" -eq 17640
'

test_done
