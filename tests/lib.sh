# tests/lib.sh - a small TAP library for the shell tests, in the manner of
# git's t/test-lib.sh: each test is a sentence and a block of shell.
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect 'replay emits one event per sample' '
#       hs-replay testdata/uci/TS1.txt -c 0-0 >out && test_lines out 60
#   '
#   test_done
#
# Each test runs in a subshell inside one scratch directory; chain its
# commands with && so the first failure fails the test, whose output is shown.

set -u
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin}
HS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
TESTDATA=$HS_ROOT/testdata
PATH=$HS_BIN:$PATH
export PATH HS_ROOT TESTDATA
unset HS_BROKERS
# Times without a zone are local time: the tests fix the zone.
TZ=UTC
export TZ
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/hs-test.XXXXXX")
_at_exit=:
trap 'eval "$_at_exit"; rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH"
_tap_n=0
_tap_fail=0

test_expect() {
	_tap_n=$((_tap_n + 1))
	if (eval "$2") >"$SCRATCH/.log" 2>&1; then
		echo "ok $_tap_n - $1"
	else
		echo "not ok $_tap_n - $1"
		case $1 in	# a sentence ending "# TODO why" is known to fail
		*"# TODO "*) ;;
		*) _tap_fail=$((_tap_fail + 1)) ;;
		esac
		sed 's/^/#   /' "$SCRATCH/.log" | tail -40
	fi
}

test_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # skip $1: $2"
}

test_done() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
}

# Run a command when the test script exits, however it exits.
test_at_exit() {
	_at_exit="$1; $_at_exit"
}

# Start `hs-kafkacat --mock N` on loopback for this script: $B gets its
# bootstrap servers, mock_cmd sends it a command; it stops at exit.
start_mock() {	# [BROKERS]
	mkfifo "$SCRATCH/.mock.ctl"
	hs-kafkacat --mock "${1:-3}" <"$SCRATCH/.mock.ctl" >"$SCRATCH/.mock.boot" \
	    2>"$SCRATCH/.mock.err" &
	MOCK_PID=$!
	exec 9>"$SCRATCH/.mock.ctl"
	test_at_exit 'exec 9>&-; wait $MOCK_PID 2>/dev/null'
	for _i in $(seq 1 200); do
		[ -s "$SCRATCH/.mock.boot" ] && break
		sleep 0.05
	done
	B=$(head -1 "$SCRATCH/.mock.boot")
	export B
}
mock_cmd() {	# send a command and wait for the mock's answer
	_n=$(grep -c "mock: " "$SCRATCH/.mock.err")
	echo "$*" >&9
	wait_until 5 "[ \$(grep -c 'mock: ' '$SCRATCH/.mock.err') -gt $_n ]"
}

# The value of a librdkafka property in a `hs-kafkacat -X dump` listing.
dump_prop() {	# FILE NAME
	sed -n "s/^$2=//p" "$1"
}

# Wait up to SECONDS for a shell condition to hold.
wait_until() {	# SECONDS CONDITION
	_end=$(( $(date +%s) + $1 ))
	until eval "$2"; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.1
	done
}

# Hand-made windowed records for the hs-agg tests: a sample of SENSOR in
# the one-minute window starting at 14:MINUTE, and a watermark.
rec() {	# WINDOW_START_MINUTE SENSOR VALUE
	printf '{"sensor":"%s","value":%s,"window":{"start":"2025-11-08T14:%02d:00.000Z","end":"2025-11-08T14:%02d:00.000Z"}}\n' \
	    "$2" "$3" "$1" $(($1 + 1))
}
wm() {	# MINUTE SECOND
	printf '{"_hs":"watermark","watermark":"2025-11-08T14:%02d:%02d.000Z"}\n' "$1" "$2"
}

# Helpers for use inside test blocks.
test_lines() {	# FILE N: FILE has exactly N lines
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] || { echo "expected $2 lines in $1, got $n"; return 1; }
}
test_cmp() {	# EXPECTED ACTUAL
	diff -u "$1" "$2"
}
test_exit() {	# CODE CMD...: CMD exits with CODE
	want=$1; shift
	"$@"; got=$?
	[ "$got" -eq "$want" ] || { echo "expected exit $want from $*, got $got"; return 1; }
}

# The data rows of hs-agg in GOT are those of WANT: the same windows and
# sensors; count, min, max, first and last equal; percentiles within
# ALPHA (a sketch's relative accuracy); other numbers to 1e-9 relative.
test_rows_close() {	# WANT GOT ALPHA
	grep -v '^{"_hs"' "$1" >"$1.rows" && grep -v '^{"_hs"' "$2" >"$2.rows" &&
	jq -n -r --slurpfile want "$1.rows" --slurpfile got "$2.rows" \
	    --argjson alpha "$3" -f "$HS_ROOT/tests/rows-close.jq" >"$2.diff" &&
	if [ -s "$2.diff" ]; then head -20 "$2.diff"; return 1; fi
}
