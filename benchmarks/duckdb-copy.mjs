// Converts one CSV to Parquet with native DuckDB, the bar of docs/performance.md:
//   node duckdb-copy.mjs IN.csv OUT.parquet [zstd|snappy|gzip|uncompressed] [threads]
// Prints the COPY time; the whole-process time is measured by compare.sh around this script.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, codec = 'zstd', threads] = process.argv.slice(2);
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const options = threads ? { threads: String(threads) } : {};
const start = process.hrtime.bigint();
const instance = await DuckDBInstance.create(':memory:', options);
const connection = await instance.connect();
await connection.run(`COPY (SELECT * FROM read_csv(${quote(input)})) TO ${quote(output)} `
  + `(FORMAT parquet, COMPRESSION ${codec})`);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`duckdb copy ${seconds.toFixed(2)} s`);
connection.closeSync();
instance.closeSync();
