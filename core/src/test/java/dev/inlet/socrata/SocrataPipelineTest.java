package dev.inlet.socrata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ColumnType;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.http.HttpDownloader;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Socrata dataset end to end: stand-in portal, SocrataSource, CsvToParquet inferring types, a local lake. */
class SocrataPipelineTest {
  private static final TableId TABLE = TableId.of("nyc311", "service_requests");
  private static final String TOKEN = "sEcReTaPpToKeN9876";

  @TempDir
  Path lake;

  private Pipeline pipeline(LocalSocrataPortal portal) {
    SocrataSource source = SocrataSource.builder()
        .baseUrl(portal.baseUri())
        .dataset(Nyc311Like.ID)
        .appToken(TOKEN)
        .downloader(HttpDownloader.builder()
            .backoff(Duration.ofMillis(5), Duration.ofSeconds(5))
            .build())
        .build();
    return Pipeline.builder()
        .source(source)
        .converter(CsvToParquet.builder().build())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .stateStore(LocalStateStore.at(lake))
        .table(TABLE)
        .build();
  }

  @Test
  void ingest_infersTypes_rerunIsANoOp_andAnUpdatedDatasetIsReIngested() throws Exception {
    Instant v1 = Instant.parse("2024-03-01T12:00:00Z");
    try (LocalSocrataPortal portal = Nyc311Like.withRows(
            Nyc311Like.portal(), Nyc311Like.rows(1, 1500))
        .rowsUpdatedAt(v1)
        .appToken(TOKEN)
        .start()) {
      PrintStream err = System.err;
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
      PipelineResult first;
      PipelineResult second;
      List<LocalSocrataPortal.Request> rerun;
      try {
        first = pipeline(portal).run();
        portal.clearRequests();
        second = pipeline(portal).run();
        rerun = portal.requests();
      } finally {
        System.setErr(err);
      }

      // first run: all 1,500 rows (more than SODA's default page of 1,000), typed by their values
      assertThat(first.succeeded()).as(first.summary()).isTrue();
      assertThat(first.ingested()).hasSize(1);
      assertThat(first.rowsOut()).isEqualTo(1500);
      Map<String, String> types = duckTypes();
      assertThat(types)
          .containsExactly(
              Map.entry("unique_key", "BIGINT"), // text on the portal, digits in the values
              Map.entry("created_date", "TIMESTAMP"),
              Map.entry("closed_date", "TIMESTAMP"),
              Map.entry("agency", "VARCHAR"),
              Map.entry("complaint_type", "VARCHAR"),
              Map.entry(
                  "incident_zip",
                  "BIGINT"), // inferred; --column incident_zip:string keeps the zeros
              Map.entry("latitude", "DOUBLE"),
              Map.entry("council_district", "BIGINT"),
              Map.entry("is_open", "BOOLEAN"),
              Map.entry("location", "VARCHAR"));
      assertThat(query("SELECT count(*), count(closed_date), max(unique_key) FROM " + parquet()))
          .isEqualTo("1500|1200|60001500");
      assertThat(
              query("SELECT complaint_type, location, CAST(created_date AS VARCHAR), is_open FROM "
                  + parquet() + " WHERE unique_key = 60000001"))
          .isEqualTo(
              "Noise - \"Loud\" Music, Party|POINT (-74.199 40.5005)|2024-01-02 01:01:00|false");
      // the metadata's types agree with what inference made of the values, where the metadata fixes
      // one
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .appToken(TOKEN)
          .build();
      Map<String, ColumnType> declared = new LinkedHashMap<>(source.columnTypes());
      declared.remove("unique_key");
      declared.remove(
          "incident_zip"); // text columns holding digits: the CLI's columnType(..) keeps them text
      declared.forEach(
          (column, type) -> assertThat(duckName(type)).as(column).isEqualTo(types.get(column)));

      // rerun: the listing shows the same rowsUpdatedAt, nothing is downloaded
      assertThat(second.succeeded()).isTrue();
      assertThat(second.skipped())
          .singleElement()
          .satisfies(f -> assertThat(f.skipReason()).contains("listing shows the same version"));
      assertThat(rerun)
          .extracting(LocalSocrataPortal.Request::path)
          .containsExactly("/api/views/erm2-nwe9.json");
      assertThat(portal.exportDownloads()).isEqualTo(1);

      // the dataset changes on the portal: new rows, rowsUpdatedAt bumped
      portal.publish(Nyc311Like.rows(1, 1700), v1.plusSeconds(3600));
      portal.throttle(1, 1); // and the portal throttles once: the run waits and goes on
      PipelineResult third = pipeline(portal).run();
      assertThat(third.succeeded()).as(third.summary()).isTrue();
      assertThat(third.ingested()).hasSize(1);
      assertThat(portal.exportDownloads()).isEqualTo(2);
      assertThat(query("SELECT count(*), max(unique_key) FROM " + parquet()))
          .isEqualTo("1700|60001700");

      // the token went with every request, and nowhere else: not in logs, the lake, state or
      // catalog
      assertThat(portal.requests()).allSatisfy(r -> assertThat(r.appToken()).isEqualTo(TOKEN));
      assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain(TOKEN);
      assertThat(first.summary() + second.summary() + third.summary() + first + third)
          .doesNotContain(TOKEN);
      try (Stream<Path> files = Files.walk(lake)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
              .as(f.toString())
              .doesNotContain(TOKEN);
        }
      }
    }
  }

  @Test
  void exportServedFromAFile_isStreamed_andIngestedWhole(@TempDir Path data) throws Exception {
    Path csv = data.resolve("export.csv");
    int rows = 50_000;
    try (java.io.Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write(
          "\"unique_key\",\"created_date\",\"closed_date\",\"agency\",\"complaint_type\",\"incident_zip\","
              + "\"latitude\",\"council_district\",\"is_open\",\"location\"\n");
      for (List<String> r : Nyc311Like.rows(1, rows)) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 10; i++) {
          String v = r.get(i);
          line.append(i == 0 ? "" : ",")
              .append(v == null ? "" : "\"" + v.replace("\"", "\"\"") + "\"");
        }
        w.write(line.append('\n').toString());
      }
    }
    try (LocalSocrataPortal portal =
        Nyc311Like.portal().csvFile(csv).appToken(TOKEN).start()) {
      PipelineResult result = pipeline(portal).run();

      assertThat(result.succeeded()).as(result.summary()).isTrue();
      assertThat(result.bytesIn()).isEqualTo(Files.size(csv));
      assertThat(query(
              "SELECT count(*), count(DISTINCT unique_key), max(unique_key) FROM " + parquet()))
          .isEqualTo(rows + "|" + rows + "|" + (60_000_000L + rows));
    }
  }

  private static String duckName(ColumnType t) {
    return switch (t.kind()) {
      case STRING -> "VARCHAR";
      default -> t.hiveName().toUpperCase(Locale.ROOT);
    };
  }

  private String parquet() {
    return "read_parquet('" + lake + "/**/*.parquet')";
  }

  private Map<String, String> duckTypes() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + parquet())) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private static String query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      StringBuilder out = new StringBuilder();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          out.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
      }
      return out.toString();
    }
  }
}
