package dev.inlet;

import dev.inlet.internal.Names;

/**
 * A table's name in a catalog: database and table, following Glue's naming rules (lower-case letters, digits and
 * underscore, at most 255 characters), so a name valid here is valid in Glue and Athena.
 */
public record TableId(String database, String table) {
  public TableId {
    Names.requireGlueName("database", database);
    Names.requireGlueName("table", table);
  }

  public static TableId of(String database, String table) {
    return new TableId(database, table);
  }

  /** {@code database.table}. */
  @Override
  public String toString() {
    return database + "." + table;
  }
}
