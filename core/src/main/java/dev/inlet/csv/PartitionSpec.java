package dev.inlet.csv;

import dev.inlet.internal.Names;
import dev.inlet.internal.PartitionValues;
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
 *   <li>{@link #byColumn(String)}: key = a column's name, value = its text, Hive style: the column leaves the data
 *       files and becomes the partition key (a string).
 * </ul>
 */
public final class PartitionSpec {
  /** The partition value Hive uses for null. */
  public static final String NULL_PARTITION = PartitionValues.HIVE_DEFAULT_PARTITION;

  /** The partition key written by {@link #yearOf(String)} and, first, by {@link #monthOf(String)}. */
  public static final String YEAR_KEY = "year";

  /** The second partition key written by {@link #monthOf(String)}: the month, two digits ({@code 01}..{@code 12}). */
  public static final String MONTH_KEY = "month";

  private static final PartitionSpec FROM_SOURCE = new PartitionSpec(null, null, false);

  private final String yearColumn;
  private final String valueColumn;
  private final boolean byMonth;

  private PartitionSpec(String yearColumn, String valueColumn, boolean byMonth) {
    this.yearColumn = yearColumn;
    this.valueColumn = valueColumn;
    this.byMonth = byMonth;
  }

  /**
   * Every row in the source file's partition.
   *
   * @return the spec that keeps the source file's partition
   */
  public static PartitionSpec fromSource() {
    return FROM_SOURCE;
  }

  /**
   * Key {@code year} = the year of {@code timestampColumn} (timestamp or date; values with a zone are converted
   * to UTC when parsed, values without one are taken as written).
   *
   * @param timestampColumn the column name after header normalisation and renames (matched ignoring case)
   * @return the spec partitioning by year
   * @throws IllegalArgumentException if the name is blank
   */
  public static PartitionSpec yearOf(String timestampColumn) {
    Objects.requireNonNull(timestampColumn, "timestampColumn");
    if (timestampColumn.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot partition by year: the timestamp column name is blank");
    }
    return new PartitionSpec(timestampColumn.trim().toLowerCase(Locale.ROOT), null, false);
  }

  /**
   * Keys {@code year} and {@code month} (two digits) = the year and month of {@code timestampColumn}, folders
   * {@code year=2024/month=03/} (Hive style, so a query on the year alone still prunes), values as in
   * {@link #yearOf}. A null value goes to {@value #NULL_PARTITION} for both keys. Mind
   * {@link CsvToParquet.Builder#maxPartitionsPerFile} (default 100, about eight years of months per file).
   *
   * @param timestampColumn the column name after header normalisation and renames (matched ignoring case)
   * @return the spec partitioning by year and month
   * @throws IllegalArgumentException if the name is blank
   */
  public static PartitionSpec monthOf(String timestampColumn) {
    Objects.requireNonNull(timestampColumn, "timestampColumn");
    if (timestampColumn.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot partition by month: the timestamp column name is blank");
    }
    return new PartitionSpec(timestampColumn.trim().toLowerCase(Locale.ROOT), null, true);
  }

  /**
   * Key {@code column} = the column's value, as written in the file (trimmed; an empty value goes to
   * {@value #NULL_PARTITION}, as Hive does; other values are escaped in folder names as Hive escapes them). The
   * column is removed from the data files, whose readers get it back from the folders (Hive partitioning), as a
   * string: with an explicit schema that declares it, or a {@link CsvToParquet.Builder#columnType columnType} for
   * it, its values are still kept as text and not checked against that type. Every row needs the column: a file
   * without it fails at its header. At most {@link CsvToParquet.Builder#maxPartitionsPerFile} distinct values per
   * file. Converted row by row: each value's rows fill that value's row groups, whose buffers share one memory budget
   * with the other open partitions (the largest is written out when it is exceeded).
   *
   * @param column the final column name (after header normalisation, snake_case and renames; matched ignoring
   *     case), which becomes the partition key: lower-case letters, digits and {@code _} only, as Glue and Athena
   *     require of keys (use {@link CsvToParquet.Builder#snakeCaseColumns} or a rename for other header names)
   * @return the spec partitioning by the column's values
   * @throws IllegalArgumentException if the name is blank or not a valid partition key
   */
  public static PartitionSpec byColumn(String column) {
    Objects.requireNonNull(column, "column");
    String key = column.trim().toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("Cannot partition by column: the column name is blank");
    }
    if (!Names.isGlueName(key)) {
      throw new IllegalArgumentException(
          "Cannot partition by column '" + column + "': a partition key may hold"
              + " only lower-case letters, digits and '_' (at most 255), as Glue and Athena require; rename the column"
              + " (renameColumn, or snakeCaseColumns()) and partition by the new name");
    }
    return new PartitionSpec(null, key, false);
  }

  /** The column whose year partitions rows, or null for {@link #fromSource()}. */
  String yearColumn() {
    return yearColumn;
  }

  /** Whether {@link #yearColumn} partitions by year and month ({@link #monthOf}). */
  boolean byMonth() {
    return byMonth;
  }

  /** The keys a timestamp spec writes, in folder order; empty for the others. */
  java.util.List<String> timeKeys() {
    return yearColumn == null
        ? java.util.List.of()
        : byMonth ? java.util.List.of(YEAR_KEY, MONTH_KEY) : java.util.List.of(YEAR_KEY);
  }

  /** The column whose values partition rows (also the partition key), or null. */
  String valueColumn() {
    return valueColumn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionSpec p
        && Objects.equals(p.yearColumn, yearColumn)
        && Objects.equals(p.valueColumn, valueColumn)
        && p.byMonth == byMonth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(yearColumn, valueColumn, byMonth);
  }

  @Override
  public String toString() {
    return yearColumn != null
        ? (byMonth ? "monthOf(" : "yearOf(") + yearColumn + ")"
        : valueColumn != null ? "byColumn(" + valueColumn + ")" : "fromSource()";
  }
}
