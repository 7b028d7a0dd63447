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

test_done
