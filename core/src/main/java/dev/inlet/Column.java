package dev.inlet;

import java.util.Objects;

/**
 * A named, typed column. Names are stored as given; Inlet's converters produce lower-case names.
 *
 * @param name the column's name, not blank
 * @param type its type
 */
public record Column(String name, ColumnType type) {
  /**
   * Creates the record.
   *
   * @param name the column's name, not blank
   * @param type its type
   * @throws IllegalArgumentException if the name is blank
   */
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Column name must not be blank");
    }
  }

  /**
   * {@return a column named {@code name} of type {@code type}}
   *
   * @param name the column's name
   * @param type its type
   */
  public static Column of(String name, ColumnType type) {
    return new Column(name, type);
  }

  @Override
  public String toString() {
    return name + " " + type;
  }
}
