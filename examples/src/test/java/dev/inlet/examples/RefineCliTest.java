package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refine}, {@code ingest --refine} and {@code query} over the silver table. */
class RefineCliTest {
  @TempDir
  Path lake;

  @Test
  void ingestRefineBuildsSilverThatQueryShowsAndARerunChangesNothing() {
    InletCliTest.Run first = cli("ingest", "--sample", "--refine", "--warehouse", lake.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .containsPattern("Refined boston311\\.requests: [1-9]\\d* partition\\(s\\) rebuilt .*"
            + " 0 unchanged, 0 removed; [1-9]\\d* rows written");

    InletCliTest.Run again = cli("refine", "--warehouse", lake.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .containsPattern("0 partition\\(s\\) rebuilt, [1-9]\\d* unchanged, 0 removed; 0 rows");

    InletCliTest.Run query = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT source_system, count(*) AS n"
            + " FROM boston311.requests GROUP BY ALL ORDER BY ALL");
    assertThat(query.code()).as(query.err()).isZero();
    assertThat(query.out()).contains("legacy").contains("new_system");

    InletCliTest.Run full = cli("refine", "--full-refresh", "--warehouse", lake.toString());
    assertThat(full.code()).as(full.err()).isZero();
    assertThat(full.out()).containsPattern("[1-9]\\d* partition\\(s\\) rebuilt .* 0 unchanged");
  }

  @Test
  void refineRebuildsASilverYearWhoseFolderWasDeleted_andSaysWhy() throws Exception {
    InletCliTest.Run first = cli("ingest", "--sample", "--refine", "--warehouse", lake.toString());
    assertThat(first.code()).as(first.err()).isZero();
    Path year = lake.resolve("silver/boston311/requests/year=2015");
    assertThat(year).isDirectory();
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(year)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }

    InletCliTest.Run again = cli("refine", "--warehouse", lake.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .containsPattern(
            "Silver partition year=2015 of boston311\\.requests is missing its files at file:\\S*"
                + "/silver/boston311/requests/year=2015/v-\\S*/; rebuilding it")
        .containsPattern("1 partition\\(s\\) rebuilt \\(2015\\), [1-9]\\d* unchanged, 0 removed");
    InletCliTest.Run query = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT count(*) AS n FROM boston311.requests WHERE year = '2015'");
    assertThat(query.code()).as(query.err()).isZero();
  }

  @Test
  void gatedRefine_checksTheNewVersionAgainstTheStoredChecks_andPublishesTheSamples() {
    InletCliTest.Run first =
        cli("ingest", "--sample", "--refine", "--gate", "--warehouse", lake.toString());
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(first.out())
        .contains("gated by its quality checks")
        .containsPattern(
            "Quality gate on the new version of boston311\\.requests: [1-9]\\d* passed, \\d+ warned,"
                + " none failed; publishing it")
        .containsPattern("Refined boston311\\.requests: [1-9]\\d* partition\\(s\\) rebuilt");

    // `check` stores this version's schema and row counts; a gated full refresh of the same inputs
    // compares the
    // new version with them and finds no change (the staged SELECT types its columns as the
    // published table)
    InletCliTest.Run check = cli("check", "--warehouse", lake.toString());
    assertThat(check.code()).as(check.out() + check.err()).isZero();
    InletCliTest.Run full =
        cli("refine", "--full-refresh", "--gate", "--warehouse", lake.toString());
    assertThat(full.code()).as(full.out() + full.err()).isZero();
    assertThat(full.out()).contains("none failed; publishing it");

    InletCliTest.Run unchanged = cli("refine", "--gate", "--warehouse", lake.toString());
    assertThat(unchanged.code()).isZero();
    assertThat(unchanged.out()).doesNotContain("Quality gate").contains("0 partition(s) rebuilt");

    assertThat(
            cli("ingest", "--sample", "--gate", "--warehouse", lake.toString()).code())
        .isEqualTo(2);
  }

  @Test
  void mySilverTableRunsWithTheRefinerAndQueryShowsIt() {
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();

    MySilverTable.main(new String[] {lake.toString()});

    InletCliTest.Run query = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT sum(requests) AS n FROM" + " boston311.requests_by_department");
    assertThat(query.code()).as(query.err()).isZero();
    InletCliTest.Run bronze = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT count(*) AS n FROM" + " boston311.service_requests");
    String n = bronze.out().lines().skip(2).findFirst().orElseThrow().strip();
    assertThat(query.out().lines().skip(2).findFirst().orElseThrow().strip()).isEqualTo(n);
  }

  @Test
  void legacyYearsAloneRefineWithAnEmptyNewSystemTable() {
    InletCliTest.Run run =
        cli("ingest", "--sample", "--years", "2015", "--refine", "--warehouse", lake.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("registered it empty")
        .containsPattern(
            "Refined boston311\\.requests: " + "\\d+ partition\\(s\\) rebuilt \\(2015\\)");
    InletCliTest.Run query = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT count(*) FILTER (source_system =" + " 'new_system') AS n FROM boston311.requests");
    assertThat(query.out().lines().skip(2).findFirst().orElseThrow().strip()).isEqualTo("0");
  }

  @Test
  void refineWithoutBronzeFailsNamingTheMissingInput() {
    InletCliTest.Run run = cli("refine", "--warehouse", lake.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("boston311.service_requests").contains("ingest it first");
  }

  @Test
  void refineRejectsUnknownOptions() {
    assertThat(cli("refine", "--bogus").code()).isEqualTo(2);
  }
}
