package dev.inlet.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.TableId;
import dev.inlet.local.LocalCatalog;
import dev.inlet.quality.Check;
import dev.inlet.quality.CheckResult;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.QualityResultsLayout;
import dev.inlet.quality.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quality_results in a local lake: Inlet's Parquet in the shared layout, read back by DuckDB as the history. */
class QualityResultsTableTest {
  static final TableId T = TableId.of("boston311", "service_requests");

  @TempDir
  Path lake;

  static QualityResult run(String at, double metric, String details) {
    Instant runAt = Instant.parse(at);
    Check change =
        Check.rowCountChange(T, 0.5).partitionBy("year").severity(Severity.WARN).build();
    Check unique = Check.unique(T, "case_enquiry_id").build();
    return new QualityResult(
        runAt,
        List.of(
            new CheckResult(
                change,
                "year=2015",
                metric,
                Outcome.PASSED,
                "6221 rows; it's fine",
                details,
                List.of(),
                runAt,
                Duration.ofMillis(3)),
            new CheckResult(
                unique,
                "",
                Double.NaN,
                Outcome.ERROR,
                "Could not run",
                "",
                List.of("id=1 (2 rows)", "id=2 (2 rows)"),
                runAt,
                Duration.ofMillis(40))));
  }

  @Test
  void save_writesOneFilePerRunInItsRunDateFolder_registersIt_andHistoryReadsBothRunsBack()
      throws Exception {
    LocalCatalog catalog = LocalCatalog.at(lake);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      QualityResultsTable table = QualityResultsTable.of(engine, catalog, lake, "boston311");
      assertThat(table.history().results()).isEmpty();
      QualityResult first = run("2026-12-02T23:00:00Z", 0, "6221");
      QualityResult second = run("2026-12-03T01:00:00.250Z", 0.1, "6843");

      table.save(first);
      table.save(second);

      Path folder = lake.resolve("quality/boston311/quality_results");
      try (Stream<Path> files = Files.walk(folder)) {
        assertThat(files
                .filter(Files::isRegularFile)
                .map(p -> folder.relativize(p).toString())
                .sorted())
            .containsExactly(
                "run_date=2026-12-02/" + QualityResultsLayout.fileName(first),
                "run_date=2026-12-03/" + QualityResultsLayout.fileName(second));
      }
      assertThat(catalog.partitions(table.id())).hasSize(2);

      QualityHistory history = table.history();

      List<CheckResult> all = history.results();
      assertThat(all).hasSize(4);
      assertThat(all)
          .extracting(CheckResult::runAt)
          .containsExactly(first.runAt(), first.runAt(), second.runAt(), second.runAt());
      CheckResult latest =
          history.previous(first.results().get(0).check().name(), "year=2015").orElseThrow();
      assertThat(latest.details()).isEqualTo("6843");
      assertThat(latest.metric()).isEqualTo(0.1);
      assertThat(latest.message()).isEqualTo("6221 rows; it's fine");
      assertThat(latest.took()).isEqualTo(Duration.ofMillis(3));
      CheckResult error = all.get(3);
      assertThat(error.metric()).isNaN();
      assertThat(error.outcome()).isEqualTo(Outcome.ERROR);
      assertThat(error.samples()).containsExactly("id=1 (2 rows)", "id=2 (2 rows)");
      assertThat(error.check().kind()).isEqualTo(Check.Kind.UNIQUENESS);
      assertThat(error.check().severity()).isEqualTo(Severity.FAIL);
      // any engine reads the table: the columns DuckDB sees are the layout's, partition key last
      engine.createView(catalog, table.id());
      try (var r = engine.query("SELECT * FROM boston311.quality_results LIMIT 0")) {
        assertThat(r.columns())
            .extracting(c -> c.name())
            .containsSubsequence(QualityResultsLayout.SCHEMA.names())
            .contains("run_date");
      }
    }
  }

  @Test
  void aRunDateFolderDeletedByHand_failsTheHistoryLoudly_namingThePartition() throws Exception {
    LocalCatalog catalog = LocalCatalog.at(lake);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      QualityResultsTable table = QualityResultsTable.of(engine, catalog, lake, "boston311");
      table.save(run("2026-12-02T23:00:00Z", 0, "6221"));
      table.save(run("2026-12-03T01:00:00.250Z", 0.1, "6843"));
      Path day = lake.resolve("quality/boston311/quality_results/run_date=2026-12-02");
      try (Stream<Path> files = Files.walk(day)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }

      // a history without that run would compare the next check with the wrong baseline: it fails
      assertThatThrownBy(table::history)
          .isInstanceOf(dev.inlet.InletException.class)
          .hasMessageContaining("partition run_date=2026-12-02 points at")
          .hasMessageContaining("which does not exist");
    }
  }

  @Test
  void aRunWithoutResults_writesNothing() {
    LocalCatalog catalog = LocalCatalog.at(lake);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      QualityResultsTable table = QualityResultsTable.of(engine, catalog, lake, "boston311");
      table.save(new QualityResult(Instant.parse("2026-12-03T00:00:00Z"), List.of()));
      assertThat(catalog.loadTable(table.id())).isEmpty();
      assertThat(lake.resolve("quality")).doesNotExist();
    }
  }
}
