package dev.inlet;

import java.util.Objects;

/** A named, typed column. Names are stored as given; Inlet's converters produce lower-case names. */
public record Column(String name, ColumnType type) {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Column name must not be blank");
    }
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type);
  }

  @Override
  public String toString() {
    return name + " " + type;
  }
}
