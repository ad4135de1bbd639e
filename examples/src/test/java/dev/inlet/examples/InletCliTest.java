package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example's commands as a user would, on the real rows bundled in the jar. */
class InletCliTest {
  @TempDir
  Path tmp;

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InletCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void ingestSample_thenQuery_countsEveryBundledRowByYear() {
    Path lake = tmp.resolve("lake");
    Run ingest = cli("ingest", "--sample", "--warehouse", lake.toString());

    assertThat(ingest.code()).as(ingest.out() + ingest.err()).isZero();
    assertThat(ingest.out())
        .contains("boston311.service_requests")
        .contains("6,221")
        .contains("100")
        .contains("boston311.service_requests_new_system")
        .contains("5,473")
        .contains("ok");
    assertThat(lake.resolve("_catalog/boston311/service_requests.json")).exists();

    Run query = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT year, count(*) AS n FROM boston311.service_requests GROUP BY year ORDER BY year");
    assertThat(query.code()).as(query.err()).isZero();
    assertThat(query.out())
        .containsPattern("2015\\s*\\|\\s*6221")
        .containsPattern("2022\\s*\\|\\s*100")
        .contains("(2 rows)");

    Run newSystem = cli(
        "query",
        "--warehouse",
        lake.toString(),
        "SELECT count(*) AS n FROM boston311.service_requests_new_system");
    assertThat(newSystem.out()).contains("5473");
  }

  @Test
  void secondIngest_skipsUnchangedFiles_andFullRefreshIngestsThemAgain() {
    Path lake = tmp.resolve("lake2");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();

    Run again = cli("ingest", "--sample", "--warehouse", lake.toString());
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out())
        .contains("unchanged")
        .contains("3 file(s) unchanged since the last ingest were skipped");

    Run refresh = cli("ingest", "--sample", "--full-refresh", "--warehouse", lake.toString());
    assertThat(refresh.code()).isZero();
    assertThat(refresh.out()).doesNotContain("unchanged").contains("6,221");
  }

  @Test
  void plainHttpPortal_onARemoteHost_isRefusedWithTheFlagToAllowIt() {
    Run run = cli(
        "ingest",
        "--portal",
        "http://data.example.org",
        "--warehouse",
        tmp.resolve("l").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("Refusing plain HTTP to http://data.example.org")
        .contains("--allow-insecure-http");
  }

  @Test
  void crawl_ingestedLake_intoAnotherWarehouse_dryRunThenApply_thenQuery() {
    Path lake = tmp.resolve("lake");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();
    Path other = tmp.resolve("other");
    String[] crawl = {
      "crawl",
      "--path",
      lake.resolve("bronze/boston311").toString(),
      "--table-depth",
      "1",
      "--warehouse",
      other.toString(),
      "--database",
      "crawled"
    };

    Run dry = cli(concat(crawl, "--dry-run"));
    assertThat(dry.code()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out())
        .contains("+ table crawled.service_requests (new)")
        .contains("+     year=2015")
        .contains("Dry run: nothing applied.");
    assertThat(other.resolve("_catalog")).doesNotExist();

    Run apply = cli(crawl);
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains("Applied: 2 table(s)");
    Run query = cli(
        "query",
        "--warehouse",
        other.toString(),
        "SELECT year, count(*) AS n FROM crawled.service_requests GROUP BY year ORDER BY year");
    assertThat(query.out()).as(query.err()).containsPattern("2015\\s*\\|\\s*6221");

    Run again = cli(concat(crawl, "--dry-run"));
    assertThat(again.out()).contains("No changes.");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void convert_writesOneParquetFile_andReportsRows() throws Exception {
    Path csv = tmp.resolve("in.csv");
    try (InputStream in = InletCli.class.getResourceAsStream(
        "/boston311-samples/legacy-29col-2022-jan-100rows.csv")) {
      Files.copy(in, csv);
    }
    Path parquet = tmp.resolve("out.parquet");
    Run run = cli(
        "convert",
        csv.toString(),
        parquet.toString(),
        "--schema",
        "boston311",
        "--codec",
        "snappy");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("100 rows");
    assertThat(parquet).exists();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in.csv", "out.parquet");
    }
  }

  @Test
  void badArguments_exitTwo_withAHint() {
    assertThat(cli("ingest", "--years", "20x5").code()).isEqualTo(2);
    assertThat(cli("ingest", "--years", "2020-2015").err()).contains("end is before the start");
    assertThat(cli("frobnicate").err()).contains("Unknown command 'frobnicate'").contains("Usage:");
    assertThat(cli("ingest", "--yeras", "2015").err()).contains("Unknown option --yeras");
  }

  @Test
  void query_ofAPartitionWhoseFolderIsMissing_failsNamingPartitionAndFolder() throws Exception {
    Path lake = tmp.resolve("lost");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();
    dev.inlet.Partition p2015 = dev.inlet.local.LocalCatalog.at(lake)
        .partitions(dev.inlet.boston311.Boston311.LEGACY_TABLE)
        .get(0);
    Path folder = Path.of(java.net.URI.create(p2015.location()));
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(folder)) {
      for (Path f : files.toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    java.nio.file.Files.delete(folder);

    Run query = cli(
        "query", "--warehouse", lake.toString(), "SELECT count(*) FROM boston311.service_requests");

    assertThat(query.code()).isEqualTo(1);
    assertThat(query.err())
        .contains("Cannot query boston311.service_requests: partition year=2015 points at " + folder
            + ", which does not exist; its data is lost from the lake");
  }

  @Test
  void queryOnEmptyWarehouse_saysToIngestFirst() {
    Run run = cli("query", "--warehouse", tmp.resolve("empty").toString(), "SELECT 1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("Run `ingest` first");
  }

  @Test
  void unreachablePortal_suggestsSampleOrPortalFlag() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    Run run = cli(
        "ingest",
        "--portal",
        "http://127.0.0.1:9",
        "--warehouse",
        tmp.resolve("lake").toString());
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).contains("--sample").contains("--portal");
  }

  @Test
  void parseYears_acceptsRangesAndLists() {
    assertThat(IngestCommand.parseYears("2015-2017,2020")).containsExactly(2015, 2016, 2017, 2020);
    assertThat(IngestCommand.parseYears("2017,2015")).containsExactly(2015, 2017);
  }
}
