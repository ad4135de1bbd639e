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
 *   <li>{@link #byColumn(String)}: key = a column's name, value = its text, Hive style: the column leaves the data
 *       files and becomes the partition key (a string).
 * </ul>
 */
public final class PartitionSpec {
  /** The partition value Hive uses for null. */
  public static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /** The partition key written by {@link #yearOf(String)}. */
  public static final String YEAR_KEY = "year";

  private static final PartitionSpec FROM_SOURCE = new PartitionSpec(null, null);
  private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[a-z0-9_]{1,255}");

  private final String yearColumn;
  private final String valueColumn;

  private PartitionSpec(String yearColumn, String valueColumn) {
    this.yearColumn = yearColumn;
    this.valueColumn = valueColumn;
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
    return new PartitionSpec(timestampColumn.trim().toLowerCase(Locale.ROOT), null);
  }

  /**
   * Key {@code column} = the column's value, as written in the file (trimmed; an empty value goes to
   * {@value #NULL_PARTITION}, as Hive does; other values are escaped in folder names as Hive escapes them). The
   * column is removed from the data files, whose readers get it back from the folders (Hive partitioning), as a
   * string: with an explicit schema that declares it, or a {@link CsvToParquet.Builder#columnType columnType} for
   * it, its values are still kept as text and not checked against that type. Every row needs the column: a file
   * without it fails at its header. At most {@link CsvToParquet.Builder#maxPartitionsPerFile} distinct values per
   * file. Converted in parallel chunks like {@link #fromSource()}: each chunk's rows of one value become their own
   * row group(s) in that value's file, so row groups hold about a chunk (16 MiB of CSV) divided among its values;
   * a partitioning into a few values (a borough, a status) keeps them large.
   *
   * @param column the final column name (after header normalisation, snake_case and renames; matched ignoring
   *     case), which becomes the partition key: lower-case letters, digits and {@code _} only, as Glue and Athena
   *     require of keys (use {@link CsvToParquet.Builder#snakeCaseColumns} or a rename for other header names)
   * @throws IllegalArgumentException if the name is blank or not a valid partition key
   */
  public static PartitionSpec byColumn(String column) {
    Objects.requireNonNull(column, "column");
    String key = column.trim().toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("Cannot partition by column: the column name is blank");
    }
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("Cannot partition by column '" + column + "': a partition key may hold"
          + " only lower-case letters, digits and '_' (at most 255), as Glue and Athena require; rename the column"
          + " (renameColumn, or snakeCaseColumns()) and partition by the new name");
    }
    return new PartitionSpec(null, key);
  }

  /** The column whose year partitions rows, or null for {@link #fromSource()}. */
  String yearColumn() {
    return yearColumn;
  }

  /** The column whose values partition rows (also the partition key), or null. */
  String valueColumn() {
    return valueColumn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionSpec p && Objects.equals(p.yearColumn, yearColumn)
        && Objects.equals(p.valueColumn, valueColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(yearColumn, valueColumn);
  }

  @Override
  public String toString() {
    return yearColumn != null ? "yearOf(" + yearColumn + ")"
        : valueColumn != null ? "byColumn(" + valueColumn + ")" : "fromSource()";
  }
}
