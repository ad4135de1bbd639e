// Converts one CSV to Parquet with native DuckDB, the bar of docs/performance.md:
//   node duckdb-copy.mjs IN.csv OUT.parquet [zstd|snappy|gzip|uncompressed] [threads] [year-of:COLUMN]
// With year-of:COLUMN, OUT is a folder written Hive style by the year of COLUMN (PARTITION_BY (year)), as
// Inlet's --partition-by year-of:COLUMN writes.
// Prints the COPY time; the whole-process time is measured by compare.sh around this script.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, codec = 'zstd', threads, partitionBy] = process.argv.slice(2);
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const options = threads && threads !== '0' ? { threads: String(threads) } : {};
const yearOf = partitionBy && partitionBy.startsWith('year-of:') ? partitionBy.slice(8) : null;
const start = process.hrtime.bigint();
const instance = await DuckDBInstance.create(':memory:', options);
const connection = await instance.connect();
if (yearOf) {
  const col = '"' + yearOf.replaceAll('"', '""') + '"';
  await connection.run(`COPY (SELECT *, year(${col}) AS year FROM read_csv(${quote(input)})) TO ${quote(output)} `
    + `(FORMAT parquet, COMPRESSION ${codec}, PARTITION_BY (year), OVERWRITE_OR_IGNORE)`);
} else {
  await connection.run(`COPY (SELECT * FROM read_csv(${quote(input)})) TO ${quote(output)} `
    + `(FORMAT parquet, COMPRESSION ${codec})`);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`duckdb copy ${seconds.toFixed(2)} s`);
connection.closeSync();
instance.closeSync();
