#!/bin/bash
# Timestamps without a zone are local time: in the zone of --tz, else of
# TZ, else the system's, as date(1) reads them and Spark's session time
# zone does. The original producer wrote local time without a zone.
. "$(dirname "$0")/lib.sh"

naive() {	# the original producer's form: local time, no zone
	echo '{"sensor":"PS1","value":1,"timestamp":"2025-11-10T03:11:00.123456"}'
}
window_start() { sed -n 's/.*"window":{"start":"\([^"]*\)".*/\1/p'; }

test_expect 'unit: zones, daylight-saving gaps and overlaps, the hour cache' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/timezone_test" >unit &&
	! grep "^not ok" unit && grep -q "^1\.\." unit
'

test_expect 'hs-window reads a time without a zone in the zone of TZ' '
	naive | TZ=Europe/Berlin hs-window -w 1m | window_start >out &&
	echo 2025-11-10T02:11:00.000Z >expect && test_cmp expect out &&
	naive | TZ=UTC hs-window -w 1m | window_start >out &&
	echo 2025-11-10T03:11:00.000Z >expect && test_cmp expect out
'

test_expect '--tz wins over TZ; an explicit zone wins over both' '
	naive | TZ=Europe/Berlin hs-window -w 1m --tz America/New_York |
	    window_start >out &&
	echo 2025-11-10T08:11:00.000Z >expect && test_cmp expect out &&
	echo "{\"timestamp\":\"2025-11-10T03:11:00Z\"}" |
	    hs-window -w 1m --tz Asia/Kolkata | window_start >out &&
	echo 2025-11-10T03:11:00.000Z >expect && test_cmp expect out
'

test_expect 'a local time in the gap of a daylight-saving change moves later' '
	echo "{\"timestamp\":\"2025-03-30T02:30:00\"}" |
	    hs-window -w 1m --tz Europe/Berlin | window_start >out &&
	echo 2025-03-30T01:30:00.000Z >expect && test_cmp expect out
'

test_expect 'hs-fmt and hs-detect read event times by the same rule' '
	naive | hs-fmt -o influx --tz Europe/Berlin >out &&
	grep -q " 1762740660123456000$" out &&
	naive | TZ=Europe/Berlin hs-fmt -o influx >out &&
	grep -q " 1762740660123456000$" out &&
	{ naive; echo "{\"sensor\":\"PS1\",\"value\":1,\"timestamp\":\"2025-11-10T02:13:00Z\"}"; } |
	    hs-detect --gap 1m --tz Europe/Berlin >out &&
	grep -q "\"value\":119.876544" out
'

test_expect 'an unknown zone is a usage error' '
	naive | test_exit 2 hs-window -w 1m --tz Mars/Olympus_Mons 2>err &&
	grep -q "unknown time zone .Mars/Olympus_Mons." err &&
	test_exit 2 hs-fmt --tz nowhere </dev/null 2>/dev/null &&
	test_exit 2 hs-detect --tz nowhere </dev/null 2>/dev/null
'

test_done
