#!/bin/bash
# hs-detect: every detector on small hand-made streams whose output is
# known exactly, alerts with hysteresis, and hs-score.
. "$(dirname "$0")/lib.sh"

agg() {	# SENSOR FIELD VALUE
	printf '{"sensor":"%s","%s":%s}\n' "$1" "$2" "$3"
}

test_expect 'threshold rules by sensor glob, with severity' '
	{ agg CE avg_value 18; agg CE avg_value 25; agg TS1 max_value 80;
	  agg TS2 max_value 70; agg PS1 max_value 90; } >in &&
	hs-detect -t "avg_value<20,CE,critical" -t "max_value > 75,TS*" in >out &&
	cat >expect <<-\X &&
	{"sensor":"CE","avg_value":18,"anomaly":[{"detector":"threshold","field":"avg_value","value":18,"limit":20,"severity":"critical","message":"avg_value 18 < 20"}]}
	{"sensor":"CE","avg_value":25}
	{"sensor":"TS1","max_value":80,"anomaly":[{"detector":"threshold","field":"max_value","value":80,"limit":75,"severity":"warning","message":"max_value 80 > 75"}]}
	{"sensor":"TS2","max_value":70}
	{"sensor":"PS1","max_value":90}
	X
	test_cmp expect out
'

test_expect '-a passes only anomalous records; control records pass untouched' '
	{ agg CE avg_value 18; echo "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00.000Z\"}";
	  agg CE avg_value 25; } | hs-detect -a -t "avg_value<20" >out &&
	test_lines out 2 && grep -q "avg_value\":18," out && grep -q "^{\"_hs\"" out
'

test_expect 'a rules file, one JSON object a line' '
	cat >rules <<-\X &&
	# the sibling configuration of the original system
	{"detector":"threshold","field":"avg_value","op":"<","value":20,"sensor":"CE","severity":"critical"}

	{"detector":"plausibility","field":"max_value","sensor":"TS*","min":0,"max":75}
	X
	{ agg CE avg_value 19.5; agg TS3 max_value 76; } | hs-detect -r rules >out &&
	grep -q "\"severity\":\"critical\",\"message\":\"avg_value 19.5 < 20\"" out &&
	grep -q "\"detector\":\"plausibility\",\"field\":\"max_value\",\"value\":76,\"limit\":75,\"severity\":\"error\"" out
'

test_expect 'malformed rules: file and line named, exit 3' '
	printf "{\"detector\":\"threshold\",\"field\":\"a\",\"op\":\"<\",\"value\":1}\n{\"detector\":\"threshold\",\"field\":\"a\",\"op\":\"=>\",\"value\":1}\n" >bad1 &&
	test_exit 3 hs-detect -r bad1 </dev/null 2>err &&
	grep -q "^hs-detect: bad1:2: unknown operator" err &&
	printf "\n{\"detector\":\"threshold\",\n" >bad2 &&
	test_exit 3 hs-detect -r bad2 </dev/null 2>err && grep -q "^hs-detect: bad2:2: " err &&
	printf "{\"detector\":\"threshold\",\"field\":\"a\",\"op\":\"<\",\"value\":\"x\"}\n" >bad3 &&
	test_exit 3 hs-detect -r bad3 </dev/null 2>err && grep -q "bad3:1: \"value\" must be a number" err &&
	test_exit 2 hs-detect -t "a ~ 3" </dev/null 2>err && grep -q "unknown operator\|expected an operator" err
'

test_expect 'plausibility: the built-in physical range of each UCI sensor' '
	{ agg CE value 150; agg CE value 50; agg TS1 value -40; agg XX value 1e9; } |
	    hs-detect -p >out &&
	grep "\"value\":150," out | grep -q "CE.*outside the plausible range 0 to 100 %" &&
	grep "\"value\":-40," out | grep -q "outside the plausible range -20 to 120 degC" &&
	! grep "\"value\":50}" out | grep -q anomaly &&
	! grep "XX" out | grep -q anomaly
'

test_expect 'baseline: learn median, MAD and friends; score by robust score' '
	for v in 10 11 12 13 14 100; do agg CE avg_value $v; done |
	    hs-detect -f avg_value --learn base.json &&
	grep -q "\"median\":12.5," base.json && grep -q "\"mad\":1.5," base.json &&
	grep -q "\"count\":6," base.json &&
	{ agg CE avg_value 13; agg CE avg_value 20.5; agg TS1 avg_value 99; } |
	    hs-detect -f avg_value -b base.json --robust 3.5 >out &&
	! head -1 out | grep -q anomaly &&
	# (20.5 - 12.5) / (1.4826 * 1.5) = 3.597...
	sed -n 2p out | grep -q "\"detector\":\"baseline\",\"field\":\"avg_value\",\"value\":20.5,\"score\":3.597" &&
	! sed -n 3p out | grep -q anomaly
'

test_expect 'a malformed baseline is refused with its name' '
	echo "{\"format\":\"hs-baseline\",\"stats\":[{\"key\":\"CE\"}]}" >b2 &&
	test_exit 3 hs-detect -f avg_value -b b2 </dev/null 2>err &&
	grep -q "b2: stats\[0\]: needs key, field" err &&
	echo "{" >b3 && test_exit 3 hs-detect -b b3 </dev/null 2>err && grep -q "^hs-detect: b3:" err
'

test_expect 'EWMA catches a slow drift no single record shows' '
	{ for i in $(seq 1 20); do agg PS1 value $((100 + i % 3)); done;
	  for i in $(seq 1 30); do agg PS1 value $((101 + i / 3)); done; } |
	    hs-detect --ewma 0.2,3 >out &&
	first=$(grep -n anomaly out | head -1 | cut -d: -f1) &&
	test "$first" -gt 21 && test "$first" -lt 40 &&
	grep anomaly out | head -1 | grep -q "\"detector\":\"ewma\""
'

test_expect 'CUSUM accumulates small shifts' '
	{ for i in $(seq 1 20); do agg PS1 value $((100 + i % 3)); done;
	  for i in $(seq 1 20); do agg PS1 value 102; done; } |
	    hs-detect --cusum 0.5,5 >out &&
	first=$(grep -n anomaly out | head -1 | cut -d: -f1) &&
	test "$first" -gt 21 && test "$first" -le 30 &&
	test "$(grep -c "\"detector\":\"cusum\"" out)" -ge 10
'

test_expect 'a stuck sensor: n equal values in a row' '
	for v in 1 2 3 3 3 3 4; do agg VS1 value $v; done | hs-detect --stuck 3 >out &&
	grep -n anomaly out | cut -d: -f1 | tr "\n" " " >got &&
	printf "5 6 " >expect && test_cmp expect got
'

test_expect 'dropouts: fewer samples than the window and rate promise' '
	w="\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"}" &&
	{ echo "{$w,\"sensor\":\"TS1\",\"count\":60}"; echo "{$w,\"sensor\":\"TS1\",\"count\":55}";
	  echo "{$w,\"sensor\":\"FS1\",\"count\":600}"; echo "{$w,\"sensor\":\"PS1\",\"count\":5999}"; } |
	    hs-detect --dropout >out &&
	grep -n anomaly out | cut -d: -f1 | tr "\n" " " >got &&
	printf "2 4 " >expect && test_cmp expect got &&
	grep -q "5999 samples where PS1 at 100 Hz gives 6000" out
'

test_expect 'gaps in event time' '
	for t in 00 01 02 07 08; do echo "{\"sensor\":\"TS1\",\"value\":1,\"timestamp\":\"2025-11-08T14:30:${t}Z\"}"; done |
	    hs-detect --gap 2s >out &&
	grep -n anomaly out | cut -d: -f1 >got && echo 4 >expect && test_cmp expect got &&
	grep -q "5 s without a record (more than 2 s)" out
'

test_expect 'alerts: one firing, one resolved, with minimum duration and clear band' '
	for v in 30 19 30 19 18 17 19 21 23 24 26 27 30; do agg CE avg_value $v; done |
	    hs-detect --alerts --for 2 --clear-band 5 -t "avg_value<20,CE,critical" >out &&
	test_lines out 2 &&
	head -1 out | grep -q "^{\"alert\":\"firing\",\"key\":\"CE\",\"anomaly\":{\"detector\":\"threshold\",\"field\":\"avg_value\",\"value\":18," &&
	tail -1 out | grep -q "^{\"alert\":\"resolved\",\"key\":\"CE\",\"anomaly\":{\"detector\":\"threshold\",\"field\":\"avg_value\",\"value\":27,"
'

test_expect 'a record without the field passes unflagged and is counted' '
	{ agg CE avg_value 1; echo "{\"sensor\":\"CE\"}"; } | hs-detect -t "avg_value<20" >out 2>err &&
	grep -qx "{\"sensor\":\"CE\"}" out &&
	grep -q "1 record without a number in .avg_value. passed unflagged" err
'

test_expect 'hs-score: confusion counts, precision, recall and delay per level' '
	for c in 0 1 2 3 4 5 6 7 8 9; do
		case $c in 0|1|2) l=3;; 3|4|5) l=20;; *) l=100;; esac
		case $c in 1|2|4|5|9) a=",\"anomaly\":[{}]";; *) a=;; esac
		echo "{\"cycle\":$c,\"cooler\":$l$a}"
	done | hs-score -l cooler -H 100 >out &&
	head -1 out | grep -q "^{\"label\":\"cooler\",\"level\":\"3\",\"positives\":3,\"negatives\":4,\"tp\":2,\"fp\":1,\"fn\":1,\"tn\":3,\"precision\":0.667,\"recall\":0.667,\"f1\":0.667,\"runs\":1,\"delay_mean\":1,\"delay_max\":1}" &&
	tail -1 out | grep -q "\"level\":\"any fault\",\"positives\":6,\"negatives\":4,\"tp\":4,\"fp\":1,\"fn\":2,\"tn\":3"
'

test_expect 'the cooler experiment on real data: precision and recall >= 0.99' '
	hs-replay -s CE -p "$TESTDATA/uci/profile.txt" "$TESTDATA/uci" |
	    hs-agg -g cycle,sensor,cooler -a avg -f value >cycles &&
	grep "\"cooler\":100," cycles | hs-detect -f avg_value --learn healthy.json &&
	hs-detect -f avg_value -b healthy.json cycles | hs-score -l cooler -H 100 >score &&
	grep "\"level\":\"3\"" score >s3 &&
	awk -F"[:,]" "{ for (i = 1; i < NF; i++) { if (\$i == \"\\\"precision\\\"\") p = \$(i + 1); if (\$i == \"\\\"recall\\\"\") r = \$(i + 1) } }
	    END { print p, r; exit !(p >= 0.99 && r >= 0.99) }" s3
'

test_expect 'every operator of a threshold rule: < <= > >= == !=' '
	echo "{\"sensor\":\"CE\",\"value\":5}" >five &&
	for r in "value<=5" "value>=5" "value==5" "value!=4" "value < 6"; do
		hs-detect -t "$r" five | grep -q "\"detector\":\"threshold\"" ||
		    { echo "# $r did not fire"; return 1; }
	done &&
	for r in "value<5" "value>5" "value==4" "value!=5" "value >= 6"; do
		! hs-detect -t "$r" five | grep -q anomaly ||
		    { echo "# $r fired"; return 1; }
	done
'

test_expect 'a rule that does not parse is a usage error (exit 2) that says why' '
	while IFS="|" read -r rule why; do
		test_exit 2 hs-detect -t "$rule" five >out 2>err &&
		grep -qF "hs-detect: -t '"'"'$rule'"'"': $why" err && ! [ -s out ] ||
		    { echo "# $rule"; cat err; return 1; }
	done <<-\X
	value|expected an operator
	value=5|unknown operator (< <= > >= == !=)
	value=>5|unknown operator
	value>x|expected a number after the operator
	value>5 x|unexpected text after the value
	>5|expected FIELD OP VALUE
	X
'

test_expect 'a rules file line that is not a rule is fatal (exit 3), naming its line and why' '
	while IFS="|" read -r rule why; do
		{ echo "# a comment"; echo "$rule"; } >rules &&
		test_exit 3 hs-detect -r rules five >out 2>err &&
		grep -qF "hs-detect: rules:2: $why" err ||
		    { echo "# $rule"; cat err; return 1; }
	done <<-\X
	{"field":"v"}|no "detector" (threshold or plausibility)
	{"detector":"threshold"}|no "field"
	{"detector":"x","field":"v"}|unknown detector
	{"detector":"plausibility","field":"v","min":"a","max":1}|"min" and "max" must be numbers
	[1]|a rule is a JSON object
	{"detector":"threshold","field":"v","op":"~","value":1}|unknown operator
	{"detector":"threshold","field":"v","op":"<","value":"1"}|"value" must be a number
	X
'

test_done
