package dev.inlet.socrata;

import dev.inlet.ColumnType;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps Socrata column types ({@code dataTypeName} in {@code /api/views/<id>.json}) to Inlet's. Numbers map to
 * nothing (left to inference from the values, which picks bigint or double); a type unknown here maps to nothing
 * too, so inference decides rather than a guess.
 */
final class SocrataTypes {
  private SocrataTypes() {}

  /**
   * The Inlet type for a Socrata {@code dataTypeName}, or empty when the values should decide.
   *
   * <ul>
   *   <li>{@code number}, {@code double}, {@code money}, {@code percent}: empty (bigint or double by values);</li>
   *   <li>{@code calendar_date} (the metadata's name for SODA's floating timestamp, written
   *       {@code 2024-01-15T10:30:00.000}), {@code floating_timestamp}, {@code fixed_timestamp} (with {@code Z},
   *       converted to UTC) and {@code date}: {@code timestamp};</li>
   *   <li>{@code checkbox} ({@code true}/{@code false}): {@code boolean};</li>
   *   <li>{@code text}, {@code url}, {@code email}, {@code phone}, {@code html}, {@code point}, {@code location},
   *       {@code line}, {@code polygon} and their {@code multi} forms (geometry kept as its text, e.g.
   *       {@code POINT (-73.98 40.75)}): {@code string}.</li>
   * </ul>
   */
  static Optional<ColumnType> of(String dataTypeName) {
    if (dataTypeName == null) {
      return Optional.empty();
    }
    switch (dataTypeName.trim().toLowerCase(Locale.ROOT)) {
      case "calendar_date":
      case "floating_timestamp":
      case "fixed_timestamp":
      case "date":
        return Optional.of(ColumnType.TIMESTAMP);
      case "checkbox":
        return Optional.of(ColumnType.BOOLEAN);
      case "text":
      case "url":
      case "email":
      case "phone":
      case "html":
      case "point":
      case "multipoint":
      case "location":
      case "line":
      case "multiline":
      case "polygon":
      case "multipolygon":
        return Optional.of(ColumnType.STRING);
      default: // number, double, money, percent, and anything new: inferred from the values
        return Optional.empty();
    }
  }
}
