#!/bin/bash
# tests/bench/gen-uci.sh - SYNTHETIC files in the shapes of the UCI hydraulic
# data set, for benchmarks: N_CYCLES rows of the 100 Hz (PS1-PS6, EPS1: 6000
# columns) and 10 Hz (FS1, FS2: 600 columns) files, which are not in
# testdata, and the first N_CYCLES rows of the real 1 Hz files and
# profile.txt from testdata/uci (repeated from the top past its 2205 rows).
#
#   tests/bench/gen-uci.sh N_CYCLES DIR
#
# The values are not measurements: a fixed pseudo-random walk inside each
# sensor's usual range, printed with the number of decimals of the real
# files, so that rows have the real files' widths. Deterministic: the same
# N_CYCLES gives the same bytes on every machine. A README.txt in DIR says so.
set -eu
[ $# -eq 2 ] || { echo "usage: gen-uci.sh N_CYCLES DIR" >&2; exit 2; }
n=$1 dir=$2
case $n in ''|*[!0-9]*) echo "gen-uci.sh: N_CYCLES: not a number: $n" >&2; exit 2;; esac
uci=$(cd "$(dirname "$0")/../../testdata/uci" && pwd)
mkdir -p "$dir"

# NAME COLUMNS LOW SPAN DECIMALS SEED: values LOW .. LOW+SPAN
synthetic() {
	awk -v rows="$n" -v cols="$2" -v low="$3" -v span="$4" -v dec="$5" \
	    -v x="$6" 'BEGIN {
		scale = 10 ^ dec; fmt = "%." dec "f"
		steps = span * scale
		for (i = 0; i < rows; i++) {
			# a walk from a level that changes with the cycle
			x = (x * 69069 + 1) % 4294967296
			v = x % steps
			line = ""
			for (j = 0; j < cols; j++) {
				x = (x * 69069 + 1) % 4294967296
				v += x % 21 - 10
				if (v < 0) v = -v
				if (v >= steps) v = 2 * (steps - 1) - v
				line = line (j ? "\t" : "") sprintf(fmt, low + v / scale)
			}
			print line
		}
	}' >"$dir/$1.txt"
}

synthetic PS1 6000 145 45 2 1 &
synthetic PS2 6000 105 25 2 2
synthetic PS3 6000 0 3 3 3 &
synthetic PS4 6000 0 11 2 4
synthetic PS5 6000 8 2 3 5 &
synthetic PS6 6000 8 2 3 6
synthetic EPS1 6000 2200 500 1 7 &
synthetic FS1 600 0 20 3 8
synthetic FS2 600 8 2 3 9
wait
for f in CE CP SE TS1 TS2 TS3 TS4 VS1 profile; do
	awk -v rows="$n" '{ a[NR] = $0 } END {
		for (i = 0; i < rows; i++) print a[i % NR + 1] }' \
	    "$uci/$f.txt" >"$dir/$f.txt"
done
cat >"$dir/README.txt" <<EOT
SYNTHETIC data made by tests/bench/gen-uci.sh $n: the PS1-PS6, EPS1, FS1
and FS2 files are pseudo-random values in the shapes of the UCI hydraulic
data set, not measurements. The 1 Hz files and profile.txt are rows of the
real UCI data set 447 (N. Helwig, E. Pignanelli, A. Schuetze, ZeMA gGmbH;
CC BY 4.0), repeated from the top past 2205 cycles.
EOT
