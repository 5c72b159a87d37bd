'use strict';
// make bench's DuckDB contender (bench/analyze.sh): read_csv with its
// defaults (types and dialect detected), then per group the count, mean,
// sample standard deviation and exact median of 'value', written by DuckDB
// as CSV to OUT. DuckDB uses every core.
//
//   node duckdb_agg.js FILE KEYS OUT     (KEYS: comma-separated columns)
const { DuckDBInstance } = require('@duckdb/node-api');

const sqlString = (s) => "'" + s.replace(/'/g, "''") + "'";
const sqlName = (s) => '"' + s.replace(/"/g, '""') + '"';

async function main() {
	const [file, keys, out] = process.argv.slice(2);
	if (!out) {
		console.error('usage: node duckdb_agg.js FILE KEYS OUT');
		process.exit(2);
	}
	const cols = keys.split(',').map(sqlName).join(', ');
	const db = await DuckDBInstance.create(':memory:');
	const con = await db.connect();
	await con.run(`COPY (
		SELECT ${cols}, count(value) AS n, avg(value) AS mean,
		       stddev_samp(value) AS sd, median(value) AS median
		FROM read_csv(${sqlString(file)})
		GROUP BY ${cols}
	) TO ${sqlString(out)} (FORMAT csv, HEADER)`);
}

main().catch((e) => {
	console.error('duckdb_agg.js: ' + e.message);
	process.exit(1);
});
