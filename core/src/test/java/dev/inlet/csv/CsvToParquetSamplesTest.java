package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Schema;
import dev.inlet.boston311.Boston311;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real Boston 311 samples, checked value by value against DuckDB's own reading of the same CSV. */
class CsvToParquetSamplesTest {
  /** The legacy schema as currently published (30 columns). */
  static final Schema LEGACY = Boston311.LEGACY_SCHEMA;

  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  @BeforeAll
  static void utc() {
    db.execute("SET TimeZone = 'UTC'");
  }

  private static String csv(Path file) {
    return "read_csv(" + ConverterDuckDb.quote(file.toString())
        + ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')";
  }

  private ConversionResult convertSample(
      String name, CsvToParquet converter, TempDirStaging staging) throws IOException {
    return convert(converter, source(name, Samples.file(name)), staging);
  }

  /** Rows of the CSV, as DuckDB reads them and casts them to {@code schema}, minus rows of the Parquet files. */
  private long rowsDiffering(
      Path csvFile,
      Map<String, String> renames,
      Schema schema,
      List<Path> parquet,
      boolean csvMinusParquet) {
    List<String> exprs = new ArrayList<>();
    for (Column c : schema.columns()) {
      String source = renames.entrySet().stream()
          .filter(e -> e.getValue().equals(c.name()))
          .map(Map.Entry::getKey)
          .findFirst()
          .orElse(c.name());
      String text = "NULLIF(trim(\"" + source + "\", ' ' || chr(160) || chr(9)), '')";
      String expr;
      switch (c.type().kind()) {
        case TIMESTAMP:
          expr = "CAST(CAST(" + text + " AS TIMESTAMPTZ) AS TIMESTAMP)";
          break;
        case STRING:
          expr = text;
          break;
        default:
          expr = "CAST(" + text + " AS " + c.type().hiveName().toUpperCase() + ")";
      }
      exprs.add(expr + " AS \"" + c.name() + "\"");
    }
    String fromCsv = "SELECT " + String.join(", ", exprs) + " FROM " + csv(csvFile);
    String fromParquet = "SELECT "
        + String.join(", ", schema.names().stream().map(n -> "\"" + n + "\"").toList()) + " FROM "
        + ConverterDuckDb.parquet(parquet);
    String sql = csvMinusParquet
        ? fromCsv + " EXCEPT ALL " + fromParquet
        : fromParquet + " EXCEPT ALL " + fromCsv;
    return db.count("SELECT count(*) FROM (" + sql + ")");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {Samples.LEGACY_2022_100, Samples.LEGACY_2015_6221, Samples.NEW_SYSTEM_5473})
  void convert_inferringSchema_keepsEveryRowAndValue(String name) throws IOException {
    Path file = Samples.file(name);
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convertSample(name, CsvToParquet.create(), staging);

    // independent count: DuckDB's CSV reader (and Python's csv module agreed: 100, 6221, 5473)
    long expected = db.count("SELECT count(*) FROM " + csv(file));
    assertThat(result.rowsIn()).isEqualTo(expected);
    assertThat(result.rowsOut()).isEqualTo(expected);
    assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(staging.paths())))
        .isEqualTo(expected);
    assertThat(staging.allClosed()).isTrue();
    assertThat(rowsDiffering(file, Map.of(), result.schema(), staging.paths(), true))
        .isZero();
    assertThat(rowsDiffering(file, Map.of(), result.schema(), staging.paths(), false))
        .isZero();
  }

  @Test
  void convert_legacy2022_infersTypesAndKeepsCodesAsText() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result =
        convertSample(Samples.LEGACY_2022_100, CsvToParquet.create(), staging);

    Schema s = result.schema();
    assertThat(s.column("case_enquiry_id").orElseThrow().type()).isEqualTo(ColumnType.BIGINT);
    assertThat(s.column("open_dt").orElseThrow().type()).isEqualTo(ColumnType.TIMESTAMP);
    assertThat(s.column("latitude").orElseThrow().type()).isEqualTo(ColumnType.DOUBLE);
    assertThat(s.column("location_zipcode").orElseThrow().type()).isEqualTo(ColumnType.STRING);
    assertThat(s.column("precinct").orElseThrow().type()).isEqualTo(ColumnType.STRING);
    assertThat(db.describe(ConverterDuckDb.parquet(staging.paths())))
        .containsEntry("open_dt", "TIMESTAMP")
        .containsEntry("case_enquiry_id", "BIGINT")
        .containsEntry("location_zipcode", "VARCHAR");

    // first data line: 101004143000,2022-01-21 13:47:00,2022-02-04 13:47:30,,OVERDUE,Open, ,...
    Map<String, Object> first = db.query("SELECT * FROM " + ConverterDuckDb.parquet(staging.paths())
            + " WHERE case_enquiry_id = 101004143000")
        .get(0);
    assertThat(first.get("open_dt")).isEqualTo(Timestamp.valueOf("2022-01-21 13:47:00"));
    assertThat(first.get("target_dt")).isEqualTo(Timestamp.valueOf("2022-02-04 13:47:30"));
    assertThat(first.get("closed_dt")).isNull();
    assertThat(first.get("closure_reason")).isNull(); // " " in the file
    Map<String, Object> second = db.query("SELECT * FROM "
            + ConverterDuckDb.parquet(staging.paths()) + " WHERE case_enquiry_id = 101004130437")
        .get(0);
    assertThat(second)
        .containsEntry("location_zipcode", "02113")
        .containsEntry("precinct", "0303")
        .containsEntry("ward", "03");
  }

  @Test
  void convert_legacy29WithCurrentSchemaAndRenames_mapsOldNamesAndNullsAddedColumn()
      throws IOException {
    Path file = Samples.file(Samples.LEGACY_2022_100);
    Map<String, String> renames = Map.of(
        "target_dt",
        "sla_target_dt",
        "ontime",
        "on_time",
        "submittedphoto",
        "submitted_photo",
        "closedphoto",
        "closed_photo");
    CsvToParquet.Builder b = CsvToParquet.builder().schema(LEGACY);
    renames.forEach(b::renameColumn);
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convertSample(Samples.LEGACY_2022_100, b.build(), staging);

    assertThat(result.schema()).isEqualTo(LEGACY);
    assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(staging.paths())
            + " WHERE geom_4326 IS NULL"))
        .isEqualTo(result.rowsOut());
    Schema withoutGeom = Schema.of(
        LEGACY.columns().stream().filter(c -> !c.name().equals("geom_4326")).toList());
    assertThat(rowsDiffering(file, renames, withoutGeom, staging.paths(), true)).isZero();
    assertThat(rowsDiffering(file, renames, withoutGeom, staging.paths(), false))
        .isZero();
  }

  @Test
  void convert_legacy2015WithExplicitSchema_keepsPandasZipcodesAsText() throws IOException {
    Path file = Samples.file(Samples.LEGACY_2015_6221);
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convertSample(
        Samples.LEGACY_2015_6221, CsvToParquet.builder().schema(LEGACY).build(), staging);

    assertThat(result.schema()).isEqualTo(LEGACY);
    assertThat(rowsDiffering(file, Map.of(), LEGACY, staging.paths(), true)).isZero();
    assertThat(rowsDiffering(file, Map.of(), LEGACY, staging.paths(), false)).isZero();
    Map<String, Object> first = db.query("SELECT * FROM " + ConverterDuckDb.parquet(staging.paths())
            + " WHERE case_enquiry_id = 101001240805")
        .get(0);
    assertThat(first)
        .containsEntry("location_zipcode", "2135.0")
        .containsEntry("sla_target_dt", null);
    assertThat(first.get("closed_dt")).isEqualTo(Timestamp.valueOf("2015-01-01 07:37:02"));
  }

  @Test
  void convert_newSystem_convertsUtcOffsetsAndKeepsMillis() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result =
        convertSample(Samples.NEW_SYSTEM_5473, CsvToParquet.create(), staging);

    assertThat(result.schema().column("case_id").orElseThrow().type()).isEqualTo(ColumnType.STRING);
    assertThat(result.schema().column("open_date").orElseThrow().type())
        .isEqualTo(ColumnType.TIMESTAMP);
    assertThat(result.schema().column("zip_code").orElseThrow().type())
        .isEqualTo(ColumnType.STRING);
    // first data line: BCS-00065327,2025-08-01 06:35:06.539+00,2025-08-01 08:00:09+00,...,"70
    // Ceylon St, ..."
    Map<String, Object> first = db.query("SELECT * FROM " + ConverterDuckDb.parquet(staging.paths())
            + " WHERE case_id = 'BCS-00065327'")
        .get(0);
    assertThat(first.get("open_date")).isEqualTo(Timestamp.valueOf("2025-08-01 06:35:06.539"));
    assertThat(first.get("close_date")).isEqualTo(Timestamp.valueOf("2025-08-01 08:00:09"));
    assertThat(first)
        .containsEntry("full_address", "70 Ceylon St, Dorchester, MA 02121")
        .containsEntry("zip_code", "02121")
        .containsEntry("precinct", "01");
  }
}
