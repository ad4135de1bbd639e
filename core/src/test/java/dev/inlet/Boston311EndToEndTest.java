package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Boston 311 sample files, served by a local CKAN portal (package_show, 302 to the file, years mapped by
 * resource name only), through the whole pipeline into a local lake; read back with DuckDB and compared row by row
 * with DuckDB's own reading of the CSV files.
 */
class Boston311EndToEndTest {
  static final String LEGACY_2015 = "legacy-30col-2015-animal-6221rows.csv";
  static final String LEGACY_2022 = "legacy-29col-2022-jan-100rows.csv";
  static final String NEW_SYSTEM = "newsystem-2025-2026-5473rows.csv";

  static LocalCkanPortal portal;
  static Connection duck;

  @BeforeAll
  static void startPortal() throws SQLException {
    // Resource ids deliberately differ from the known table, so years can only come from the names.
    portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(
            "aaaaaaaa-0000-0000-0000-000000002015",
            "311 SERVICE REQUESTS - 2015",
            "tmphrybkxuh.csv",
            Samples.file(LEGACY_2015))
        .resource(
            "aaaaaaaa-0000-0000-0000-000000002022",
            "311 SERVICE REQUESTS - 2022",
            "tmp2022.csv",
            Samples.file(LEGACY_2022))
        .resource(
            Boston311Source.NEW_SYSTEM_RESOURCE_ID,
            "311 Service Requests - NEW SYSTEM",
            "tmpnew.csv",
            Samples.file(NEW_SYSTEM))
        .start();
    duck = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void stop() throws SQLException {
    portal.close();
    duck.close();
  }

  private static PipelineResult ingestLegacy(Path lake, PipelineListener listener, int... years) {
    List<Integer> ys = java.util.Arrays.stream(years).boxed().toList();
    return Pipeline.builder()
        .source(Boston311Source.legacy().portal(portal.baseUri()).years(ys).build())
        .converter(Boston311.legacyConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.LEGACY_TABLE)
        .listener(listener)
        .build()
        .run();
  }

  @Test
  void legacy_29And30ColumnFiles_landInOneTable_withEveryRowTyped() throws Exception {
    Path lake = Files.createTempDirectory("lake");
    List<String> events = new CopyOnWriteArrayList<>();
    PipelineResult result = ingestLegacy(
        lake,
        new PipelineListener() {
          @Override
          public void fileSucceeded(FileResult r) {
            events.add("ok " + r.file().partition());
          }
        },
        2015,
        2022);

    assertThat(result.failures()).isEmpty();
    assertThat(events).containsExactlyInAnyOrder("ok {year=2015}", "ok {year=2022}");
    assertThat(result.files())
        .extracting(f -> f.file().partition().get("year"))
        .containsExactly("2015", "2022");
    assertThat(result.rowsOut()).isEqualTo(csvRows(LEGACY_2015) + csvRows(LEGACY_2022));
    assertThat(result.bytesIn())
        .isEqualTo(Files.size(Samples.file(LEGACY_2015)) + Files.size(Samples.file(LEGACY_2022)));

    LocalCatalog catalog = LocalCatalog.at(lake);
    Table table = catalog.loadTable(Boston311.LEGACY_TABLE).orElseThrow();
    assertThat(table.schema()).isEqualTo(Boston311.LEGACY_SCHEMA);
    assertThat(table.partitionKeys()).containsExactly(Column.of("year", ColumnType.STRING));
    assertThat(catalog.partitions(Boston311.LEGACY_TABLE))
        .extracting(Partition::values)
        .containsExactly(List.of("2015"), List.of("2022"));
    assertThat(catalog.partitions(Boston311.LEGACY_TABLE).get(0).parameters())
        .containsEntry(Pipeline.PARAM_SOURCE_ID, "aaaaaaaa-0000-0000-0000-000000002015")
        .containsEntry(Pipeline.PARAM_SOURCE_PUBLISHED_NAME, "tmphrybkxuh.csv");

    // Every row of each CSV, typed by DuckDB from the text, equals the Parquet rows of its
    // partition.
    assertSameRows(
        LEGACY_2015,
        lake.resolve("bronze/boston311/service_requests/year=2015"),
        Boston311.LEGACY_SCHEMA);
    assertSameRows(
        LEGACY_2022,
        lake.resolve("bronze/boston311/service_requests/year=2022"),
        Boston311.LEGACY_SCHEMA);

    // Parquet types as Athena needs them, leading zeros kept.
    Map<String, String> types =
        duckTypes(lake.resolve("bronze/boston311/service_requests/year=2022/*/*.parquet"));
    assertThat(types)
        .containsEntry("case_enquiry_id", "BIGINT")
        .containsEntry("open_dt", "TIMESTAMP")
        .containsEntry("latitude", "DOUBLE")
        .containsEntry("location_zipcode", "VARCHAR")
        .containsEntry("geom_4326", "VARCHAR");
    assertThat(query("SELECT count(*) FROM read_parquet('" + lake
            + "/bronze/boston311/service_requests/year=2022/*/*.parquet')"
            + " WHERE location_zipcode LIKE '0%'"))
        .isNotEqualTo("0");
  }

  @Test
  void newSystem_splitsIntoUtcYearPartitions() throws Exception {
    Path lake = Files.createTempDirectory("lake");
    PipelineResult result = Pipeline.builder()
        .source(Boston311Source.newSystem().portal(portal.baseUri()).build())
        .converter(Boston311.newSystemConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.NEW_SYSTEM_TABLE)
        .build()
        .run();

    assertThat(result.failures()).isEmpty();
    String csv = Samples.file(NEW_SYSTEM).toString();
    // DuckDB's own reading of the CSV decides how many rows each UTC year must have.
    String expected =
        query("SELECT string_agg(y || ':' || n, ',' ORDER BY y) FROM (SELECT CAST(year(CAST("
            + "open_date AS TIMESTAMPTZ) AT TIME ZONE 'UTC') AS VARCHAR) AS y, count(*) AS n FROM read_csv('"
            + csv
            + "', all_varchar = true) GROUP BY y)");
    String actual = query(
        "SELECT string_agg(year || ':' || n, ',' ORDER BY year) FROM (SELECT year, count(*) AS n"
            + " FROM read_parquet('" + lake
            + "/bronze/boston311/service_requests_new_system/*/*/*.parquet', hive_partitioning = true,"
            + " hive_types_autocast = false) GROUP BY year)");
    assertThat(actual).isEqualTo(expected).contains("2025:").contains("2026:");
    assertThat(LocalCatalog.at(lake).partitions(Boston311.NEW_SYSTEM_TABLE))
        .extracting(Partition::values)
        .containsExactly(List.of("2025"), List.of("2026"));
    assertThat(query("SELECT count(*) FROM read_parquet('" + lake
            + "/bronze/boston311/service_requests_new_system/*/*/*.parquet')"
            + " WHERE year(open_date) <> 2025 AND year(open_date) <> 2026"))
        .isEqualTo("0");
  }

  @Test
  void rerun_replacesFilesWithANewVersion_repointsThePartition_andRemovesTheOldOne()
      throws Exception {
    Path lake = Files.createTempDirectory("lake");
    ingestLegacy(lake, new PipelineListener() {}, 2022);
    List<Path> first = parquetFiles(lake);
    String location =
        LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE).get(0).location();

    PipelineResult again = ingestLegacy(lake, new PipelineListener() {}, 2022);

    assertThat(again.succeeded()).isTrue();
    List<Path> second = parquetFiles(lake);
    assertThat(second).hasSameSizeAs(first).doesNotContainAnyElementsOf(first);
    assertThat(first.get(0).getParent()).doesNotExist();
    String newLocation =
        LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE).get(0).location();
    assertThat(newLocation)
        .isNotEqualTo(location)
        .isEqualTo(second.get(0).getParent().toUri() + "");
    assertThat(query("SELECT count(*) FROM read_parquet('" + lake
            + "/bronze/boston311/service_requests/*/*/*.parquet')"))
        .isEqualTo(String.valueOf(csvRows(LEGACY_2022)));
  }

  @Test
  void catalogJson_hasTheGlueGetTableShape() throws Exception {
    Path lake = Files.createTempDirectory("lake");
    ingestLegacy(lake, new PipelineListener() {}, 2022);
    Path json = lake.resolve("_catalog/boston311/service_requests.json");
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    var t = root.get("Table");
    assertThat(t.get("Name").asText()).isEqualTo("service_requests");
    assertThat(t.get("DatabaseName").asText()).isEqualTo("boston311");
    assertThat(t.get("TableType").asText()).isEqualTo("EXTERNAL_TABLE");
    assertThat(t.get("Parameters").get("classification").asText()).isEqualTo("parquet");
    var sd = t.get("StorageDescriptor");
    assertThat(sd.get("InputFormat").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    assertThat(sd.get("OutputFormat").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
    assertThat(sd.get("SerdeInfo").get("SerializationLibrary").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    assertThat(sd.get("Columns").get(0).get("Name").asText()).isEqualTo("case_enquiry_id");
    assertThat(sd.get("Columns").get(0).get("Type").asText()).isEqualTo("bigint");
    assertThat(sd.get("Location").asText())
        .isEqualTo(lake.resolve("bronze/boston311/service_requests").toUri() + "");
    assertThat(t.get("PartitionKeys").get(0).get("Name").asText()).isEqualTo("year");
    var p = root.get("Partitions").get(0);
    assertThat(p.get("Values").get(0).asText()).isEqualTo("2022");
    assertThat(p.get("StorageDescriptor").get("Location").asText())
        .startsWith(lake.resolve("bronze/boston311/service_requests/year=2022").toUri() + "v-")
        .isEqualTo(parquetFiles(lake).get(0).getParent().toUri() + "");
  }

  @Test
  void malformedFile_failsWithItsLine_andLeavesNothingVisible_whileOthersSucceed()
      throws Exception {
    Path dir = Files.createTempDirectory("bad");
    List<String> lines = Files.readAllLines(Samples.file(LEGACY_2022));
    // Line 5 of the file (4th record): case_enquiry_id is not a number.
    lines.set(4, "NOT_A_NUMBER" + lines.get(4).substring(lines.get(4).indexOf(',')));
    Path bad = dir.resolve("bad.csv");
    Files.write(bad, lines);
    try (LocalCkanPortal p = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource("r2015", "311 SERVICE REQUESTS - 2015", "a.csv", Samples.file(LEGACY_2015))
        .resource("r2016", "311 SERVICE REQUESTS - 2016", "b.csv", bad)
        .start()) {
      Path lake = Files.createTempDirectory("lake");
      PipelineResult result = Pipeline.builder()
          .source(Boston311Source.legacy().portal(p.baseUri()).years(2015, 2016).build())
          .converter(Boston311.legacyConverter())
          .sink(LocalWarehouse.at(lake))
          .catalog(LocalCatalog.at(lake))
          .table(Boston311.LEGACY_TABLE)
          .build()
          .run();

      assertThat(result.succeeded()).isFalse();
      assertThat(result.failures()).hasSize(1);
      FileResult failed = result.failures().get(0);
      assertThat(failed.error()).isInstanceOf(MalformedInputException.class);
      MalformedInputException e = (MalformedInputException) failed.error();
      assertThat(e.line()).isEqualTo(5);
      assertThat(e.column()).isEqualTo("case_enquiry_id");
      assertThat(e.getMessage()).contains("line 5").contains("NOT_A_NUMBER");
      // Nothing of 2016 is visible: no folder content, no partition; 2015 landed.
      try (Stream<Path> files = Files.walk(lake.resolve("bronze"))) {
        assertThat(
                files.filter(Files::isRegularFile).map(f -> lake.relativize(f).toString()))
            .allMatch(f -> f.matches(
                "bronze/boston311/service_requests/year=2015/v-[^/]+/part-[^/]+\\.parquet"));
      }
      assertThat(LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE))
          .extracting(Partition::values)
          .containsExactly(List.of("2015"));
    }
  }

  @Test
  void builder_namesWhatIsMissing() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Pipeline.builder().converter(Boston311.legacyConverter()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot build Pipeline: source, sink, catalog, table are missing");
  }

  // --- helpers
  // -------------------------------------------------------------------------------------------

  /** Data rows of a sample CSV, as DuckDB counts them. */
  static long csvRows(String sample) throws SQLException {
    return Long.parseLong(
        query("SELECT count(*) FROM read_csv('" + Samples.file(sample) + "', all_varchar = true)"));
  }

  /** Compares DuckDB's typed reading of the CSV text with the Parquet files of one partition, both ways. */
  static void assertSameRows(String sample, Path partitionDir, Schema schema) throws SQLException {
    Path csv = Samples.file(sample);
    List<String> header;
    try (Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery("DESCRIBE SELECT * FROM read_csv('" + csv + "', all_varchar = true)")) {
      header = new ArrayList<>();
      while (rs.next()) {
        header.add(rs.getString(1));
      }
    }
    Map<String, String> renames = Boston311.LEGACY_RENAMES;
    List<String> fromCsv = new ArrayList<>();
    for (Column c : schema.columns()) {
      String csvName = header.stream()
          .filter(
              h -> h.equalsIgnoreCase(c.name()) || c.name().equals(renames.get(h.toLowerCase())))
          .findFirst()
          .orElse(null);
      String text = csvName == null ? "NULL" : "NULLIF(trim(\"" + csvName + "\"), '')";
      String duckType = c.type().kind() == ColumnType.Kind.STRING
          ? "VARCHAR"
          : c.type().hiveName().toUpperCase();
      fromCsv.add("CAST(" + text + " AS " + duckType + ")");
    }
    String csvSide = "SELECT " + String.join(", ", fromCsv) + " FROM read_csv('" + csv
        + "', all_varchar = true)";
    String parquetSide = "SELECT "
        + schema.names().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))
        + " FROM read_parquet('" + partitionDir + "/*/*.parquet')";
    assertThat(query("SELECT count(*) FROM (" + csvSide + " EXCEPT ALL " + parquetSide + ")"))
        .isEqualTo("0");
    assertThat(query("SELECT count(*) FROM (" + parquetSide + " EXCEPT ALL " + csvSide + ")"))
        .isEqualTo("0");
  }

  static Map<String, String> duckTypes(Path glob) throws SQLException {
    Map<String, String> types = new java.util.LinkedHashMap<>();
    try (Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + glob + "')")) {
      while (rs.next()) {
        types.put(rs.getString(1), rs.getString(2));
      }
    }
    return types;
  }

  static String query(String sql) throws SQLException {
    try (Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static List<Path> parquetFiles(Path lake) throws IOException {
    try (Stream<Path> files = Files.walk(lake.resolve("bronze"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
