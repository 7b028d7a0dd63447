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
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/hs-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH"
_tap_n=0
_tap_fail=0

test_expect() {
	_tap_n=$((_tap_n + 1))
	if (eval "$2") >"$SCRATCH/.log" 2>&1; then
		echo "ok $_tap_n - $1"
	else
		echo "not ok $_tap_n - $1"
		_tap_fail=$((_tap_fail + 1))
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
