package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** columnType(..) overrides and snakeCaseColumns(), read back with DuckDB. */
class ColumnOverridesTest {
  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private static final String CSV = "Unique Key,Incident Zip,Created Date,Complaint Type,Latitude\n"
      + "1001,02127,2024-01-02 03:04:05,Noise,40.7\n"
      + "1002,10001,2024-02-03 04:05:06,Heat,40.8\n";

  private Map<String, String> types(TempDirStaging staging) {
    return db.describe(ConverterDuckDb.parquet(staging.paths()));
  }

  private TempDirStaging staging(String name) throws IOException {
    return new TempDirStaging(Files.createDirectory(dir.resolve(name)));
  }

  @Test
  void columnType_overridesOneColumn_restStaysInferred_onBothPaths() throws IOException {
    for (BadRowPolicy policy : List.of(BadRowPolicy.FAIL, BadRowPolicy.QUARANTINE)) {
      TempDirStaging staging = staging(policy.name());
      CsvToParquet converter = CsvToParquet.builder()
          .columnType("unique key", ColumnType.STRING)
          .columnType("LATITUDE", ColumnType.decimal(9, 6))
          .badRows(policy)
          .build();
      convert(converter, CSV, staging);
      assertThat(types(staging))
          .containsExactly(
              Map.entry("unique key", "VARCHAR"),
              Map.entry("incident zip", "VARCHAR"),
              Map.entry("created date", "TIMESTAMP"),
              Map.entry("complaint type", "VARCHAR"),
              Map.entry("latitude", "DECIMAL(9,6)"));
      assertThat(db.query("SELECT \"unique key\" AS k, CAST(latitude AS VARCHAR) AS lat FROM "
              + ConverterDuckDb.parquet(staging.paths()) + " ORDER BY k"))
          .extracting(r -> r.get("k") + "/" + r.get("lat"))
          .containsExactly("1001/40.700000", "1002/40.800000");
    }
  }

  @Test
  void columnType_valueNotOfTheType_isABadRow() throws IOException {
    String csv = "id,when,n\n1,2024-01-01,5\n2,not a date,6\n3,2024-01-03,7\n";
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().columnType("when", ColumnType.DATE).build(),
            csv,
            staging("fail")))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.file()).isEqualTo("test.csv");
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo("when");
          assertThat(e.getMessage())
              .contains("'not a date' is not a date")
              .contains("columnType(\"when\", date)");
        });
    TempDirStaging skip = staging("skip");
    ConversionResult result = convert(
        CsvToParquet.builder()
            .columnType("when", ColumnType.DATE)
            .badRows(BadRowPolicy.SKIP)
            .build(),
        csv,
        skip);
    assertThat(result.rowsIn()).isEqualTo(3);
    assertThat(result.rowsOut()).isEqualTo(2);
    assertThat(types(skip)).containsEntry("when", "DATE").containsEntry("n", "BIGINT");
  }

  @Test
  void columnType_unknownName_failsAtTheHeaderNamingColumns() {
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().columnType("zip", ColumnType.STRING).build(),
            CSV,
            new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage())
              .contains("columnType(..) names column 'zip'")
              .contains("[unique key, incident zip, created date, complaint type, latitude]");
        });
  }

  @Test
  void columnType_withExplicitSchema_failsAtBuild() {
    CsvToParquet.Builder b = CsvToParquet.builder()
        .columnType("id", ColumnType.STRING)
        .schema(Schema.builder().column("id", ColumnType.BIGINT).build());
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot build CsvToParquet: columnType(..)");
    assertThatThrownBy(() -> CsvToParquet.builder().columnType(" ", ColumnType.STRING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void columnType_namesAreFinalNames_afterSnakeCaseAndRenames() throws IOException {
    TempDirStaging staging = staging("s");
    convert(
        CsvToParquet.builder()
            .snakeCaseColumns()
            .renameColumn("unique_key", "id")
            .columnType("id", ColumnType.STRING)
            .columnType("incident_zip", ColumnType.STRING)
            .build(),
        CSV,
        staging);
    assertThat(types(staging))
        .containsExactly(
            Map.entry("id", "VARCHAR"),
            Map.entry("incident_zip", "VARCHAR"),
            Map.entry("created_date", "TIMESTAMP"),
            Map.entry("complaint_type", "VARCHAR"),
            Map.entry("latitude", "DOUBLE"));
  }

  @Test
  void snakeCase_withByColumnAndRequired() throws IOException {
    TempDirStaging staging = staging("p");
    ConversionResult result = convert(
        CsvToParquet.builder()
            .snakeCaseColumns()
            .requiredColumns("unique_key", "created_date")
            .partitionBy(PartitionSpec.byColumn("complaint_type"))
            .columnType(
                "complaint_type",
                ColumnType.BIGINT) // the partition column's text is kept: no effect
            .build(),
        CSV,
        staging);
    assertThat(result.rowsByPartition())
        .isEqualTo(
            Map.of(Map.of("complaint_type", "Noise"), 1L, Map.of("complaint_type", "Heat"), 1L));
    assertThat(db.describe(ConverterDuckDb.parquet(staging.paths(Map.of("complaint_type", "Heat")))
                .replace("])", "], hive_partitioning = false)"))
            .keySet())
        .containsExactly("unique_key", "incident_zip", "created_date", "latitude");
  }

  @Test
  void snakeCase_twoHeadersToOneName_failsNamingBoth() {
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().snakeCaseColumns().build(),
            "id,Zip Code,zip-code\n1,2,3\n",
            new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.column()).isEqualTo("zip_code");
          assertThat(e.getMessage())
              .contains("'zip_code' twice")
              .contains("fields 2 'Zip Code' and 3 'zip-code'")
              .contains("snake_case");
        });
  }

  @Test
  void snakeCase_nameWithoutLetters_failsUnlessIgnoredOrRenamed() throws IOException {
    String csv = "id,#,Ünïcode Ñame\n1,2,3\n";
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().snakeCaseColumns().build(), csv, new TempDirStaging(dir)))
        .isInstanceOfSatisfying(
            MalformedInputException.class,
            e -> assertThat(e.getMessage())
                .contains("header field 2 ('#') has no letter or digit")
                .contains("ignoreColumn(\"#\")"));
    TempDirStaging ignored = staging("i");
    convert(CsvToParquet.builder().snakeCaseColumns().ignoreColumn("#").build(), csv, ignored);
    assertThat(types(ignored).keySet()).containsExactly("id", "unicode_name");
    TempDirStaging renamed = staging("r");
    convert(
        CsvToParquet.builder().snakeCaseColumns().renameColumn("#", "number").build(),
        csv,
        renamed);
    assertThat(types(renamed).keySet()).containsExactly("id", "number", "unicode_name");
  }

  @Test
  void snakeCase_headerOfAnotherFile_failsOnRequiredColumnsFirst() {
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder()
                .snakeCaseColumns()
                .requiredColumns("unique_key")
                .build(),
            "#,Other Thing\n1,2\n",
            new TempDirStaging(dir)))
        .isInstanceOfSatisfying(
            MalformedInputException.class,
            e -> assertThat(e.getMessage()).contains("lacks the required column unique_key"));
  }

  @Test
  void snakeCase_bomAndExplicitSchema() throws IOException {
    TempDirStaging staging = staging("b");
    convert(
        CsvToParquet.builder()
            .snakeCaseColumns()
            .schema(Schema.builder().column("unique_key", ColumnType.BIGINT).build())
            .build(),
        "\uFEFF" + CSV,
        staging);
    assertThat(types(staging))
        .containsEntry("unique_key", "BIGINT")
        .containsEntry("created_date", "VARCHAR");
  }

  @Test
  void fingerprint_includesOverridesAndSnakeCase_unchangedWithout() {
    String plain = CsvToParquet.create().fingerprint();
    assertThat(plain).doesNotContain("columnTypes").doesNotContain("snakeCase");
    assertThat(CsvToParquet.builder().columnType("a", ColumnType.STRING).build().fingerprint())
        .isNotEqualTo(plain)
        .contains("columnTypes={a=string}");
    assertThat(CsvToParquet.builder().columnType("a", ColumnType.DATE).build().fingerprint())
        .isNotEqualTo(
            CsvToParquet.builder().columnType("a", ColumnType.STRING).build().fingerprint());
    assertThat(CsvToParquet.builder().snakeCaseColumns().build().fingerprint())
        .isNotEqualTo(plain)
        .endsWith(" snakeCase");
    CsvToParquet all = CsvToParquet.builder()
        .snakeCaseColumns()
        .columnType("a", ColumnType.STRING)
        .partitionBy(PartitionSpec.byColumn("b"))
        .build();
    assertThat(all.toBuilder().build().fingerprint()).isEqualTo(all.fingerprint());
  }
}
