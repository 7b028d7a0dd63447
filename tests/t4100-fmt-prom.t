#!/bin/bash
# hs-fmt -o prom: the Prometheus text exposition format, checked by the
# real promtool.
. "$(dirname "$0")/lib.sh"

agg_rows() {
	hs-replay -c 0-4 -s CE,TS1 "$TESTDATA/uci" |
	    hs-window -w 1m | hs-agg -g sensor -a count,avg,max,min,sum -f value
}

test_expect 'aggregates become gauges named by prefix and field, one series a sensor' '
	agg_rows | hs-fmt -o prom >out &&
	promtool check metrics <out &&
	grep -qx "# TYPE hydraulic_avg_value gauge" out &&
	grep -qx "hydraulic_avg_value{sensor=\"CE\"} 19.787016666666677" out &&
	test "$(grep -c "^hydraulic_max_value{" out)" -eq 2
'

test_expect 'the exposition is a snapshot: the newest value of each series' '
	printf "%s\n" "{\"sensor\":\"A\",\"v\":1}" "{\"sensor\":\"B\",\"v\":2}" \
	    "{\"sensor\":\"A\",\"v\":3}" | hs-fmt -o prom -n rig >out &&
	cat >expect <<-\X &&
	# HELP rig_v The field v of the hs records.
	# TYPE rig_v gauge
	rig_v{sensor="A"} 3
	rig_v{sensor="B"} 2
	X
	test_cmp expect out
'

test_expect 'suffixes kept for histograms, summaries and counters gain _value' '
	echo "{\"sensor\":\"A\",\"count\":60,\"x_total\":1,\"sum\":2}" |
	    hs-fmt -o prom >out && promtool check metrics <out &&
	grep -q "^hydraulic_count_value{" out &&
	grep -q "^hydraulic_x_total_value{" out && grep -q "^hydraulic_sum_value{" out
'

test_expect 'names are sanitized and label values escaped' '
	cat >in <<-\X &&
	{"sensor":"a\"b\\c\nd é","__id":"7","1st-try.x":5,"ok":true,"off":false,"skip":null}
	X
	hs-fmt -o prom <in >out &&
	cat >expect <<-\X &&
	# HELP hydraulic__1st_try_x The field 1st-try.x of the hs records.
	# TYPE hydraulic__1st_try_x gauge
	hydraulic__1st_try_x{sensor="a\"b\\c\nd é",hs__id="7"} 5
	# HELP hydraulic_ok The field ok of the hs records.
	# TYPE hydraulic_ok gauge
	hydraulic_ok{sensor="a\"b\\c\nd é",hs__id="7"} 1
	# HELP hydraulic_off The field off of the hs records.
	# TYPE hydraulic_off gauge
	hydraulic_off{sensor="a\"b\\c\nd é",hs__id="7"} 0
	X
	test_cmp expect out && promtool check metrics <out
'

test_expect '-k chooses the labels and -f the metrics' '
	echo "{\"sensor\":\"A\",\"unit\":\"bar\",\"cycle\":3,\"v\":1.5,\"w\":2}" |
	    hs-fmt -o prom -k sensor,cycle -f v >out &&
	cat >expect <<-\X &&
	# HELP hydraulic_v The field v of the hs records.
	# TYPE hydraulic_v gauge
	hydraulic_v{sensor="A",cycle="3"} 1.5
	X
	test_cmp expect out
'

test_expect '--timestamps gives each sample its window start in milliseconds' '
	agg_rows | hs-fmt -o prom --timestamps >out &&
	promtool check metrics <out &&
	grep -qx "hydraulic_count_value{sensor=\"CE\"} 60 1762612440000" out
'

test_expect '--textfile rewrites the file atomically after each batch' '
	mkfifo feed &&
	{ hs-fmt -o prom --textfile m.prom <feed 2>err & } &&
	exec 8>feed &&
	echo "{\"sensor\":\"A\",\"v\":1}" >&8 &&
	echo "{\"_hs\":\"watermark\",\"watermark\":\"2025-11-08T14:31:00Z\"}" >&8 &&
	wait_until 5 "grep -q \"sensor=.A.} 1\" m.prom" &&
	echo "{\"sensor\":\"A\",\"v\":2}" >&8 &&
	echo "{\"_hs\":\"trigger\",\"batch\":1}" >&8 &&
	wait_until 5 "grep -q \"sensor=.A.} 2\" m.prom" &&
	exec 8>&- && wait &&
	promtool check metrics <m.prom && ! ls -A | grep -q "^\.m\.prom" &&
	test ! -s err
'

test_expect '--textfile into a missing directory is an error' '
	echo "{\"sensor\":\"A\",\"v\":1}" >in &&
	test_exit 3 hs-fmt -o prom --textfile nodir/m.prom in 2>err &&
	grep -q "nodir/m.prom" err
'

test_expect 'numbers beyond a double are +Inf and -Inf, which promtool accepts' '
	printf "%s\n" "{\"sensor\":\"a\",\"v\":1e400}" "{\"sensor\":\"b\",\"v\":-1e400}" \
	    "{\"sensor\":\"c\",\"v\":1e-400}" \
	    "{\"sensor\":\"d\",\"v\":0.123456789012345678901234567890123456789012345678901234567890}" |
	    hs-fmt -o prom >out &&
	promtool check metrics <out &&
	grep -qx "hydraulic_v{sensor=\"a\"} +Inf" out &&
	grep -qx "hydraulic_v{sensor=\"b\"} -Inf" out &&
	grep -qx "hydraulic_v{sensor=\"c\"} 0" out &&
	grep -qx "hydraulic_v{sensor=\"d\"} 0.12345678901234568" out
'

test_expect 'control characters and non-ASCII in labels pass promtool; U+0000 is a bad record' '
	printf "%s\n" "{\"sensor\":\"tab\\there\\u0001\\u007f\\r é 温\",\"v\":1}" \
	    "{\"sensor\":\"a\\u0000b\",\"v\":2}" "{\"sensor\":\"a\",\"v\":3}" >in &&
	test_exit 1 hs-fmt -o prom in >out 2>err &&
	promtool check metrics <out &&
	grep -q "in:2: .*u0000" err &&
	test "$(grep -c "^hydraulic_v{" out)" -eq 2 && grep -q "é 温\"} 1$" out
'

test_expect 'fields whose names sanitize alike get distinct metrics and labels' '
	echo "{\"k.x\":\"1\",\"k_x\":\"2\",\"p.q\":1,\"p_q\":2}" | hs-fmt -o prom -k k.x,k_x >out &&
	promtool check metrics <out &&
	grep -q "^hydraulic_p_q{k_x=\"1\",k_x_2=\"2\"} 1$" out &&
	grep -q "^hydraulic_p_q_2{k_x=\"1\",k_x_2=\"2\"} 2$" out
'

test_expect 'empty and duplicate keys make valid metrics' '
	echo "{\"\":\"e\",\"s\":\"x\",\"s\":\"y\",\"\":{\"\":5},\"v\":1,\"v\":2}" |
	    hs-fmt -o prom >out && promtool check metrics <out &&
	grep -q "^hydraulic_v{_=\"e\",s=\"y\"} 2$" out &&
	grep -q "^hydraulic__{_=\"e\",s=\"y\"} 5$" out
'

test_expect 'more than 100000 series are reported, not kept' '
	seq 1 100002 | sed "s/.*/{\"sensor\":\"s&\",\"v\":1}/" |
	    test_exit 1 hs-fmt -o prom >out 2>err &&
	test "$(grep -c "^hydraulic_v{" out)" -eq 100000 &&
	grep -q "<stdin>:100001: more than 100000 series" err &&
	grep -q "2 bad records" err
'

test_expect '--textfile refuses a directory, a device node, a fifo, and a link to one' '
	echo "{\"sensor\":\"A\",\"v\":1}" >in &&
	mkdir dir && mkfifo fifo && ln -s /dev/null null.prom &&
	for t in dir /dev/null fifo null.prom; do
		test_exit 3 hs-fmt -o prom --textfile $t in 2>err || return 1
		grep -q "not a regular file" err || return 1
	done &&
	test -d dir && test -p fifo && test -c /dev/null && test -L null.prom
'

test_expect '--textfile through a symlink replaces the file it names, in its directory' '
	mkdir real && echo old >real/m.prom && ln -s real/m.prom link.prom &&
	echo "{\"sensor\":\"A\",\"v\":1}" | hs-fmt -o prom --textfile link.prom &&
	test -L link.prom && grep -q "sensor=\"A\"} 1" real/m.prom &&
	test "$(ls -A real)" = m.prom && ! ls -A | grep -q "^\.link" &&
	ln -s real/new.prom new.prom &&
	echo "{\"sensor\":\"B\",\"v\":2}" | hs-fmt -o prom --textfile new.prom &&
	test -L new.prom && grep -q "sensor=\"B\"} 2" real/new.prom
'

test_expect '--textfile keeps the mode of the file it replaces' '
	echo old >mode.prom && chmod 640 mode.prom &&
	echo "{\"sensor\":\"A\",\"v\":1}" | hs-fmt -o prom --textfile mode.prom &&
	test "$(stat -c %a mode.prom)" = 640
'

test_done
