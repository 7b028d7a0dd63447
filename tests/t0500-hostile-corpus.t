#!/bin/bash
# The hostile corpus through every tool: long lines, deep nesting, every
# escape, invalid UTF-8, NUL, huge numbers, duplicate keys, CRLF and BOM,
# blank lines. No crash; every output line valid JSON in valid UTF-8; every
# valid event counted; every invalid line reported once.
. "$(dirname "$0")/lib.sh"

ts='"timestamp":"2025-11-08T14:30:00Z"'
# valid events: each has sensor A, a finite value and a timestamp
{
	printf '\xef\xbb\xbf{"sensor":"A","value":1,%s}\r\n' "$ts"	# 1 BOM, CRLF
	echo							# 2 blank
	printf '{"sensor":"A","value":2,%s,"e":"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00"}\n' "$ts"
	printf '{"sensor":"B","value":3,%s,"big":[1e308,-1e308,123456789012345678901234567890,1e-400]}\n' "$ts"
	printf '{"sensor":"x","value":4,%s,"sensor":"A"}\n' "$ts"	# 5 duplicate key
	printf '{"sensor":"A","value":5,%s,"deep":%s1%s}\n' "$ts" \
	    "$(printf '[%.0s' $(seq 1 60))" "$(printf ']%.0s' $(seq 1 60))"
	printf '{"sensor":"A","value":6,%s,"long":"%s"}\n' "$ts" "$(head -c 500000 /dev/zero | tr '\0' a)"
	printf '   \t \r\n'						# 8 blank
	printf '{"sensor":"\xc3\xa9\xe2\x82\xac","value":7,%s}\n' "$ts"
} >hostile.ndjson
valid=7
# invalid lines, one of each kind, and their line numbers
{
	printf '{"sensor":"A","value":1,%s,"pad":"%s"}\n' "$ts" "$(head -c 1100000 /dev/zero | tr '\0' a)"
	printf '{"sensor":"A","value":1,%s,"deep":%s1%s}\n' "$ts" \
	    "$(printf '[%.0s' $(seq 1 70))" "$(printf ']%.0s' $(seq 1 70))"
	printf '{"sensor":"\xff","value":1,%s}\n' "$ts"
	printf '{"sensor":"A","value":1,%s,"k":"\xed\xa0\x80"}\n' "$ts"
	printf '{"sensor":"A","value":1,%s,"\xc0\xaf":1}\n' "$ts"
	printf '{"sensor":"A\\u0000","value":1,%s}\n' "$ts"
	printf '{"sensor":"A","value":1,%s,"n":"a\0b"}\n' "$ts"
	printf '{"sensor":"\\udc00","value":1,%s}\n' "$ts"
	printf '{"sensor":"A","value":1,%s,"x":[1,2}\n' "$ts"
	printf '{"_hs":"watermark\xff"}\n'
} >>hostile.ndjson
bad_lines="10 11 12 13 14 15 16 17 18 19"
nbad=10

# no crash, exit 1; each invalid line reported exactly once; the count
check_stderr() {	# ERR
	for n in $bad_lines; do
		test "$(grep -c "hostile.ndjson:$n: " "$1")" -eq 1 ||
		    { echo "line $n not reported once"; cat "$1"; return 1; }
	done
	grep -q "$nbad bad records skipped" "$1"
}
valid_utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null; }
valid_ndjson() { valid_utf8 "$1" && jq -c . "$1" >/dev/null; }

test_expect 'hs-window: every valid event windowed, every invalid line reported once' '
	test_exit 1 hs-window -w 1m hostile.ndjson >out 2>err && check_stderr err &&
	valid_ndjson out && test "$(grep -c "\"window\"" out)" -eq $valid
'

test_expect 'hs-agg: every valid event counted' '
	test_exit 1 hs-agg -g sensor -a count,avg -f value hostile.ndjson >out 2>err &&
	check_stderr err && valid_ndjson out &&
	test "$(jq -s "map(.count) | add" out)" -eq $valid &&
	grep -q "\"sensor\":\"A\",\"count\":5" out
'

test_expect 'hs-detect: every valid event passed on' '
	test_exit 1 hs-detect -p -t "value>5" hostile.ndjson >out 2>err &&
	check_stderr err && valid_ndjson out && test_lines out $valid
'

test_expect 'hs-score: no crash, the invalid lines reported once' '
	hs-score -l sensor -H A -u value hostile.ndjson >out 2>err; test $? -le 1 &&
	check_stderr err && valid_utf8 out
'

test_expect 'hs-fmt in every mode: valid UTF-8, NDJSON valid, every valid event' '
	for mode in json csv tsv table pretty prom influx sql spark svg; do
		hs-fmt -o $mode hostile.ndjson >out 2>err; rc=$?
		test $rc -eq 1 || { echo "$mode: exit $rc"; cat err; exit 1; }
		check_stderr err && valid_utf8 out || { echo "$mode"; exit 1; }
		case $mode in json) valid_ndjson out && test_lines out $valid || exit 1 ;; esac
	done
'

start_mock 1
test_expect 'hs-kafkacat: every valid event produced and consumed, every invalid line reported once' '
	test_exit 1 hs-kafkacat -P -b "$B" -t hostile hostile.ndjson 2>err && check_stderr err &&
	hs-kafkacat -C -b "$B" -t hostile -e -q >out && valid_ndjson out &&
	grep -v "^{\"_hs\":" out >events && test_lines events $valid
'

test_done
