package dev.inlet.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.sql.SqlEngine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one layout of quality_results: names, paths, the Parquet file, and reading it back through any engine. */
class QualityResultsLayoutTest {
  static final TableId T = TableId.of("boston311", "service_requests");
  static final TableId RESULTS = QualityResultsLayout.table("boston311");

  /** An engine answering every query with fixed rows, all values as text (as Athena answers); records the SQL. */
  static final class TextEngine implements SqlEngine {
    final List<String> sql = new ArrayList<>();
    final List<List<String>> rows;

    TextEngine(List<List<String>> rows) {
      this.rows = rows;
    }

    @Override
    public QueryResult query(String statement) {
      sql.add(statement);
      List<ResultColumn> cols = new ArrayList<>();
      for (String name : QualityResultsLayout.SCHEMA.names()) {
        cols.add(new ResultColumn(name, "varchar"));
      }
      return QueryResult.of(cols, rows);
    }

    @Override
    public SqlDialect dialect() {
      return SqlDialect.TRINO;
    }

    @Override
    public void close() {}
  }

  static List<String> row(String runAt, String name, String metric, String samples, String took) {
    return Arrays.asList(
        runAt,
        name,
        "ROW_COUNT_CHANGE",
        "WARN",
        "boston311.service_requests",
        "year=2015",
        metric,
        "±50%",
        "PASSED",
        "6221 rows",
        "6221",
        samples,
        took);
  }

  @Test
  void namesAndPaths_areTheTablesEverywhere() {
    assertThat(RESULTS).isEqualTo(TableId.of("boston311", "quality_results"));
    assertThat(QualityResultsLayout.tablePath(RESULTS))
        .isEqualTo("quality/boston311/quality_results/");
    Instant at = Instant.parse("2026-12-03T23:59:59.5Z");
    assertThat(QualityResultsLayout.partitionPath(at)).isEqualTo("run_date=2026-12-03/");
    QualityResult result = new QualityResult(at, List.of());
    assertThat(QualityResultsLayout.fileName(result))
        .isEqualTo("run-" + at.toEpochMilli() + ".parquet");
    assertThat(QualityResultsLayout.SCHEMA.names())
        .containsExactly(
            "run_at",
            "check_name",
            "check_kind",
            "severity",
            "table_name",
            "partition_name",
            "metric",
            "threshold",
            "outcome",
            "message",
            "details",
            "samples",
            "took_ms");
    TableRegistration reg = QualityResultsLayout.registration(
        RESULTS,
        "s3://b/p/quality/boston311/quality_results/",
        result,
        "s3://b/p/quality/boston311/quality_results/run_date=2026-12-03/");
    assertThat(reg.partitionKeys()).containsExactly("run_date");
    assertThat(reg.partitions()).singleElement().satisfies(p -> {
      assertThat(p.values()).containsExactly("2026-12-03");
      assertThat(p.location()).endsWith("/run_date=2026-12-03/");
    });
    assertThat(QualityResultsLayout.select(RESULTS))
        .isEqualTo("SELECT run_at, check_name, check_kind, severity,"
            + " table_name, partition_name, metric, threshold, outcome, message, details, samples, took_ms FROM"
            + " \"boston311\".\"quality_results\" ORDER BY run_at");
  }

  @Test
  void write_givesAParquetFile() throws Exception {
    Check check = Check.rowCount(T, 1, 10).build();
    QualityResult result = new QualityResult(
        Instant.parse("2026-12-03T10:00:00Z"),
        List.of(
            new CheckResult(
                check,
                "",
                5,
                Outcome.PASSED,
                "5 rows",
                "5",
                List.of("a", "b"),
                Instant.parse("2026-12-03T10:00:00Z"),
                Duration.ofMillis(7)),
            new CheckResult(
                check,
                "",
                Double.NaN,
                Outcome.ERROR,
                "could not run",
                "",
                List.of(),
                Instant.parse("2026-12-03T10:00:00Z"),
                Duration.ZERO)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QualityResultsLayout.write(result, out);
    byte[] bytes = out.toByteArray();
    assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
    assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
  }

  @Test
  void read_parsesTextValues_nullsAndSamples_oldestRunFirstByInstant() {
    // as text, "...:00Z" sorts after "...:00.500Z" of the same second; the instant decides
    TextEngine engine = new TextEngine(List.of(
        row("2026-12-03T10:00:00.500Z", "later", "0.25", "x\ny", "12"),
        row("2026-12-03T10:00:00Z", "earlier", null, null, null)));

    QualityHistory history = QualityResultsLayout.read(engine, RESULTS);

    assertThat(engine.sql).containsExactly(QualityResultsLayout.select(RESULTS));
    List<CheckResult> results = history.results();
    assertThat(results).extracting(r -> r.check().name()).containsExactly("earlier", "later");
    CheckResult earlier = results.get(0);
    assertThat(earlier.metric()).isNaN();
    assertThat(earlier.samples()).isEmpty();
    assertThat(earlier.took()).isEqualTo(Duration.ZERO);
    CheckResult later = results.get(1);
    assertThat(later.check().kind()).isEqualTo(Check.Kind.ROW_COUNT_CHANGE);
    assertThat(later.check().severity()).isEqualTo(Severity.WARN);
    assertThat(later.table()).isEqualTo(T);
    assertThat(later.partition()).isEqualTo("year=2015");
    assertThat(later.metric()).isEqualTo(0.25);
    assertThat(later.outcome()).isEqualTo(Outcome.PASSED);
    assertThat(later.details()).isEqualTo("6221");
    assertThat(later.samples()).containsExactly("x", "y");
    assertThat(later.took()).isEqualTo(Duration.ofMillis(12));
    assertThat(later.runAt()).isEqualTo(Instant.parse("2026-12-03T10:00:00.500Z"));
    assertThat(history.previous("later", "year=2015")).contains(later);
  }

  @Test
  void read_aRowNotOfTheLayout_namesTheRowAndTheValue() {
    List<String> bad = new ArrayList<>(row("2026-12-03T10:00:00Z", "c", "1", "", "1"));
    bad.set(2, "NO_SUCH_KIND");
    TextEngine engine =
        new TextEngine(List.of(row("2026-12-03T10:00:00Z", "a", "1", "", "1"), bad));

    assertThatThrownBy(() -> QualityResultsLayout.read(engine, RESULTS))
        .isInstanceOf(InletException.class)
        .hasMessageStartingWith(
            "Cannot read row 2 of boston311.quality_results as a quality result:")
        .hasMessageContaining("NO_SUCH_KIND");
  }
}
