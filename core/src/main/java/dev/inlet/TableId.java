package dev.inlet;

import dev.inlet.internal.Names;

/**
 * A table's name in a catalog: database and table, following Glue's naming rules (lower-case letters, digits and
 * underscore, at most 255 characters), so a name valid here is valid in Glue and Athena.
 *
 * @param database the database's name
 * @param table the table's name within the database
 */
public record TableId(String database, String table) {
  /**
   * Creates the record.
   *
   * @param database the database's name
   * @param table the table's name within the database
   */
  public TableId {
    Names.requireGlueName("database", database);
    Names.requireGlueName("table", table);
  }

  /**
   * {@return the table {@code database.table}}
   *
   * @param database the database
   * @param table the table's name
   * @throws IllegalArgumentException if a name is not a valid Glue name
   */
  public static TableId of(String database, String table) {
    return new TableId(database, table);
  }

  /** {@code database.table}. */
  @Override
  public String toString() {
    return database + "." + table;
  }
}
