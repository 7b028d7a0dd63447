#!/bin/bash
# hs-fmt -o influx: InfluxDB line protocol, written into a real InfluxDB
# server on loopback and read back with queries.
. "$(dirname "$0")/lib.sh"

# Start influxd on free loopback ports with its files in the scratch
# directory; $INFLUX gets its HTTP address.
start_influx() {
	for _try in 1 2 3 4 5; do
		_port=$((20000 + RANDOM % 20000))
		mkdir -p influx
		cat >influx/conf <<-X
		reporting-disabled = true
		bind-address = "127.0.0.1:$((_port + 1))"
		[meta]
		  dir = "$SCRATCH/influx/meta"
		[data]
		  dir = "$SCRATCH/influx/data"
		  wal-dir = "$SCRATCH/influx/wal"
		  query-log-enabled = false
		[http]
		  bind-address = "127.0.0.1:$_port"
		  log-enabled = false
		[monitor]
		  store-enabled = false
		X
		influxd -config influx/conf >influx/log 2>&1 &
		INFLUX_PID=$!
		INFLUX=http://127.0.0.1:$_port
		if wait_until 20 "curl -sf -o /dev/null $INFLUX/ping ||
		    ! kill -0 $INFLUX_PID 2>/dev/null" &&
		    kill -0 $INFLUX_PID 2>/dev/null; then
			test_at_exit "kill $INFLUX_PID; wait $INFLUX_PID 2>/dev/null"
			curl -sf -XPOST "$INFLUX/query" --data-urlencode \
			    "q=CREATE DATABASE hs" >/dev/null
			return
		fi
		kill $INFLUX_PID 2>/dev/null; wait $INFLUX_PID 2>/dev/null
	done
	echo "Bail out! influxd did not start"; cat influx/log; exit 1
}
influx_write() {	# lines on stdin; fails unless InfluxDB took them all
	curl -sf -XPOST "$INFLUX/write?db=hs" --data-binary @-
}
influx_query() {	# QUERY: results as CSV
	curl -sf -G "$INFLUX/query" -H "Accept: application/csv" \
	    --data-urlencode db=hs --data-urlencode "q=$1"
}

test_expect 'a record is a line: measurement, tags, fields, time in ns' '
	echo "{\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"},\"sensor\":\"CE\",\"count\":60,\"avg_value\":39.6,\"ok\":true}" |
	    hs-fmt -o influx >out &&
	echo "hydraulic,sensor=CE count=60,avg_value=39.6,ok=true 1762612200000000000" >expect &&
	test_cmp expect out
'

test_expect 'escaping: measurement, tag and field keys, tag values, strings' '
	cat >in <<-\X &&
	{"sensor":"a b,c=d\\e","note":"say \"hi\"\\ok","v":1,"empty":""}
	X
	hs-fmt -o influx -k sensor,empty -n "m x,y" <in >out &&
	cat >expect <<-\X &&
	m\ x\,y,sensor=a\ b\,c\=d\e note="say \"hi\"\\ok",v=1
	X
	test_cmp expect out
'

test_expect 'a record without any field is reported with its line' '
	printf "%s\n" "{\"sensor\":\"A\",\"v\":1}" "{\"sensor\":\"B\"}" >in &&
	test_exit 1 hs-fmt -o influx in >out 2>err &&
	test_lines out 1 && grep -q "in:2: no field" err
'

test_expect 'a time outside the nanoseconds InfluxDB counts is reported' '
	echo "{\"sensor\":\"A\",\"v\":1,\"timestamp\":\"2300-01-01T00:00:00Z\"}" >far &&
	test_exit 1 hs-fmt -o influx far >out 2>err &&
	test ! -s out && grep -q "far:1: time out of the range" err
'

test_expect 'U+0000 and numbers beyond a double are bad records; 1e-400 is 0' '
	printf "%s\n" "{\"sensor\":\"a\\u0000b\",\"v\":1}" "{\"sensor\":\"a\",\"s\":\"x\\u0000\",\"v\":1}" \
	    "{\"sensor\":\"a\",\"v\":1e400}" "{\"sensor\":\"a\",\"v\":1e-400}" >bad &&
	test_exit 1 hs-fmt -o influx -k sensor bad >out 2>err &&
	grep -q "bad:1: .*u0000" err && grep -q "bad:2: .*u0000" err &&
	grep -q "bad:3: field .v. holds a number beyond the range" err &&
	echo "hydraulic,sensor=a v=0" >expect && test_cmp expect out
'

start_influx

test_expect 'InfluxDB stores the windowed aggregates of the real data' '
	hs-replay -c 0-19 -s CE,TS1,VS1 "$TESTDATA/uci" | hs-window -w 1m |
	    hs-agg -g sensor -a count,avg,max,min,sum -f value >agg &&
	hs-fmt -o influx agg | influx_write &&
	influx_query "SELECT count(avg_value), max(max_value), min(min_value) FROM hydraulic GROUP BY sensor" |
	    cut -d, -f2,4- | grep -v "^tags," | sort >got &&
	mlr --ijson --ocsv --headerless-csv-output stats1 -a count,max,min \
	    -f avg_value,max_value,min_value -g sensor then \
	    cut -o -f sensor,avg_value_count,max_value_max,min_value_min \
	    then put "\$sensor = \"sensor=\" . \$sensor" agg | sort >want &&
	test_lines got 3 && test_cmp want got
'

test_expect 'points carry the window start as their time' '
	influx_query "SELECT avg_value FROM hydraulic WHERE sensor = '"'"'CE'"'"' LIMIT 2" |
	    cut -d, -f3 >got &&
	printf "time\n1762612200000000000\n1762612260000000000\n" >expect &&
	test_cmp expect got
'

test_expect 'quotes, backslashes, control characters and UTF-8 come back as written' '
	cat >in <<-\X &&
	{"sensor":"Schütze \"q\" a\\b\t\u0001 温","note":"l1\nl2 \"x\" \\ é\u0007\r\t","v":42,"timestamp":"2025-11-08T15:00:00Z"}
	X
	hs-fmt -o influx -k sensor in | influx_write &&
	curl -sf -G "$INFLUX/query" --data-urlencode db=hs \
	    --data-urlencode "q=SELECT note, sensor FROM hydraulic WHERE v = 42" |
	    jq -c ".results[0].series[0].values[0][1:]" >got &&
	jq -c "[.note, .sensor]" in >want &&
	test_cmp want got
'

test_done
