package dev.inlet;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table's name in a catalog: database and table, following Glue's naming rules (lower-case letters, digits and
 * underscore, at most 255 characters), so a name valid here is valid in Glue and Athena.
 */
public record TableId(String database, String table) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,255}");

  public TableId {
    requireName("database", database);
    requireName("table", table);
  }

  public static TableId of(String database, String table) {
    return new TableId(database, table);
  }

  static void requireName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid " + what + " name '" + name + "': use lower-case letters, digits and '_' (at most 255),"
              + " as Glue and Athena require");
    }
  }

  /** {@code database.table}. */
  @Override
  public String toString() {
    return database + "." + table;
  }
}
