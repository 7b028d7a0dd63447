#!/bin/bash
# The fuzzing harnesses of tests/fuzz, built normally, replay the seed
# corpus and every input AFL++ ever found a fault with (tests/fuzz/crashes):
# none may crash, hang, or make a tool write invalid UTF-8 or invalid NDJSON
# (the harnesses abort then).
. "$(dirname "$0")/lib.sh"
. "$HS_ROOT/tests/fuzz/lib.sh"

FUZZ=${HS_FUZZ:-${HS_UNIT:-$HS_ROOT/build/tests}/../fuzz}

replays() {	# TARGET
	for f in "$HS_ROOT/tests/fuzz/corpus/$(corpus_of "$1")"/* \
	    "$HS_ROOT/tests/fuzz/crashes/$1"/*; do
		[ -e "$f" ] || continue
		timeout 20 "$FUZZ/$1" "$f" >/dev/null 2>err
		rc=$?
		if [ $rc -ge 124 ]; then
			echo "$1 $f: exit $rc"; tail -3 err; return 1
		fi
	done
}

for t in $(cd "$FUZZ" && ls | grep -v '^obj$'); do
	test_expect "fuzz target $t: the corpus and its crashes replay cleanly" "
		replays $t
	"
done

test_done
