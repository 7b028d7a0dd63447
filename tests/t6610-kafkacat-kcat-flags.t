#!/bin/bash
# hs-kafkacat and kcat users: kcat's flags are taken where the meaning is
# the same, and where it is not the error names the hs flag that does the
# job; -F files that cannot be read are fatal; every man page documents
# --help and --version.
. "$(dirname "$0")/lib.sh"

start_mock 3
[ -n "$B" ] || { echo "Bail out! the mock cluster did not start"; exit 1; }

test_expect 'every man page documents --help and --version' '
	for f in "$HS_ROOT"/man/*.1; do
		grep -q "^\.It Fl h , Fl Fl help" "$f" &&
		grep -q "^\.It .*Fl Fl version" "$f" || { echo "$f"; exit 1; }
	done
'

test_expect '-V prints the version, as kcat -V and --version do' '
	hs-kafkacat -V >a && hs-kafkacat --version >b && test_cmp a b &&
	grep -Eq "^hs-kafkacat [0-9]+\.[0-9]+" a
'

test_expect '-K splits each line into the key and the payload, as kcat -P -K' '
	printf "PS1\t{\"v\":1}\n\t{\"v\":2}\n{\"v\":3}\n" >in &&
	hs-kafkacat -P -b "$B" -t keyed -p 0 -K "\t" in &&
	hs-kafkacat -C -b "$B" -t keyed -e --source >out &&
	test_lines out 3 &&
	grep -q "^{\"v\":1,\"_src\":{.*\"key\":\"PS1\"" out &&
	grep -q "^{\"v\":2,\"_src\":{.*\"key\":\"\"" out &&
	grep "^{\"v\":3," out | grep -vq "\"key\"" &&
	kcat -C -b "$B" -t keyed -e -q -K "|" >k &&
	grep -qx "PS1|{\"v\":1}" k
'

test_expect '-K takes precedence over the -k template, as in kcat' '
	printf "fixed|{\"sensor\":\"TS1\"}\n{\"sensor\":\"TS2\"}\n" >in &&
	hs-kafkacat -P -b "$B" -t keyed2 -p 0 -K "|" -k "{sensor}" in &&
	kcat -C -b "$B" -t keyed2 -e -q -K "|" >k &&
	printf "fixed|{\"sensor\":\"TS1\"}\nTS2|{\"sensor\":\"TS2\"}\n" >want &&
	test_cmp want k
'

test_expect '-E, -u, -Z (-P) and -D "\n" are taken and change nothing else' '
	printf "{\"a\":1}\n{\"a\":2}\n" >in &&
	hs-kafkacat -P -b "$B" -t flags -E -Z -D "\n" in &&
	hs-kafkacat -C -b "$B" -t flags -e -u -E -D "\n" >out &&
	sort out >b && test_cmp in b
'

test_expect '-d shows librdkafka debugging on stderr, as kcat -d and -X debug= do; none without' '
	hs-kafkacat -C -b "$B" -t flags -e -d fetch >out 2>err &&
	grep -q "^hs-kafkacat: FETCH: " err &&
	hs-kafkacat -C -b "$B" -t flags -e -X debug=fetch >out 2>err &&
	grep -q "^hs-kafkacat: FETCH: " err &&
	hs-kafkacat -C -b "$B" -t flags -e >out 2>err &&
	! test -s err &&
	test_exit 2 hs-kafkacat -C -b "$B" -t flags -e -d nosuch 2>err &&
	grep -q "debug" err
'

test_expect 'kcat flags without an exact meaning here name the hs flag instead' '
	for f in "-C -J" "-C -f %s" "-C -K :" "-C -Z"; do
		hs-kafkacat $f -b "$B" -t flags 2>err </dev/null; test $? = 2 &&
		grep -q "\-\-source\|\-\-wrap" err || { echo "$f"; cat err; exit 1; }
	done &&
	hs-kafkacat -P -D "|" -b "$B" -t flags 2>err </dev/null; test $? = 2 &&
	grep -q "one JSON object a line" err
'

test_expect '-o that is no offset is a usage error (exit 2) before any broker is asked, where s@abc once read as time 0' '
	for o in s@abc s@ s@-5 5x " 5" - begin 99999999999999999999 \
	    -9223372036854775808; do
		test_exit 2 hs-kafkacat -C -b 127.0.0.1:1 -t x -o "$o" -e \
		    </dev/null >out 2>err &&
		grep -qx "hs-kafkacat: -o: expected beginning, end, stored, N, -N or s@MS, not .$o." err ||
		    { echo "# -o $o"; cat err; return 1; }
	done &&
	seq 0 9 | sed "s/.*/{\"i\":&}/" | hs-kafkacat -P -b "$B" -t o10 -p 0 &&
	hs-kafkacat -C -b "$B" -t o10 -p 0 -o beginning -e >out && test_lines out 10 &&
	hs-kafkacat -C -b "$B" -t o10 -p 0 -o 0 -e >out && test_lines out 10 &&
	hs-kafkacat -C -b "$B" -t o10 -p 0 -o -2 -e >out && test_lines out 2 &&
	hs-kafkacat -C -b "$B" -t o10 -p 0 -o end -e >out && test_lines out 0
'

test_expect 'a -F file with an invalid property is fatal, with its file and line' '
	printf "# a comment\nno.such.property=1\n" >bad.conf &&
	hs-kafkacat -L -b "$B" -F bad.conf >/dev/null 2>err; test $? = 3 &&
	grep -q "bad.conf:2: .*no.such.property" err
'

test_expect 'a -F file that cannot be read is fatal' '
	hs-kafkacat -L -b "$B" -F /nonexistent >/dev/null 2>err; test $? = 3 &&
	grep -q "/nonexistent" err &&
	mkdir dir.conf &&
	hs-kafkacat -L -b "$B" -F dir.conf >/dev/null 2>err; test $? = 3
'

test_expect 'a ~/.config/hs/kafka.conf that cannot be read is fatal, not skipped' '
	mkdir -p home/.config/hs/kafka.conf &&
	HOME=$PWD/home hs-kafkacat -L -b "$B" >/dev/null 2>err; test $? = 3 &&
	grep -q "kafka.conf" err
'

test_done
