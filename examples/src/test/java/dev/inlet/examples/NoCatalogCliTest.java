package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.examples.InletCliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest --no-catalog}: Parquet only, read by listing folders; the state stays in the warehouse. */
class NoCatalogCliTest {
  @TempDir
  Path tmp;

  @Test
  void
      ingestSample_noCatalog_writesParquetInHiveFolders_printsTheQuery_andSkipsUnchangedFilesNextTime()
          throws Exception {
    Path lake = tmp.resolve("lake");
    Run ingest = cli("ingest", "--sample", "--no-catalog", "--warehouse", lake.toString());

    assertThat(ingest.code()).as(ingest.out() + ingest.err()).isZero();
    assertThat(ingest.out())
        .contains("not cataloged (--no-catalog")
        .contains("6,221")
        .contains("Read the Parquet files (no catalog was written)");
    assertThat(lake.resolve("_catalog")).doesNotExist();
    assertThat(lake.resolve("_state/boston311/service_requests.json")).exists();
    try (Stream<Path> files = Files.walk(lake.resolve("bronze"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet")))
          .isNotEmpty()
          .allSatisfy(f -> assertThat(f.getParent().getFileName().toString())
              .matches("year=\\d{4}|new_system" + "|service_requests_new_system"));
    }

    String printed = ingest
        .out()
        .lines()
        .filter(l -> l.contains("read_parquet(") && l.contains("/service_requests/"))
        .findFirst()
        .orElseThrow()
        .trim();
    Map<String, Long> byYear = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(printed)) {
      while (rs.next()) {
        byYear.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertThat(byYear).containsEntry("2015", 6221L).containsEntry("2022", 100L);

    Run again = cli("ingest", "--sample", "--no-catalog", "--warehouse", lake.toString());
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("3 file(s) unchanged since the last ingest were skipped");
  }

  @Test
  void noCatalog_withGlueOrRefine_isAUsageError() {
    Run glue = cli(
        "ingest",
        "--sample",
        "--no-catalog",
        "--s3",
        "s3://b/p",
        "--glue",
        "--warehouse",
        tmp.resolve("l").toString());
    assertThat(glue.code()).isEqualTo(2);
    assertThat(glue.err())
        .contains("--no-catalog writes Parquet without a catalog: it does not go with --glue");

    Run refine = cli(
        "ingest",
        "--sample",
        "--no-catalog",
        "--refine",
        "--warehouse",
        tmp.resolve("l").toString());
    assertThat(refine.code()).isEqualTo(2);
    assertThat(refine.err()).contains("--refine reads the bronze tables from the catalog");
  }
}
