package dev.inlet.trinocheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Pipeline;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.SqlDialect;
import dev.inlet.testing.Samples;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Trino text of {@code boston311.requests} run by a real Trino engine (in-process, memory connector) over the
 * bronze rows Inlet wrote, compared row for row with DuckDB running its own text over the same lake. The bronze
 * tables are created in Trino with the types Trino's Hive connector reads from Glue ({@code string} as
 * {@code varchar}, {@code timestamp} as {@code timestamp(6)}, ...) and filled from the lake's Parquet files.
 */
class Boston311SilverRunsInTrinoTest {
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

  static InProcessTrino trino;
  static final Map<String, LocalCatalog> LAKES = new LinkedHashMap<>();

  @BeforeAll
  static void lakesInBothEngines() throws Exception {
    long t0 = System.nanoTime();
    trino = InProcessTrino.start("samples", "crafted", "samples_ms");
    long t1 = System.nanoTime();
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
    LAKES.put("samples", LocalCatalog.at(s));
    Path c = shared.resolve("crafted");
    crafted(c);
    LAKES.put("crafted", LocalCatalog.at(c));
    long t2 = System.nanoTime();
    for (Map.Entry<String, LocalCatalog> lake : LAKES.entrySet()) {
      load(lake.getKey(), lake.getValue(), 6);
    }
    // the samples again, read as Athena reads timestamps: milliseconds
    copyAtMilliseconds("samples", "samples_ms");
    System.out.printf(
        "Trino started in %.1f s; lakes written in %.1f s; loaded into Trino in %.1f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
  }

  @AfterAll
  static void stop() throws Exception {
    if (trino != null) {
      trino.close();
    }
  }

  @Test
  void trinoRunsTheTrinoText_andGivesExactlyDuckDbsRows_onTheRealSamples() throws Exception {
    assertSameRows("samples", 11_794);
  }

  @Test
  void trinoRunsTheTrinoText_andGivesExactlyDuckDbsRows_onTheCraftedCases() throws Exception {
    assertSameRows("crafted", 8);
  }

  @Test
  void inTrino_theDstGapAndOverlap_andTheShiftedRepublication_comeOutAsDocumented()
      throws Exception {
    String sql = trinoSelect("crafted");
    assertThat(trinoRows("SELECT case_id, opened_at, closed_at, year, tz_detected_shift_hours,"
            + " tz_offset_correction_hours FROM (" + sql
            + ") WHERE source_system = 'legacy' AND case_id IN"
            + " ('101000000001', '101000000002', '101000000009') ORDER BY 1"))
        .containsExactly(
            Arrays.asList("101000000001", ts("2021-03-14T07:30:00"), null, "2021", 0.0, 0L),
            Arrays.asList("101000000002", ts("2021-11-07T05:30:00"), null, "2021", 0.0, 0L),
            Arrays.asList(
                "101000000009",
                ts("2022-01-01T04:00:00"),
                ts("2022-01-01T16:00:00"),
                "2021",
                4.0,
                5L));
    try (Connection c = trino.connect();
        Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT * FROM (" + sql + ") LIMIT 0")) {
      ResultSetMetaData md = r.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnLabel(i));
        if (md.getColumnLabel(i).endsWith("_at")) {
          assertThat(md.getColumnTypeName(i)).as(md.getColumnLabel(i)).isEqualTo("timestamp(6)");
        }
      }
      assertThat(names).containsExactlyElementsOf(Boston311Silver.COLUMNS);
    }
  }

  /**
   * Athena reads Parquet timestamps at millisecond precision: over the same samples, Trino's rows then equal
   * DuckDB's with every timestamp rounded to the millisecond. Only the new system's times carry microseconds.
   */
  @Test
  void atAthenasMillisecondPrecision_theRowsDifferOnlyInTheNewSystemsMicroseconds()
      throws Exception {
    List<List<Object>> fromTrino = trinoRows(trinoSelect("samples_ms", "samples"));
    List<List<Object>> fromDuckDb = duckRows("samples");
    List<List<Object>> rounded = fromDuckDb.stream()
        .map(r -> r.stream()
            .map(v -> v instanceof LocalDateTime t
                ? t.plusNanos(500_000).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                : v)
            .toList())
        .toList();
    assertThat(minus(fromTrino, rounded)).isEmpty();
    assertThat(minus(rounded, fromTrino)).isEmpty();
    int source = Boston311Silver.COLUMNS.indexOf("source_system");
    List<List<Object>> differing = minus(fromDuckDb, fromTrino, Integer.MAX_VALUE);
    System.out.printf(
        "at millisecond precision %d of %d rows differ from DuckDB's%n",
        differing.size(), fromDuckDb.size());
    assertThat(differing)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.get(source)).isEqualTo("new_system"));
  }

  static List<List<Object>> duckRows(String lake) {
    try (DuckDbEngine e = DuckDbEngine.create()) {
      e.createViews(LAKES.get(lake), LAKES.get(lake).listDatabases());
      return duckRows(
          e,
          Boston311Silver.requests()
              .select(
                  SqlDialect.DUCKDB,
                  inputs(LAKES.get(lake), SqlDialect.DUCKDB, TableId::toString)));
    }
  }

  static void assertSameRows(String lake, long expectedRows) throws Exception {
    long t0 = System.nanoTime();
    List<List<Object>> fromTrino = trinoRows(trinoSelect(lake));
    long t1 = System.nanoTime();
    List<List<Object>> fromDuckDb = duckRows(lake);
    System.out.printf(
        "%s: Trino ran the silver SELECT in %.1f s (%d rows)%n",
        lake, (t1 - t0) / 1e9, fromTrino.size());
    assertThat(fromTrino).hasSize((int) expectedRows);
    List<List<Object>> onlyTrino = minus(fromTrino, fromDuckDb);
    List<List<Object>> onlyDuckDb = minus(fromDuckDb, fromTrino);
    assertThat(onlyTrino)
        .as("rows only Trino gives (columns " + Boston311Silver.COLUMNS + ");"
            + " rows only DuckDB gives: " + onlyDuckDb)
        .isEmpty();
    assertThat(onlyDuckDb).as("rows only DuckDB gives").isEmpty();
  }

  /** The first 20 rows of {@code a} not matched one for one in {@code b} (multiset difference). */
  static List<List<Object>> minus(List<List<Object>> a, List<List<Object>> b) {
    return minus(a, b, 20);
  }

  static List<List<Object>> minus(List<List<Object>> a, List<List<Object>> b, int limit) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    b.forEach(r -> counts.merge(r, 1, Integer::sum));
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> r : a) {
      Integer n = counts.get(r);
      if (n == null || n == 0) {
        out.add(r);
      } else {
        counts.put(r, n - 1);
      }
    }
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  static String trinoSelect(String lake) {
    return trinoSelect(lake, lake);
  }

  /** The Trino text over {@code lake}'s recorded partitions, reading Trino catalog {@code trinoCatalog}'s tables. */
  static String trinoSelect(String trinoCatalog, String lake) {
    return Boston311Silver.requests()
        .select(
            SqlDialect.TRINO,
            inputs(
                LAKES.get(lake),
                SqlDialect.TRINO,
                t -> "\"" + trinoCatalog + "\".\"" + t.database() + "\".\"" + t.table() + "\""));
  }

  /** The inputs as the refine machinery gives them: relation names, recorded partitions with their keys. */
  static SilverInputs inputs(
      LocalCatalog catalog,
      SqlDialect dialect,
      java.util.function.Function<TableId, String> relations) {
    SilverTable t = Boston311Silver.requests();
    List<SilverInputs.InputPartition> ps = new ArrayList<>();
    for (TableId id : t.inputs()) {
      List<String> keys = catalog.loadTable(id).orElseThrow().partitionKeys().stream()
          .map(Column::name)
          .toList();
      catalog.partitions(id).forEach(p -> ps.add(new SilverInputs.InputPartition(id, keys, p)));
    }
    return SilverInputs.of(dialect, relations, ps);
  }

  /**
   * Creates each bronze table of {@code catalog} in Trino's catalog {@code lake} with the types Trino's Hive
   * connector reads from Glue (columns, then partition keys) and inserts the rows DuckDB reads from the lake's
   * Parquet files: as JSON text unnested by Trino (a few large statements; row-by-row {@code VALUES} took a minute).
   */
  static void load(String lake, LocalCatalog catalog, int precision) throws Exception {
    try (DuckDbEngine duck = DuckDbEngine.create();
        Connection c = trino.connect();
        Statement st = c.createStatement()) {
      duck.createViews(catalog, catalog.listDatabases());
      st.execute("CREATE SCHEMA \"" + lake + "\".\"" + Boston311.DATABASE + "\"");
      for (TableId id : Boston311Silver.requests().inputs()) {
        Table table = catalog.loadTable(id).orElseThrow();
        List<Column> columns = new ArrayList<>(table.schema().columns());
        columns.addAll(table.partitionKeys());
        String relation = "\"" + lake + "\".\"" + id.database() + "\".\"" + id.table() + "\"";
        List<String> defs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          Column col = columns.get(i);
          defs.add("\"" + col.name() + "\" " + trinoType(col, precision));
          names.add("\"" + col.name() + "\"");
          boolean text = col.type().kind() == ColumnType.Kind.TIMESTAMP
              || col.type().kind() == ColumnType.Kind.DATE;
          fields.add("c" + i + " " + (text ? "varchar" : trinoType(col, precision)));
          selects.add(text ? "CAST(c" + i + " AS " + trinoType(col, precision) + ")" : "c" + i);
        }
        st.execute("CREATE TABLE " + relation + " (" + String.join(", ", defs) + ")");
        String insert = "INSERT INTO " + relation + " SELECT " + String.join(", ", selects)
            + " FROM UNNEST(CAST(json_parse(?) AS ARRAY(ROW(" + String.join(", ", fields) + "))))";
        StringBuilder json = new StringBuilder();
        try (QueryResult r = duck.query("SELECT " + String.join(", ", names) + " FROM " + id)) {
          while (r.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
              row.add(jsonValue(r.value(i)));
            }
            json.append(json.length() == 0 ? "[" : ",").append(JSON.writeValueAsString(row));
            if (json.length() > MAX_JSON_CHARS) {
              insertJson(st, insert, json);
            }
          }
        }
        if (json.length() > 0) {
          insertJson(st, insert, json);
        }
      }
    }
  }

  /** Copies the bronze tables of Trino catalog {@code from} to {@code to} with every timestamp as timestamp(3). */
  static void copyAtMilliseconds(String from, String to) throws Exception {
    try (Connection c = trino.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA \"" + to + "\".\"" + Boston311.DATABASE + "\"");
      for (TableId id : Boston311Silver.requests().inputs()) {
        Table table = LAKES.get(from).loadTable(id).orElseThrow();
        List<String> selects = new ArrayList<>();
        for (Column col : table.schema().columns()) {
          selects.add(
              col.type().kind() == ColumnType.Kind.TIMESTAMP
                  ? "CAST(\"" + col.name() + "\" AS timestamp(3)) AS \"" + col.name() + "\""
                  : "\"" + col.name() + "\"");
        }
        table.partitionKeys().forEach(k -> selects.add("\"" + k.name() + "\""));
        st.execute("CREATE TABLE \"" + to + "\".\"" + id.database() + "\".\"" + id.table()
            + "\" AS SELECT " + String.join(", ", selects) + " FROM \"" + from + "\".\""
            + id.database() + "\".\"" + id.table() + "\"");
      }
    }
  }

  static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  /** Under Trino's {@code query.max-length} (1,000,000 characters) with the quotes doubled. */
  static final int MAX_JSON_CHARS = 400_000;

  static final java.time.format.DateTimeFormatter MICROS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  static void insertJson(Statement st, String insert, StringBuilder json) throws Exception {
    String literal = "'" + json.append(']').toString().replace("'", "''") + "'";
    st.execute(insert.replace("json_parse(?)", "json_parse(" + literal + ")"));
    json.setLength(0);
  }

  /** A bronze value as JSON: timestamps as text Trino casts (microseconds kept), the rest as they are. */
  static Object jsonValue(Object v) {
    if (v instanceof Timestamp t) {
      return MICROS.format(t.toLocalDateTime());
    }
    if (v instanceof LocalDateTime t) {
      return MICROS.format(t);
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof Double d && !Double.isFinite(d)) {
      throw new IllegalArgumentException("Cannot load " + d + " into Trino as JSON");
    }
    return v;
  }

  /**
   * The Trino type of a Glue column as Trino's Hive connector reads it, {@code timestamp} at the given precision:
   * 6 as the Hive connector with {@code hive.timestamp-precision=MICROSECONDS} (the bronze files keep
   * microseconds), 3 as Athena (and the Hive connector's default) reads it.
   */
  static String trinoType(Column c, int timestampPrecision) {
    return switch (c.type().kind()) {
      case STRING -> "varchar";
      case BOOLEAN -> "boolean";
      case INT -> "integer";
      case BIGINT -> "bigint";
      case FLOAT -> "real";
      case DOUBLE -> "double";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp(" + timestampPrecision + ")";
      case DECIMAL -> c.type().hiveName();
      default ->
        throw new IllegalArgumentException(
            "Column " + c.name() + ": type " + c.type() + " is not loaded into Trino by this test");
    };
  }

  static List<List<Object>> trinoRows(String sql) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = trino.connect();
        Statement st = c.createStatement();
        ResultSet r = st.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(normal(r.getObject(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static List<List<Object>> duckRows(DuckDbEngine e, String sql) {
    List<List<Object>> rows = new ArrayList<>();
    try (QueryResult r = e.query(sql)) {
      int n = r.columns().size();
      while (r.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          row.add(normal(r.value(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** One Java type per SQL kind, so rows of both drivers compare: whole numbers as Long, times as LocalDateTime. */
  static Object normal(Object v) {
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime();
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v;
  }

  static LocalDateTime ts(String isoLocal) {
    return LocalDateTime.parse(isoLocal);
  }

  // --- the lakes: the real samples, and the crafted cases of duckdb's Boston311SilverTest ---

  static void crafted(Path c) {
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
