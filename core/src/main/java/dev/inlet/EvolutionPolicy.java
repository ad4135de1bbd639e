package dev.inlet;

/**
 * What a catalog does when a file's schema differs from the table's: {@link #evolve} holds the rules, shared by
 * every catalog and the crawler.
 */
public enum EvolutionPolicy {
  /**
   * Add new columns and apply safe widenings (int to bigint, float to double, a decimal's precision at the same
   * scale); reject other type changes.
   */
  UPDATE,
  /** Add new columns; reject any type change, widenings included. */
  ADD_COLUMNS_ONLY,
  /** Reject any difference: new columns and type changes. Columns missing from the file are fine. */
  FAIL;

  /**
   * The table schema after registering a file with schema {@code file} in a table with schema {@code catalog}
   * under this policy.
   *
   * <p>Rules, with column names compared ignoring case:
   *
   * <ul>
   *   <li>The table keeps its columns in their order (with their names as recorded); new file columns are appended
   *       in file order. Catalog columns missing from the file are kept (readers return null).
   *   <li>Same type: unchanged. A file type narrower than the catalog's ({@code int} in the file, {@code bigint} in
   *       the catalog): unchanged, readers widen. Allowed under every policy.
   *   <li>A file type wider than the catalog's ({@link ColumnType#widensTo}): the catalog column is widened under
   *       {@link #UPDATE}, rejected otherwise.
   *   <li>Any other type change: rejected with {@code "Cannot register <db>.<table>: column X is A in the file but
   *       B in the catalog"}.
   *   <li>New columns: rejected under {@link #FAIL}.
   *   <li>Overlap: a file that brings new columns but has fewer than half of the columns of a table that has
   *       columns (present by name) is rejected under every policy: it is most likely other data (an error page,
   *       another data set), and registering it would add its "columns" to the table for good. A file with half or
   *       more may add the rest (the 29-column legacy Boston 311 files and the 30-column re-publications share 29);
   *       a file with only some of the table's columns and no new ones adds nothing and is accepted.
   * </ul>
   *
   * @param table the table, named in error messages
   * @param catalog the table's schema as the catalog records it
   * @param file the schema of the file being registered
   * @return the table's schema after the registration, equal to {@code catalog} when nothing changes
   * @throws SchemaMismatchException if this policy forbids the change
   */
  public Schema evolve(TableId table, Schema catalog, Schema file) {
    return SchemaMerge.evolve(table, catalog, file, this);
  }
}
