package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.examples.InletCliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code check} gate on the bundled Boston 311 sample and on a check file. */
class CheckCommandTest {
  @TempDir
  Path tmp;

  @Test
  void builtInChecksOnTheSample_passTheGateWithWarnings_andWriteTheReport() throws Exception {
    Path lake = tmp.resolve("lake");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();
    Path report = tmp.resolve("out/report.html");
    Run run = cli("check", "--warehouse", lake.toString(), "--report", report.toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("boston311.service_requests:", "boston311.service_requests_new_system:")
        .contains("WARN  zip format of boston311.service_requests")
        .contains("e.g. 2124.0 (520 rows)")
        .contains("OK: no fail-severity check failed")
        .contains("Report: " + report);
    String html = Files.readString(report);
    assertThat(html)
        .contains(
            "<svg id=\"rows-per-month\"",
            "class=\"null-percent\"",
            "class=\"time-to-close\"",
            "legacy system",
            "new system")
        .doesNotContain("http://", "https://");

    // the second run compares with the first, stored in the catalog table boston311.quality_results
    Run again = cli("check", "--warehouse", lake.toString(), "--report", report.toString());
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    Run stored = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT count(DISTINCT run_at), count(*) FILTER"
            + " (WHERE message LIKE '%in the previous run%') FROM boston311.quality_results");
    assertThat(stored.out()).as(stored.err()).containsPattern("2\\s*\\|\\s*4\\b");
    assertThat(Files.readString(report)).contains("Trends over past runs", "class=\"trend\"");
  }

  @Test
  void aFailingFailCheckExits1_aWarnOnlyFileExits0() throws Exception {
    Path lake = tmp.resolve("lake");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();
    Path fail = tmp.resolve("fail.dq");
    Files.writeString(fail, "table boston311.service_requests\nIsComplete \"closed_dt\" fail\n");
    Run failed = cli("check", "--warehouse", lake.toString(), "--checks", fail.toString());
    assertThat(failed.code()).as(failed.out() + failed.err()).isEqualTo(1);
    assertThat(failed.out())
        .contains("FAIL  completeness(closed_dt) on boston311.service_requests")
        .contains("FAILED: a fail-severity check did not pass");

    Path warn = tmp.resolve("warn.dq");
    Files.writeString(warn, "table boston311.service_requests\nIsComplete \"closed_dt\" warn\n");
    assertThat(cli("check", "--warehouse", lake.toString(), "--checks", warn.toString())
            .code())
        .isZero();
  }

  @Test
  void aReportOnATableNamedLikeBostonsWithoutItsColumns_isWrittenWithoutItsCharts()
      throws Exception {
    Path lake = tmp.resolve("other");
    try (dev.inlet.testing.TestHttpServer server = dev.inlet.testing.TestHttpServer.start()) {
      server.script(
          "/t.csv",
          dev.inlet.testing.TestHttpServer.ok(
              "id,name\n1,a\n2,b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      Run ingest = cli(
          "ingest",
          "--url",
          server.uri("/t.csv").toString(),
          "--table",
          "service_requests",
          "--database",
          "boston311",
          "--warehouse",
          lake.toString());
      assertThat(ingest.code()).as(ingest.out() + ingest.err()).isZero();
    }
    Path checks = tmp.resolve("t.dq");
    Files.writeString(checks, "table boston311.service_requests\nIsComplete \"id\" fail\n");
    Path report = tmp.resolve("r.html");
    Run run = cli(
        "check",
        "--warehouse",
        lake.toString(),
        "--checks",
        checks.toString(),
        "--report",
        report.toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(Files.readString(report))
        .contains("boston311.service_requests")
        .doesNotContain("open_dt");
  }

  @Test
  void usageAndRuntimeErrors() throws Exception {
    Path bad = tmp.resolve("bad.dq");
    Files.writeString(bad, "table a.b\nIsComplete a\n");
    Run mistake = cli("check", "--warehouse", tmp.toString(), "--checks", bad.toString());
    assertThat(mistake.code()).isEqualTo(2);
    assertThat(mistake.err()).contains(bad + ":2:12: expected a column name in double quotes");
    assertThat(cli("check", "--nope").code()).isEqualTo(2);
    Run missing = cli(
        "check",
        "--warehouse",
        tmp.toString(),
        "--checks",
        tmp.resolve("nowhere.dq").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .contains("Cannot read the check file")
        .contains("check the path given to --checks")
        .doesNotContain("\tat ");
    Run empty = cli("check", "--warehouse", tmp.resolve("empty").toString());
    assertThat(empty.code()).isEqualTo(CheckCommand.CANNOT_RUN);
    assertThat(empty.err()).contains("Run `ingest` first");
  }
}
