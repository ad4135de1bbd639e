package dev.inlet.quality;

import dev.inlet.Codec;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.internal.parquet.ParquetRowWriter;
import dev.inlet.internal.parquet.Row;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.SqlEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one layout of the table {@code <database>.quality_results}, shared by every place that stores or reads check
 * results (a local lake, S3 and Glue): its columns, its partition key, where a run's file goes, how a run is written
 * as Parquet (Inlet's own writer, no engine needed) and how earlier runs are read back through any {@link SqlEngine}.
 *
 * <p>Columns, in order: {@code run_at} (ISO-8601 UTC, e.g. {@code 2026-12-03T11:00:00Z}), {@code check_name},
 * {@code check_kind} ({@link Check.Kind} name), {@code severity}, {@code table_name} ({@code database.table}),
 * {@code partition_name} ({@code column=value}, empty for the whole table), {@code metric} (double, null when the
 * check could not run), {@code threshold} (text), {@code outcome} ({@link Outcome} name), {@code message},
 * {@code details}, {@code samples} (one a line), {@code took_ms} (bigint); partition key {@code run_date}
 * ({@code YYYY-MM-DD}, UTC). Every run is one file {@code run-<epoch millis>.parquet} in its run date's folder
 * {@code quality/<database>/quality_results/run_date=YYYY-MM-DD/} under the lake's root.
 */
public final class QualityResultsLayout {
  /** The table's name in each database. */
  public static final String TABLE = "quality_results";

  /** The partition key: the run's date, UTC. */
  public static final String PARTITION_KEY = "run_date";

  /** The columns (the partition key is not one of them). */
  public static final Schema SCHEMA = Schema.builder()
      .column("run_at", ColumnType.STRING)
      .column("check_name", ColumnType.STRING)
      .column("check_kind", ColumnType.STRING)
      .column("severity", ColumnType.STRING)
      .column("table_name", ColumnType.STRING)
      .column("partition_name", ColumnType.STRING)
      .column("metric", ColumnType.DOUBLE)
      .column("threshold", ColumnType.STRING)
      .column("outcome", ColumnType.STRING)
      .column("message", ColumnType.STRING)
      .column("details", ColumnType.STRING)
      .column("samples", ColumnType.STRING)
      .column("took_ms", ColumnType.BIGINT)
      .build();

  private QualityResultsLayout() {}

  /**
   * {@code <database>.quality_results}.
   *
   * @param database the database holding it
   * @return the table {@code <database>.quality_results}
   */
  public static TableId table(String database) {
    return TableId.of(database, TABLE);
  }

  /**
   * {@return the table's folder relative to the lake's root: {@code quality/<database>/quality_results/}}
   *
   * @param table the results table
   */
  public static String tablePath(TableId table) {
    return "quality/" + table.database() + "/" + table.table() + "/";
  }

  /**
   * {@code run_date=YYYY-MM-DD/}: the folder of the run at {@code runAt}, relative to the table's folder.
   *
   * @param runAt when the run started
   * @return the folder {@code run_date=YYYY-MM-DD/} of the run at {@code runAt}, relative to the table's folder
   */
  public static String partitionPath(Instant runAt) {
    return PARTITION_KEY + "=" + runDate(runAt) + "/";
  }

  /**
   * {@return the run date (UTC) of a run at {@code runAt}: its partition value}
   *
   * @param runAt when the run started
   */
  public static String runDate(Instant runAt) {
    return runAt.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  /**
   * {@return the name of the run's file in its partition folder: {@code run-<epoch millis>.parquet}}
   *
   * @param result the run's results
   */
  public static String fileName(QualityResult result) {
    return "run-" + result.runAt().toEpochMilli() + ".parquet";
  }

  /**
   * Writes {@code result} as one Parquet file of {@link #SCHEMA} into {@code out} (not closed here).
   *
   * @param result the run's results
   * @param out where to write
   * @throws IOException if {@code out} fails; the bytes written so far are then no readable file
   */
  public static void write(QualityResult result, OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    Row row = new Row(SCHEMA.size());
    try (ParquetRowWriter writer = ParquetRowWriter.open(out, SCHEMA, Codec.ZSTD, 10_000)) {
      for (CheckResult r : result.results()) {
        row.clear();
        row.setString(0, result.runAt().toString());
        row.setString(1, r.check().name());
        row.setString(2, r.check().kind().name());
        row.setString(3, r.check().severity().name());
        row.setString(4, r.table().toString());
        row.setString(5, r.partition());
        if (!Double.isNaN(r.metric()) && !Double.isInfinite(r.metric())) {
          row.setDouble(6, r.metric());
        }
        row.setString(7, r.check().thresholdText());
        row.setString(8, r.outcome().name());
        row.setString(9, r.message());
        row.setString(10, r.details());
        row.setString(11, String.join("\n", r.samples()));
        row.setLong(12, r.took().toMillis());
        writer.write(row);
      }
    }
  }

  /**
   * {@return the registration of the table at {@code tableLocation} with the one partition of {@code result}'s run date
   * at
   * {@code partitionLocation} (URI strings ending in {@code /}); catalogs add it to the partitions already there}
   *
   * @param table the results table
   * @param tableLocation the table's location, ending in {@code /}
   * @param result the run's results
   * @param partitionLocation the run date partition's location, ending in {@code /}
   */
  public static TableRegistration registration(
      TableId table, String tableLocation, QualityResult result, String partitionLocation) {
    return TableRegistration.builder()
        .table(table)
        .location(tableLocation)
        .schema(SCHEMA)
        .partitionKeys(List.of(PARTITION_KEY))
        .addPartition(new Partition(List.of(runDate(result.runAt())), partitionLocation, Map.of()))
        .build();
  }

  /**
   * {@return the SELECT reading every stored result of {@code table}; its text is the same in DuckDB's and Trino's SQL}
   *
   * @param table the results table
   */
  public static String select(TableId table) {
    return "SELECT " + String.join(", ", SCHEMA.names()) + " FROM " + CheckSql.table(table)
        + " ORDER BY run_at";
  }

  /**
   * {@return the earlier runs stored in {@code table}, read with {@link #select} through {@code engine} (typed values,
   * or
   * text as Athena gives them), oldest run first} The engine stays the caller's.
   *
   * @param engine the SQL engine to run on; it stays the caller's
   * @param table the results table
   * @throws dev.inlet.sql.QueryFailedException if the engine cannot read the table
   * @throws InletException if a stored row is not of this layout (names the row and the value)
   */
  public static QualityHistory read(SqlEngine engine, TableId table) {
    List<CheckResult> results = new ArrayList<>();
    try (QueryResult r = engine.query(select(table))) {
      int n = 0;
      while (r.next()) {
        n++;
        try {
          results.add(parse(r));
        } catch (IllegalArgumentException | DateTimeParseException | IndexOutOfBoundsException e) {
          throw new InletException(
              "Cannot read row " + n + " of " + table + " as a quality result: " + e.getMessage(),
              e);
        }
      }
    }
    // run_at is ISO text: order by the instant, not the text (fractions of a second sort wrongly as
    // text)
    results.sort(Comparator.comparing(CheckResult::runAt));
    return QualityHistory.of(results);
  }

  private static CheckResult parse(QueryResult r) {
    String[] table = r.string(4).split("\\.", 2);
    if (table.length != 2) {
      throw new IllegalArgumentException("table_name '" + r.string(4) + "' is not database.table");
    }
    Check check = Check.recorded(
        Check.Kind.valueOf(r.string(2)),
        TableId.of(table[0], table[1]),
        r.string(1),
        Severity.valueOf(r.string(3)));
    Object metric = r.value(6);
    String samples = r.string(11);
    Object took = r.value(12);
    return new CheckResult(
        check,
        nullToEmpty(r.string(5)),
        metric == null ? Double.NaN : number(metric),
        Outcome.valueOf(r.string(8)),
        nullToEmpty(r.string(9)),
        nullToEmpty(r.string(10)),
        samples == null || samples.isEmpty() ? List.of() : Arrays.asList(samples.split("\n")),
        Instant.parse(r.string(0)),
        Duration.ofMillis(took == null ? 0 : (long) number(took)));
  }

  private static double number(Object v) {
    return v instanceof Number
        ? ((Number) v).doubleValue()
        : Double.parseDouble(v.toString().strip());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
