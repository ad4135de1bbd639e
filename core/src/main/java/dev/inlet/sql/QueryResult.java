package dev.inlet.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rows of one query, read forward once like a JDBC cursor: {@link #next()} moves to the next row, then
 * {@link #value(int)} reads its columns. Not thread-safe. The caller closes it; closing releases what the engine
 * holds for it (a cursor, a page of results) and is idempotent.
 *
 * <p>Values are the engine's Java representation: an embedded engine gives typed values ({@code Long},
 * {@code String}, {@code java.time} or JDBC types), a service that answers in text (Athena) gives every value as a
 * {@code String}; SQL {@code NULL} is {@code null} everywhere. {@link #string(int)} gives every value as text.
 *
 * <p>Implementations: the results of {@code dev.inlet.duckdb.DuckDbEngine} (inlet-duckdb) and
 * {@code dev.inlet.aws.athena.AthenaEngine} (inlet-aws), and {@link #of} for rows held in memory.
 */
public interface QueryResult extends AutoCloseable {
  /** {@return the result's columns, in order; known before the first row} */
  List<ResultColumn> columns();

  /**
   * Moves to the next row.
   *
   * @return false when there are no more rows
   * @throws QueryFailedException if fetching the next rows fails
   */
  boolean next();

  /**
   * {@return the value of column {@code index} (0-based) of the current row, or null for SQL {@code NULL}}
   *
   * @param index the column's index, 0-based
   * @throws IllegalStateException if {@link #next()} was not called or returned false
   * @throws IndexOutOfBoundsException if there is no such column
   */
  Object value(int index);

  /** {@return the engine's id of the query (Athena's {@code QueryExecutionId}), or empty if the engine has none} */
  default Optional<String> queryId() {
    return Optional.empty();
  }

  /**
   * {@return the value of column {@code index} of the current row as text, or null for SQL {@code NULL}}
   *
   * @param index the column's index, 0-based
   */
  default String string(int index) {
    Object v = value(index);
    return v == null ? null : v.toString();
  }

  /** {@return the current row's values, in column order (nulls kept)} */
  default List<Object> row() {
    List<Object> row = new ArrayList<>(columns().size());
    for (int i = 0; i < columns().size(); i++) {
      row.add(value(i));
    }
    return Collections.unmodifiableList(row);
  }

  /**
   * Reads the remaining rows into memory, at most {@code limit}.
   *
   * @param limit the most rows to read
   * @return the remaining rows, at most {@code limit}, each a list of values
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws IllegalStateException if more than {@code limit} rows remain, so that a result larger than the caller
   *     planned for fails instead of filling the heap
   */
  default List<List<Object>> toList(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, got " + limit);
    }
    List<List<Object>> rows = new ArrayList<>();
    while (next()) {
      if (rows.size() == limit) {
        throw new IllegalStateException(
            "Cannot read the rows of query " + queryId().orElse("(no id)") + ": more than " + limit
                + " rows; raise the limit or read the result row by row");
      }
      rows.add(row());
    }
    return Collections.unmodifiableList(rows);
  }

  @Override
  void close();

  /**
   * {@return a result over rows already in memory (for tests and small engines); {@code rows} are copied}
   *
   * @param columns the columns
   * @param rows the rows, one list of values per row
   */
  static QueryResult of(List<ResultColumn> columns, List<? extends List<?>> rows) {
    List<ResultColumn> cols = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>();
    for (List<?> r : rows) {
      if (r.size() != cols.size()) {
        throw new IllegalArgumentException("Cannot build a result: a row has " + r.size()
            + " values for " + cols.size() + " columns " + cols);
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
    }
    return new QueryResult() {
      private int at = -1;

      @Override
      public List<ResultColumn> columns() {
        return cols;
      }

      @Override
      public boolean next() {
        if (at < copy.size()) {
          at++;
        }
        return at < copy.size();
      }

      @Override
      public Object value(int index) {
        if (at < 0 || at >= copy.size()) {
          throw new IllegalStateException(
              "No current row: call next() first and only while it returns true");
        }
        Objects.checkIndex(index, cols.size());
        return copy.get(at).get(index);
      }

      @Override
      public void close() {
        at = copy.size();
      }
    };
  }
}
