#!/bin/bash
# hs-detect and hs-score at their edges: configuration that cannot be used,
# alert streams, messages, chained stages, what is left out, many keys.
# Each test is named after the behaviour that was wrong before.
. "$(dirname "$0")/lib.sh"

agg() {	# SENSOR FIELD VALUE
	printf '{"sensor":"%s","%s":%s}\n' "$1" "$2" "$3"
}

test_expect 'a rules file without a rule is fatal (exit 3), not a usage error' '
	printf "# nothing here\n\n" >empty.rules &&
	test_exit 3 hs-detect -r empty.rules </dev/null 2>err &&
	grep -q "^hs-detect: empty.rules: no rule in the file" err
'

test_expect 'a baseline learned per other fields is fatal (exit 3), not silently unused' '
	agg CE avg_value 1 | hs-detect -f avg_value --learn base.json &&
	test_exit 3 hs-detect -g cycle,sensor -f avg_value -b base.json </dev/null 2>err &&
	grep -q "learned per \"sensor\", but the records are keyed by .cycle,sensor." err &&
	sed "s/\"version\":1/\"version\":2/" base.json >v2.json &&
	test_exit 3 hs-detect -f avg_value -b v2.json </dev/null 2>err &&
	grep -q "not a version 1 hs baseline" err
'

test_expect 'a baseline that cannot be opened is named once, with the reason' '
	test_exit 3 hs-detect -b /nonexistent.json </dev/null 2>err &&
	echo "hs-detect: /nonexistent.json: No such file or directory" >expect &&
	test_cmp expect err
'

test_expect 'a resolved alert says what is true now, not the condition that fired' '
	for v in 18 19 21 30; do agg CE avg_value $v; done |
	    hs-detect --alerts --clear-band 5 -t "avg_value<20,CE" >out &&
	test_lines out 2 &&
	tail -1 out | grep -q "\"alert\":\"resolved\".*\"message\":\"avg_value 30 no longer < 20 (clear band 5)\"" &&
	for v in 1 2 2 2 3; do agg VS1 value $v; done | hs-detect --alerts --stuck 3 >out &&
	tail -1 out | grep -q "\"message\":\"value 3: changing again, after 3 records of one value\""
'

test_expect 'an alert stream is alerts only, with the control records that end a batch of them' '
	for m in 0 1 2 3 4 5 6 7 8 9; do
		agg CE avg_value $((m == 4 || m == 5 ? 10 : 30)); wm $m 30
	done >in && echo "{\"_hs\":\"end\"}" >>in &&
	hs-detect --alerts -t "avg_value<20,CE" in >out &&
	cat >expect <<-\X &&
	{"alert":"firing","key":"CE","anomaly":{"detector":"threshold","field":"avg_value","value":10,"limit":20,"severity":"warning","message":"avg_value 10 < 20"}}
	{"_hs":"watermark","watermark":"2025-11-08T14:04:30.000Z"}
	{"alert":"resolved","key":"CE","anomaly":{"detector":"threshold","field":"avg_value","value":30,"limit":20,"severity":"warning","message":"avg_value 30 no longer < 20"}}
	{"_hs":"watermark","watermark":"2025-11-08T14:06:30.000Z"}
	{"_hs":"end"}
	X
	test_cmp expect out
'

test_expect 'the README alert pipeline writes its alerts and not a watermark per window' '
	hs-replay -q -s CE,TS1,TS2,TS3,TS4 "$TESTDATA/uci" | hs-window -w 1m |
	    hs-agg -g sensor -a avg,max -f value |
	    hs-detect --alerts --for 3 -t "avg_value<20,CE,critical" -t "max_value>75,TS*" >out &&
	alerts=$(grep -c "^{\"alert\":" out) && test "$alerts" -ge 20 &&
	test "$(wc -l <out)" -le $((2 * alerts + 1))
'

test_expect 'hs-score -l with a label of the rig needs no -H; another label says what is missing' '
	printf "{\"cycle\":1,\"cooler\":3,\"anomaly\":[{}]}\n{\"cycle\":2,\"cooler\":100}\n" >in &&
	hs-score -l cooler in >out &&
	head -1 out | grep -q "\"level\":\"3\",\"positives\":1,\"negatives\":1,\"tp\":1,\"fp\":0" &&
	test_exit 2 hs-score -l colour in 2>err &&
	grep -q "^hs-score: -H: the healthy level of .colour. is not known; give it" err
'

test_expect 'hs-score rounds its figures to three decimals, as the README shows them' '
	for c in 1 2 3; do echo "{\"cycle\":$c,\"cooler\":3,\"anomaly\":[{}]}"; done >in &&
	echo "{\"cycle\":4,\"cooler\":3}" >>in &&
	for c in 5 6 7 8 9 10; do echo "{\"cycle\":$c,\"cooler\":100}"; done >>in &&
	hs-score -l cooler in | head -1 | grep -q "\"recall\":0.75,\"f1\":0.857," &&
	hs-score -d 6 -l cooler in | head -1 | grep -q "\"f1\":0.857143,"
'

test_expect 'argv is left as typed: ps shows the commas of -g and -f' '
	sleep 3 | hs-detect -g sensor,cycle -f a,b -t "a<1" &
	pid=$! && sleep 1 &&
	tr "\000" " " </proc/$pid/cmdline >cmdline && wait &&
	grep -q "hs-detect -g sensor,cycle -f a,b -t a<1" cmdline
'

test_expect 'a rules file of 72 fields is refused at start; one of 55 judges every record' '
	for i in $(seq 1 72); do
		echo "{\"detector\":\"threshold\",\"field\":\"f$i\",\"op\":\">\",\"value\":0}"
	done >r72 && head -55 r72 >r55 &&
	test_exit 3 hs-detect -r r72 </dev/null 2>err &&
	grep -q "the detectors read more than 59 distinct fields" err &&
	echo "{\"sensor\":\"x\",\"f1\":1,\"f55\":2}" | hs-detect -r r55 >out 2>err &&
	test "$(grep -o "\"detector\":\"threshold\"" out | wc -l)" -eq 2
'

test_expect 'a long message is written whole, in valid UTF-8 (not cut mid-character)' '
	f=$(printf "%.0sé" $(seq 1 120)) &&
	echo "{\"sensor\":\"CE\",\"$f\":1}" | hs-detect -t "$f < 2" >out &&
	iconv -f UTF-8 -t UTF-8 out >/dev/null &&
	grep -q "\"message\":\"$f 1 < 2\"" out
'

test_expect 'hs-detect | hs-detect: one anomaly array holding both findings' '
	agg CE avg_value 10 | hs-detect -t "avg_value<20" | hs-detect -t "avg_value<15" >out &&
	test "$(grep -o "\"anomaly\"" out | wc -l)" -eq 1 &&
	grep -q "\"anomaly\":\[{[^]]*avg_value 10 < 20\"},{[^]]*avg_value 10 < 15\"}\]}$" out
'

test_expect '--learn says which keys it leaves out; values near the largest double still learn' '
	{ agg A value 1.7e308; agg A value -1.7e308; agg B value 1e308; agg B value 1e308; } |
	    hs-detect --learn base.json 2>err &&
	grep -q "key .A., field .value.: the values are too large for finite statistics; left out" err &&
	grep -q "\"key\":\"B\",\"field\":\"value\",\"count\":2,\"mean\":1e+308," base.json &&
	! grep -q "\"key\":\"A\"" base.json
'

test_expect 'hs-score scores every level of a label, not the first 16' '
	for c in $(seq 0 39); do echo "{\"cycle\":$c,\"grade\":$((c / 2)),\"anomaly\":[{}]}"; done |
	    hs-score -l grade -H 0 >out &&
	test_lines out 20 && grep -q "\"level\":\"19\"" out
'

test_expect 'hs-score without one valid record: an empty score and exit 1' '
	echo "{\"cycle\":\"x\"}" | test_exit 1 hs-score -l cooler >out 2>err &&
	test_lines out 1 && grep -q "\"level\":\"any fault\",\"positives\":0" out
'

test_expect 'hs-score -c: accuracy and the confusion matrix of predicted levels' '
	for c in 0 1 2 3 4 5 6 7 8 9; do
		case $c in 0|1|2) l=3;; 3|4|5) l=20;; *) l=100;; esac
		case $c in 1|2|9) p=3;; 3) p=20;; *) p=100;; esac
		echo "{\"cycle\":$c,\"cooler\":$l,\"cooler_predicted\":$p}"
	done | hs-score -c -l cooler >out &&
	cat >expect <<-\X &&
	{"label":"cooler","level":"3","count":3,"correct":2,"recall":0.667,"precision":0.667,"as_3":2,"as_20":0,"as_100":1}
	{"label":"cooler","level":"20","count":3,"correct":1,"recall":0.333,"precision":1,"as_3":0,"as_20":1,"as_100":2}
	{"label":"cooler","level":"100","count":4,"correct":3,"recall":0.75,"precision":0.5,"as_3":1,"as_20":0,"as_100":3}
	{"label":"cooler","level":"all","count":10,"correct":6,"accuracy":0.6}
	X
	test_cmp expect out
'

test_expect 'keys are found by hash: 200,000 keys judged, learned and scored' '
	awk "BEGIN { for (i = 0; i < 200000; i++) printf \"{\\\"sensor\\\":\\\"s%d\\\",\\\"cycle\\\":%d,\\\"cooler\\\":%d,\\\"value\\\":%d}\\n\", i, i, i % 2 ? 3 : 100, i % 5 }" >many &&
	hs-detect --stuck 2 many >out && test_lines out 200000 && ! grep -q anomaly out &&
	hs-detect --learn base.json many && test "$(grep -c "^{\"key\"" base.json)" -eq 200000 &&
	hs-detect -b base.json -t "value>3" many | hs-score -l cooler >score &&
	head -1 score | grep -q "\"positives\":100000,\"negatives\":100000,\"tp\":20000,\"fp\":20000"
'

test_expect 'an empty sensor glob or severity in a rule is the default: every sensor, warning (error for plausibility)' '
	echo "{\"sensor\":\"CE\",\"value\":9}" >one &&
	hs-detect -t "value>5,," one >out &&
	grep -q "\"severity\":\"warning\",\"message\":\"value 9 > 5\"" out &&
	hs-detect -t "value>5,CE," one >out &&
	grep -q "\"severity\":\"warning\"" out &&
	printf "%s\n" "{\"detector\":\"threshold\",\"field\":\"value\",\"op\":\">\",\"value\":5,\"sensor\":\"\",\"severity\":\"\"}" \
	    "{\"detector\":\"plausibility\",\"field\":\"value\",\"min\":0,\"max\":1,\"severity\":\"\"}" >rules &&
	hs-detect -r rules one >out &&
	grep -q "\"limit\":5,\"severity\":\"warning\"" out &&
	grep -q "\"detector\":\"plausibility\".*\"severity\":\"error\"" out
'

test_done
