#!/bin/bash
# Checkpoints: hs-window and hs-agg save their state at checkpoint control
# records and restore it when the stream resumes, so that a pipeline killed
# at any point and restarted gives the aggregates of an uninterrupted run.
. "$(dirname "$0")/lib.sh"

# A stream of 600 events over 10 minutes, sensors A and B, with a
# checkpoint record every 50 events whose positions are the next offset
# (as hs-kafkacat writes them), and an end record.
make_stream() {
	awk 'BEGIN {
		for (i = 0; i < 600; i++) {
			if (i > 0 && i % 50 == 0)
				printf "{\"_hs\":\"checkpoint\",\"id\":%d,\"positions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":%d}]}\n", i / 50, i
			s = i % 2 ? "B" : "A"
			printf "{\"sensor\":\"%s\",\"value\":%d.%d,\"timestamp\":\"2025-11-08T14:%02d:%02dZ\"}\n", s, i % 17, i % 7, 30 + int(i / 60), i % 60
		}
		print "{\"_hs\":\"end\"}"
	}'
}
# the stream as it would be replayed after checkpoint N: a resume record,
# then every event from offset 50*N on
resume_from() {
	echo "{\"_hs\":\"resume\",\"id\":$1}"
	awk -v skip=$(($1 * 50)) '!/^{"_hs"/ { n++ } n > skip || /"end"/' stream
}
pipeline() {	# STATE_PREFIX
	hs-window -w 1m -l 10s --state "$1.window" |
	    hs-agg -g sensor -a count,sum,avg,p50 -f value --state "$1.agg"
}
rows() { cat "$@" | grep -v "^{\"_hs\"" | sort -u; }

test_expect 'an uninterrupted run with checkpoints gives every window' '
	make_stream >stream &&
	pipeline run <stream >full &&
	test "$(rows full | wc -l)" -eq 20 &&
	grep -q "\"checkpoints\":\[{\"id\":4," run.agg
'

test_expect 'a stage whose input breaks off after checkpoints writes nothing open' '
	head -400 stream | pipeline cut >partial 2>err;
	grep -q "input ended without an end record" err &&
	test "$(rows partial | wc -l)" -lt 20
'

test_expect 'resuming after a checkpoint gives exactly the uninterrupted rows' '
	for n in 3 5 7; do
		rm -f crash.* &&
		head -$((n * 51 + 37)) stream | pipeline crash >before 2>/dev/null;
		resume_from $n | pipeline crash >after &&
		rows before after >got &&
		rows full >want &&
		test_cmp want got || exit 1
	done
'

test_expect 'a resume names a checkpoint the file must have' '
	rm -f s.agg &&
	echo "{\"_hs\":\"resume\",\"id\":99}" |
	    test_exit 3 hs-agg -a count --state s.agg 2>err &&
	grep -q "s.agg has no checkpoint 99" err
'

# the index run.agg and the file of each checkpoint, run.agg.SERIAL
copy_state() {	# FROM TO
	for f in "$1" "$1".[0-9]*; do cp "$f" "$2${f#$1}" || return 1; done
}

test_expect 'a corrupt state file is refused, never half-loaded' '
	copy_state run.agg bad.agg &&
	sed -i "s/\"count\":\([0-9]\)/\"count\":1\1/" bad.agg.[0-9]* &&
	echo "{\"_hs\":\"resume\",\"id\":4}" |
	    test_exit 3 hs-agg -g sensor -a count,sum,avg,p50 -f value --state bad.agg >out 2>err &&
	grep -q "bad.agg: refused: checksum mismatch" err && test ! -s out &&
	copy_state run.agg bad2.agg &&
	sed -i "s/\"id\":4,/\"id\":3,/" bad2.agg &&
	test_exit 3 hs-agg -g sensor -a count,sum,avg,p50 -f value --state bad2.agg </dev/null 2>err &&
	grep -q "bad2.agg: refused: checksum mismatch" err
'

test_expect 'a truncated state file is refused' '
	head -c 300 run.agg >short.agg &&
	test_exit 3 hs-agg -g sensor -a count,sum,avg,p50 -f value --state short.agg </dev/null 2>err &&
	grep -q "short.agg: refused: not a valid state file" err
'

test_expect 'a foreign state file is refused' '
	echo "{\"hello\":1}" >foreign &&
	test_exit 3 hs-agg -a count --state foreign </dev/null 2>err &&
	grep -q "refused: not an hs state file" err &&
	test_exit 3 hs-agg -a count --state run.window </dev/null 2>err &&
	grep -q "refused: state file of another tool" err &&
	test_exit 3 hs-agg -g sensor -a count -f value --state run.agg </dev/null 2>err &&
	grep -q "refused: state file of another configuration" err
'

test_expect 'the state file is replaced atomically' '
	test ! -e run.agg.tmp && test ! -e run.window.tmp
'

test_done
