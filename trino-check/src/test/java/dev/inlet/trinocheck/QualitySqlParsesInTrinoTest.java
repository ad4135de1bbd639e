package dev.inlet.trinocheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Checks;
import dev.inlet.quality.Check;
import dev.inlet.quality.HtmlReport;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.QualityChecks;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.QualityResultsLayout;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.sql.SqlEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every statement {@code check --athena} sends to Athena parses with Trino's own parser: the checks' SQL of every kind
 * (the Boston 311 built-ins of bronze and silver, plus the kinds they do not use, partitioned and not), the sample
 * queries of failing checks, the report's chart queries and the history SELECT of {@code quality_results}, all in
 * the TRINO dialect, recorded by an engine that answers every query with one row of 1s (so every check fails and
 * asks for its samples).
 */
class QualitySqlParsesInTrinoTest {
  /** Answers every statement with one row of twenty "1" values (a schema probe: five columns, no row), as text (as Athena does); records the SQL. */
  static class RecordingEngine implements SqlEngine {
    final List<String> sql = new ArrayList<>();

    @Override
    public QueryResult query(String statement) {
      sql.add(statement);
      // a schema probe (LIMIT 0) sees 5 columns; any other query gets enough values for those 5 and
      // more
      int width = statement.endsWith(" LIMIT 0") ? 5 : 20;
      List<ResultColumn> cols = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        cols.add(new ResultColumn("c" + i, "bigint"));
      }
      return QueryResult.of(
          cols, width == 5 ? List.of() : List.of(Collections.nCopies(width, "1")));
    }

    @Override
    public SqlDialect dialect() {
      return SqlDialect.TRINO;
    }

    @Override
    public void close() {}
  }

  @Test
  void everyCheckKind_theSamples_theReportsCharts_andTheHistorySelect_parseAsTrino()
      throws Exception {
    AthenaSqlParsesInTrinoTest.requireTrinosParser();
    RecordingEngine engine = new RecordingEngine();
    TableId legacy = Boston311.LEGACY_TABLE;
    TableId next = Boston311.NEW_SYSTEM_TABLE;
    List<Check> checks = new ArrayList<>(Boston311Checks.bronze());
    checks.addAll(Boston311Checks.silver());
    checks.add(Check.rowCount(legacy, 1, 10).partitionBy("year").build());
    checks.add(Check.rowCount(next, 1, 10).build());
    checks.add(Check.isComplete(legacy, "closed_dt").partitionBy("year").build());
    checks.add(Check.matches(legacy, "ward", "^Ward \\d+$")
        .partitionBy("year")
        .name("o'brien's ward")
        .build());
    checks.add(Check.freshness(legacy, "open_dt", Duration.ofDays(1))
        .partitionBy("year")
        .build());

    QualityResult result = QualityChecks.builder().engine(engine).build().run(checks);
    assertThat(result.results()).noneMatch(r -> r.outcome() == Outcome.ERROR);
    HtmlReport.builder()
        .result(result)
        .engine(engine)
        .series("legacy", legacy, "open_dt")
        .series("new", next, "open_date")
        .timeToClose("legacy", legacy, "open_dt", "closed_dt")
        .build()
        .html();
    QualityResultsLayout.read(
        new RecordingEngine() {
          @Override
          public QueryResult query(String statement) {
            engine.sql.add(statement);
            return QueryResult.of(List.of(new ResultColumn("run_at", "varchar")), List.of());
          }
        },
        QualityResultsLayout.table("boston311"));

    assertThat(engine.sql)
        .anyMatch(s -> s.contains("regexp_like("))
        .anyMatch(s -> s.contains("to_unixtime("))
        .anyMatch(s -> s.contains("date_format("))
        .anyMatch(s -> s.contains("date_diff('second'"))
        .anyMatch(s -> s.contains(" LIMIT 5"))
        .anyMatch(s -> s.contains("\"quality_results\""));
    List<String> rejected = new ArrayList<>();
    for (String s : engine.sql) {
      String error = AthenaSqlParsesInTrinoTest.parseError(s);
      if (error != null) {
        rejected.add(s + "\n    -> " + error);
      }
    }
    assertThat(rejected)
        .as("quality statements that Trino's parser rejects, of " + engine.sql.size())
        .isEmpty();
  }
}
