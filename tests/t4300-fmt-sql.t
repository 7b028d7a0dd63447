#!/bin/bash
# hs-fmt -o sql: tables and rows for SQLite and PostgreSQL, loaded into the
# real sqlite3 and into a PostgreSQL server started for the test.
. "$(dirname "$0")/lib.sh"

# Two CSV files of the same rows: first columns equal, numbers to 1e-12.
same_rows() {	# WANT GOT
	test_lines "$2" "$(wc -l <"$1")" &&
	paste -d"|" "$1" "$2" | awk -F"|" "{
	    n = split(\$1, a, \",\"); split(\$2, b, \",\");
	    if (a[1] != b[1]) { print; bad = 1 }
	    for (i = 2; i <= n; i++) { d = a[i] - b[i]; if (d < 0) d = -d;
	      if (d > 1e-12 * (a[i] < 0 ? -a[i] : a[i])) { print; bad = 1 } } }
	    END { exit bad }"
}

QUERY="SELECT sensor, avg_value, max_value, min_value FROM hydraulic_aggregations WHERE window_start = '2025-11-08T14:35:00.000Z' ORDER BY sensor"

test_expect 'CREATE TABLE with types from the records, then INSERTs in a transaction' '
	echo "{\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\",\"end\":\"2025-11-08T14:31:00.000Z\"},\"sensor\":\"CE\",\"count\":60,\"avg_value\":39.6,\"ok\":true}" |
	    hs-fmt -o sql >out &&
	cat >expect <<-\X &&
	CREATE TABLE IF NOT EXISTS "hydraulic_aggregations" ("window_start" TEXT, "window_end" TEXT, "sensor" TEXT, "count" INTEGER, "avg_value" REAL, "ok" BOOLEAN);
	BEGIN;
	INSERT INTO "hydraulic_aggregations" ("window_start", "window_end", "sensor", "count", "avg_value", "ok") VALUES
	('"'"'2025-11-08T14:30:00.000Z'"'"', '"'"'2025-11-08T14:31:00.000Z'"'"', '"'"'CE'"'"', 60, 39.6, TRUE);
	COMMIT;
	X
	test_cmp expect out
'

test_expect 'the original job'"'"'s query runs in sqlite3 on the real aggregates' '
	hs-replay "$TESTDATA/uci" -c 0-29 | hs-window -w 1m -l 10s |
	    hs-agg -g sensor -a count,avg,max,min,sum -f value >agg &&
	hs-fmt -o sql agg | sqlite3 agg.db &&
	sqlite3 -csv agg.db "$QUERY" >got &&
	mlr --ijson --ocsv --headerless-csv-output --ofmt %.15g flatten then \
	    filter "\${window.start} == \"2025-11-08T14:35:00.000Z\"" then \
	    cut -o -f sensor,avg_value,max_value,min_value then sort -f sensor agg >query.want &&
	test_lines got 8 && same_rows query.want got &&
	test "$(sqlite3 agg.db "SELECT count(*) FROM hydraulic_aggregations")" -eq 240
'

test_expect 'without keys, loading twice doubles the rows; with -k, an upsert keeps one a key' '
	hs-fmt -o sql agg | sqlite3 agg.db &&
	test "$(sqlite3 agg.db "SELECT count(*) FROM hydraulic_aggregations")" -eq 480 &&
	hs-fmt -o sql -T keyed -k window.start,sensor agg | sqlite3 agg.db &&
	hs-fmt -o sql -T keyed -k window.start,sensor agg | sqlite3 agg.db &&
	test "$(sqlite3 agg.db "SELECT count(*) FROM keyed")" -eq 240
'

test_expect 'update-mode rows upserted leave the final aggregates of append mode' '
	hs-replay "$TESTDATA/uci" -c 0-4 -s CE,TS1 | hs-window -w 1m -l 10s >ev &&
	hs-agg -g sensor -a count,avg -f value --mode update <ev |
	    hs-fmt -o sql -T upd -k window.start,sensor | sqlite3 modes.db &&
	hs-agg -g sensor -a count,avg -f value <ev |
	    hs-fmt -o sql -T app | sqlite3 modes.db &&
	sqlite3 modes.db "SELECT * FROM upd ORDER BY 1, 3" >upd &&
	sqlite3 modes.db "SELECT * FROM app ORDER BY 1, 3" >app &&
	test_lines app 10 && test_cmp app upd
'

test_expect 'quotes, backslashes, line breaks and UTF-8 round-trip through sqlite3' '
	cat >in <<-\X &&
	{"id":1,"s":"it'"'"'s \"q\" a\\b\nnext é 😀"}
	X
	hs-fmt -o sql -T t in | sqlite3 s.db &&
	sqlite3 s.db "SELECT s FROM t" >got &&
	jq -r .s in >want && test_cmp want got
'

test_expect 'names that are not identifiers are sanitized; -f chooses columns' '
	echo "{\"1st-try.x\":5,\"a b\":\"x\",\"skip\":1}" |
	    hs-fmt -o sql -T "my table" -f "1st-try.x,a b" >out &&
	grep -q "^CREATE TABLE IF NOT EXISTS \"my_table\" (\"_1st_try_x\" INTEGER, \"a_b\" TEXT);" out &&
	sqlite3 n.db <out && test "$(sqlite3 n.db "SELECT _1st_try_x || a_b FROM my_table")" = 5x
'

test_expect '-f gives the columns and their order, window fields included' '
	echo "{\"window\":{\"start\":\"s\",\"end\":\"e\"},\"sensor\":\"X\",\"avg_value\":1.5,\"n\":3}" |
	    hs-fmt -o sql -f avg_value,window.start,sensor >out &&
	grep -q "(\"avg_value\" REAL, \"window_start\" TEXT, \"sensor\" TEXT);" out
'

test_expect 'a number column that meets a fraction becomes REAL' '
	printf "{\"v\":%s}\n" 1 2 2.5 | hs-fmt -o sql -T w | sqlite3 w.db &&
	test "$(sqlite3 w.db "SELECT sum(v) FROM w")" = 5.5
'

test_expect 'a value of another type than its column is reported, written as NULL' '
	{ for i in $(seq 1 100); do echo "{\"v\":$i}"; done; echo "{\"v\":\"x\"}"; } >in &&
	hs-fmt -o sql -T m in 2>err >out && sqlite3 m.db <out &&
	grep -q "in:101: field .v. does not fit column \"v\" INTEGER" err &&
	test "$(sqlite3 m.db "SELECT count(*) FROM m WHERE v IS NULL")" -eq 1
'

test_expect 'types mixed within the first records make a TEXT column, reported' '
	printf "%s\n" "{\"v\":1}" "{\"v\":\"x\"}" | hs-fmt -o sql -T t 2>err >out &&
	grep -q "<stdin>:2: field .v. mixes types" err &&
	grep -q "(\"v\" TEXT)" out
'

test_expect 'a replay commits by size and at the end, not at every watermark' '
	test "$(grep -c "^{\"_hs\":\"watermark\"" agg)" -ge 30 &&
	hs-fmt -o sql -T c agg >out &&
	test "$(grep -c "^BEGIN;" out)" -eq 1 && test "$(grep -c "^COMMIT;" out)" -eq 1 &&
	hs-fmt -o sql -T c --commit-rows 100 agg >out &&
	test "$(grep -c "^COMMIT;" out)" -eq 3 &&
	sqlite3 c.db <out && test "$(sqlite3 c.db "SELECT count(*) FROM c")" -eq 240
'

test_expect 'the README load of 17,640 rows makes two transactions' '
	hs-replay "$TESTDATA/uci" | hs-window -w 1m -l 10s |
	    hs-agg -g sensor -a count,avg,max,min,sum -f value |
	    hs-fmt -o sql -k window.start,sensor --commit-time 1h >all.sql &&
	test "$(grep -c "^COMMIT;" all.sql)" -eq 2 &&
	sqlite3 all.db <all.sql &&
	test "$(sqlite3 all.db "SELECT count(*) FROM hydraulic_aggregations")" -eq 17640
'

test_expect 'an open transaction is committed after --commit-time while the input pauses' '
	mkfifo feed &&
	{ hs-fmt -o sql -T live --commit-time 200ms <feed >live.sql 2>err & } &&
	exec 8>feed &&
	echo "{\"v\":1}" >&8 &&
	wait_until 30 "grep -q \"^COMMIT;\" live.sql" &&
	echo "{\"v\":2}" >&8 &&
	wait_until 30 "test \$(grep -c \"^COMMIT;\" live.sql) -eq 2" &&
	exec 8>&- && wait &&
	sqlite3 live.db <live.sql && test "$(sqlite3 live.db "SELECT sum(v) FROM live")" -eq 3 &&
	test ! -s err
'

test_expect '--commit-rows and --commit-time refuse nonsense' '
	test_exit 2 hs-fmt -o sql --commit-rows 0 </dev/null 2>/dev/null &&
	test_exit 2 hs-fmt -o sql --commit-rows x </dev/null 2>/dev/null &&
	test_exit 2 hs-fmt -o sql --commit-time soon </dev/null 2>/dev/null
'

test_expect 'a record without columns is reported and skipped, never CREATE TABLE ()' '
	printf "%s\n" "{}" "{\"v\":1}" "{\"w\":{}}" |
	    test_exit 1 hs-fmt -o sql -T e >out 2>err &&
	! grep -q "()" out && sqlite3 e.db <out &&
	grep -q "<stdin>:1: no field to write" err &&
	test "$(sqlite3 e.db "SELECT count(*) FROM e WHERE w = '"'{}'"'")" -eq 1 &&
	{ seq 1 100 | sed "s/.*/{\"v\":&}/"; echo "{\"u\":2}"; } |
	    test_exit 1 hs-fmt -o sql -T e2 >out 2>err &&
	grep -q "<stdin>:101: no column of table e2" err &&
	echo "{}" | test_exit 1 hs-fmt -o sql >out 2>/dev/null && test ! -s out
'

test_expect 'numbers beyond a double load as Infinity; an integer beyond 64 bits makes REAL' '
	printf "%s\n" "{\"id\":1,\"x\":1.5,\"n\":1}" "{\"id\":2,\"x\":1e400,\"n\":99999999999999999999}" \
	    "{\"id\":3,\"x\":-1e400,\"n\":2}" "{\"id\":4,\"x\":1e-400,\"n\":3}" >big &&
	hs-fmt -o sql -T big big >big.sql && sqlite3 big.db <big.sql &&
	grep -q "\"n\" REAL" big.sql &&
	sqlite3 big.db "SELECT x FROM big ORDER BY id" >got &&
	printf "1.5\nInf\n-Inf\n0.0\n" >expect && test_cmp expect got
'

test_expect '--ofmt rounds REAL values, not integers' '
	echo "{\"n\":60,\"x\":39.601357}" | hs-fmt -o sql -T o --ofmt %.2f >o.sql &&
	grep -q "^(60, 39.60)" o.sql && sqlite3 o.db <o.sql &&
	test "$(sqlite3 o.db "SELECT x FROM o")" = 39.6
'

test_expect 'control characters and non-ASCII text round-trip; U+0000 is a bad record' '
	printf "%s\n" "{\"id\":1,\"s\":\"tab\\there\\u0001\\u0007\\r\\nx é 温 😀\"}" \
	    "{\"id\":2,\"s\":\"a\\u0000b\"}" >ctl &&
	test_exit 1 hs-fmt -o sql -T ctl ctl >ctl.sql 2>err &&
	grep -q "ctl:2: .*u0000" err &&
	sqlite3 ctl.db <ctl.sql &&
	sqlite3 ctl.db "SELECT s FROM ctl" >got &&
	jq -j "select(.id == 1) | .s" ctl >want && echo >>want && test_cmp want got
'

# PostgreSQL refuses to run as root: as root, the server runs as nobody.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() {
	if [ "$(id -u)" = 0 ]; then (cd / && runuser -u nobody -- "$@"); else "$@"; fi
}
PGDIR=$(mktemp -d /tmp/hs-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown nobody "$PGDIR"
test_at_exit 'as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGDIR"'
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U hs --locale=C -E UTF8 >"$PGDIR/init.log" 2>&1 &&
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-k $PGDIR -c listen_addresses=" start >/dev/null ||
	{ echo "Bail out! PostgreSQL did not start"; cat "$PGDIR"/*.log; exit 1; }
pg() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$PGDIR" -U hs -d postgres "$@"
}

test_expect 'PostgreSQL loads the same rows and answers the query alike' '
	hs-fmt -o sql --dialect postgres agg | pg 2>err &&
	pg -A -t -F, -c "$QUERY" >pg.csv &&
	test_lines pg.csv 8 && same_rows query.want pg.csv
'

test_expect 'PostgreSQL: loading twice with -k leaves one row per key' '
	hs-fmt -o sql --dialect postgres -T keyed -k window.start,sensor agg | pg &&
	hs-fmt -o sql --dialect postgres -T keyed -k window.start,sensor agg | pg 2>/dev/null &&
	test "$(pg -A -t -c "SELECT count(*) FROM keyed")" -eq 240
'

test_expect 'PostgreSQL: update-mode rows upserted equal append mode' '
	hs-agg -g sensor -a count,avg -f value --mode update <ev |
	    hs-fmt -o sql --dialect postgres -T upd -k window.start,sensor | pg &&
	pg -A -t -F, -c "SELECT sensor, count, avg_value FROM upd ORDER BY window_start, sensor" >pgupd &&
	sqlite3 -csv modes.db "SELECT sensor, count, avg_value FROM app ORDER BY window_start, sensor" >lite &&
	test_lines lite 10 && same_rows lite pgupd
'

test_expect 'PostgreSQL: Infinity, 64-bit overflow, control characters and non-ASCII load' '
	hs-fmt -o sql --dialect postgres -T big big | pg &&
	pg -A -t -c "SELECT x FROM big ORDER BY id" >got &&
	printf "1.5\nInfinity\n-Infinity\n0\n" >expect && test_cmp expect got &&
	hs-fmt -o sql --dialect postgres -T ctl ctl 2>/dev/null | pg &&
	pg -A -t -c "SELECT s FROM ctl" >got &&
	jq -j "select(.id == 1) | .s" ctl >want && echo >>want && test_cmp want got
'

test_expect 'PostgreSQL: strings round-trip; integers widen to DOUBLE PRECISION' '
	cat >in <<-\X &&
	{"id":1,"s":"it'"'"'s \"q\" a\\b\nnext é 😀"}
	X
	hs-fmt -o sql --dialect postgres -T t in | pg &&
	pg -A -t -c "SELECT s FROM t" >got && jq -r .s in >want && test_cmp want got &&
	printf "{\"v\":%s}\n" 1 2 2.5 | hs-fmt -o sql --dialect postgres -T w | pg &&
	test "$(pg -A -t -c "SELECT sum(v) FROM w")" = 5.5
'

test_done
