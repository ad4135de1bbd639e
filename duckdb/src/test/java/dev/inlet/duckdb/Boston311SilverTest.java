package dev.inlet.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.Pipeline;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.testing.Samples;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code boston311.requests} built by DuckDB from a lake Inlet wrote: the real samples and crafted cases. */
class Boston311SilverTest {
  static final String HEADER_29 =
      "case_enquiry_id,open_dt,target_dt,closed_dt,ontime,case_status,closure_reason,"
          + "case_title,subject,reason,type,queue,department,submittedphoto,closedphoto,location,fire_district,"
          + "pwd_district,city_council_district,police_district,neighborhood,neighborhood_services_district,ward,"
          + "precinct,location_street_name,location_zipcode,latitude,longitude,source";
  static final String HEADER_30 =
      "case_enquiry_id,open_dt,sla_target_dt,closed_dt,on_time,case_status,"
          + "closure_reason,case_title,subject,reason,type,queue,department,submitted_photo,closed_photo,location,"
          + "fire_district,pwd_district,city_council_district,police_district,neighborhood,"
          + "neighborhood_services_district,ward,precinct,location_street_name,location_zipcode,latitude,longitude,"
          + "geom_4326,source";
  static final String HEADER_NEW =
      "case_id,open_date,close_date,target_close_date,case_topic,service_name,"
          + "assigned_department,assigned_team,case_status,closure_reason,closure_comments,on_time,report_source,"
          + "full_address,street_number,street_name,zip_code,neighborhood,public_works_district,city_council_district,"
          + "fire_district,police_district,ward,precinct,longitude,latitude";

  @TempDir
  static Path shared;

  static LocalCatalog samples;
  static LocalCatalog crafted;
  static DuckDbEngine engine;

  @BeforeAll
  static void lakes() throws Exception {
    Path s = shared.resolve("samples");
    legacy(
        s,
        List.of(
            sample("2015", Samples.LEGACY_2015_6221, "2024-05-01T12:00:00Z", "tmphrybkxuh.csv"),
            sample(
                "2022",
                Samples.LEGACY_2022_100,
                "2022-02-01T12:00:00Z",
                "311_service_requests_2022.csv")));
    newSystem(
        s,
        List.of(sample(null, Samples.NEW_SYSTEM_5473, "2026-01-10T00:00:00Z", "new_system.csv")));
    samples = LocalCatalog.at(s);

    Path c = shared.resolve("crafted");
    // first publication (29 columns): local times as published
    String first = csv(
        HEADER_29,
        row29(
            "101000000001",
            "2021-03-14 02:30:00",
            "",
            "Open",
            "",
            "Ward 05",
            "0502",
            "2135.0",
            "42.3594",
            "-71.0587",
            "Gap"),
        row29(
            "101000000002",
            "2021-11-07 01:30:00",
            "",
            "Open",
            "",
            "05",
            "05",
            "02135-1234",
            "42.35",
            "-71.06",
            "Overlap"),
        row29(
            "101000000003",
            "2021-06-01 09:00:00",
            "2021-06-01 10:00:00",
            "Closed",
            "Case Closed. Closed date : 2021-06-01 10:00:00.000 Noted",
            "0",
            "0",
            "",
            "40.7",
            "-74.0",
            "Tom &amp; Jerry"),
        row29(
            "101000000009",
            "2021-12-31 23:00:00",
            "",
            "Open",
            "",
            "Ward 5",
            "",
            "",
            "",
            "",
            "First"));
    // the re-publication (30 columns), shifted early by the UTC offset
    String republished = csv(
        HEADER_30,
        row30(
            "101000000009",
            "2021-12-31 18:00:00",
            "2022-01-01 06:00:00",
            "Closed",
            "Case Closed. Closed date : Sat Jan 01 11:00:00 EST 2022"),
        row30(
            "101000000010",
            "2022-06-01 05:00:00",
            "2022-06-01 06:00:00",
            "Closed",
            "Case Closed. Closed date : 2022-06-01 10:00:00.000"),
        row30(
            "101000000011",
            "2022-07-01 05:00:00",
            "2022-07-01 06:00:00",
            "Closed",
            "Case Closed. Closed date : Fri Jul 01 10:00:00 EDT 2022"));
    legacy(
        c,
        List.of(
            text("2021", first, "2022-01-05T00:00:00Z", "311_service_requests_2021.csv"),
            text("2022", republished, "2024-06-01T00:00:00Z", "tmpabc.csv")));
    newSystem(
        c,
        List.of(text(
            null,
            csv(
                HEADER_NEW,
                "BCS-00000001,2025-12-31 04:30:00+00,,,Pothole,Pothole Repair,Public Works,Team A,In progress,,,ONTIME,"
                    + "BOS311,\"1 Main St, Boston, MA 02129\",1,Main St,02129,Charlestown,1,1,3,A15,Ward 02,01,"
                    + "-71.06,42.37",
                "101000000001,2025-09-01 12:00:00+00,,,Pothole,Pothole Repair,Public Works,Team A,Closed,,,OVERDUE,"
                    + "Call,,,,,,,,,,,,,"),
            "2026-01-01T00:00:00Z",
            "new.csv")));
    crafted = LocalCatalog.at(c);

    engine = DuckDbEngine.create();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void fromTheRealSamples_oneRowPerCase_withTheDocumentedColumns_andThe2015FileDetectedShifted() {
    try (DuckDbEngine e = DuckDbEngine.create()) {
      String sql = select(e, samples, SqlDialect.DUCKDB);
      try (QueryResult r = e.query("SELECT * FROM (" + sql + ") LIMIT 0")) {
        assertThat(r.columns().stream().map(ResultColumn::name))
            .containsExactlyElementsOf(Boston311Silver.COLUMNS);
        assertThat(
                r.columns().stream().filter(c -> c.name().endsWith("_at")).map(ResultColumn::type))
            .containsOnly("TIMESTAMP");
      }
      assertThat(rows(
              e,
              "SELECT source_system, count(*), count(DISTINCT case_id) FROM (" + sql + ")"
                  + " GROUP BY 1 ORDER BY 1"))
          .containsExactly(List.of("legacy", 6321L, 6321L), List.of("new_system", 5473L, 5473L));
      // per file: the detected shift and the correction applied (4 h in EDT, 5 h in EST)
      assertThat(rows(
              e,
              "SELECT input_partition, source_file, tz_detected_shift_hours,"
                  + " min(tz_offset_correction_hours), max(tz_offset_correction_hours) FROM (" + sql
                  + ")"
                  + " WHERE source_system = 'legacy' GROUP BY 1, 2, 3 ORDER BY 1"))
          .containsExactly(
              List.of("year=2015", "tmphrybkxuh.csv", 4.0, 4, 5),
              List.of("year=2022", "311_service_requests_2022.csv", 0.0, 0, 0));
      // after correction the close time written in closure_reason equals closed_at (converted to
      // UTC) again
      assertThat(rows(
              e,
              "SELECT count(*) FILTER (WHERE date_diff('minute', closed_at, timezone('UTC',"
                  + " timezone('America/New_York', TRY_CAST(regexp_extract(closure_reason, 'Closed date : (\\d{4}-\\d{2}-"
                  + "\\d{2} \\d{2}:\\d{2}:\\d{2})', 1) AS TIMESTAMP)))) = 0), count(TRY_CAST(regexp_extract(closure_reason,"
                  + " 'Closed date : (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})', 1) AS TIMESTAMP)) FROM ("
                  + sql + ")"
                  + " WHERE input_partition = 'year=2015' AND closed_at IS NOT NULL"))
          .containsExactly(List.of(2298L, 2298L));
      // normal forms on real rows: zips 5 digits, wards plain numbers, placeholder points gone
      assertThat(rows(
              e,
              "SELECT count(*) FILTER (WHERE NOT regexp_full_match(zip_code, '\\d{5}')),"
                  + " count(*) FILTER (WHERE NOT regexp_full_match(ward, '[1-9]\\d*')), count(*) FILTER (WHERE"
                  + " round(latitude, 4) = 42.3594 AND round(longitude, 4) = -71.0587), count(*) FILTER (WHERE"
                  + " zip_code = '02135'), count(*) FILTER (WHERE closure_reason LIKE '%&amp;%' OR type LIKE '%&amp;%')"
                  + " FROM (" + sql + ")"))
          .satisfies(r -> {
            assertThat(r.get(0).subList(0, 3)).containsExactly(0L, 0L, 0L);
            assertThat((Long) r.get(0).get(3)).isPositive();
            assertThat(r.get(0).get(4)).isEqualTo(0L);
          });
      // new system: UTC as published; year is the Boston-local year
      assertThat(rows(
              e,
              "SELECT opened_at, year, source_resource FROM (" + sql + ") WHERE case_id ="
                  + " 'BCS-00065327'"))
          .containsExactly(
              List.of(ts("2025-08-01T06:35:06.539"), "2025", "file:" + Samples.NEW_SYSTEM_5473));
    }
  }

  @Test
  void
      legacyLocalTimes_becomeUtc_withTheDstGapShiftedForward_andTheOverlapTakingTheEarlierInstant() {
    String sql = select(engine, crafted, SqlDialect.DUCKDB);
    assertThat(rows(
            engine,
            "SELECT case_id, opened_at, year, tz_offset_correction_hours FROM (" + sql + ") WHERE"
                + " case_id IN ('101000000001', '101000000002', '101000000003') AND source_system = 'legacy'"
                + " ORDER BY 1"))
        .containsExactly(
            List.of("101000000001", ts("2021-03-14T07:30:00"), "2021", 0),
            List.of("101000000002", ts("2021-11-07T05:30:00"), "2021", 0),
            List.of("101000000003", ts("2021-06-01T13:00:00"), "2021", 0));
  }

  @Test
  void aCaseInTwoPublications_appearsOnce_theLatestWins_andTheShiftedFileIsCorrected() {
    String sql = select(engine, crafted, SqlDialect.DUCKDB);
    assertThat(rows(
            engine,
            "SELECT status, opened_at, closed_at, year, input_partition, source_file,"
                + " tz_detected_shift_hours, tz_offset_correction_hours FROM (" + sql
                + ") WHERE case_id = '101000000009'"))
        .containsExactly(List.of(
            "Closed",
            ts("2022-01-01T04:00:00"),
            ts("2022-01-01T16:00:00"),
            "2021",
            "year=2022",
            "tmpabc.csv",
            4.0,
            5));
    assertThat(rows(
            engine,
            "SELECT case_id, closed_at, tz_offset_correction_hours FROM (" + sql + ") WHERE"
                + " case_id IN ('101000000010', '101000000011') ORDER BY 1"))
        .containsExactly(
            List.of("101000000010", ts("2022-06-01T14:00:00"), 4),
            List.of("101000000011", ts("2022-07-01T14:00:00"), 4));
    // the unshifted first publication next to it is left as it was
    assertThat(rows(
            engine,
            "SELECT DISTINCT input_partition, tz_detected_shift_hours FROM (" + sql + ") WHERE"
                + " source_system = 'legacy' ORDER BY 1"))
        .containsExactly(List.of("year=2021", 0.0), List.of("year=2022", 4.0));
  }

  @Test
  void codesAndPoints_areNormalised_andIdsOfTheTwoSystemsNeverCollide() {
    String sql = select(engine, crafted, SqlDialect.DUCKDB);
    assertThat(rows(
            engine,
            "SELECT case_id, source_system, ward, precinct, zip_code, latitude, longitude,"
                + " location_outside_boston, title FROM (" + sql
                + ") WHERE case_id IN ('101000000001', '101000000002',"
                + " '101000000003', 'BCS-00000001') ORDER BY 1, 2"))
        .containsExactly(
            list("101000000001", "legacy", "5", "2", "02135", null, null, null, "Gap"),
            list(
                "101000000001", "new_system", null, null, null, null, null, null, "Pothole Repair"),
            list("101000000002", "legacy", "5", "5", "02135", 42.35, -71.06, false, "Overlap"),
            list("101000000003", "legacy", null, null, null, null, null, true, "Tom & Jerry"),
            list(
                "BCS-00000001",
                "new_system",
                "2",
                "1",
                "02129",
                42.37,
                -71.06,
                false,
                "Pothole Repair"));
    // the new-system case opened 04:30 UTC on Dec 31 is a Boston-local 2025 case; 23:30 the day
    // before
    assertThat(rows(
            engine,
            "SELECT year, street, address, on_time FROM (" + sql + ") WHERE case_id ="
                + " 'BCS-00000001'"))
        .containsExactly(List.of("2025", "1 Main St", "1 Main St, Boston, MA 02129", true));
    assertThat(rows(
            engine, "SELECT count(*), count(DISTINCT (source_system, case_id)) FROM (" + sql + ")"))
        .containsExactly(List.of(8L, 8L));
  }

  /**
   * The Trino text, run on DuckDB with Trino's two functions the template uses defined as DuckDB macros of their
   * documented meaning (the rest of the text is spelled the same in both dialects), gives exactly the DuckDB text's
   * rows: the template's logic is the same in both; only the substituted functions' own semantics are not tested.
   */
  @Test
  void theTrinoText_onDuckDbWithTrinosFunctionsAsMacros_givesTheSameRows() {
    for (LocalCatalog lake : List.of(samples, crafted)) {
      try (DuckDbEngine e = DuckDbEngine.create()) {
        e.execute("CREATE MACRO with_timezone(ts, zone) AS timezone(zone, ts)");
        e.execute("CREATE MACRO approx_percentile(x, p) AS quantile_cont(x, p)");
        String duck = select(e, lake, SqlDialect.DUCKDB);
        String trino =
            Boston311Silver.requests().select(SqlDialect.TRINO, inputs(lake, SqlDialect.TRINO));
        assertThat(rows(e, "SELECT count(*) FROM (" + duck + ")").get(0).get(0)).isNotEqualTo(0L);
        assertThat(rows(e, "SELECT count(*) FROM ((" + duck + ") EXCEPT ALL (" + trino + "))")
                .get(0)
                .get(0))
            .isEqualTo(0L);
        assertThat(rows(e, "SELECT count(*) FROM ((" + trino + ") EXCEPT ALL (" + duck + "))")
                .get(0)
                .get(0))
            .isEqualTo(0L);
      }
    }
  }

  @Test
  void theTrinoText_differsOnlyInTheSubstitutedFunctions() {
    SilverInputs in = inputs(crafted, SqlDialect.TRINO);
    String trino = Boston311Silver.requests().select(SqlDialect.TRINO, in);
    String duck = Boston311Silver.requests().select(SqlDialect.DUCKDB, in);
    assertThat(trino)
        .contains("with_timezone(", "approx_percentile(")
        .doesNotContain("timezone('", "median(");
    assertThat(duck).doesNotContain("with_timezone(", "approx_percentile(");
  }

  /** DuckDB's JDBC driver gives TIMESTAMP values as {@link java.sql.Timestamp}. */
  static java.sql.Timestamp ts(String isoLocal) {
    return java.sql.Timestamp.valueOf(LocalDateTime.parse(isoLocal));
  }

  static List<Object> list(Object... values) {
    return java.util.Arrays.asList(values);
  }

  static String select(DuckDbEngine e, LocalCatalog catalog, SqlDialect dialect) {
    e.createViews(catalog, catalog.listDatabases());
    return Boston311Silver.requests().select(dialect, inputs(catalog, dialect));
  }

  /** The inputs as the refine machinery gives them: relation names, recorded partitions with their keys. */
  static SilverInputs inputs(LocalCatalog catalog, SqlDialect dialect) {
    SilverTable t = Boston311Silver.requests();
    List<SilverInputs.InputPartition> ps = new ArrayList<>();
    for (TableId id : t.inputs()) {
      List<String> keys = catalog.loadTable(id).orElseThrow().partitionKeys().stream()
          .map(Column::name)
          .toList();
      catalog.partitions(id).forEach(p -> ps.add(new SilverInputs.InputPartition(id, keys, p)));
    }
    return SilverInputs.of(dialect, TableId::toString, ps);
  }

  static List<List<Object>> rows(DuckDbEngine e, String sql) {
    try (QueryResult r = e.query(sql)) {
      return r.toList(100_000);
    }
  }

  static void legacy(Path lake, List<SourceFile> files) {
    Pipeline.builder()
        .source(() -> files)
        .converter(Boston311.legacyConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.LEGACY_TABLE)
        .build()
        .run()
        .throwIfFailed();
  }

  static void newSystem(Path lake, List<SourceFile> files) {
    Pipeline.builder()
        .source(() -> files)
        .converter(Boston311.newSystemConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.NEW_SYSTEM_TABLE)
        .build()
        .run()
        .throwIfFailed();
  }

  static SourceFile sample(String year, String name, String lastModified, String published)
      throws Exception {
    byte[] bytes = Files.readAllBytes(Samples.file(name));
    return file("file:" + name, year, bytes, lastModified, published);
  }

  static SourceFile text(String year, String csv, String lastModified, String published) {
    return file(
        "crafted:" + published,
        year,
        csv.getBytes(StandardCharsets.UTF_8),
        lastModified,
        published);
  }

  static SourceFile file(
      String id, String year, byte[] bytes, String lastModified, String published) {
    SourceFile.Builder b = SourceFile.builder()
        .id(id)
        .name(published)
        .version(
            new SourceVersion(null, Instant.parse(lastModified), (long) bytes.length, published))
        .opener(offset -> {
          InputStream in = new ByteArrayInputStream(bytes);
          in.skipNBytes(offset);
          return in;
        });
    if (year != null) {
      b.partition("year", year);
    }
    return b.build();
  }

  static String csv(String header, String... rows) {
    return header + "\n" + String.join("\n", rows) + "\n";
  }

  static String row29(
      String id,
      String open,
      String closed,
      String status,
      String closure,
      String ward,
      String precinct,
      String zip,
      String lat,
      String lon,
      String title) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("case_enquiry_id", id);
    v.put("open_dt", open);
    v.put("closed_dt", closed);
    v.put("ontime", "ONTIME");
    v.put("case_status", status);
    v.put("closure_reason", closure);
    v.put("case_title", title);
    v.put("ward", ward);
    v.put("precinct", precinct);
    v.put("location_zipcode", zip);
    v.put("latitude", lat);
    v.put("longitude", lon);
    return row(HEADER_29, v);
  }

  static String row30(String id, String open, String closed, String status, String closure) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("case_enquiry_id", id);
    v.put("open_dt", open);
    v.put("closed_dt", closed);
    v.put("on_time", "ONTIME");
    v.put("case_status", status);
    v.put("closure_reason", closure);
    v.put("case_title", "Second");
    return row(HEADER_30, v);
  }

  static String row(String header, Map<String, String> values) {
    List<String> cells = new ArrayList<>();
    for (String c : header.split(",")) {
      cells.add(values.getOrDefault(c, " "));
    }
    return String.join(",", cells);
  }
}
