// Runs the statements of a SQL file (separated by ";\n") in one in-memory DuckDB: benchmarks/compare.sh silver.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
const i = await DuckDBInstance.create(':memory:');
const c = await i.connect();
for (const s of readFileSync(process.argv[2], 'utf8').split(';\n').filter(s => s.trim())) {
  await c.run(s);
}
