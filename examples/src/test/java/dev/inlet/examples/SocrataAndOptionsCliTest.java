package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static dev.inlet.examples.SourceIngestCliTest.duckDbTypes;
import static dev.inlet.examples.SourceIngestCliTest.inspections;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.examples.InletCliTest.Run;
import dev.inlet.socrata.LocalSocrataPortal;
import dev.inlet.testing.TestHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --socrata} end to end against the Socrata stand-in on 127.0.0.1 (types from the dataset's metadata,
 * app token from the flag or the environment and never printed, rerun downloads nothing, an updated dataset is
 * ingested again), and the converter options of every generic source: {@code --partition-by year-of:COLUMN},
 * {@code --partition-by COLUMN}, {@code --column NAME:TYPE}, {@code --snake-case}.
 */
class SocrataAndOptionsCliTest {
  private static final String TOKEN = "tOkEn-4711-sEcReT";
  private static final String ID = "erm2-nwe9";

  @TempDir
  Path tmp;

  /** A NYC-311-like dataset: text keys and zips of digits, dates, a number, a checkbox, a point. */
  private static LocalSocrataPortal.Builder nyc(int first, int n, int year) {
    LocalSocrataPortal.Builder b = LocalSocrataPortal.builder()
        .dataset(ID, "311 Service Requests from 2010 to Present")
        .column("Unique Key", "unique_key", "text")
        .column("Created Date", "created_date", "calendar_date")
        .column("Agency", "agency", "text")
        .column("Borough", "borough", "text")
        .column("Incident Zip", "incident_zip", "text")
        .column("Latitude", "latitude", "number")
        .column("Council District", "council_district", "number")
        .column("Is Closed", "is_closed", "checkbox")
        .column("Location", "location", "point")
        .hiddenColumn("Internal", "internal", "text");
    String[] boroughs = {"BRONX", "BROOKLYN", "MANHATTAN", "QUEENS", "STATEN ISLAND"};
    for (int i = first; i < first + n; i++) {
      double lat = 40.5 + (i % 1000) / 2000.0;
      b.row(
          String.valueOf(60_000_000L + i),
          String.format(
              "%d-%02d-%02dT%02d:15:00.000", year + i % 2, 1 + i % 12, 1 + i % 28, i % 24),
          i % 3 == 0 ? "NYPD" : "DSNY",
          boroughs[i % 5],
          String.valueOf(10_001 + i % 300),
          String.valueOf(lat),
          String.valueOf(i % 51),
          i % 2 == 0 ? "true" : "false",
          "POINT (-73.9 " + lat + ")",
          "secret " + i);
    }
    return b;
  }

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code;
    try {
      code = SourceIngest.run(Args.parse(args), o, e, env);
    } catch (IllegalArgumentException x) {
      e.println(x.getMessage());
      code = 2;
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<String> folders(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.contains("="))
          .sorted()
          .toList();
    }
  }

  @Test
  void
      socrata_typesFromTheMetadata_tokenNeverShown_rerunDownloadsNothing_updatedDatasetIngestedAgain()
          throws Exception {
    Path lake = tmp.resolve("lake");
    try (LocalSocrataPortal portal = nyc(0, 600, 2023).appToken(TOKEN).start()) {
      String[] ingest = {
        "ingest",
        "--socrata",
        portal.baseUri().toString(),
        "--dataset",
        ID,
        "--table",
        "service_requests",
        "--database",
        "nyc311",
        "--app-token",
        TOKEN,
        "--warehouse",
        lake.toString()
      };

      Run first = cli(ingest);

      assertThat(first.code()).as(first.out() + first.err()).isZero();
      assertThat(first.out())
          .contains("dataset erm2-nwe9 ('311 Service Requests from 2010 to Present', 9 columns)")
          .contains("with an app token")
          .contains("600")
          .contains("ok");
      Map<String, String> expected = new java.util.LinkedHashMap<>();
      expected.put("unique_key", "VARCHAR"); // text on the portal, though every value is digits
      expected.put("created_date", "TIMESTAMP");
      expected.put("agency", "VARCHAR");
      expected.put("borough", "VARCHAR");
      expected.put("incident_zip", "VARCHAR");
      expected.put("latitude", "DOUBLE"); // numbers are inferred from the values
      expected.put("council_district", "BIGINT");
      expected.put("is_closed", "BOOLEAN");
      expected.put("location", "VARCHAR");
      assertThat(duckDbTypes(lake.resolve("bronze/nyc311/service_requests")))
          .containsExactlyEntriesOf(expected);
      assertThat(portal.requests()).isNotEmpty().allMatch(r -> TOKEN.equals(r.appToken()));
      int downloads = portal.exportDownloads();

      Run again = cli(ingest);
      assertThat(again.code()).as(again.out() + again.err()).isZero();
      assertThat(again.out()).contains("1 file(s) unchanged since the last ingest were skipped");
      assertThat(portal.exportDownloads()).isEqualTo(downloads);

      List<List<String>> updated = new ArrayList<>();
      for (int i = 0; i < 650; i++) {
        updated.add(Arrays.asList(
            String.valueOf(70_000_000L + i),
            "2024-05-01T10:00:00.000",
            "DOT",
            "QUEENS",
            "11101",
            "40.7",
            "5",
            "false",
            null,
            "x"));
      }
      portal.publish(updated, Instant.parse("2024-06-01T00:00:00Z"));
      Run changed = cli(ingest);
      assertThat(changed.code()).as(changed.out() + changed.err()).isZero();
      assertThat(changed.out()).contains("650").doesNotContain("unchanged");
      assertThat(cli(
                  "query",
                  "--warehouse",
                  lake.toString(),
                  "SELECT count(*) AS n, min(agency) AS a FROM nyc311.service_requests")
              .out())
          .containsPattern("650\\s*\\|\\s*DOT");
      for (Run r : List.of(first, again, changed)) {
        assertThat(r.out() + r.err()).doesNotContain(TOKEN);
      }
      try (Stream<Path> files = Files.walk(lake)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
          assertThat(Files.readString(f))
              .as(f.toString())
              .doesNotContain(TOKEN); // catalog and state
        }
      }
      assertThat(lake.resolve("_state")).isDirectory();
    }
  }

  @Test
  void socrata_tokenFromTheEnvironment_aWrongOneFailsWithoutBeingShown() {
    Path lake = tmp.resolve("lake");
    try (LocalSocrataPortal portal = nyc(0, 50, 2023).appToken(TOKEN).start()) {
      String[] ingest = {
        "ingest",
        "--socrata",
        portal.baseUri().toString(),
        "--dataset",
        ID,
        "--table",
        "t",
        "--warehouse",
        lake.toString()
      };
      String[] args = Arrays.copyOfRange(ingest, 1, ingest.length);

      Run ok = run(Map.of(SourceIngest.APP_TOKEN_ENV, TOKEN), args);
      assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
      assertThat(ok.out()).contains("with an app token").contains("50").doesNotContain(TOKEN);
      assertThat(portal.requests()).allMatch(r -> TOKEN.equals(r.appToken()));

      Run wrong = run(
          Map.of(SourceIngest.APP_TOKEN_ENV, "not-the-token-123"), concat(args, "--full-refresh"));
      assertThat(wrong.code()).as(wrong.out() + wrong.err()).isEqualTo(3);
      assertThat(wrong.err())
          .contains("erm2-nwe9")
          .contains("Is the Socrata portal reachable")
          .doesNotContain("not-the-token-123");
      assertThat(wrong.out()).doesNotContain("not-the-token-123");
    }
    assertThat(cli(
                "ingest",
                "--socrata",
                "https://data.cityofnewyork.us",
                "--dataset",
                "erm2nwe9",
                "--table",
                "t")
            .err())
        .contains("4x4");
    assertThat(
            cli("ingest", "--url", "https://example.org/a.csv", "--app-token", "x", "--table", "t")
                .err())
        .contains("--app-token is a Socrata app token");
  }

  @Test
  void partitionByYearOf_aTimestampColumn_ofASocrataDataset() throws Exception {
    Path lake = tmp.resolve("lake");
    try (LocalSocrataPortal portal = nyc(0, 400, 2022).start()) {
      Run run = cli(
          "ingest",
          "--socrata",
          portal.baseUri().toString(),
          "--dataset",
          ID,
          "--table",
          "requests",
          "--database",
          "nyc311",
          "--partition-by",
          "year-of:created_date",
          "--warehouse",
          lake.toString());
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(folders(lake.resolve("bronze/nyc311/requests")))
          .containsExactly("year=2022", "year=2023");
      assertThat(cli(
                  "query",
                  "--warehouse",
                  lake.toString(),
                  "SELECT year, count(*) AS n FROM nyc311.requests GROUP BY year ORDER BY year")
              .out())
          .containsPattern("2022\\s*\\|\\s*200")
          .containsPattern("2023\\s*\\|\\s*200");
    }
  }

  @Test
  void partitionByAValueColumn_columnOverride_keepTheRestInferred() throws Exception {
    Path lake = tmp.resolve("lake");
    StringBuilder csv = new StringBuilder("id,borough,zip,score\n");
    String[] boroughs = {"BRONX", "BROOKLYN", "QUEENS"};
    for (int i = 0; i < 300; i++) {
      csv.append(i)
          .append(',')
          .append(boroughs[i % 3])
          .append(',')
          .append(10_001 + i % 50)
          .append(',')
          .append(i % 10 + 0.5)
          .append('\n');
    }
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script(
          "/requests.csv", TestHttpServer.ok(csv.toString().getBytes(StandardCharsets.UTF_8)));
      Run run = cli(
          "ingest",
          "--url",
          server.uri("/requests.csv").toString(),
          "--table",
          "requests",
          "--partition-by",
          "borough",
          "--column",
          "zip:string",
          "--column",
          "id:int",
          "--warehouse",
          lake.toString());
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      Path table = lake.resolve("bronze/default/requests");
      assertThat(folders(table))
          .containsExactly("borough=BRONX", "borough=BROOKLYN", "borough=QUEENS");
      assertThat(duckDbTypes(table))
          .containsEntry("id", "INTEGER")
          .containsEntry("zip", "VARCHAR")
          .containsEntry("score", "DOUBLE");
      assertThat(cli(
                  "query",
                  "--warehouse",
                  lake.toString(),
                  "SELECT borough, count(*) AS n FROM \"default\".requests GROUP BY borough ORDER BY borough")
              .out())
          .containsPattern("BRONX\\s*\\|\\s*100")
          .containsPattern("QUEENS\\s*\\|\\s*100");
    }
    assertThat(cli("ingest", "--url", "https://e.org/a.csv", "--table", "t", "--column", "zip")
            .err())
        .contains("Invalid --column 'zip': use NAME:TYPE");
    assertThat(cli("ingest", "--url", "https://e.org/a.csv", "--table", "t", "--column", "zip:text")
            .err())
        .contains("unknown type 'text'")
        .contains("string, bigint");
    assertThat(cli(
                "ingest",
                "--url",
                "https://e.org/a.csv",
                "--table",
                "t",
                "--partition-by",
                "week-of:d")
            .err())
        .contains("Invalid --partition-by 'week-of:d'")
        .contains("year-of:COLUMN")
        .contains("month-of:COLUMN");
    assertThat(cli(
                "ingest",
                "--url",
                "https://e.org/a.csv",
                "--table",
                "t",
                "--partition-by",
                "Borough Name")
            .err())
        .contains("Invalid --partition-by 'Borough Name'");
  }

  @Test
  void snakeCase_displayHeaders_becomeColumnNames_andTheOtherOptionsUseThem() throws Exception {
    Path lake = tmp.resolve("lake");
    String csv = new String(inspections(0, 120), StandardCharsets.UTF_8)
        .replaceFirst(
            "inspection_id,dba_name,inspected_at,license_date,score,passed,results",
            "Inspection ID,DBA Name,Inspected At,License Date,Score (0-100),Passed?,Results");
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script("/food.csv", TestHttpServer.ok(csv.getBytes(StandardCharsets.UTF_8)));
      Run run = cli(
          "ingest",
          "--url",
          server.uri("/food.csv").toString(),
          "--table",
          "food",
          "--snake-case",
          "--column",
          "inspection_id:string",
          "--partition-by",
          "year-of:inspected_at",
          "--warehouse",
          lake.toString());
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      Path table = lake.resolve("bronze/default/food");
      assertThat(folders(table)).containsExactly("year=2023");
      assertThat(duckDbTypes(table))
          .containsEntry("inspection_id", "VARCHAR")
          .containsEntry("dba_name", "VARCHAR")
          .containsEntry("inspected_at", "TIMESTAMP")
          .containsEntry("license_date", "DATE")
          .containsEntry("score_0_100", "DOUBLE")
          .containsEntry("passed", "BOOLEAN");

      Path monthly = tmp.resolve("monthly");
      Run byMonth = cli(
          "ingest",
          "--url",
          server.uri("/food.csv").toString(),
          "--table",
          "food",
          "--snake-case",
          "--partition-by",
          "month-of:inspected_at",
          "--warehouse",
          monthly.toString());
      assertThat(byMonth.code()).as(byMonth.out() + byMonth.err()).isZero();
      assertThat(cli(
                  "query",
                  "--warehouse",
                  monthly.toString(),
                  "SELECT count(*) AS n, count(DISTINCT month) AS m,"
                      + " count(*) FILTER (WHERE month <> lpad(CAST(month(inspected_at) AS VARCHAR), 2, '0')) AS wrong"
                      + " FROM \"default\".food")
              .out())
          .containsPattern("120\\s*\\|\\s*[1-9]\\d*\\s*\\|\\s*0");

      Path plain = tmp.resolve("plain");
      Run without = cli(
          "ingest",
          "--url",
          server.uri("/food.csv").toString(),
          "--table",
          "food",
          "--warehouse",
          plain.toString());
      assertThat(without.code()).as(without.out() + without.err()).isZero();
      assertThat(duckDbTypes(plain.resolve("bronze/default/food"))).containsKey("inspection id");
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
