package dev.inlet.csv;

import java.util.Locale;
import java.util.Objects;

/**
 * How {@link CsvToParquet} assigns rows to partitions. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link #fromSource()}: every row goes to the source file's own partition
 *       ({@link dev.inlet.SourceFile#partition()}, e.g. {@code year=2015} for a legacy Boston 311 year).
 *   <li>{@link #yearOf(String)}: key {@code year}, the UTC year of a timestamp (or date) column, for files whose
 *       rows span years. A null value goes to {@value #NULL_PARTITION}, as Hive does.
 * </ul>
 */
public final class PartitionSpec {
  /** The partition value Hive uses for null. */
  public static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /** The partition key written by {@link #yearOf(String)}. */
  public static final String YEAR_KEY = "year";

  private static final PartitionSpec FROM_SOURCE = new PartitionSpec(null);

  private final String yearColumn;

  private PartitionSpec(String yearColumn) {
    this.yearColumn = yearColumn;
  }

  /** Every row in the source file's partition. */
  public static PartitionSpec fromSource() {
    return FROM_SOURCE;
  }

  /**
   * Key {@code year} = the year of {@code timestampColumn} (timestamp or date; values with a zone are converted
   * to UTC when parsed, values without one are taken as written).
   *
   * @param timestampColumn the column name after header normalisation and renames (matched ignoring case)
   * @throws IllegalArgumentException if the name is blank
   */
  public static PartitionSpec yearOf(String timestampColumn) {
    Objects.requireNonNull(timestampColumn, "timestampColumn");
    if (timestampColumn.isBlank()) {
      throw new IllegalArgumentException("Cannot partition by year: the timestamp column name is blank");
    }
    return new PartitionSpec(timestampColumn.trim().toLowerCase(Locale.ROOT));
  }

  /** The column whose year partitions rows, or null for {@link #fromSource()}. */
  String yearColumn() {
    return yearColumn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionSpec p && Objects.equals(p.yearColumn, yearColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(yearColumn);
  }

  @Override
  public String toString() {
    return yearColumn == null ? "fromSource()" : "yearOf(" + yearColumn + ")";
  }
}
