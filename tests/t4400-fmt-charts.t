#!/bin/bash
# hs-fmt -o spark and -o svg: a field over time, a series per key, with
# anomalies marked; the SVG rendered headless by rsvg-convert.
. "$(dirname "$0")/lib.sh"

# Pixels of a PNG: "total nonwhite red" (red as the anomaly dots).
pixels() {
	pngtopnm "$1" | perl -e '
		local $/; my $d = <STDIN>;
		$d =~ s/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s//s or die "not a PPM\n";
		my ($n, $ink, $red) = ($1 * $2, 0, 0);
		for my $i (0 .. $n - 1) {
			my ($r, $g, $b) = unpack("C3", substr($d, 3 * $i, 3));
			$ink++ if $r < 240 || $g < 240 || $b < 240;
			$red++ if $r > 180 && $g < 90 && $b < 90;
		}
		print "$n $ink $red\n";'
}

test_expect 'a sparkline per key, scaled to its own range' '
	for i in 0 1 2 3 4 5 6 7; do echo "{\"sensor\":\"A\",\"value\":$i}"; done >in &&
	hs-fmt -o spark -W 8 in >out &&
	printf "value\nA ▁▂▃▄▅▆▇█ min 0 max 7 n 8\n" >expect &&
	test_cmp expect out
'

test_expect 'anomalies are marked under the sparkline' '
	printf "%s\n" "{\"sensor\":\"B\",\"value\":1}" \
	    "{\"sensor\":\"B\",\"value\":9,\"anomaly\":[{\"detector\":\"threshold\"}]}" \
	    "{\"sensor\":\"B\",\"value\":1}" | hs-fmt -o spark -W 3 >out &&
	printf "value\nB ▁█▁ min 1 max 9 n 3 anomalies 1\n   ^\n" >expect &&
	test_cmp expect out
'

test_expect 'a long series is averaged down to the width' '
	seq 1 100000 | sed "s/.*/{\"sensor\":\"A\",\"value\":&}/" |
	    hs-fmt -o spark -W 10 >out &&
	printf "value\nA ▁▁▂▃▄▅▆▇██ min 1 max 100000 n 100000\n" >expect &&
	test_cmp expect out
'

test_expect '-y chooses the field; without it avg_value is charted' '
	echo "{\"sensor\":\"A\",\"count\":60,\"avg_value\":3,\"max_value\":4}" >in &&
	hs-fmt -o spark in | head -1 | grep -qx avg_value &&
	hs-fmt -o spark -y max_value in | grep -q "min 4 max 4"
'

hs-replay -c 0-199 -s CE,TS1 "$TESTDATA/uci" | hs-window -w 1m |
    hs-agg -g sensor -a count,avg -f value >agg

test_expect 'the SVG of the real data renders with a line per sensor and red anomalies' '
	hs-detect -t "avg_value < 20,CE" agg | hs-fmt -o svg >chart.svg &&
	rsvg-convert -b white chart.svg >chart.png &&
	pixels chart.png >px && read total ink red <px &&
	echo "$total $ink $red" &&
	test "$ink" -gt $((total / 50)) && test "$red" -gt 100 &&
	test "$(grep -c "<polyline" chart.svg)" -eq 2 &&
	grep -q "CE — avg_value (200 records, [0-9]* anomalous)" chart.svg
'

test_expect 'without anomalies there is no red in the picture' '
	hs-fmt -o svg agg >plain.svg && rsvg-convert -b white plain.svg >plain.png &&
	pixels plain.png >px && read total ink red <px &&
	test "$ink" -gt $((total / 50)) && test "$red" -eq 0
'

test_expect 'labels are escaped for XML' '
	printf "%s\n" "{\"sensor\":\"<a & \\\"b\\\">\",\"value\":1,\"timestamp\":\"2025-11-08T14:30:00Z\"}" \
	    "{\"sensor\":\"<a & \\\"b\\\">\",\"value\":2,\"timestamp\":\"2025-11-08T14:31:00Z\"}" |
	    hs-fmt -o svg >x.svg &&
	grep -q "&lt;a &amp; &quot;b&quot;&gt;" x.svg &&
	rsvg-convert x.svg >x.png
'

test_expect 'a value that is not a number is reported and skipped' '
	printf "%s\n" "{\"sensor\":\"A\",\"value\":\"high\"}" "{\"sensor\":\"A\",\"value\":1}" |
	    hs-fmt -o spark -y value 2>err >out;
	test $? -eq 1 && grep -q "<stdin>:1: value is not a number" err &&
	grep -q "n 1$" out
'

test_expect 'extreme finite values chart without a crash or NaN' '
	printf "%s\n" "{\"sensor\":\"a\",\"value\":1.7e308}" "{\"sensor\":\"a\",\"value\":-1.7e308}" \
	    "{\"sensor\":\"a\",\"value\":1.7e308}" "{\"sensor\":\"b\",\"value\":-1.7e308}" >ext &&
	hs-fmt -o spark -W 3 ext >out &&
	printf "value\na █▁█ min -1.7e+308 max 1.7e+308 n 3\nb ▁   min -1.7e+308 max -1.7e+308 n 1\n" >expect &&
	test_cmp expect out &&
	hs-fmt -o svg ext >ext.svg && ! grep -qi nan ext.svg &&
	grep -q "points=\"80.0,28.0 510.0,138.0 940.0,28.0\"" ext.svg &&
	rsvg-convert ext.svg >ext.png &&
	for i in $(seq 1 5000); do echo "{\"sensor\":\"a\",\"value\":1.7e308}"; done |
	    hs-fmt -o spark -W 2 | grep -q "n 5000$"
'

test_expect 'equal values draw a level line midway; a single value is one point' '
	printf "%s\n" "{\"sensor\":\"a\",\"value\":5}" "{\"sensor\":\"a\",\"value\":5}" \
	    "{\"sensor\":\"b\",\"value\":-1e300}" >eq &&
	hs-fmt -o svg eq >eq.svg && ! grep -qi nan eq.svg &&
	grep -q "points=\"80.0,83.0 940.0,83.0\"" eq.svg &&
	grep -q "points=\"510.0,83.0\"" eq.svg && rsvg-convert eq.svg >eq.png &&
	hs-fmt -o spark -W 4 eq | grep -q "^a ▁▁   min 5 max 5 n 2$"
'

test_expect 'labels with control characters stay apart and valid XML; U+0000 is a bad record' '
	printf "%s\n" "{\"sensor\":\"a\\u0001\",\"value\":1}" "{\"sensor\":\"a\",\"value\":2}" \
	    "{\"sensor\":\"x\\u0001\\u0008\\ty 温 \\uffff\",\"value\":3}" \
	    "{\"sensor\":\"a\\u0000\",\"value\":4}" >ctl &&
	test_exit 1 hs-fmt -o svg ctl >ctl.svg 2>err && rsvg-convert ctl.svg >ctl.png &&
	grep -q "ctl:4: .*u0000" err &&
	test "$(grep -c "<polyline" ctl.svg)" -eq 3 &&
	grep -q "x\\\\u0001\\\\u0008\\\\ty 温 �" ctl.svg &&
	test_exit 1 hs-fmt -o spark -W 2 ctl >out 2>/dev/null &&
	test "$(grep -c " n 1$" out)" -eq 3 &&
	grep -q "^a\\\\u0001 " out && ! grep -q "$(printf "\\001")" out
'

test_expect 'more than 1000 series are reported, not charted' '
	seq 1 1002 | sed "s/.*/{\"sensor\":\"s&\",\"value\":1}/" |
	    test_exit 1 hs-fmt -o spark -W 2 >out 2>err &&
	test "$(grep -c " n 1$" out)" -eq 1000 &&
	grep -q "<stdin>:1001: more than 1000 series to chart" err
'

test_done
