package dev.inlet.socrata;

import dev.inlet.ColumnType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata of one Socrata dataset ({@code GET /api/views/<id>.json}), as far as Inlet uses it.
 *
 * @param id the 4x4 id, e.g. {@code erm2-nwe9}
 * @param name the dataset's human name as the portal writes it (not sanitized)
 * @param columns the visible columns, in the portal's order (hidden ones are left out: the export lacks them)
 * @param rowsUpdatedAt when the rows last changed ({@code rowsUpdatedAt}), or null if the portal does not say
 * @param viewLastModified when the metadata last changed ({@code viewLastModified}), or null
 */
public record SocrataDataset(
    String id,
    String name,
    List<SocrataColumn> columns,
    Instant rowsUpdatedAt,
    Instant viewLastModified) {
  /**
   * Creates the record.
   *
   * @param id the 4x4 id, e.g. {@code erm2-nwe9}
   * @param name the dataset's human name as the portal writes it (not sanitized)
   * @param columns the visible columns, in the portal's order (hidden ones are left out: the export lacks them)
   * @param rowsUpdatedAt when the rows last changed ({@code rowsUpdatedAt}), or null if the portal does not say
   * @param viewLastModified when the metadata last changed ({@code viewLastModified}), or null
   */
  public SocrataDataset {
    columns = List.copyOf(columns);
  }

  /**
   * Column types keyed by the CSV export's header names (the field names), in column order, for the columns whose
   * Socrata type fixes an Inlet type (as {@link SocrataSource#columnTypes()} says); number columns and unknown types are absent, so
   * that inference decides (bigint or double).
   *
   * @return the column types, by field name
   */
  public Map<String, ColumnType> columnTypes() {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    for (SocrataColumn c : columns) {
      Optional<ColumnType> t = SocrataTypes.of(c.dataTypeName());
      t.ifPresent(type -> out.put(c.fieldName(), type));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
