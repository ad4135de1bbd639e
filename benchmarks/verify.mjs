// Checks that Parquet files read back by DuckDB hold the same rows as the CSV they came from:
//   node verify.mjs IN.csv A.parquet [B.parquet ...]     (a Parquet argument may be a glob: lake/**/*.parquet)
// Compares row count and an order-independent hash of columns whose CSV text maps 1:1 to the value: the Boston
// columns, or the SQL expressions in VERIFY_COLUMNS (e.g. NYC's, casting where the two sides type differently).
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, ...parquets] = process.argv.slice(2);
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const columns = process.env.VERIFY_COLUMNS
  || 'case_enquiry_id, open_dt, closed_dt, case_title, queue, latitude, longitude, geom_4326';
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
