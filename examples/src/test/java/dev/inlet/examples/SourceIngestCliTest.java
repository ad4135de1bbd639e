package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.examples.InletCliTest.Run;
import dev.inlet.testing.TestHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic ingest end to end against local stand-ins on 127.0.0.1: plain CSV URLs (a versioned HTTP server)
 * and a CKAN portal with a non-Boston dataset of several CSV resources. Types are read back with DuckDB; a rerun
 * is a no-op; a changed file is ingested again, the others stay.
 */
class SourceIngestCliTest {
  @TempDir
  Path tmp;

  /** Chicago-food-inspections-like rows: bigint, string, timestamp, date, double, boolean columns. */
  static byte[] inspections(int first, int rows) {
    StringBuilder b = new StringBuilder(
        "inspection_id,dba_name,inspected_at,license_date,score,passed,results\n");
    for (int i = first; i < first + rows; i++) {
      b.append(2_000_000 + i)
          .append(',')
          .append(i % 7 == 0 ? "\"Lou's Diner, Inc.\"" : "Cafe " + i)
          .append(',')
          .append(String.format("2023-%02d-%02d %02d:15:00", 1 + i % 12, 1 + i % 28, 8 + i % 10))
          .append(',')
          .append(String.format("2019-%02d-01", 1 + i % 12))
          .append(',')
          .append(60 + (i % 40) + 0.5)
          .append(',')
          .append(i % 3 != 0)
          .append(',')
          .append(i % 3 != 0 ? "Pass" : "Fail")
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static final Map<String, String> INSPECTION_TYPES = Map.of(
      "inspection_id",
      "BIGINT",
      "dba_name",
      "VARCHAR",
      "inspected_at",
      "TIMESTAMP",
      "license_date",
      "DATE",
      "score",
      "DOUBLE",
      "passed",
      "BOOLEAN",
      "results",
      "VARCHAR");

  /** Column name -> DuckDB type of the Parquet files under {@code dir} (recursively). */
  static Map<String, String> duckDbTypes(Path dir) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + dir + "/**/*.parquet')")) {
      while (rs.next()) {
        types.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    }
    return types;
  }

  static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void urls_ingestOneFilePerUrl_typesInferred_rerunIsANoOp_aChangedFileIsIngestedAgain()
      throws Exception {
    Path lake = tmp.resolve("lake");
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script(
          "/data/inspections-2023.csv", TestHttpServer.versioned(inspections(0, 500), "\"a1\""));
      server.script(
          "/data/inspections-2024.csv", TestHttpServer.versioned(inspections(500, 300), "\"b1\""));
      String[] run = {
        "ingest",
        "--url",
        server.uri("/data/inspections-2023.csv").toString(),
        "--url",
        server.uri("/data/inspections-2024.csv").toString(),
        "--table",
        "food_inspections",
        "--warehouse",
        lake.toString()
      };

      Run first = cli(run);

      assertThat(first.code()).as(first.out() + first.err()).isZero();
      assertThat(first.out())
          .contains("into default.food_inspections")
          .contains("inspections-2023.csv")
          .contains("inspections-2024.csv")
          .contains("500")
          .contains("300")
          .contains("ok");
      // the hint quotes "default", a reserved word in DuckDB's SQL, escaped for the shell
      assertThat(first.out())
          .contains("query --warehouse " + lake.toAbsolutePath()
              + " \"SELECT count(*) AS n FROM \\\"default\\\".food_inspections\"");
      Path table = lake.resolve("bronze/default/food_inspections");
      assertThat(duckDbTypes(table)).isEqualTo(INSPECTION_TYPES);
      assertThat(lake.resolve("_catalog/default/food_inspections.json")).exists();
      Run count = cli(
          "query",
          "--warehouse",
          lake.toString(),
          "SELECT count(*) AS n, sum(CASE WHEN passed THEN 1 ELSE 0 END) AS p FROM \"default\".food_inspections");
      assertThat(count.out()).as(count.err()).containsPattern("800\\s*\\|\\s*533");

      Run again = cli(run);
      assertThat(again.code()).as(again.out() + again.err()).isZero();
      assertThat(again.out()).contains("2 file(s) unchanged since the last ingest were skipped");

      server.script(
          "/data/inspections-2024.csv", TestHttpServer.versioned(inspections(500, 350), "\"b2\""));
      Run changed = cli(run);
      assertThat(changed.code()).as(changed.out() + changed.err()).isZero();
      assertThat(changed.out()).contains("1 file(s) unchanged").contains("350");
      assertThat(cli(
                  "query",
                  "--warehouse",
                  lake.toString(),
                  "SELECT count(*) AS n FROM \"default\".food_inspections")
              .out())
          .contains("850");
    }
  }

  @Test
  void urls_intoAnotherDatabase_andTheFailuresExitAsBostonDoes() throws Exception {
    Path lake = tmp.resolve("lake");
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script("/ok.csv", TestHttpServer.ok(inspections(0, 20)));
      server.script("/gone.csv", TestHttpServer.status(404));
      Run partly = cli(
          "ingest",
          "--url",
          server.uri("/ok.csv").toString(),
          "--url",
          server.uri("/gone.csv").toString(),
          "--table",
          "t",
          "--database",
          "chicago",
          "--warehouse",
          lake.toString());
      assertThat(partly.code()).as(partly.out() + partly.err()).isEqualTo(1);
      assertThat(partly.out()).contains("chicago.t").contains("1 FAILED").contains("gone.csv");
      assertThat(duckDbTypes(lake.resolve("bronze/chicago/t"))).isEqualTo(INSPECTION_TYPES);
    }
    Run unreachable = cli(
        "ingest",
        "--url",
        "http://127.0.0.1:9/x.csv",
        "--table",
        "t",
        "--warehouse",
        lake.toString());
    assertThat(unreachable.code()).as(unreachable.out() + unreachable.err()).isEqualTo(1);
    assertThat(unreachable.out()).contains("FAILED");
  }

  @Test
  void badGenericArguments_exitTwo_sayingWhatToDo() {
    assertThat(cli("ingest", "--url", "https://example.org/a.csv").err())
        .contains("needs --table NAME");
    assertThat(cli("ingest", "--url", "https://example.org/a.csv", "--table", "Bad-Name")
            .err())
        .contains("Invalid table name 'Bad-Name'");
    assertThat(cli("ingest", "--url", "ftp://example.org/a.csv", "--table", "t").err())
        .contains("Invalid --url 'ftp://example.org/a.csv'")
        .contains("http or https");
    assertThat(
            cli("ingest", "--url", "http://example.org/a.csv", "--table", "t").err())
        .contains("Refusing plain HTTP")
        .contains("--allow-insecure-http");
    assertThat(
            cli("ingest", "--ckan", "https://data.example.org", "--table", "t").err())
        .contains("needs --dataset ID");
    assertThat(cli("ingest", "--url", "https://example.org/a.csv", "--dataset", "x", "--table", "t")
            .err())
        .contains("--dataset names a dataset of a portal");
    assertThat(cli(
                "ingest",
                "--url",
                "https://example.org/a.csv",
                "--ckan",
                "https://d.example.org",
                "--dataset",
                "x",
                "--table",
                "t")
            .err())
        .contains("Use one source per ingest");
    assertThat(
            cli("ingest", "--url", "https://example.org/a.csv", "--table", "t", "--years", "2015")
                .err())
        .contains("--years is for Boston 311 only");
    Run typo = cli("ingest", "--url", "https://example.org/a.csv", "--table", "t", "--tabel", "u");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("Unknown option --tabel");
  }

  @Test
  void
      ckan_everyCsvResourceOfANonBostonDataset_typesInferred_rerunNoOp_changedResourceIngestedAgain()
          throws Exception {
    AtomicReference<byte[]> y2024 = new AtomicReference<>(inspections(1000, 250));
    Path lake = tmp.resolve("lake");
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("food-inspections-2022-2024")
        .resource(
            "r-2022", "Food inspections 2022", "inspections_2022.csv", () -> inspections(0, 400))
        .resource(
            "r-2023", "Food inspections 2023", "inspections_2023.csv", () -> inspections(400, 600))
        .resource("r-2024", "Food inspections 2024", "inspections_2024.csv", y2024::get)
        .start()) {
      String[] run = {
        "ingest",
        "--ckan",
        portal.baseUri().toString(),
        "--dataset",
        "food-inspections-2022-2024",
        "--table",
        "inspections",
        "--database",
        "chicago",
        "--warehouse",
        lake.toString()
      };

      Run first = cli(run);

      assertThat(first.code()).as(first.out() + first.err()).isZero();
      assertThat(first.out())
          .contains("every CSV resource of dataset food-inspections-2022-2024")
          .contains("Food inspections 2022")
          .contains("Food inspections 2024")
          .contains("1,250");
      assertThat(duckDbTypes(lake.resolve("bronze/chicago/inspections")))
          .isEqualTo(INSPECTION_TYPES);
      assertThat(cli(
                  "query",
                  "--warehouse",
                  lake.toString(),
                  "SELECT count(*) AS n FROM chicago.inspections")
              .out())
          .contains("1250");

      Run again = cli(run);
      assertThat(again.code()).as(again.out() + again.err()).isZero();
      assertThat(again.out()).contains("3 file(s) unchanged since the last ingest were skipped");

      y2024.set(inspections(1000, 260));
      Run changed = cli(run);
      assertThat(changed.code()).as(changed.out() + changed.err()).isZero();
      assertThat(changed.out()).contains("2 file(s) unchanged").contains("260");
      assertThat(cli(
                  "query",
                  "--warehouse",
                  lake.toString(),
                  "SELECT count(*) AS n FROM chicago.inspections")
              .out())
          .contains("1260");
    }
  }

  @Test
  void ckan_skipsResourcesThatAreNotCsv_andADatasetWithoutCsvFailsSayingSo() throws Exception {
    Path lake = tmp.resolve("lake");
    try (TestHttpServer server = TestHttpServer.start()) {
      String base = server.uri("").toString();
      server.script(
          "/api/3/action/package_show",
          TestHttpServer.ok(("""
          {"success": true, "result": {"id": "pkg", "name": "air", "resources": [
            {"id": "r1", "name": "Stations", "format": "CSV", "url": "%s/f/stations.csv"},
            {"id": "r2", "name": "Readme", "format": "PDF", "url": "%s/f/readme.pdf"},
            {"id": "r3", "name": "Readings", "format": "", "url": "%s/f/readings.csv"}
          ]}}
          """).formatted(base, base, base).getBytes(StandardCharsets.UTF_8)));
      server.script("/f/stations.csv", TestHttpServer.ok(inspections(0, 10)));
      server.script("/f/readings.csv", TestHttpServer.ok(inspections(10, 5)));
      Run run = cli(
          "ingest",
          "--ckan",
          base,
          "--dataset",
          "air",
          "--table",
          "air",
          "--warehouse",
          lake.toString());
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("Stations").contains("Readings").doesNotContain("Readme");
      assertThat(server.requests("/f/readme.pdf")).isEmpty();

      server.script(
          "/api/3/action/package_show",
          TestHttpServer.ok(("""
          {"success": true, "result": {"id": "pkg2", "name": "docs", "resources": [
            {"id": "r2", "name": "Readme", "format": "PDF", "url": "%s/f/readme.pdf"}]}}
          """).formatted(base).getBytes(StandardCharsets.UTF_8)));
      Run none = cli(
          "ingest",
          "--ckan",
          base,
          "--dataset",
          "docs",
          "--table",
          "docs",
          "--warehouse",
          lake.toString());
      assertThat(none.code()).isEqualTo(1);
      assertThat(none.err())
          .contains("Cannot ingest dataset docs of the CKAN portal")
          .contains("no CSV resource")
          .contains("(only PDF)");
    }
    Run unreachable = cli(
        "ingest",
        "--ckan",
        "http://127.0.0.1:9",
        "--dataset",
        "x",
        "--table",
        "t",
        "--warehouse",
        lake.toString());
    assertThat(unreachable.code()).isEqualTo(3);
    assertThat(unreachable.err()).contains("Is the CKAN portal reachable from here?");
    assertThat(Files.exists(lake.resolve("bronze/default/t"))).isFalse();
  }
}
