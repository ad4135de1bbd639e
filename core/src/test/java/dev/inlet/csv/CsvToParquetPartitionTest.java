package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvToParquetPartitionTest {
  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  @Test
  void convert_newSystemByYearOfOpenDate_splitsRowsByUtcYear() throws IOException {
    Path file = Samples.file(Samples.NEW_SYSTEM_5473);
    TempDirStaging staging = new TempDirStaging(dir);
    CsvToParquet converter =
        CsvToParquet.builder().partitionBy(PartitionSpec.yearOf("Open_Date")).build();
    ConversionResult result = convert(converter, source("new.csv", file), staging);

    // independent: the first four characters of the CSV text (all values are +00, so the UTC year)
    Map<Map<String, String>, Long> expected = new java.util.HashMap<>();
    for (Map<String, Object> r :
        db.query("SELECT substr(open_date, 1, 4) AS y, count(*) AS n FROM read_csv("
            + ConverterDuckDb.quote(file.toString())
            + ", header = true, all_varchar = true) GROUP BY y")) {
      expected.put(Map.of("year", (String) r.get("y")), ((Number) r.get("n")).longValue());
    }
    assertThat(expected.keySet())
        .containsExactlyInAnyOrder(Map.of("year", "2025"), Map.of("year", "2026"));
    assertThat(result.rowsByPartition()).isEqualTo(expected);
    for (Map.Entry<Map<String, String>, Long> e : expected.entrySet()) {
      List<Path> paths = staging.paths(e.getKey());
      assertThat(paths).hasSize(1);
      String year = e.getKey().get("year");
      assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(paths)
              + " WHERE year(open_date) = " + year))
          .isEqualTo(e.getValue());
      assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(paths)))
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void convert_byYearWithZonesAndNulls_usesUtcYearAndHiveDefaultPartition() throws IOException {
    String csv =
        "id,ts\n1,2025-12-31 22:00:00-05:00\n2,\n3,2025-12-31 23:59:59\n4,2026-01-01 00:30:00+01:00\n";
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(
        CsvToParquet.builder().partitionBy(PartitionSpec.yearOf("ts")).build(), csv, staging);

    assertThat(result.rowsByPartition())
        .isEqualTo(Map.of(
            Map.of("year", "2026"), 1L,
            Map.of("year", "2025"), 2L,
            Map.of("year", PartitionSpec.NULL_PARTITION), 1L));
    assertThat(db.query(
            "SELECT id FROM " + ConverterDuckDb.parquet(staging.paths(Map.of("year", "2026")))))
        .extracting(r -> r.get("id"))
        .containsExactly(1L);
  }

  @Test
  void convert_byYearOfStringColumn_failsNamingColumn() {
    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().partitionBy(PartitionSpec.yearOf("ts")).build(),
            "ts\nsoon\n",
            new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.column()).isEqualTo("ts");
          assertThat(e.getMessage()).contains("it is string, not timestamp");
        });
  }

  @Test
  void convert_pastMaxFileBytes_rollsOverToMoreFilesInSamePartition() throws IOException {
    StringBuilder csv = new StringBuilder("id,text\n");
    int rows = 5000;
    for (int i = 0; i < rows; i++) {
      csv.append(i)
          .append(",value number ")
          .append(i * 7919L % 100_003)
          .append(" with some padding text\n");
    }
    TempDirStaging staging = new TempDirStaging(dir);
    List<Long> progress = new ArrayList<>();
    CsvToParquet converter =
        CsvToParquet.builder().maxFileBytes(10_000).rowGroupRows(500).build();
    var file = source("big.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    ConversionResult result;
    try (InputStream in = file.open()) {
      result = converter.convert(file, in, staging, progress::add);
    }

    assertThat(staging.outputs().size()).isBetween(2, 5);
    assertThat(staging.allClosed()).isTrue();
    assertThat(result.rowsByPartition()).isEqualTo(Map.of(Map.of(), (long) rows));
    assertThat(
            db.count("SELECT count(DISTINCT id) FROM " + ConverterDuckDb.parquet(staging.paths())))
        .isEqualTo(rows);
    assertThat(progress).last().isEqualTo((long) rows);
  }
}
