/**
 * Running SQL on an engine Inlet does not own the data of: {@link dev.inlet.sql.SqlEngine} (an embedded DuckDB in
 * {@code inlet-duckdb}, Amazon Athena in {@code inlet-aws}), its {@link dev.inlet.sql.QueryResult}s and the failures
 * a caller can react to ({@link dev.inlet.sql.QueryFailedException} and its subtypes). No engine's types appear here.
 */
package dev.inlet.sql;
