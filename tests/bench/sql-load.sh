#!/bin/bash
# tests/bench/sql-load.sh - the README's SQL load: the 17,640 windowed
# aggregates of the whole replay upserted into sqlite3, as one pipeline and
# as the load step alone. Not a test: nothing here passes or fails on time.
# Set OLD_BIN to a directory of older binaries to measure them beside.
set -euo pipefail
HS_BIN=${HS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

PATH=$HS_BIN:$PATH hs-replay "$ROOT/testdata/uci" | PATH=$HS_BIN:$PATH \
    hs-window -w 1m -l 10s | PATH=$HS_BIN:$PATH \
    hs-agg -g sensor -a count,avg,max,min,sum -f value >agg.ndjson

load() {	# BIN NAME COMMAND: seconds of one run, and the rows loaded
	rm -f agg.db
	PATH=$1:$PATH /usr/bin/time -f %e -o tm bash -c "$3"
	printf '%-8s %-10s %6.2f s, %d rows, %d transactions\n' "$(basename "$1")" \
	    "$2" "$(cat tm)" "$(sqlite3 agg.db 'SELECT count(*) FROM hydraulic_aggregations')" \
	    "$(PATH=$1:$PATH hs-fmt -o sql -k window.start,sensor agg.ndjson | grep -c '^COMMIT;')"
}
for bin in "$HS_BIN" ${OLD_BIN:+"$OLD_BIN"}; do
	load "$bin" pipeline "hs-replay '$ROOT/testdata/uci' | hs-window -w 1m -l 10s |
	    hs-agg -g sensor -a count,avg,max,min,sum -f value |
	    hs-fmt -o sql -k window.start,sensor | sqlite3 agg.db"
	load "$bin" load "hs-fmt -o sql -k window.start,sensor agg.ndjson | sqlite3 agg.db"
done
