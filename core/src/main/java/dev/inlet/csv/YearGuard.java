package dev.inlet.csv;

import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.MalformedInputException;
import dev.inlet.internal.parquet.Row;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The year guard of {@link CsvToParquet.Builder#yearGuard(String, double)} for one file: a file whose source
 * declares partition {@code year=Y} (e.g. a legacy Boston 311 yearly file) fails when more than the allowed share of
 * its rows has the guarded timestamp column in another year (e.g. the 2015 file served as 2022). Counting is done
 * by {@link Counter}s, one per thread; {@link #check} runs once all rows are counted, before the outputs finish, so
 * a failing file leaves nothing behind.
 */
final class YearGuard {
  private final String fileName;
  private final String columnName;
  private final int column;
  private final boolean date;
  private final int declared;
  private final double maxOtherShare;

  private YearGuard(
      String fileName,
      String columnName,
      int column,
      boolean date,
      int declared,
      double maxOtherShare) {
    this.fileName = fileName;
    this.columnName = columnName;
    this.column = column;
    this.date = date;
    this.declared = declared;
    this.maxOtherShare = maxOtherShare;
  }

  /**
   * The guard of {@code file} under {@code config}, or null if there is none: no guard configured, rows not
   * partitioned by the source, or a source without a numeric {@code year} partition.
   *
   * @throws MalformedInputException if the file lacks the guarded column or it is not a timestamp or date
   */
  static YearGuard of(
      CsvToParquet config,
      String fileName,
      Map<String, String> sourcePartition,
      RecordConverter binding) {
    String name = config.yearGuardColumn();
    String year = sourcePartition.get(PartitionSpec.YEAR_KEY);
    if (name == null
        || year == null
        || !PartitionSpec.fromSource().equals(config.partitionSpec())) {
      return null;
    }
    int declared;
    try {
      declared = Integer.parseInt(year.trim());
    } catch (NumberFormatException e) {
      return null;
    }
    int column = binding.schema().indexOf(name);
    if (column < 0) {
      throw new MalformedInputException(
          fileName,
          1,
          name,
          "cannot check that the rows are of year " + year
              + " (the year guard): the file has no column '" + name + "' (columns: "
              + binding.schema().names() + ")");
    }
    ColumnType.Kind kind = binding.kind(column);
    if (kind != ColumnType.Kind.TIMESTAMP && kind != ColumnType.Kind.DATE) {
      throw new MalformedInputException(
          fileName,
          1,
          name,
          "cannot check that the rows are of year " + year
              + " (the year guard): column '" + name + "' is "
              + binding.schema().column(column).type()
              + ", not timestamp or date");
    }
    return new YearGuard(
        fileName,
        binding.schema().column(column).name(),
        column,
        kind == ColumnType.Kind.DATE,
        declared,
        config.yearGuardShare());
  }

  Counter counter() {
    return new Counter();
  }

  /**
   * Fails if more than the allowed share of the counted rows (rows with a value in the column) falls outside the
   * declared year.
   *
   * @throws InletException naming the file, the declared year and the year most rows have
   */
  void check(Counter counts) {
    counts.flush();
    long total = 0;
    long other = 0;
    int found = declared;
    long foundRows = -1;
    for (Map.Entry<Integer, Long> e : counts.byYear.entrySet()) {
      total += e.getValue();
      if (e.getKey() != declared) {
        other += e.getValue();
        if (e.getValue() > foundRows) {
          found = e.getKey();
          foundRows = e.getValue();
        }
      }
    }
    if (total == 0 || other <= maxOtherShare * total) {
      return;
    }
    throw new InletException(String.format(
        Locale.ROOT,
        "Cannot ingest %s as year=%d: %,d of its %,d rows"
            + " (%.0f %%) have %s in another year, most of them in %d (%,d rows); the source may serve another"
            + " year's file. Nothing was replaced. If the file really is year %d, allow it"
            + " (CsvToParquet.Builder.noYearGuard(), or --allow-year-mismatch)",
        fileName,
        declared,
        other,
        total,
        100.0 * other / total,
        columnName,
        found,
        foundRows,
        declared));
  }

  /** Rows by year of the guarded column, for one thread. */
  final class Counter {
    private final TreeMap<Integer, Long> byYear = new TreeMap<>();
    private long startMicros = 1;
    private long endMicros = 0; // empty: the first value computes its year
    private int year;
    private long rows;

    void add(Row row) {
      if (row.isNull(column)) {
        return;
      }
      long micros = row.getLong(column);
      if (date) {
        micros *= Values.MICROS_PER_DAY;
      }
      if (micros < startMicros || micros >= endMicros) {
        flush();
        year =
            LocalDate.ofEpochDay(Math.floorDiv(micros, Values.MICROS_PER_DAY)).getYear();
        startMicros = Values.epochDay(year, 1, 1) * Values.MICROS_PER_DAY;
        endMicros = Values.epochDay(year + 1, 1, 1) * Values.MICROS_PER_DAY;
      }
      rows++;
    }

    /** Adds {@code other}'s counts to these. */
    void merge(Counter other) {
      other.flush();
      flush();
      other.byYear.forEach((y, n) -> byYear.merge(y, n, Long::sum));
    }

    private void flush() {
      if (rows > 0) {
        byYear.merge(year, rows, Long::sum);
        rows = 0;
      }
    }
  }
}
