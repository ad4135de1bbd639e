package dev.inlet.examples;

import dev.inlet.TableId;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.duckdb.DuckDbSilverWriter;
import dev.inlet.duckdb.QualityResultsTable;
import dev.inlet.local.LocalCatalog;
import dev.inlet.quality.Check;
import dev.inlet.quality.PublishGate;
import dev.inlet.quality.PublishRefusedException;
import dev.inlet.quality.QualityChecks;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.Severity;
import dev.inlet.silver.Refinement;
import java.nio.file.Path;
import java.util.List;

/**
 * A quality gate in a pipeline of your own: refines the silver table {@code boston311.requests} of a local lake
 * (run {@code ingest --sample} first) and publishes the new version only if the checks pass; a refused version
 * throws {@link PublishRefusedException}, nothing is written and the previous version stays live. The checks that
 * compare with the previous run read the results {@code check} stored in {@code boston311.quality_results}.
 * See docs/quality.md.
 */
public final class QualityGateExample {
  static final TableId REQUESTS = TableId.of("boston311", "requests");

  private QualityGateExample() {}

  /** The gate's checks: at most {@code maxRowsPerYear} rows in each year of the new version, and two more. */
  static List<Check> checks(long maxRowsPerYear) {
    return List.of(
        Check.unique(REQUESTS, "source_system", "case_id").build(), // fail by default
        Check.rowCount(REQUESTS, 1, maxRowsPerYear).partitionBy("year").build(),
        Check.rowCountChange(REQUESTS, 0.5)
            .partitionBy("year")
            .severity(Severity.WARN)
            .build());
  }

  /** Refines {@code boston311.requests} in {@code lake}, gated by {@code checks}. */
  static List<Refinement.TableResult> refineGated(Path lake, List<Check> checks) {
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      LocalCatalog catalog = LocalCatalog.at(lake);
      engine.createViews(catalog, catalog.listDatabases());
      QualityHistory history =
          QualityResultsTable.of(engine, catalog, lake, "boston311").history();
      return Refinement.builder()
          .writer(DuckDbSilverWriter.of(engine, lake))
          .catalog(catalog)
          .table(Boston311Silver.requests("boston311"))
          .gate(
              PublishGate.of(checks, history)) // runs the checks on the version about to be written
          .build()
          .run(); // throws PublishRefusedException if a fail check fails
    }
  }

  /** Runs {@code checks} on the tables of {@code lake} and stores the results in {@code boston311.quality_results}. */
  static QualityResult check(Path lake, List<Check> checks) {
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      LocalCatalog catalog = LocalCatalog.at(lake);
      engine.createViews(catalog, catalog.listDatabases());
      QualityResultsTable stored = QualityResultsTable.of(engine, catalog, lake, "boston311");
      QualityResult result = QualityChecks.builder()
          .engine(engine)
          .history(stored.history())
          .build()
          .run(checks);
      stored.save(result); // the next run's history
      return result; // blocks(), results(), summary()
    }
  }

  /** {@code QualityGateExample [LAKE [MAX_ROWS_PER_YEAR]]}: exits 1 when the gate refuses the new version. */
  public static void main(String[] args) {
    Path lake = Path.of(args.length > 0 ? args[0] : "lake");
    long maxRows = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    try {
      for (Refinement.TableResult r : refineGated(lake, checks(maxRows))) {
        System.out.println(RefineCommand.summary(r));
      }
    } catch (PublishRefusedException e) {
      System.err.println(
          e.getMessage()); // says which checks failed, with the summary of every check
      System.exit(1);
    }
  }
}
