package dev.inlet.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.TableId;
import dev.inlet.quality.Check;
import dev.inlet.quality.CheckResult;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.QualityChecks;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each check kind on a crafted table: passing, warning and failing at the edge of its threshold. */
class QualityChecksTest {
  static final TableId T = TableId.of("q", "t");
  static final Clock NOW = Clock.fixed(Instant.parse("2024-01-11T00:00:00Z"), ZoneOffset.UTC);

  private DuckDbEngine engine;

  @BeforeEach
  void table() {
    engine = DuckDbEngine.create();
    engine.execute("CREATE SCHEMA q");
    // 10 rows: zip null in 2 (20%), one malformed zip, one duplicate id, status 'weird' once, lat
    // out of range once
    engine.execute("CREATE TABLE q.t AS SELECT * FROM (VALUES"
        + " (1, '02101', 'open', 42.30, TIMESTAMP '2024-01-01 00:00:00', '2023'),"
        + " (2, '02102', 'closed', 42.31, TIMESTAMP '2024-01-02 00:00:00', '2023'),"
        + " (3, NULL, 'closed', 42.32, TIMESTAMP '2024-01-03 00:00:00', '2023'),"
        + " (4, NULL, 'open', 42.33, TIMESTAMP '2024-01-04 00:00:00', '2024'),"
        + " (5, '2101', 'closed', 42.34, TIMESTAMP '2024-01-05 00:00:00', '2024'),"
        + " (6, '02106', 'weird', 42.35, TIMESTAMP '2024-01-06 00:00:00', '2024'),"
        + " (7, '02107', 'open', 99.0, TIMESTAMP '2024-01-07 00:00:00', '2024'),"
        + " (8, '02108', 'open', 42.37, TIMESTAMP '2024-01-08 00:00:00', '2024'),"
        + " (9, '02109', 'open', 42.38, TIMESTAMP '2024-01-09 00:00:00', '2024'),"
        + " (9, '02110', 'open', 42.39, TIMESTAMP '2024-01-10 00:00:00', '2024'))"
        + " AS v(id, zip, status, lat, opened, year)");
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private QualityResult run(Check... checks) {
    return QualityChecks.builder().engine(engine).clock(NOW).build().run(List.of(checks));
  }

  private CheckResult one(Check check) {
    QualityResult r = run(check);
    assertThat(r.results()).hasSize(1);
    return r.results().get(0);
  }

  @Test
  void completeness_atTheThresholdPasses_justBelowFails() {
    assertThat(one(Check.isComplete(T, "zip").threshold(0.2).build()).outcome())
        .isEqualTo(Outcome.PASSED);
    CheckResult failed = one(Check.isComplete(T, "zip").threshold(0.19).build());
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.metric()).isEqualTo(0.2);
    assertThat(failed.message()).contains("2 of 10 rows null (20%)");
    assertThat(one(Check.isComplete(T, "zip").severity(Severity.WARN).build()).outcome())
        .isEqualTo(Outcome.WARNED);
    assertThat(one(Check.isComplete(T, "id").build()).outcome()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void uniqueness_countsDuplicateRowsAndShowsTheKey() {
    CheckResult r = one(Check.unique(T, "id").build());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.metric()).isEqualTo(1);
    assertThat(r.samples()).containsExactly("id=9 (2 rows)");
    assertThat(one(Check.unique(T, "id").threshold(1).build()).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(one(Check.unique(T, "id", "zip").build()).outcome()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void acceptedValues_fractionOfNonNullValuesOutsideTheSet() {
    CheckResult r =
        one(Check.acceptedValues(T, "status", List.of("open", "closed")).build());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.metric()).isEqualTo(0.1);
    assertThat(r.samples()).containsExactly("weird (1 rows)");
    assertThat(one(Check.acceptedValues(T, "status", List.of("open", "closed"))
                .threshold(0.1)
                .build())
            .outcome())
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void range_boundsAreInclusive() {
    assertThat(one(Check.range(T, "lat", 42.30, 99.0).build()).outcome()).isEqualTo(Outcome.PASSED);
    CheckResult r = one(Check.range(T, "lat", 42.30, 98.99).build());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.samples()).containsExactly("99.00 (1 rows)");
    assertThat(one(Check.range(T, "lat", 42.31, 99.0).build()).metric()).isEqualTo(0.1);
  }

  @Test
  void pattern_skipsNullsAndShowsTheValuesThatDoNotMatch() {
    CheckResult r =
        one(Check.matches(T, "zip", "^\\d{5}$").severity(Severity.WARN).build());
    assertThat(r.outcome()).isEqualTo(Outcome.WARNED);
    assertThat(r.metric()).isEqualTo(1.0 / 8);
    assertThat(r.samples()).containsExactly("2101 (1 rows)");
    assertThat(one(Check.matches(T, "zip", "^\\d{4,5}$").build()).outcome())
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void rowCount_perPartition_boundsInclusive() {
    QualityResult r = run(Check.rowCount(T, 3, 7).partitionBy("year").build());
    assertThat(r.results())
        .extracting(CheckResult::partition)
        .containsExactly("year=2023", "year=2024");
    assertThat(r.results())
        .extracting(CheckResult::outcome)
        .containsExactly(Outcome.PASSED, Outcome.PASSED);
    assertThat(run(Check.rowCount(T, 4, 6).partitionBy("year").build()).results())
        .extracting(CheckResult::outcome)
        .containsExactly(Outcome.FAILED, Outcome.FAILED);
    assertThat(one(Check.rowCount(T, 10, 10).build()).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(one(Check.rowCount(T, 11, 20).build()).message())
        .isEqualTo("10 rows, allowed between 11 and 20");
  }

  @Test
  void rowCountChange_againstThePreviousRun_firstRunPasses() {
    Check change = Check.rowCountChange(T, 0.5).partitionBy("year").build();
    QualityResult first = run(change);
    assertThat(first.results())
        .allMatch(r -> r.outcome() == Outcome.PASSED)
        .allMatch(r -> r.message().contains("no previous run"));

    // 2024 shrinks from 7 to 4 rows (−43%, allowed 50%), 2023 from 3 to 1 (−67%): fails
    engine.execute("DELETE FROM q.t WHERE id IN (1, 2, 4, 5, 6)");
    QualityResult second = QualityChecks.builder()
        .engine(engine)
        .clock(NOW)
        .history(QualityHistory.of(first.results()))
        .build()
        .run(List.of(change));
    assertThat(second.results())
        .extracting(CheckResult::partition, CheckResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("year=2023", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("year=2024", Outcome.PASSED));
    assertThat(second.results().get(0).message()).contains("1 rows, 3 in the previous run");

    // a retry without any change still fails: the failed run is no baseline, the first run (3 rows)
    // still is
    List<CheckResult> both = new java.util.ArrayList<>(first.results());
    both.addAll(second.results());
    QualityResult retry = QualityChecks.builder()
        .engine(engine)
        .clock(NOW)
        .history(QualityHistory.of(both))
        .build()
        .run(List.of(change));
    assertThat(retry.results())
        .filteredOn(r -> r.partition().equals("year=2023"))
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.FAILED));

    // a partition gone since the previous run has 0 rows now: −100%
    engine.execute("DELETE FROM q.t WHERE year = '2023'");
    QualityResult third = QualityChecks.builder()
        .engine(engine)
        .clock(NOW)
        .history(QualityHistory.of(both))
        .build()
        .run(List.of(change));
    assertThat(third.results())
        .filteredOn(r -> r.partition().equals("year=2023"))
        .singleElement()
        .satisfies(r -> assertThat(r.metric()).isEqualTo(1.0));
  }

  @Test
  void freshness_ageFromTheNewestValueToTheClock() {
    // newest 2024-01-10T00:00Z, now 2024-01-11T00:00Z: one day old
    assertThat(one(Check.freshness(T, "opened", Duration.ofDays(1)).build()).outcome())
        .isEqualTo(Outcome.PASSED);
    CheckResult r = one(Check.freshness(T, "opened", Duration.ofHours(23)).build());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.metric()).isEqualTo(86400.0);
    assertThat(r.message()).contains("2024-01-10T00:00:00Z");
  }

  @Test
  void schemaChange_againstThePreviousRun() {
    Check schema = Check.schemaChange(T).build();
    QualityResult first = run(schema);
    assertThat(first.results().get(0).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(first.results().get(0).details()).startsWith("id integer, zip varchar");

    engine.execute("ALTER TABLE q.t DROP COLUMN lat");
    engine.execute("ALTER TABLE q.t ADD COLUMN lon DOUBLE");
    engine.execute("ALTER TABLE q.t ALTER COLUMN id TYPE BIGINT");
    CheckResult r = QualityChecks.builder()
        .engine(engine)
        .history(QualityHistory.of(first.results()))
        .build()
        .run(List.of(schema))
        .results()
        .get(0);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.metric()).isEqualTo(3);
    assertThat(r.message())
        .contains("retyped id integer → bigint", "added lon double", "removed lat decimal(4,2)");
  }

  @Test
  void customSql_eachRowFails_samplesShowTheRows() {
    CheckResult r = one(Check.customSql(
            T,
            "no_future",
            "SELECT id, opened FROM q.t WHERE opened > TIMESTAMP" + " '2024-01-09 12:00:00';")
        .build());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.metric()).isEqualTo(1);
    assertThat(r.samples()).containsExactly("id=9, opened=2024-01-10 00:00:00.0");
    assertThat(
            one(Check.customSql(T, "none", "SELECT * FROM q.t WHERE id > 100").build())
                .outcome())
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void aCheckThatCannotRunIsAnError_andAFailSeverityErrorBlocks() {
    QualityResult r = run(
        Check.isComplete(T, "no_such_column").build(), Check.isComplete(T, "id").build());
    assertThat(r.results().get(0).outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.results().get(0).message()).contains("q.t").contains("no_such_column");
    assertThat(r.results().get(1).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(r.blocks()).isTrue();
    assertThat(r.summary())
        .contains("1 passed, 0 warned, 0 failed, 1 could not run")
        .contains("FAILED");
  }

  @Test
  void warningsDoNotBlock_summaryListsWhatDidNotPass() {
    QualityResult r = run(
        Check.isComplete(T, "zip").severity(Severity.WARN).build(),
        Check.isComplete(T, "id").build());
    assertThat(r.blocks()).isFalse();
    assertThat(r.summary())
        .contains("1 passed, 1 warned, 0 failed")
        .contains("WARN  completeness(zip) on q.t")
        .contains("OK: no fail-severity check failed")
        .doesNotContain("completeness(id)");
  }

  @Test
  void builderFailsEarly() {
    assertThatThrownBy(() -> Check.isComplete(T, "zip").threshold(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.05");
    assertThatThrownBy(() -> Check.matches(T, "zip", "(["))
        .hasMessageContaining("not a regular expression");
    assertThatThrownBy(() -> Check.range(T, "lat", 2, 1)).hasMessageContaining("min ≤ max");
    assertThatThrownBy(() -> QualityChecks.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() ->
            run(Check.isComplete(T, "id").build(), Check.isComplete(T, "id").build()))
        .hasMessageContaining("Two checks are named");
  }
}
