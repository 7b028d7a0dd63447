#!/bin/bash
# hs-kafkacat -P into topics the client has not met: each topic's metadata
# is asked for as soon as the topic is met, not at librdkafka's scan of
# unknown topics (once a second). message.timeout.ms=500 makes a message
# that waits for that scan fail its delivery, so these tests fail when a
# fresh topic waits for it, without timing anything themselves.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

test_expect 'a fresh topic gets its first messages without waiting for the metadata scan' '
	seq 10 | sed "s/.*/{\"i\":&}/" >in &&
	hs-kafkacat -P -b "$B" -t fresh1 -X message.timeout.ms=500 in &&
	hs-kafkacat -C -b "$B" -t fresh1 -e >out &&
	sort in >a && sort out >b && test_cmp a b
'

test_expect 'fresh topics named by a template get their messages without waiting' '
	hs-replay -c 0 "$TESTDATA/uci" >in &&
	hs-kafkacat -P -b "$B" -t "fresh-{sensor}" -k "{sensor}" \
	    -X message.timeout.ms=500 in &&
	hs-kafkacat -C -b "$B" -G fresh -e -q --no-watermark "^fresh-.*" >out &&
	sort in >a && sort out >b && test_cmp a b
'

test_done
