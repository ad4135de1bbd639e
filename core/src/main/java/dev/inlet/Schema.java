package dev.inlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered list of columns with unique names (compared case-insensitively, as Glue and Athena do). Immutable.
 */
public final class Schema {
  private final List<Column> columns;
  private final Map<String, Integer> index;

  private Schema(List<Column> columns) {
    this.columns = List.copyOf(columns);
    Map<String, Integer> idx = new LinkedHashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      String key = key(this.columns.get(i).name());
      if (idx.putIfAbsent(key, i) != null) {
        throw new IllegalArgumentException(
            "Duplicate column '" + this.columns.get(i).name() + "' in schema");
      }
    }
    this.index = Collections.unmodifiableMap(idx);
  }

  /**
   * {@return a schema of {@code columns}, in order}
   *
   * @param columns the columns
   * @throws IllegalArgumentException if two columns share a name (ignoring case)
   */
  public static Schema of(Column... columns) {
    return new Schema(List.of(columns));
  }

  /**
   * {@return a schema of {@code columns}, in order}
   *
   * @param columns the columns
   * @throws IllegalArgumentException if two columns share a name (ignoring case)
   */
  public static Schema of(List<Column> columns) {
    return new Schema(columns);
  }

  /** {@return a builder of a schema, column by column} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the columns, in order} */
  public List<Column> columns() {
    return columns;
  }

  /** {@return the number of columns} */
  public int size() {
    return columns.size();
  }

  /**
   * {@return the column at position {@code i}}
   *
   * @param i the position, 0-based
   */
  public Column column(int i) {
    return columns.get(i);
  }

  /**
   * {@return the column named {@code name}, ignoring case}
   *
   * @param name the column's name, any case
   */
  public Optional<Column> column(String name) {
    Integer i = index.get(key(name));
    return i == null ? Optional.empty() : Optional.of(columns.get(i));
  }

  /**
   * Position of the column named {@code name} (ignoring case), or -1.
   *
   * @param name the column's name, any case
   * @return the position of the column named {@code name} (ignoring case), or -1
   */
  public int indexOf(String name) {
    Integer i = index.get(key(name));
    return i == null ? -1 : i;
  }

  /** {@return the columns' names, in order} */
  public List<String> names() {
    List<String> names = new ArrayList<>(columns.size());
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return columns.toString();
  }

  /** Builds a schema column by column. */
  public static final class Builder {
    private final List<Column> columns = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a column.
     *
     * @param name its name
     * @param type its type
     * @return this builder
     */
    public Builder column(String name, ColumnType type) {
      columns.add(Column.of(name, type));
      return this;
    }

    /**
     * Adds a column.
     *
     * @param column the column
     * @return this builder
     */
    public Builder column(Column column) {
      columns.add(column);
      return this;
    }

    /**
     * @return the schema
     * @throws IllegalArgumentException if two columns share a name
     */
    public Schema build() {
      return new Schema(columns);
    }
  }
}
