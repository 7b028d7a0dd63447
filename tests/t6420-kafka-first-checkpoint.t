#!/bin/bash
# A checkpointed consumer cut off before its first periodic checkpoint:
# the stream already began with a checkpoint, so the stages downstream know
# it broke off rather than ended and write no partial window; a resume
# from that first checkpoint gives the rows of an uninterrupted run.
. "$(dirname "$0")/lib.sh"

start_mock 1
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

agg() { hs-agg -g sensor -a count,sum -f value "$@"; }

test_expect 'the first record of a checkpointed consumer is a checkpoint' '
	mock_cmd "topic cut 1" &&
	hs-replay -c 0-1 "$TESTDATA/uci" | grep -E "\"sensor\":\"(TS1|CE)\"" |
	    hs-kafkacat -P -b "$B" -t cut -k "{sensor}" &&
	hs-kafkacat -C -b "$B" -t cut -e --checkpoint 1h >all &&
	head -1 all | grep -qx "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":\[\]}" &&
	hs-window -w 1m -l 10s <all | agg | grep -v "^{\"_hs\"" | sort >want &&
	test_lines want 4
'

test_expect 'a stream cut before the next checkpoint writes no partial window' '
	head -n 50 all | hs-window -w 1m -l 10s --state w.state >w.out &&
	! grep -q "\"final\":true" w.out &&
	test_exit 3 agg --state a.state <w.out >rows 2>err &&
	grep -q "input ended without an end record: upstream failed" err &&
	! grep -q "^{\"window\"" rows
'

test_expect 'resumed from that first checkpoint: the rows of an uninterrupted run' '
	hs-kafkacat -C -b "$B" -t cut -e --checkpoint 1h --resume a.state |
	    hs-window -w 1m -l 10s --state w.state | agg --state a.state >rows &&
	grep -v "^{\"_hs\"" rows | sort >got && test_cmp want got
'

test_done
