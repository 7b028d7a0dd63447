#!/bin/bash
# Drift detectors on the real data: false alarms on healthy cycles with
# the settings the README recommends, per-cycle rows against a baseline
# learned from a known-good stretch, and detection of the degraded cooler.
. "$(dirname "$0")/lib.sh"

# Per-cycle means of the cooling efficiency; the reference is the first
# 100 cycles with a healthy cooler (1464-1563), the false alarms are
# counted on the other 641 (1564-2204), out of sample.
hs-replay -q -s CE -p "$TESTDATA/uci/profile.txt" "$TESTDATA/uci" |
    hs-agg -g cycle,sensor,cooler -a avg -f value >cycles
jq -c "select(.cycle >= 1464 and .cycle < 1564)" cycles |
    hs-detect -f avg_value --learn ref.json
jq -c "select(.cycle >= 1564)" cycles >healthy
jq -c "select(.cooler == 20)" cycles >reduced

at_most() {	# DETECTOR-OPTIONS... : flagged healthy cycles <= 1 % (6 of 641)
	n=$(hs-detect -f avg_value -b ref.json "$@" healthy | grep -c anomaly)
	echo "$* flags $n of 641 healthy cycles"
	[ "$n" -le 6 ] &&
	d=$(hs-detect -f avg_value -b ref.json "$@" reduced | grep -c anomaly) &&
	echo "$* flags $d of 732 cycles of the cooler at 20 %" && [ "$d" -ge 700 ]
}

test_expect 'the robust score at 4: at most 1 % false alarms, the degraded cooler found' '
	at_most --robust 4
'

test_expect 'the z-score at 3: at most 1 % false alarms, the degraded cooler found' '
	at_most --robust 0 --z 3
'

test_expect 'EWMA 0.2,3 on per-cycle means: at most 1 % false alarms, the degraded cooler found' '
	at_most --robust 0 --ewma 0.2,3
'

test_expect 'CUSUM 1,10 on per-cycle means: at most 1 % false alarms, the degraded cooler found' '
	at_most --robust 0 --cusum 1,10
'

test_expect 'per position in the cycle, raw samples: the z-score at 3 stays under 1 %' '
	hs-replay -q -c 1464-1563 -s CE "$TESTDATA/uci" |
	    hs-detect -g sensor,sample_idx --learn rawref.json &&
	hs-replay -q -c 1564-2204 -s CE "$TESTDATA/uci" |
	    hs-detect -g sensor,sample_idx -b rawref.json --robust 0 --z 3 >out &&
	n=$(grep -c anomaly out) && echo "$n of 38460 samples" &&
	[ "$n" -le 384 ]
'

test_expect 'the warm-up reference on raw samples is noise, as the README warns' '
	n=$(hs-replay -q -c 0-99 -s CE "$TESTDATA/uci" | hs-detect --ewma 0.1,3 | grep -c anomaly) &&
	echo "$n of 6000" && [ "$n" -gt 3000 ]
'

test_done
