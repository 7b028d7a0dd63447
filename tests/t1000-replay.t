#!/bin/bash
# hs-replay: UCI matrix files to sample events in event-time order.
. "$(dirname "$0")/lib.sh"
UCI=$TESTDATA/uci

# Synthetic files of the 100 Hz and 10 Hz shapes (the real ones are not in
# testdata): value = cycle * 10000 + column, so each cell says where it is.
synthetic() {	# NAME COLUMNS ROWS
	awk -v c="$2" -v r="$3" 'BEGIN { for (i = 0; i < r; i++) {
		for (j = 0; j < c; j++) printf "%s%d.5", j ? "\t" : "", i * 10000 + j
		printf "\n" } }' >"$1.txt"
}

test_expect 'one event per sample in the producer schema' '
	hs-replay -c 0 -s TS1 "$UCI" >out &&
	test_lines out 60 &&
	head -1 out >first &&
	echo "{\"sensor\":\"TS1\",\"cycle\":0,\"sample_idx\":0,\"value\":35.57,\"timestamp\":\"2025-11-08T14:30:00.000Z\",\"sampling_rate_hz\":1}" >expect &&
	test_cmp expect first
'

test_expect 'a directory replays every sensor file in it, merged by time' '
	hs-replay -c 0 "$UCI" >out &&
	test_lines out 480 &&
	cut -d\" -f4 out | head -8 | tr "\n" " " >order &&
	printf "CE CP SE TS1 TS2 TS3 TS4 VS1 " >expect && test_cmp expect order &&
	sed "s/.*\"timestamp\":\"\([^\"]*\)\".*/\1/" out >times &&
	sort -c times
'

test_expect 'the whole data set is 1058400 events in event-time order' '
	hs-replay "$UCI" >all &&
	test_lines all 1058400 &&
	sed "s/.*\"timestamp\":\"\([^\"]*\)\".*/\1/" all | sort -c &&
	tail -1 all | grep -q "\"sensor\":\"VS1\",\"cycle\":2204,\"sample_idx\":59,.*\"timestamp\":\"2025-11-10T03:14:59.000Z\""
'

test_expect 'values are copied exactly as written' '
	hs-replay -c 7 -s CE "$UCI" | sed "s/.*\"value\":\([^,]*\),.*/\1/" >got &&
	sed -n 8p "$UCI/CE.txt" | tr "\t" "\n" >want &&
	test_cmp want got
'

test_expect '-t sets the start, -c a range of cycles' '
	hs-replay -t 2020-01-01T00:00:00Z -c 2-3 -s VS1 "$UCI" >out &&
	test_lines out 120 &&
	head -1 out | grep -q "\"cycle\":2,\"sample_idx\":0,.*\"timestamp\":\"2020-01-01T00:02:00.000Z\"" &&
	tail -1 out | grep -q "\"cycle\":3,\"sample_idx\":59,.*\"timestamp\":\"2020-01-01T00:03:59.000Z\""
'

test_expect '--profile attaches the labels of each cycle' '
	hs-replay -c 731-732 -s TS1 -p "$UCI/profile.txt" "$UCI" >out &&
	grep "\"cycle\":731," out | head -1 | grep -q ",\"cooler\":3,\"valve\":100,\"pump_leak\":0,\"accumulator\":90,\"stable\":0}$" &&
	grep "\"cycle\":732," out | head -1 | grep -q ",\"cooler\":20,"
'

test_expect 'sensors of different rates are merged on the 10 ms grid (synthetic files)' '
	synthetic PS1 6000 2 && synthetic FS1 600 2 &&
	sed -n 1,2p "$UCI/TS1.txt" >TS1.txt &&
	hs-replay . >out &&
	test "$(grep -c "\"sensor\":\"PS1\"" out)" -eq 12000 &&
	test "$(grep -c "\"sensor\":\"FS1\"" out)" -eq 1200 &&
	test "$(grep -c "\"sensor\":\"TS1\"" out)" -eq 120 &&
	grep -q "{\"sensor\":\"PS1\",\"cycle\":0,\"sample_idx\":1,\"value\":1.5,\"timestamp\":\"2025-11-08T14:30:00.010Z\",\"sampling_rate_hz\":100}" out &&
	grep -q "{\"sensor\":\"FS1\",\"cycle\":1,\"sample_idx\":599,\"value\":10599.5,\"timestamp\":\"2025-11-08T14:31:59.900Z\",\"sampling_rate_hz\":10}" out &&
	head -3 out | cut -d\" -f4 | tr "\n" " " >order &&
	printf "FS1 PS1 TS1 " >expect && test_cmp expect order &&
	sed "s/.*\"timestamp\":\"\([^\"]*\)\".*/\1/" out | sort -c
'

test_expect '--speed paces the events in real time' '
	start=$(date +%s%N) &&
	hs-replay --speed 60 -c 0-1 -s TS1 "$UCI" >out &&
	elapsed=$(( ($(date +%s%N) - start) / 1000000 )) &&
	test_lines out 120 &&
	# two cycles of 60 s at 60 times real time: about 2 s
	test "$elapsed" -ge 1800 && test "$elapsed" -lt 4000
'

test_expect 'bad cells are reported with file and line; good samples still come' '
	sed -n 1,3p "$UCI/TS1.txt" >TS1.txt &&
	sed -i "2s/^[^\t]*\t/\t/; 3s/\t[^\t]*$/\tabc/" TS1.txt &&
	sed -n 4p "$UCI/TS1.txt" | cut -f1-30 >>TS1.txt &&
	sed -n 5p "$UCI/TS1.txt" | sed "s/^[^\t]*/nan/" >>TS1.txt &&
	test_exit 1 hs-replay TS1.txt >out 2>err &&
	grep -q "^hs-replay: TS1.txt:2: column 1: empty cell" err &&
	grep -q "^hs-replay: TS1.txt:3: column 60: not a JSON number: .abc." err &&
	grep -q "^hs-replay: TS1.txt:4: 30 of 60 cells" err &&
	grep -q "^hs-replay: TS1.txt:5: column 1: not a JSON number: .nan." err &&
	grep -q "4 bad records skipped" err &&
	test_lines out $((60 + 59 + 59 + 30 + 59))
'

test_expect '-S makes a bad cell fatal' '
	printf "1\tx\n" >CE.txt &&
	test_exit 3 hs-replay -S CE.txt >/dev/null 2>err &&
	grep -q "CE.txt:1:" err
'

test_expect 'errors: a missing file is fatal, bad options are usage errors' '
	test_exit 3 hs-replay nowhere/TS1.txt 2>/dev/null &&
	test_exit 2 hs-replay 2>/dev/null &&
	test_exit 2 hs-replay -s XX1 "$UCI" 2>/dev/null &&
	test_exit 2 hs-replay -c 5-2 "$UCI" 2>/dev/null &&
	touch notes.txt && test_exit 2 hs-replay notes.txt 2>/dev/null &&
	test_exit 3 hs-replay no-such-dir 2>/dev/null
'

test_expect 'a closed pipe ends the replay quietly' '
	hs-replay "$UCI" 2>err | head -1 >out &&
	test_lines out 1 && test ! -s err
'

test_done
