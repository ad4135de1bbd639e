package dev.inlet.crawler;

/** What a crawl does when the files' schema differs from an existing table's, as Glue's UpdateBehavior. */
public enum SchemaChangePolicy {
  /** Add new columns and widen types ({@code int} to {@code bigint}, ...); other type changes are conflicts. */
  UPDATE_IN_DATABASE,
  /** Add new columns only; any type change, widening included, is a conflict. */
  ADD_NEW_COLUMNS_ONLY,
  /** Report schema changes in the plan but leave the table's columns as they are; partitions are still added. */
  LOG
}
