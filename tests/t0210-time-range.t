#!/bin/bash
# Time is bounded: an instant outside the years 0001 to 9999 is a bad
# record wherever it comes from, durations cannot overflow, a window
# bound is always an instant the next stage reads back, a wild clock can be
# kept from silencing a stream (--max-ahead), and hopping windows are
# capped per event.
. "$(dirname "$0")/lib.sh"

test_expect 'instants and durations are bounded (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/timefmt_test" >tap &&
	! grep -q "^not ok" tap
'

ev() {	# TIMESTAMP-JSON [SENSOR]
	echo "{\"sensor\":\"${2:-a}\",\"value\":1,\"timestamp\":$1}"
}

test_expect 'epoch times that would overflow microseconds are bad records, and input ends' '
	{ ev 9.5e15; ev -9.3e15; ev 1e16; ev 1.7e308; ev 1762612200; } >epoch.in &&
	timeout 20 hs-window -w 1m epoch.in >out 2>err; test $? -eq 1 &&
	test "$(grep -c "unparsable time" err)" -eq 4 &&
	grep -q "4 bad records skipped" err &&
	grep -q "\"timestamp\":1762612200,\"window\"" out
'

test_expect 'ISO times outside the years 0001 to 9999 are bad records' '
	{ ev "\"0000-12-31T23:59:59Z\""; ev "\"0001-01-01T00:30:00+01:00\"";
	  ev "\"0001-01-01T00:00:00Z\""; } >iso.in &&
	test_exit 1 hs-window -w 1m iso.in >out 2>err &&
	grep -q "2 bad records skipped" err &&
	grep -q "\"start\":\"0001-01-01T00:00:00.000Z\"" out
'

test_expect 'an event whose window would end after 9999 is a bad record, not an unreadable window' '
	{ ev "\"9999-12-31T23:58:30Z\""; ev "\"9999-12-31T23:59:30Z\""; } >far.in &&
	test_exit 1 hs-window -w 1m far.in >out 2>err &&
	grep -q "far.in:2: field .timestamp.: its window would not lie within the years 0001 to 9999" err &&
	! grep -q "10000-" out &&
	hs-agg -g sensor -a count out >agg 2>err2 && test ! -s err2 &&
	grep -q "\"end\":\"9999-12-31T23:59:00.000Z\"},\"sensor\":\"a\",\"count\":1" agg
'

test_expect 'a watermark far behind the first event stays a readable instant' '
	ev "\"0001-01-01T00:00:10Z\"" | hs-window -w 1m -l 3650d >out &&
	hs-agg -a count out >/dev/null &&
	! grep -q "\"watermark\":\"-" out
'

test_expect 'durations that overflow are usage errors, not negative sizes' '
	test_exit 2 hs-window -w 5e18us5e18us </dev/null 2>err &&
	grep -q "invalid duration .5e18us5e18us." err &&
	test_exit 2 hs-window -w 1m -l 9e18us </dev/null 2>err
'

test_expect 'a bad duration names the accepted forms, in every tool' '
	test_exit 2 hs-window -w 1x </dev/null 2>err &&
	grep -q "expected a duration such as 10s, 250ms, 1m30s, 2h, 1d, .10 seconds. or .1 hour 30 minutes." err &&
	test_exit 2 hs-agg -a count --mode update --trigger soon </dev/null 2>err &&
	grep -q "1 hour 30 minutes" err &&
	test_exit 2 hs-detect --gap never </dev/null 2>err &&
	grep -q "1 hour 30 minutes" err &&
	test_exit 2 hs-kafkacat -C -b 127.0.0.1:1 -t x --checkpoint often 2>err &&
	grep -q "1 hour 30 minutes" err
'

test_expect 'Spark duration spellings give the same windows as the short forms' '
	hs-replay -c 0-1 -s TS1 "$TESTDATA/uci" >ev.in &&
	hs-window -w 1m -s 10s -l 10s ev.in >short &&
	hs-window -w "1 minute" -s "10 seconds" -l "interval 10 seconds" ev.in >spelled &&
	test_cmp short spelled &&
	hs-window -w "1 hour 30 minutes" ev.in >a && hs-window -w 1h30m ev.in >b &&
	test_cmp a b &&
	printf "{\"_hs\":\"end\"}\n" | hs-agg -a count --mode update --trigger "1 second" >/dev/null
'

test_expect 'hopping windows of more than 10000 windows per event are a usage error' '
	timeout 10 hs-window -w 1d -s 1ms </dev/null 2>err; test $? -eq 2 &&
	grep -q "put each event in 86400000 windows; at most 10000" err &&
	echo "{\"timestamp\":0}" | hs-window -w 1h -s 1s >out &&
	test "$(grep -c "\"window\"" out)" -eq 3600
'

test_expect '--max-ahead: one wild clock is a bad record and does not silence the stream' '
	{ ev "\"2025-11-08T14:30:00Z\""; ev "\"9999-01-01T00:00:00Z\"";
	  ev "\"2025-11-08T14:30:30Z\""; ev "\"2025-11-08T14:31:10Z\""; } >wild.in &&
	hs-window -w 1m wild.in 2>err >out &&
	grep -q "2 late events dropped" err &&
	test_exit 1 hs-window -w 1m --max-ahead 1h wild.in >out 2>err &&
	grep -q "wild.in:2: field .timestamp.: 9999-01-01T00:00:00.000Z is further than --max-ahead 1h past the watermark 2025-11-08T14:30:00.000Z" err &&
	! grep -q "late event" err &&
	test "$(grep -c "\"window\"" out)" -eq 3
'

test_done
