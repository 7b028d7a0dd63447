// tests/bench/duck.mjs - run SQL in an in-memory DuckDB for the benchmarks
// (tests/bench/run.sh):  node duck.mjs MODULES FILE.sql ...
// MODULES is the folder into which npm installed @duckdb/node-api (outside
// the repository: DuckDB is no dependency of hs). Each file holds one
// statement; they run in turn and the rows of the last are printed as
// NDJSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [modules, ...files] = process.argv.slice(2);
const entry = createRequire(modules + '/').resolve('@duckdb/node-api');
const { DuckDBInstance } = await import(pathToFileURL(entry).href);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
let rows = [];
for (const file of files)
	rows = (await con.runAndReadAll(readFileSync(file, 'utf8'))).getRowObjectsJson();
for (const row of rows)
	console.log(JSON.stringify(row));
