#!/bin/bash
# hs-fmt: tables, CSV, TSV and JSON from NDJSON records.
. "$(dirname "$0")/lib.sh"

two_rows() {
	echo '{"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:31:00.000Z"},"sensor":"CE","count":60,"avg_value":39.60135}'
	echo '{"_hs":"watermark","watermark":"2025-11-08T14:31:00.000Z"}'
	echo '{"window":{"start":"2025-11-08T14:30:00.000Z","end":"2025-11-08T14:31:00.000Z"},"sensor":"PS1","count":6000,"avg_value":151.23}'
}

test_expect 'a table like the Spark console sink' '
	two_rows | grep -v _hs | hs-fmt >out &&
	cat >expect <<-\X &&
	+------------------------------------------+------+-----+---------+
	|window                                    |sensor|count|avg_value|
	+------------------------------------------+------+-----+---------+
	|[2025-11-08 14:30:00, 2025-11-08 14:31:00]|CE    |   60| 39.60135|
	|[2025-11-08 14:30:00, 2025-11-08 14:31:00]|PS1   | 6000|   151.23|
	+------------------------------------------+------+-----+---------+
	X
	test_cmp expect out
'

test_expect 'a watermark that ends rows prints them as a batch headed Batch: N, as Spark does' '
	two_rows | hs-fmt >out &&
	cat >expect <<-\X &&
	-------------------------------------------
	Batch: 0
	-------------------------------------------
	+------------------------------------------+------+-----+---------+
	|window                                    |sensor|count|avg_value|
	+------------------------------------------+------+-----+---------+
	|[2025-11-08 14:30:00, 2025-11-08 14:31:00]|CE    |   60| 39.60135|
	+------------------------------------------+------+-----+---------+
	-------------------------------------------
	Batch: 1
	-------------------------------------------
	+------------------------------------------+------+-----+---------+
	|window                                    |sensor|count|avg_value|
	+------------------------------------------+------+-----+---------+
	|[2025-11-08 14:30:00, 2025-11-08 14:31:00]|PS1   | 6000|   151.23|
	+------------------------------------------+------+-----+---------+
	X
	test_cmp expect out
'

test_expect 'Batch: N counts only the batches that print' '
	printf "%s\n" "{\"_hs\":\"trigger\",\"batch\":0}" "{\"a\":1}" \
	    "{\"_hs\":\"trigger\",\"batch\":1}" "{\"_hs\":\"trigger\",\"batch\":2}" \
	    "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00Z\"}" \
	    "{\"a\":2}" "{\"_hs\":\"trigger\",\"batch\":3}" | hs-fmt >out &&
	grep "^Batch" out >got && printf "Batch: 0\nBatch: 1\n" >expect &&
	test_cmp expect got && test "$(grep -c "^| *[12]|" out)" -eq 2
'

test_expect 'a batch of more than 1000 rows prints in parts under one heading' '
	{ echo "{\"_hs\":\"trigger\",\"batch\":0}"; seq 1 1500 | sed "s/.*/{\"i\":&}/";
	  echo "{\"_hs\":\"trigger\",\"batch\":1}"; echo "{\"i\":0}"; } | hs-fmt >out &&
	grep "^Batch" out >got && printf "Batch: 0\nBatch: 1\n" >expect &&
	test_cmp expect got && test "$(grep -c "^|i   |" out)" -eq 2 &&
	test "$(grep -c "^| *[0-9]*|" out)" -eq 1501
'

test_expect 'table widths count UTF-8 characters; control characters show escaped' '
	printf "{\"name\":\"Schütze\",\"n\":1}\n{\"name\":\"a\\\\nb\",\"n\":22}\n" | hs-fmt >out &&
	cat >expect <<-\X &&
	+-------+--+
	|name   |n |
	+-------+--+
	|Schütze| 1|
	|a\nb   |22|
	+-------+--+
	X
	test_cmp expect out
'

test_expect 'an East Asian wide character takes two columns of the table, as in Spark'"'"'s show()' '
	printf "%s\n" "{\"name\":\"日本\",\"n\":1}" "{\"name\":\"ｆｕｌｌ\",\"n\":2}" \
	    "{\"name\":\"𠀀é\",\"n\":3}" "{\"name\":\"abc\",\"n\":4}" | hs-fmt >out &&
	cat >expect <<-\X &&
	+--------+-+
	|name    |n|
	+--------+-+
	|日本    |1|
	|ｆｕｌｌ|2|
	|𠀀é     |3|
	|abc     |4|
	+--------+-+
	X
	test_cmp expect out
'

test_expect 'a trigger batch prints its own table with a title' '
	{ echo "{\"a\":1}"; echo "{\"_hs\":\"trigger\",\"batch\":7}"; echo "{\"a\":2}"; } |
	    hs-fmt >out &&
	test "$(grep -c "^|a|" out)" -eq 2 && grep -qx "Batch: 0" out &&
	grep -qx "Batch: 1" out
'

test_expect 'more than 1000 rows print as several tables' '
	seq 1 2500 | sed "s/.*/{\"i\":&}/" | hs-fmt >out &&
	test "$(grep -c "^|i   |" out)" -eq 3 &&
	test "$(grep -c "^| *[0-9]*|" out)" -eq 2500
'

test_expect 'CSV quotes quotes, commas and line breaks' '
	printf "%s\n" "{\"a\":\"x,y\",\"b\":\"say \\\"hi\\\"\",\"c\":\"l1\\nl2\",\"d\":null,\"e\":1.50}" |
	    hs-fmt -o csv >out &&
	printf "a,b,c,d,e\n\"x,y\",\"say \"\"hi\"\"\",\"l1\nl2\",,1.50\n" >expect &&
	test_cmp expect out &&
	mlr --icsv --ojson cat out | grep -q "\"b\": \"say \\\\\"hi\\\\\"\""
'

test_expect 'TSV escapes tabs, line breaks and backslashes' '
	cat >in <<-\X &&
	{"a":"t\tx","b":"l1\nl2","c":"back\\slash"}
	X
	hs-fmt -o tsv in >out &&
	printf "a\tb\tc\n%s\t%s\t%s\n" "t\\tx" "l1\\nl2" "back\\\\slash" >expect &&
	test_cmp expect out
'

test_expect '-f chooses and orders fields, nested ones by dotted name' '
	two_rows | hs-fmt -o csv -f sensor,window.start,count >out &&
	printf "sensor,window.start,count\nCE,2025-11-08T14:30:00.000Z,60\nPS1,2025-11-08T14:30:00.000Z,6000\n" >expect &&
	test_cmp expect out &&
	two_rows | hs-fmt -o csv -H -f count >out &&
	printf "60\n6000\n" >expect && test_cmp expect out
'

test_expect 'CSV without -f flattens nested objects to dotted names' '
	two_rows | hs-fmt -o csv | head -1 >out &&
	echo "window.start,window.end,sensor,count,avg_value" >expect &&
	test_cmp expect out
'

test_expect 'CSV header from a look-ahead: a column that first comes batches later is kept' '
	printf "%s\n" "{\"a\":1}" \
	    "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00Z\"}" \
	    "{\"a\":2,\"anomaly\":[{\"d\":\"t\"}]}" "{\"a\":3}" | hs-fmt -o csv >out &&
	printf "%s\n" a,anomaly 1, "2,\"[{\"\"d\"\":\"\"t\"\"}]\"" 3, >expect &&
	test_cmp expect out
'

test_expect 'a column first seen after the look-ahead is fatal, never dropped' '
	printf "%s\n" "{\"a\":1}" \
	    "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00Z\"}" \
	    "{\"a\":2,\"b\":3}" "{\"a\":4}" >in &&
	test_exit 3 hs-fmt -o csv --lookahead 1 in >out 2>err &&
	printf "a\n1\n" >expect && test_cmp expect out &&
	grep -q "in:3: field .b. is not in the CSV header.*first 1 records.*with -f" err &&
	test_exit 3 hs-fmt -o tsv --lookahead 1 in >out 2>err && grep -q "TSV header" err &&
	hs-fmt -o csv -f a,b in >out &&
	printf "a,b\n1,\n2,3\n4,\n" >expect && test_cmp expect out
'

test_expect 'the look-ahead ends after 1000 records without a batch end' '
	{ seq 1 1000 | sed "s/.*/{\"i\":&}/"; echo "{\"i\":0,\"late\":1}"; } |
	    hs-fmt -o csv >out 2>err; test $? -eq 3 &&
	grep -q "<stdin>:1001: field .late." err && test_lines out 1001
'

test_expect 'hs-detect findings keep their column in CSV (the README pipeline)' '
	hs-replay -c 0-9 -s CE,TS1 "$TESTDATA/uci" | hs-window -w 1m -l 10s |
	    hs-agg -g sensor -a count,avg -f value |
	    hs-detect -t "avg_value<20,CE" | hs-fmt -o csv >out &&
	head -1 out | grep -q ",anomaly$" &&
	test "$(mlr --icsv --onidx filter "\$anomaly != \"\"" then count out)" -gt 0
'

test_expect '--ofmt sets the precision of fractions in table, CSV and TSV, not integers' '
	echo "{\"n\":60,\"x\":39.601357,\"y\":1e-7,\"s\":\"1.23456\"}" >in &&
	hs-fmt -o csv --ofmt %.4f in >out &&
	printf "n,x,y,s\n60,39.6014,0.0000,1.23456\n" >expect && test_cmp expect out &&
	hs-fmt -o tsv -H --ofmt 2 in >out &&
	printf "60\t39.60\t0.00\t1.23456\n" >expect && test_cmp expect out &&
	hs-fmt -o csv -H --ofmt %.3e -f x in | grep -qx "3.960e+01" &&
	hs-fmt -o csv -H --ofmt %.6lf -f x in | grep -qx "39.601357" &&
	hs-fmt --ofmt %.1f in | grep -q "^|60|39.6|0.0|1.23456|$"
'

test_expect '--ofmt refuses what is not a precision' '
	for f in %d %s %.4 "%10.4f" "%.4f%n" 18 x %.99f; do
		test_exit 2 hs-fmt --ofmt "$f" </dev/null 2>err || return 1
	done && grep -q "is not %.Nf" err
'

test_expect 'json writes data rows only: no control record of any kind' '
	cat >in <<-\X &&
	{"_hs":"resume","id":3}
	{"a":1}
	{"_hs":"watermark","watermark":"2025-11-08T14:31:00Z"}
	{"_hs":"trigger","batch":0}
	{"_hs":"checkpoint","id":4,"positions":[]}
	{"a":2}
	{"_hs":"stop"}
	{"_hs":"end"}
	X
	hs-fmt -o json in >out &&
	printf "%s\n" "{\"a\":1}" "{\"a\":2}" >expect && test_cmp expect out
'

test_expect 'json passes records through unchanged, -f selects' '
	two_rows | grep -v _hs >expect &&
	two_rows | hs-fmt -o json >out && test_cmp expect out &&
	two_rows | hs-fmt -o json -f sensor,window.end | head -1 >out &&
	echo "{\"sensor\":\"CE\",\"window.end\":\"2025-11-08T14:31:00.000Z\"}" >expect &&
	test_cmp expect out
'

test_expect 'pretty indents by two spaces' '
	echo "{\"a\":1,\"b\":{\"c\":[true,null]},\"d\":{}}" | hs-fmt -o pretty >out &&
	cat >expect <<-\X &&
	{
	  "a": 1,
	  "b": {
	    "c": [
	      true,
	      null
	    ]
	  },
	  "d": {}
	}
	X
	test_cmp expect out
'

test_expect 'non-ASCII text passes through every format' '
	echo "{\"s\":\"Grüße 温度\"}" >in &&
	hs-fmt -o csv -H in | grep -qx "Grüße 温度" &&
	hs-fmt -o tsv -H in | grep -qx "Grüße 温度" &&
	hs-fmt in | grep -q "|Grüße 温度|" &&
	echo "{\"s\":\"\\u00fc\"}" | hs-fmt -o csv -H | grep -qx "ü"
'

test_expect 'a bad line is reported with input and line; the rest is shown' '
	{ echo "{\"a\":1}"; echo "{\"a\":"; echo "{\"a\":3}"; } |
	    test_exit 1 hs-fmt -o csv >out 2>err &&
	grep -q "^hs-fmt: <stdin>:2: invalid JSON" err &&
	printf "a\n1\n3\n" >expect && test_cmp expect out &&
	{ echo "{\"a\":"; } | test_exit 3 hs-fmt -S -o csv >/dev/null 2>&1
'

test_expect 'empty input prints nothing' '
	hs-fmt </dev/null >out && test ! -s out &&
	hs-fmt -o csv </dev/null >out && test ! -s out
'

test_expect 'usage errors exit 2' '
	test_exit 2 hs-fmt -o xml </dev/null 2>/dev/null &&
	test_exit 2 hs-fmt -f a,,b </dev/null 2>/dev/null
'

test_expect 'a closed pipe ends hs-fmt quietly' '
	seq 1 200000 | sed "s/.*/{\"i\":&}/" | hs-fmt -o csv 2>err | head -1 >out &&
	test_lines out 1 && test ! -s err
'

test_expect 'an empty string is an empty cell' '
	printf "%s\n" "{\"a\":\"\",\"b\":1}" | hs-fmt >out &&
	grep -qx "| |1|" out
'

test_done
