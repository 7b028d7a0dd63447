#!/bin/bash
# hs-fmt and hostile input: empty, nested empty and duplicate keys in every
# mode, control characters, U+0000 and non-ASCII text, and floods of
# distinct names, which must cost bounded memory.
. "$(dirname "$0")/lib.sh"

MODES="table csv tsv json pretty prom influx sql spark svg"

test_expect 'an empty key, nested empty keys and duplicate keys crash no mode' '
	printf "%s\n" "{\"\":{\"a\":1}}" "{\"\":{\"\":{\"\":2}},\"sensor\":\"s\",\"value\":3}" \
	    "{\"a\":1,\"a\":2,\"sensor\":\"x\",\"sensor\":\"y\",\"value\":4,\"value\":5}" >keys &&
	for m in $MODES; do
		hs-fmt -o $m keys >out.$m 2>err.$m; rc=$?
		[ $rc -le 1 ] || { echo "$m: exit $rc"; cat err.$m; return 1; }
	done &&
	head -1 out.csv | grep -qx "\.a,\.\.,sensor,value,a" &&
	grep -qx "1,,,," out.csv && grep -qx ",2,s,3," out.csv &&
	grep -qx ",,y,5,2" out.csv &&
	grep -q "^|  *| *2|s  *| *3| *|$" out.table &&
	promtool check metrics <out.prom &&
	grep -qx "hydraulic_value{sensor=\"y\"} 5" out.prom &&
	sqlite3 k.db <out.sql &&
	test "$(sqlite3 k.db "SELECT sensor, value, a FROM hydraulic_aggregations WHERE a = 2")" = "y|5|2" &&
	grep -q "^hydraulic,sensor=y a=2,value=5$" out.influx &&
	rsvg-convert out.svg >out.png
'

test_expect 'U+0000 in a key or a value is a bad record in every mode' '
	printf "%s\n" "{\"a\\u0000b\":1,\"sensor\":\"s\",\"value\":1}" \
	    "{\"ab\":2,\"sensor\":\"s\\u0000\",\"value\":2}" "{\"ab\":3,\"sensor\":\"s\",\"value\":3}" >nul &&
	for m in $MODES; do
		test_exit 1 hs-fmt -o $m nul >out.$m 2>err || return 1
		test "$(grep -c "^hs-fmt: nul:[12]: " err)" -eq 2 || return 1
	done &&
	printf "ab,sensor,value\n3,s,3\n" >expect && test_cmp expect out.csv &&
	grep -q "^{\"ab\":3," out.json && grep -q "| 3|s     |    3|" out.table
'

test_expect 'keys are decoded: an escaped name is the same name' '
	echo "{\"caf\\u00e9\":1,\"b\":2}" | hs-fmt -o csv -f café >out &&
	printf "café\n1\n" >expect && test_cmp expect out
'

test_expect 'control characters and non-ASCII text in table, CSV, TSV and JSON' '
	printf "%s\n" "{\"s\":\"tab\\there\\u0001\\u007f\\r\\né 温\",\"n\":1}" >ctl &&
	hs-fmt ctl >out &&
	grep -qF "|tab\\there\\u0001\\u007f\\r\\né 温|1|" out &&
	hs-fmt -o csv ctl >out &&
	python3 -c "import csv, json, sys
row = list(csv.DictReader(open(\"out\", newline=\"\")))[0]
want = json.loads(open(\"ctl\").read())[\"s\"]
sys.exit(row[\"s\"] != want)" &&
	hs-fmt -o tsv -H ctl >out &&
	printf "tab\\\\there\001\177\\\\r\\\\né 温\t1\n" >expect && test_cmp expect out &&
	hs-fmt -o json -f s ctl >out && jq -e ".s == \"tab\\there\\u0001\\u007f\\r\\né 温\"" out
'

test_expect 'a CSV file given where NDJSON is expected: a few lines and a hint, not a flood' '
	hs-replay -c 0-99 "$TESTDATA/uci" | hs-window -w 1m | hs-agg -g sensor -a count,avg -f value |
	    hs-fmt -o csv >agg.csv &&
	test_lines agg.csv 801 &&
	for m in csv table sql prom; do
		test_exit 1 hs-fmt -o $m agg.csv >out 2>err || return 1
		test "$(wc -l <err)" -le 10 || return 1
		grep -q "agg.csv:1: .*looks like CSV" err || return 1
		grep -q "801 bad records skipped" err || return 1
	done
'

# Peak resident memory of a command, in kilobytes; 0 under
# AddressSanitizer, whose quarantine holds freed memory.
peak_kb() {
	command time -f %M -o peak "$@" >/dev/null 2>&1
	if nm -D "$(command -v hs-fmt)" 2>/dev/null | grep -q __asan_init; then
		echo 0
	else
		tail -1 peak
	fi
}

test_expect 'a flood of distinct fields keeps the table bounded' '
	seq 1 10000 | sed "s/.*/{\"f&\":&}/" >flood &&
	kb=$(peak_kb hs-fmt flood) && echo "table: $kb KB" &&
	test "$kb" -lt 200000 &&
	hs-fmt flood | grep -c "^+" >borders && test "$(cat borders)" -gt 10
'

test_expect 'a flood of distinct series keeps prom and the charts bounded' '
	seq 1 120000 | sed "s/.*/{\"sensor\":\"s&\",\"value\":1}/" >series &&
	kb=$(peak_kb hs-fmt -o prom series) && echo "prom: $kb KB" &&
	test "$kb" -lt 300000 &&
	kb=$(peak_kb hs-fmt -o svg series) && echo "svg: $kb KB" &&
	test "$kb" -lt 100000
'

test_done
