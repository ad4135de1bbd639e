// Checks that Parquet files read back by DuckDB hold the same rows as the CSV they came from:
//   node verify.mjs IN.csv A.parquet [B.parquet ...]
// Compares row count and an order-independent hash of columns whose CSV text maps 1:1 to the value.
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, ...parquets] = process.argv.slice(2);
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const columns = 'case_enquiry_id, open_dt, closed_dt, case_title, queue, latitude, longitude, geom_4326';
const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
async function digest(from) {
  const reader = await c.runAndReadAll(
    `SELECT count(*)::VARCHAR || ' rows, hash ' || sum(hash(${columns}))::VARCHAR AS d FROM ${from}`);
  return reader.getRowObjects()[0].d;
}
const expected = await digest(`read_csv(${quote(csv)})`);
let ok = true;
for (const p of parquets) {
  const actual = await digest(`read_parquet(${quote(p)})`);
  const same = actual === expected;
  ok &&= same;
  console.log(`${same ? 'same as CSV' : 'DIFFERENT from CSV (' + expected + ')'}: ${p}: ${actual}`);
}
process.exit(ok ? 0 : 1);
