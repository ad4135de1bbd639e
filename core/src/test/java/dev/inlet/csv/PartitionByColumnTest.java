package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionByColumnTest {
  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private static final String[] BOROUGHS = {
    "MANHATTAN", "BROOKLYN", "STATEN ISLAND", "a/b=c", "", "QUEENS"
  };

  /** 3,000 rows over six borough values (one empty, one needing Hive escaping), long enough for many chunks. */
  private static String csv() {
    StringBuilder sb = new StringBuilder("id,borough,opened,note\n");
    for (int i = 0; i < 3000; i++) {
      String b = BOROUGHS[(i * 7) % BOROUGHS.length];
      sb.append(i)
          .append(',')
          .append(b.isEmpty() ? "" : " " + b + " ")
          .append(",2024-0")
          .append(1 + i % 9)
          .append("-01 10:00:00,note ")
          .append(i)
          .append('\n');
    }
    return sb.toString();
  }

  private static Map<String, Long> expectedCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < 3000; i++) {
      String b = BOROUGHS[(i * 7) % BOROUGHS.length];
      counts.merge(b.isEmpty() ? PartitionSpec.NULL_PARTITION : b, 1L, Long::sum);
    }
    return counts;
  }

  private static Map<Map<String, String>, Long> byPartition(Map<String, Long> counts) {
    Map<Map<String, String>, Long> m = new LinkedHashMap<>();
    counts.forEach((v, n) -> m.put(Map.of("borough", v), n));
    return m;
  }

  private static CsvToParquet.Builder byBorough() {
    return CsvToParquet.builder()
        .partitionBy(PartitionSpec.byColumn("Borough"))
        .chunkBytes(4096)
        .threads(3);
  }

  /** Converts through a local warehouse (Hive folders, escaped as the sink escapes them) and commits. */
  private ConversionResult convertToWarehouse(CsvToParquet converter, Path warehouse, String text)
      throws IOException {
    LocalWarehouse sink =
        LocalWarehouse.builder().root(warehouse).replaceInPlace().build();
    SourceFile file = source("nyc.csv", text.getBytes(StandardCharsets.UTF_8));
    try (Staging staging = sink.stage(TableId.of("nyc", "requests"), file);
        InputStream in = file.open()) {
      ConversionResult result = converter.convert(file, in, staging, ConversionProgress.NONE);
      staging.commit();
      return result;
    }
  }

  /** A read_parquet(..) call that does not add the columns of key=value folders. */
  private static String noHive(String readParquet) {
    return readParquet.substring(0, readParquet.length() - 1) + ", hive_partitioning = false)";
  }

  private static List<String> folders(Path table) throws IOException {
    try (Stream<Path> s = Files.list(table)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void byColumn_writesHiveFoldersWithoutTheColumn_readBackByDuckDb() throws IOException {
    Path warehouse = dir.resolve("lake");
    CsvToParquet converter = byBorough().build();
    ConversionResult result = convertToWarehouse(converter, warehouse, csv());

    assertThat(result.rowsByPartition()).isEqualTo(byPartition(expectedCounts()));
    assertThat(result.schema().names()).containsExactly("id", "opened", "note");
    Path table = warehouse.resolve("bronze/nyc/requests");
    assertThat(folders(table))
        .containsExactly(
            "borough=BROOKLYN",
            "borough=MANHATTAN",
            "borough=QUEENS",
            "borough=STATEN ISLAND",
            "borough=" + PartitionSpec.NULL_PARTITION,
            "borough=a%2Fb%3Dc");
    // the data files hold no borough column, and types are inferred as usual
    String oneFile = ConverterDuckDb.quote(table + "/borough=QUEENS/*.parquet");
    assertThat(db.describe("read_parquet(" + oneFile + ", hive_partitioning = false)"))
        .containsExactly(
            Map.entry("id", "BIGINT"),
            Map.entry("opened", "TIMESTAMP"),
            Map.entry("note", "VARCHAR"));
    // readers get the column back from the folders, as a string
    String all = "read_parquet(" + ConverterDuckDb.quote(table + "/**/*.parquet")
        + ", hive_partitioning = true," + " hive_types = {'borough': VARCHAR})";
    Map<String, Long> read = new LinkedHashMap<>();
    for (Map<String, Object> r :
        db.query("SELECT borough, count(*) AS n FROM " + all + " GROUP BY borough")) {
      read.put(String.valueOf(r.get("borough")), ((Number) r.get("n")).longValue());
    }
    Map<String, Long> expected = new LinkedHashMap<>();
    expectedCounts()
        .forEach((v, n) -> expected.put(v.equals(PartitionSpec.NULL_PARTITION) ? "null" : v, n));
    assertThat(read).isEqualTo(expected);
    // rows keep their values and, within a partition, the file's order
    assertThat(db.query("SELECT id FROM " + all + " WHERE borough = 'STATEN ISLAND' LIMIT 3"))
        .extracting(r -> r.get("id"))
        .containsExactly(2L, 8L, 14L);
  }

  @Test
  void byColumn_sameOutputOnBothPathsAndAnyThreads() throws IOException {
    List<Map<Map<String, String>, List<Object>>> outputs = new ArrayList<>();
    for (CsvToParquet converter : List.of(
        byBorough().threads(1).build(),
        byBorough().threads(3).build(),
        byBorough().badRows(BadRowPolicy.QUARANTINE).build())) {
      Path out = Files.createDirectory(dir.resolve("out" + outputs.size()));
      TempDirStaging staging = new TempDirStaging(out);
      ConversionResult result = convert(converter, csv(), staging);
      assertThat(result.rowsByPartition()).isEqualTo(byPartition(expectedCounts()));
      Map<Map<String, String>, List<Object>> rows = new LinkedHashMap<>();
      for (Map<String, String> p : result.rowsByPartition().keySet()) {
        rows.put(
            p,
            db.query("SELECT * FROM " + noHive(ConverterDuckDb.parquet(staging.paths(p)))).stream()
                .map(r -> (Object) r.values().toString())
                .toList());
      }
      outputs.add(rows);
    }
    assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
    assertThat(outputs.get(2)).isEqualTo(outputs.get(0));
  }

  @Test
  void byColumn_rowsOfManyChunks_becomeOneRowGroupPerPartition_notOnePerChunk() throws IOException {
    // 3,000 rows of about 45 bytes are some 30 chunks of 4 KiB; each partition gets its 500 rows as
    // one row group
    CsvToParquet converter = byBorough().build();
    assertThat(ChunkedConversion.applies(converter))
        .isTrue(); // chunks routed to per-partition row groups
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(converter, csv(), staging);
    for (Map<String, String> p : result.rowsByPartition().keySet()) {
      List<Path> files = staging.paths(p);
      assertThat(files).hasSize(1);
      String path = ConverterDuckDb.quote(files.get(0).toString());
      assertThat(db.query(
              "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata(" + path + ")"))
          .extracting(r -> ((Number) r.get("n")).longValue())
          .as("row groups of %s", p)
          .containsExactly(1L);
    }
  }

  @Test
  void byColumn_explicitSchemaDeclaringTheColumn_keepsItOutOfTheFiles() throws IOException {
    Schema schema = Schema.builder()
        .column("id", ColumnType.INT)
        .column("borough", ColumnType.STRING)
        .column("opened", ColumnType.TIMESTAMP)
        .build();
    for (BadRowPolicy policy : List.of(BadRowPolicy.FAIL, BadRowPolicy.QUARANTINE)) {
      Path out = Files.createDirectory(dir.resolve(policy.name()));
      TempDirStaging staging = new TempDirStaging(out);
      ConversionResult result =
          convert(byBorough().schema(schema).badRows(policy).build(), csv(), staging);
      assertThat(result.schema().names()).containsExactly("id", "opened", "note");
      assertThat(db.describe(
              noHive(ConverterDuckDb.parquet(staging.paths(Map.of("borough", "BROOKLYN"))))))
          .containsExactly(
              Map.entry("id", "INTEGER"),
              Map.entry("opened", "TIMESTAMP"),
              Map.entry("note", "VARCHAR"));
      assertThat(result.rowsByPartition()).isEqualTo(byPartition(expectedCounts()));
    }
  }

  @Test
  void byColumn_moreValuesThanMaxPartitions_failsOnBothPathsNamingTheLine() {
    StringBuilder sb = new StringBuilder("id,zip\n");
    for (int i = 0; i < 2000; i++) {
      sb.append(i).append(',').append(10000 + (i < 1500 ? i % 5 : i)).append('\n');
    }
    for (BadRowPolicy policy :
        List.of(BadRowPolicy.FAIL, BadRowPolicy.SKIP, BadRowPolicy.QUARANTINE)) {
      CsvToParquet converter = CsvToParquet.builder()
          .partitionBy(PartitionSpec.byColumn("zip"))
          .chunkBytes(2048)
          .badRows(policy)
          .maxPartitionsPerFile(10)
          .build();
      // rows 0-1499 use 5 zips; row 1505 (line 1507) opens the 11th partition
      assertThatThrownBy(() -> convert(converter, sb.toString(), new TempDirStaging(dir)))
          .as(policy.name())
          .isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.line()).isEqualTo(1507);
            assertThat(e.column()).isEqualTo("zip");
            assertThat(e.getMessage())
                .contains("more than maxPartitionsPerFile (10)")
                .contains("zip=11505");
          });
    }
  }

  @Test
  void byColumn_oneChunkWithTooManyValues_failsBeforeOpeningThem() {
    StringBuilder sb = new StringBuilder("id,zip\n");
    for (int i = 0; i < 500; i++) {
      sb.append(i).append(',').append(i).append('\n');
    }
    CsvToParquet converter = CsvToParquet.builder()
        .partitionBy(PartitionSpec.byColumn("zip"))
        .maxPartitionsPerFile(100)
        .build();
    assertThatThrownBy(() -> convert(converter, sb.toString(), new TempDirStaging(dir)))
        .isInstanceOfSatisfying(
            LimitExceededException.class, e -> assertThat(e.line()).isEqualTo(102));
  }

  @Test
  void byColumn_ownColumnNamedLikeAKey_isAccepted_yearOfCollisionStillFails() throws IOException {
    String csv = "opened,year,n\n2024-01-01 00:00:00,1999,1\n2024-01-02 00:00:00,2000,2\n";
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(
        CsvToParquet.builder().partitionBy(PartitionSpec.byColumn("year")).build(), csv, staging);
    assertThat(result.rowsByPartition())
        .isEqualTo(Map.of(Map.of("year", "1999"), 1L, Map.of("year", "2000"), 1L));
    assertThat(result.schema().names()).containsExactly("opened", "n");

    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().partitionBy(PartitionSpec.yearOf("opened")).build(),
            csv,
            new TempDirStaging(dir.resolve("b"))))
        .isInstanceOfSatisfying(
            MalformedInputException.class,
            e -> assertThat(e.getMessage()).contains("partition key 'year' of yearOf(opened)"));
  }

  @Test
  void byColumn_fileWithoutTheColumn_failsAtTheHeaderNamingColumns() {
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder()
                .partitionBy(PartitionSpec.byColumn("borough"))
                .build(),
            "id,Zip Code\n1,2\n",
            new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage())
              .contains("cannot partition by column 'borough'")
              .contains("[id, zip code]");
        });
  }

  @Test
  void byColumn_invalidKeyName_failsInTheFactory() {
    assertThatThrownBy(() -> PartitionSpec.byColumn("Zip Code"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot partition by column 'Zip Code'")
        .hasMessageContaining("snakeCaseColumns");
    assertThatThrownBy(() -> PartitionSpec.byColumn(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PartitionSpec.byColumn(" Borough "))
        .isEqualTo(PartitionSpec.byColumn("borough"))
        .isNotEqualTo(PartitionSpec.yearOf("borough"))
        .hasToString("byColumn(borough)");
  }

  @Test
  void byColumn_isInTheFingerprint() {
    assertThat(CsvToParquet.builder()
            .partitionBy(PartitionSpec.byColumn("a"))
            .build()
            .fingerprint())
        .isNotEqualTo(CsvToParquet.builder()
            .partitionBy(PartitionSpec.byColumn("b"))
            .build()
            .fingerprint())
        .isNotEqualTo(CsvToParquet.create().fingerprint())
        .contains("partitionBy=byColumn(a)");
  }

  @Test
  void byColumn_nonUtf8Chunk_usesTheCharParserAndTheSamePartitions() throws IOException {
    byte[] bytes =
        "id,borough\n1,BRONX\n2,caf\u00e9\n3,BRONX\n".getBytes(StandardCharsets.ISO_8859_1);
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(
        CsvToParquet.builder().partitionBy(PartitionSpec.byColumn("borough")).build(),
        source("latin1.csv", bytes),
        staging);
    assertThat(result.rowsByPartition())
        .isEqualTo(Map.of(Map.of("borough", "BRONX"), 2L, Map.of("borough", "caf\uFFFD"), 1L));
    assertThat(result.invalidUtf8Replacements()).isEqualTo(1);
  }
}
