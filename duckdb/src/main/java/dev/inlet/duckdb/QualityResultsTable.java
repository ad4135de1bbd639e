package dev.inlet.duckdb;

import dev.inlet.Catalog;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.quality.Check;
import dev.inlet.quality.CheckResult;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.Severity;
import dev.inlet.sql.QueryResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The catalog table {@code <database>.quality_results} of a local lake: every {@link #save saved} run's results as
 * one Parquet file under {@code <warehouse>/quality/<database>/quality_results/run_date=YYYY-MM-DD/}, written by
 * DuckDB's {@code COPY} and registered in the catalog like any table, so it is queryable with {@code query}
 * (and, copied to S3 and crawled, in Athena); {@link #history()} reads it back for the checks that compare with
 * the previous run. The engine and catalog stay the caller's.
 *
 * <p>Columns: {@code run_at} (ISO-8601 UTC), {@code check_name}, {@code check_kind}, {@code severity},
 * {@code table_name}, {@code partition_name}, {@code metric}, {@code threshold}, {@code outcome}, {@code message},
 * {@code details}, {@code samples} (one a line), {@code took_ms}; partition key {@code run_date} (UTC).
 */
public final class QualityResultsTable {
  /** The table's name in each database. */
  public static final String TABLE = "quality_results";

  private static final Schema SCHEMA = Schema.builder().column("run_at", ColumnType.STRING)
      .column("check_name", ColumnType.STRING).column("check_kind", ColumnType.STRING)
      .column("severity", ColumnType.STRING).column("table_name", ColumnType.STRING)
      .column("partition_name", ColumnType.STRING).column("metric", ColumnType.DOUBLE)
      .column("threshold", ColumnType.STRING).column("outcome", ColumnType.STRING)
      .column("message", ColumnType.STRING).column("details", ColumnType.STRING)
      .column("samples", ColumnType.STRING).column("took_ms", ColumnType.BIGINT).build();

  private final DuckDbEngine engine;
  private final Catalog catalog;
  private final Path folder;
  private final TableId id;

  private QualityResultsTable(DuckDbEngine engine, Catalog catalog, Path warehouse, String database) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.id = TableId.of(database, TABLE);
    this.folder = warehouse.toAbsolutePath().normalize().resolve("quality").resolve(database).resolve(TABLE);
  }

  /**
   * The results table of {@code database} in the lake at {@code warehouse}, registered in {@code catalog}.
   *
   * @param engine the engine that runs the SQL
   * @param catalog the catalog whose tables are read
   * @param warehouse the warehouse root folder
   * @param database the database
   * @return the QualityResultsTable
   */
  public static QualityResultsTable of(DuckDbEngine engine, Catalog catalog, Path warehouse, String database) {
    return new QualityResultsTable(engine, catalog, warehouse, database);
  }

  /**
   * The table the results are saved to.
   *
   * @return the table id
   */
  public TableId id() {
    return id;
  }

  /**
   * Writes {@code result} as a new file of its run date's partition and registers the partition.
   *
   * @param result the quality result to record
   * @throws InletException if the folder cannot be made or DuckDB cannot write the file
   */
  public void save(QualityResult result) {
    if (result.results().isEmpty()) {
      return;
    }
    String date = result.runAt().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    Path dir = folder.resolve("run_date=" + date);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InletException("Cannot create the folder " + dir + " of " + id + ": " + e.getMessage(), e);
    }
    Path file = dir.resolve("run-" + result.runAt().toEpochMilli() + ".parquet");
    StringBuilder values = new StringBuilder();
    for (CheckResult r : result.results()) {
      values.append(values.length() == 0 ? "" : ", ").append('(')
          .append(String.join(", ", lit(result.runAt().toString()), lit(r.check().name()),
              lit(r.check().kind().name()), lit(r.check().severity().name()), lit(r.table().toString()),
              lit(r.partition()), Double.isNaN(r.metric()) || Double.isInfinite(r.metric()) ? "NULL"
                  : "CAST(" + r.metric() + " AS DOUBLE)", lit(r.check().thresholdText()), lit(r.outcome().name()),
              lit(r.message()), lit(r.details()), lit(String.join("\n", r.samples())),
              Long.toString(r.took().toMillis())))
          .append(')');
    }
    engine.execute("COPY (SELECT * FROM (VALUES " + values + ") AS v(" + String.join(", ", SCHEMA.names())
        + ")) TO " + CatalogViews.literal(file.toString()) + " (FORMAT PARQUET)");
    catalog.register(TableRegistration.builder().table(id).location(folder.toUri().toString()).schema(SCHEMA)
        .partitionKeys(List.of("run_date"))
        .addPartition(new Partition(List.of(date), dir.toUri().toString(), Map.of())).build());
  }

  /**
   * The stored results, oldest run first; none if the table does not exist yet.
   *
   * @return the history read from the stored results
   */
  public QualityHistory history() {
    if (catalog.loadTable(id).isEmpty()) {
      return QualityHistory.none();
    }
    engine.createView(catalog, id);
    List<CheckResult> results = new ArrayList<>();
    try (QueryResult r = engine.query("SELECT run_at, check_name, check_kind, severity, table_name, partition_name,"
        + " metric, outcome, message, details, samples, took_ms FROM " + CatalogViews.quote(id.database()) + "."
        + CatalogViews.quote(TABLE) + " ORDER BY run_at")) {
      while (r.next()) {
        String[] table = r.string(4).split("\\.", 2);
        Check check = Check.recorded(Check.Kind.valueOf(r.string(2)), TableId.of(table[0], table[1]), r.string(1),
            Severity.valueOf(r.string(3)));
        String samples = r.string(10);
        results.add(new CheckResult(check, r.string(5), r.value(6) == null ? Double.NaN
            : ((Number) r.value(6)).doubleValue(), Outcome.valueOf(r.string(7)), r.string(8), r.string(9),
            samples == null || samples.isEmpty() ? List.of() : Arrays.asList(samples.split("\n")),
            Instant.parse(r.string(0)), Duration.ofMillis(((Number) r.value(11)).longValue())));
      }
    }
    return QualityHistory.of(results);
  }

  private static String lit(String s) {
    return CatalogViews.literal(s);
  }
}
