'use strict';
// make bench's polars contender (bench/analyze.sh): readCSV with its
// defaults (types inferred), then per group the count, mean, sample
// standard deviation and exact median of 'value', written by polars as
// CSV to OUT. polars uses every core.
//
//   node polars_agg.js FILE KEYS OUT     (KEYS: comma-separated columns)
const pl = require('nodejs-polars');

const [file, keys, out] = process.argv.slice(2);
if (!out) {
	console.error('usage: node polars_agg.js FILE KEYS OUT');
	process.exit(2);
}
try {
	const v = pl.col('value');
	pl.readCSV(file)
		.groupBy(keys.split(','))
		.agg(v.count().alias('n'), v.mean().alias('mean'),
		     v.std().alias('sd'), v.median().alias('median'))
		.writeCSV(out);
} catch (e) {
	console.error('polars_agg.js: ' + e.message);
	process.exit(1);
}
