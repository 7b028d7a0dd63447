#!/bin/bash
# Lines are handed out by a quick path when they are whole in the buffer
# and plain: every line still comes out as the full rules read it, and
# the per-record shortcuts after it (the control record test, the last
# timestamp compared word by word) give the full answers.
. "$(dirname "$0")/lib.sh"

test_expect 'random lines across reads and buffer ends, from a file and a pipe (unit)' '
	"${HS_UNIT:-$HS_ROOT/build/tests}/lineio_test" >tap 2>/dev/null &&
	! grep -q "^not ok" tap && grep -q "^1\.\.4" tap
'

test_expect 'timestamps of one length differing in any one byte are each read' '
	base=2025-11-08T14:30:00.000Z &&
	for i in 3 6 8 9 12 14 15 17 18 20 21 22; do
		d=${base:$i:1} &&
		echo "{\"timestamp\":\"$base\"}" &&
		echo "{\"timestamp\":\"${base:0:$i}$((d + 1))${base:$((i + 1))}\"}"
	done >in &&
	hs-window -w 1ms -l 400d in >out &&
	grep -v "^{\"_hs\"" out | jq -r "select(.timestamp != .window.start)" >wrong &&
	test ! -s wrong && test_lines in 24 && grep -c "\"window\"" out >n &&
	echo 24 >want && test_cmp want n
'

test_expect 'a control record after blanks is one; a CR-ended line is read' '
	printf " \t{\"_hs\":\"end\"}\n" >in &&
	printf "{\"timestamp\":\"2025-11-08T14:30:00Z\"}\r\n" >>in &&
	hs-window -w 1m in >out &&
	head -1 in >want && head -1 out >got && test_cmp want got &&
	grep -q "^{\"timestamp\":\"2025-11-08T14:30:00Z\",\"window\"" out
'

test_done
