package dev.inlet.sql;

import java.util.Objects;

/**
 * A column of a query result.
 *
 * @param name the column's label as the engine reports it
 * @param type the engine's name of its type, as the engine spells it (DuckDB {@code BIGINT}, Athena {@code bigint})
 */
public record ResultColumn(String name, String type) {
  /**
   * Creates the record.
   *
   * @param name the column's label as the engine reports it
   * @param type the engine's name of its type, as the engine spells it (DuckDB {@code BIGINT}, Athena {@code bigint})
   */
  public ResultColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
