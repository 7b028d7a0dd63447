#!/bin/bash
# Conventions every hs binary keeps: --help, --version, usage errors, and a
# man page that mandoc reads without a warning.
. "$(dirname "$0")/lib.sh"

for bin in "$HS_BIN"/hs-*; do
	name=$(basename "$bin")
	test_expect "$name --help prints its usage on stdout and exits 0" "
		$name --help >out 2>err && grep -q '^usage: $name' out && test ! -s err
	"
	test_expect "$name --version prints its name and version" "
		$name --version >out && grep -qx '$name [0-9][0-9.]*' out
	"
	test_expect "$name with an unknown option shows usage on stderr, exit 2" "
		test_exit 2 $name --no-such-option </dev/null >out 2>err &&
		grep -q '^usage: $name' err && test ! -s out
	"
	test_expect "$name has a man page that mandoc reads cleanly" "
		mandoc -Tlint -W warning \"$HS_ROOT/man/$name.1\" >lint 2>&1;
		test -f \"$HS_ROOT/man/$name.1\" && test ! -s lint || { cat lint; false; }
	"
done

test_expect 'hs(7) reads cleanly' '
	mandoc -Tlint -W warning "$HS_ROOT/man/hs.7" >lint 2>&1; test ! -s lint
'

test_done
