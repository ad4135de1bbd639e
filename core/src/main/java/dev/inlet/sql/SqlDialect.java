package dev.inlet.sql;

/** The SQL dialect an engine speaks, so a caller can pick the statement text written for it. */
public enum SqlDialect {
  /** DuckDB's SQL (the embedded engine). */
  DUCKDB,
  /** Trino's SQL, which Amazon Athena engine version 3 speaks. */
  TRINO
}
