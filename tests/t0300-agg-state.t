#!/bin/bash
# hs-agg checks the content of a state file, not only its checksum: crafted
# states with a correct checksum (written by the state_forge helper) are
# refused whole, never crash it, never write a malformed row.
. "$(dirname "$0")/lib.sh"

FORGE=${HS_UNIT:-$HS_ROOT/build/tests}/state_forge
CONFIG="mode=0 g=sensor a=0,9 f=value"	# hs-agg -g sensor -a count,p50 -f value
W='{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"}'
S=1762612200000000
E=1762612260000000
FIELD='[1,1.5,1.5,0,1.5,1.5,1.5,1.5,[1.5]]'

# a state of one group: KEY (JSON string text), then FIELD and bounds
group() {	# KEY [FIELD] [START] [END] [COUNT]
	printf '{"key":%s,"windowed":1,"start":%s,"end":%s,"count":%s,"dirty":1,"fields":[%s]}' \
	    "$1" "${3:-$S}" "${4:-$E}" "${5:-1}" "${2:-$FIELD}"
}
forge() {	# NAME STATE-TEXT
	rm -f "$1" "$1".* && printf '%s' "$2" | "$FORGE" "$1" hs-agg "$CONFIG" 1
}
resume() {	# NAME: resume from checkpoint 1 and end
	printf '{"_hs":"resume","id":1}\n{"_hs":"end"}\n' |
	    hs-agg -g sensor -a count,p50 -f value --state "$1"
}
refused() {	# NAME STATE-TEXT: the state is refused whole, exit 3, no row
	forge "$1" "$2" &&
	test_exit 3 resume "$1" >out 2>err &&
	grep -q "cannot resume: .*checkpoint 1 is malformed" err &&
	! grep -q "^{\"window\"" out
}

test_expect 'a well-formed crafted state resumes (the forge is right)' '
	forge good "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\"")]}" &&
	resume good >out &&
	grep -q "^{\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"},\"sensor\":\"A\",\"count\":1,\"p50_value\":1.5}$" out
'

test_expect 'a group key without its separator is refused, not read past' '
	refused nosep "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\"")]}"
'

test_expect 'a key with more group values than fields is refused' '
	refused extra "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\\u001f1\"")]}"
'

test_expect 'an empty p50 array is refused, not dereferenced' '
	refused emptyp50 "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\"" "[1,1.5,1.5,0,1.5,1.5,1.5,1.5,[]]")]}" &&
	refused zero "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\"" "[0,0,0,0,0,0,0,0,[]]" "" "" 0)]}"
'

test_expect 'a garbage window key is refused, not written as {"window":{{{' '
	refused garbage "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"{{{\\u001f\\\"A\\\"\"")]}" &&
	refused notjson "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\"")]}"
'

test_expect 'a window key whose bounds differ from the group bounds is refused' '
	refused bounds "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\"" "" 0 60000000)]}"
'

test_expect 'a field with more values than its group has records is refused' '
	refused count "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\"" "[2,3,1.5,0,1.5,1.5,1.5,1.5,[1.5,1.5]]")]}"
'

test_expect 'a group saved twice is refused' '
	g=$(group "\"$W\\u001f\\\"A\\\"\"") &&
	refused twice "{\"watermark\":0,\"batch\":0,\"groups\":[$g,$g]}"
'

test_expect 'instants out of range in a state are refused' '
	refused wm "{\"watermark\":9223372036854775807,\"batch\":0,\"groups\":[]}" &&
	refused far "{\"watermark\":0,\"batch\":0,\"groups\":[$(group "\"$W\\u001f\\\"A\\\"\"" "" "" 9223372036854775807)]}"
'

test_expect 'hs-window refuses a state with instants out of range' '
	rm -f w.st* &&
	printf "{\"max_time\":9223372036854775807,\"watermark\":0,\"announced_slot\":0,\"late_count\":0}" |
	    "$FORGE" w.st hs-window "w=60000000 s=60000000 l=0 t=timestamp" 1 &&
	echo "{\"_hs\":\"resume\",\"id\":1}" | test_exit 3 hs-window -w 1m --state w.st 2>err &&
	grep -q "checkpoint 1 is malformed" err
'

test_done
