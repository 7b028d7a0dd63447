#!/bin/bash
# One rule for text in every NDJSON reader (hs(7)): a record with invalid
# UTF-8, a lone surrogate escape or \u0000 anywhere is a bad record,
# reported once with its line and column; control records are checked like
# any record; blank lines are skipped; a flood of bad lines is capped.
. "$(dirname "$0")/lib.sh"

test_expect 'the scanner refuses invalid UTF-8, lone surrogates and \u0000 (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/json_test" >tap &&
	! grep -q "^not ok" tap
'

test_expect 'the same with the portable string search, without SSE2 (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/json_portable_test" >tap &&
	! grep -q "^not ok" tap && grep -q "^1\.\.[1-9]" tap
'

ev='"timestamp":"2025-11-08T14:30:00Z","value":1'
# good, then each kind of bad text, at several depths
printf '%s\n' \
	"{\"sensor\":\"A\",$ev}" \
	"{\"sensor\":\"\\ud800 bad\",$ev}" \
	"{\"sensor\":\"B\",$ev,\"x\":{\"y\":[\"\\u0000\"]}}" \
	"{\"sensor\":\"\\u00e9\\ud83d\\ude00\",$ev}" >text.in
printf '{"sensor":"\xff\xfe bad utf8",%s}\n' "$ev" >>text.in
printf '{"\xed\xa0\x80":1,"sensor":"C",%s}\n' "$ev" >>text.in
printf '{"sensor":"D",%s,"n":{"k":"\xc0\xaf"}}\n' "$ev" >>text.in
printf '{"sensor":"\xc3\xa9",%s}\n' "$ev" >>text.in

# every line of the file is valid JSON in valid UTF-8 (jq refuses neither)
valid_ndjson() {
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null && jq -c . "$1" >/dev/null
}

test_expect 'invalid UTF-8, lone surrogates and \u0000 are bad records in every stage' '
	for cmd in "hs-window -w 1m" "hs-agg -g sensor -a count" "hs-fmt -o json" \
	    "hs-fmt -o csv" "hs-detect -t value>0" "hs-score -l sensor -H A -u value"; do
		test_exit 1 $cmd text.in >out 2>err || exit 1
		grep -q "text.in:2: lone surrogate escape at column 12" err &&
		grep -q "text.in:3: .u0000 in a string at column 71" err &&
		grep -q "text.in:5: invalid UTF-8 at column 12" err &&
		grep -q "text.in:6: invalid UTF-8 at column 3" err &&
		grep -q "text.in:7: invalid UTF-8 at column 70" err &&
		grep -q "5 bad records skipped" err &&
		test "$(grep -c "text.in:" err)" -eq 5 || { echo "$cmd"; cat err; exit 1; }
		case $cmd in
		hs-score*) ;;
		*csv) iconv -f UTF-8 -t UTF-8 out >/dev/null || exit 1 ;;
		*) valid_ndjson out || { echo "$cmd: invalid output"; exit 1; } ;;
		esac
	done
'

test_expect 'valid multibyte text and surrogate pairs pass through unchanged' '
	hs-window -w 1m text.in 2>/dev/null >out;
	grep -q "\"sensor\":\"\\\\u00e9\\\\ud83d\\\\ude00\"" out &&
	grep -q "\"sensor\":\"$(printf "\xc3\xa9")\"" out &&
	hs-agg -g sensor -a count text.in 2>/dev/null >out;
	test "$(grep -c "\"count\":1" out)" -eq 3 && valid_ndjson out
'

test_expect 'a control record with garbage or a raw 0xFF is a bad record, not passed on' '
	{ echo "{\"_hs\":garbage"; printf "{\"_hs\":\"x\xff\"}\n";
	  echo "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00Z\"} junk";
	  echo "{\"_hs\":\"custom\",\"n\":1}"; echo "{\"sensor\":\"A\",$ev}"; } >ctl.in &&
	for cmd in "hs-window -w 1m" "hs-agg -g sensor -a count" \
	    "hs-detect -t value>0" "hs-fmt -o json"; do
		test_exit 1 $cmd ctl.in >out 2>err || exit 1
		grep -q "ctl.in:1: invalid JSON (expected a value) at column 8" err &&
		grep -q "ctl.in:2: invalid UTF-8 at column 10" err &&
		grep -q "ctl.in:3: trailing data after the JSON object" err &&
		grep -q "3 bad records skipped" err &&
		! grep -q "garbage\|junk" out && valid_ndjson out ||
		    { echo "$cmd"; cat err out; exit 1; }
	done &&
	hs-window -w 1m ctl.in 2>/dev/null | grep -q "^{\"_hs\":\"custom\",\"n\":1}$"
'

test_expect 'blank lines are skipped, not bad records, and keep their line numbers' '
	printf "\n{\"sensor\":\"A\",$ev}\n   \n\t\r\n\nnope\n" >blank.in &&
	test_exit 1 hs-window -w 1m blank.in >out 2>err &&
	grep -q "blank.in:6: not a JSON object" err &&
	grep -q "1 bad record skipped" err && test "$(grep -c "\"sensor\":\"A\"" out)" -eq 1
'

test_expect 'a byte order mark and CRLF line ends are accepted, the CR not copied' '
	printf "\xef\xbb\xbf{\"sensor\":\"A\",$ev}\r\n{\"sensor\":\"B\",$ev}\r\n" >crlf.in &&
	hs-window -w 1m crlf.in >out && ! grep -q "$(printf "\r")" out &&
	test "$(grep -c "\"sensor\"" out)" -eq 2 && valid_ndjson out
'

test_expect 'a CSV file given for NDJSON: five messages, a hint, then a count' '
	{ echo "window,sensor,count"; for i in $(seq 1 1000); do echo "w,A,$i"; done; } >agg.csv &&
	test_exit 1 hs-fmt -o csv agg.csv >out 2>err &&
	test "$(wc -l <err)" -le 8 &&
	grep -q "agg.csv:1: not a JSON object (looks like CSV" err &&
	grep -q "agg.csv:6: more records like .not a JSON object (looks like CSV" err &&
	grep -q "1001 records like .not a JSON object (looks like CSV.*(996 not shown)" err &&
	grep -q "1001 bad records skipped" err &&
	printf "a\tb\n" | test_exit 1 hs-window -w 1m 2>err &&
	grep -q "looks like TSV" err
'

test_expect 'capped messages are capped per reason: each reason shows its first five' '
	{ for i in $(seq 1 20); do echo "nope"; echo "{\"value\":1}"; done; } >mixed.in &&
	test_exit 1 hs-window -w 1m mixed.in 2>err &&
	test "$(grep -c "not a JSON object$" err)" -eq 5 &&
	test "$(grep -c "no field .timestamp.$" err)" -eq 5 &&
	grep -q "40 bad records skipped" err
'

test_expect 'strict mode still stops at the first bad record' '
	test_exit 3 hs-fmt -S -o csv agg.csv 2>err &&
	grep -q "stopping at the first bad record" err
'

test_expect 'hs-agg --state with a multibyte group saves and resumes (no invalid text can reach it)' '
	{ echo "{\"sensor\":\"\\u00e9\",$ev}";
	  printf "{\"sensor\":\"\xff\",%s}\n" "$ev";
	  echo "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"; } >st.in &&
	test_exit 3 hs-agg -g sensor -a count --state st.agg st.in >/dev/null 2>err &&
	grep -q "st.in:2: invalid UTF-8" err &&
	! grep -q "decode" err &&
	{ echo "{\"_hs\":\"resume\",\"id\":1}"; echo "{\"_hs\":\"end\"}"; } |
	    hs-agg -g sensor -a count --state st.agg >out &&
	grep -q "\"sensor\":\"\\\\u00e9\",\"count\":1" out
'

start_mock 1
test_expect 'hs-kafkacat refuses payloads with invalid text and payloads that are control records' '
	{ echo "{\"ok\":1}"; printf "{\"s\":\"\xff\"}\n"; echo "{\"s\":\"\\udc00\"}";
	  echo "{\"_hs\":\"end\"}"; echo "{\"ok\":2}"; } | kcat -P -b "$B" -t text -p 0 &&
	test_exit 1 hs-kafkacat -C -b "$B" -t text -e >out 2>err &&
	grep -q "text/0:1: payload is not a JSON object (invalid UTF-8 at column 7)" err &&
	grep -q "text/0:2: payload is not a JSON object (lone surrogate escape at column 7)" err &&
	grep -q "text/0:3: payload is a control record" err &&
	printf "{\"ok\":1}\n{\"ok\":2}\n" >expect && test_cmp expect out &&
	test_exit 1 hs-kafkacat -C -b "$B" -t text -e --wrap >out 2>/dev/null &&
	valid_ndjson out && test_lines out 5
'

test_expect 'hs-kafkacat -P refuses lines with invalid text' '
	printf "{\"s\":\"\xff\"}\n{\"ok\":1}\n" >p.in &&
	test_exit 1 hs-kafkacat -P -b "$B" -t ptext p.in 2>err &&
	grep -q "p.in:1: invalid UTF-8 at column 7" err &&
	hs-kafkacat -C -b "$B" -t ptext -e >out && test_lines out 1
'

test_done
