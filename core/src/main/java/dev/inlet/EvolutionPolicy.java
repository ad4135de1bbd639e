package dev.inlet;

/** What a catalog does when a file's schema differs from the table's. */
public enum EvolutionPolicy {
  /** Add new columns and apply safe widenings (int to bigint, float to double); reject other type changes. */
  UPDATE,
  /** Add new columns; reject any type change, widenings included. */
  ADD_COLUMNS_ONLY,
  /** Reject any difference: new columns and type changes. Columns missing from the file are fine. */
  FAIL
}
