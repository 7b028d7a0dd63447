#!/bin/bash
# Every example of the README and the man pages runs as written on the
# shipped data, so that no example can rot (tests/examples.pl finds them),
# and pastes at an 80-column terminal.
#
# The examples of the README run in order in one directory holding
# testdata/, those of the man pages in another, page after page in the
# order of their names, so an example may use the files an earlier one
# made (the page says so when they come from another page). "... |" at
# the start of a line stands for the rows of the demo pipeline (hs(7)).
# An example passes when every command of it exits 0 (errexit, pipefail),
# it writes something (to standard output or a file), and it says nothing
# on standard error of dropped or bad records or of usage. Live examples
# (paced with --speed) pass when they are still writing after a few
# seconds. Examples that need a Kafka cluster without
# starting one get the mock cluster in $B; the sinks of other systems
# (psql, curl to InfluxDB) are stand-ins that read what they are given:
# loading into the real systems is tested in t4000-t4400.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

DEMO_ROWS='hs-replay -c 0-29 testdata/uci | hs-window -w 1m -l 10s | hs-agg -g sensor -a count,avg,max,min,sum -f value |'
psql() { wc -l; }
curl() { wc -l; }
export -f psql curl

# Run the example in file $1 in the current directory, for at most $2
# seconds (120 unless given).
run_example() {	# FILE [SECONDS]
	sed -e "s#^\.\.\. |#$DEMO_ROWS#" \
	    -e "s#--textfile /[^ ]*/#--textfile $PWD/#g" "$1" >script &&
	if grep -v '^ *#' script | grep -q '\.\.\.'; then
		echo "elided arguments (...) cannot run:"; cat script; return 1
	fi
	: >before
	live=0
	grep -q -- '--speed [1-9]' script && live=1
	start=$SECONDS
	timeout -k 5 "$([ $live = 1 ] && echo 6 || echo "${2:-120}")" \
	    bash -e -o pipefail -c ". ./script" >out 2>err
	rc=$?
	cat script && echo "--- exit $rc after $((SECONDS - start)) s; stderr:" &&
	    cat err
	if [ $live = 1 ]; then
		[ $rc = 124 ] || [ $rc = 0 ] || return 1
	else
		[ $rc = 0 ] || return 1
	fi
	[ -s out ] ||
	    find . -mindepth 1 -newer before ! -name out ! -name err | grep -q . ||
	    { echo "no output and no file written"; return 1; }
	! grep -E -i 'dropped|bad records? skipped|usage:|command not found' err
}

perl "$HS_ROOT/tests/examples.pl" "$HS_ROOT/README.md" "$HS_ROOT"/man/*.1 \
    "$HS_ROOT"/man/hs.7 >examples
awk '/^=== /{ n++; f = sprintf("ex.%03d", n); print substr($0, 5) >"index"; next }
    { print >f }' examples

# Examples known to fail, by page and first line, with the issue that
# fixes them: they run as TAP TODO tests, for 30 s at most, until it lands.
todo() {	# WHERE FIRST_LINE
	case ${1%%:*}:$2 in
	esac
}

n=0
while IFS= read -r where; do
	n=$((n + 1))
	ex=$(printf 'ex.%03d' $n)
	case $where in *README.md:*) doc=README ;; *) doc=man ;; esac
	mkdir -p "run.$doc" && ln -sfn "$TESTDATA" "run.$doc/testdata"
	reason=$(todo "$where" "$(head -1 $ex)")
	test_expect "the example at ${where#$HS_ROOT/} runs as written${reason:+ # TODO $reason}" "
		cd run.$doc && run_example ../$ex ${reason:+30}
	"
done <index

test_expect 'every line of the man pages fits 80 columns' '
	for page in "$HS_ROOT"/man/*.[17]; do
		mandoc -Tascii -Owidth=80 "$page" | sed "s/.\x08//g" | expand |
		    awk -v page="${page#$HS_ROOT/}" "length > 80 {
			print page \": \" \$0; wide = 1 } END { exit wide }" ||
		    wide=1
	done
	[ -z "${wide-}" ]
'

test_expect 'every line of the examples of the README fits 80 columns' '
	! awk "/^    / && length > 80 { print FILENAME \":\" FNR \": \" \$0 }" \
	    "$HS_ROOT/README.md" | grep .
'
test_done
