package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Schema;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The converter's limits, small, on both paths: each fails the file with its line and the limit. */
class LimitsTest {
  @TempDir
  Path dir;

  /** chunked with tiny chunks (the chunker sees the long field), chunked whole, and row by row. */
  private static CsvToParquet.Builder builder(String path) {
    CsvToParquet.Builder b = CsvToParquet.builder();
    switch (path) {
      case "tiny-chunks":
        return b.chunkBytes(4);
      case "chunked":
        return b;
      default:
        return b.badRows(BadRowPolicy.QUARANTINE);
    }
  }

  private static final String LONG_FIELD = "id,text\n" // 1
      + "1,short\n" // 2
      + "2,\"quoted\nover lines\"\n" // 3-4
      + "3,\"" + "x".repeat(3 << 20) + "\"\n" // 5
      + "4,after\n";

  @ParameterizedTest
  @ValueSource(strings = {"tiny-chunks", "chunked", "rows"})
  void convert_whenFieldIsLongerThanMaxFieldBytes_failsWithItsLine(String path) {
    CsvToParquet converter =
        builder(path).maxFieldBytes(1000).badRows(BadRowPolicy.SKIP).build();
    TempDirStaging staging = new TempDirStaging(dir);
    assertThatThrownBy(() -> convert(converter, LONG_FIELD, staging))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.limit()).isEqualTo("maxFieldBytes");
          assertThat(e.value()).isEqualTo(1000);
          assertThat(e.getMessage())
              .isEqualTo("Cannot convert test.csv: line 5: a field of the record starting"
                  + " here is longer than maxFieldBytes (1000); check for a quote that is never closed, or raise"
                  + " CsvToParquet.Builder.maxFieldBytes");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-chunks", "chunked", "rows"})
  void convert_whenQuoteIsNeverClosed_failsAtTheLimitWithTheLineOfItsRecord(String path) {
    String csv = "id,text\n1,a\n2,\"oops\n" + "3,ordinary record\n".repeat(200_000);
    CsvToParquet converter = builder(path).maxFieldBytes(64 * 1024).build();
    assertThatThrownBy(() -> convert(converter, csv, new TempDirStaging(dir)))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.limit()).isEqualTo("maxFieldBytes");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-chunks", "chunked", "rows"})
  void convert_whenFieldsAreAtTheLimit_converts(String path) throws IOException {
    String csv = "id,text\n1,\"" + "\"\"".repeat(500) + "\"\n2," + "y".repeat(1000) + "\n";
    ConversionResult r =
        convert(builder(path).maxFieldBytes(1000).build(), csv, new TempDirStaging(dir));
    assertThat(r.rowsOut()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-chunks", "chunked", "rows"})
  void convert_whenHeaderOrRecordHasTooManyFields_failsWithTheLimit(String path) {
    String wide = String.join(
        ",", Stream.iterate(0, i -> i + 1).limit(5000).map(i -> "c" + i).toList());
    assertThatThrownBy(() ->
            convert(builder(path).maxColumns(100).build(), wide + "\n1\n", new TempDirStaging(dir)))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage()).contains("more than maxColumns (100)");
        });
    String header101 = String.join(
        ",", Stream.iterate(0, i -> i + 1).limit(101).map(i -> "c" + i).toList());
    assertThatThrownBy(() -> convert(
            builder(path).maxColumns(100).build(), header101 + "\n", new TempDirStaging(dir)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage(
            "Cannot convert test.csv: line 1: the header has 101 fields, more than maxColumns (100); if the"
                + " file is right, raise CsvToParquet.Builder.maxColumns");
    String csv = "a,b\n1,2\n" + ",".repeat(5000) + "\n";
    CsvToParquet skipping =
        builder(path).maxColumns(100).badRows(BadRowPolicy.SKIP).build();
    assertThatThrownBy(() -> convert(skipping, csv, new TempDirStaging(dir)))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.getMessage()).contains("the record starting here has more than 100 fields");
        });
  }

  @Test
  void convert_whenRowsSpan3000Years_failsBeforeOpeningThePartitionPastTheLimit()
      throws IOException {
    StringBuilder csv = new StringBuilder("case_id,open_date,case_topic\n");
    for (int y = 1000; y < 4000; y++) {
      csv.append("C").append(y).append(',').append(y).append("-06-01 12:00:00,topic\n");
    }
    CsvToParquet converter = CsvToParquet.builder()
        .schema(Schema.builder()
            .column("case_id", ColumnType.STRING)
            .column("open_date", ColumnType.TIMESTAMP)
            .column("case_topic", ColumnType.STRING)
            .build())
        .partitionBy(PartitionSpec.yearOf("open_date"))
        .maxPartitionsPerFile(50)
        .badRows(BadRowPolicy.SKIP)
        .build();
    Path out = dir.resolve("staging");
    TempDirStaging staging = new TempDirStaging(out);
    assertThatThrownBy(() -> convert(converter, csv.toString(), staging))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.line()).isEqualTo(52);
          assertThat(e.column()).isEqualTo("open_date");
          assertThat(e.limit()).isEqualTo("maxPartitionsPerFile");
          assertThat(e.getMessage())
              .contains("the rows fall into more than 50 partitions, more than"
                  + " maxPartitionsPerFile (50): year=1050 would be partition 51");
        });
    assertThat(staging.allClosed()).isTrue();
    if (Files.exists(
        out)) { // partitions' files open as their first row group is written: maybe none yet
      try (Stream<Path> folders = Files.list(out)) {
        assertThat(folders.map(f -> f.getFileName().toString()).toList())
            .hasSizeLessThanOrEqualTo(50)
            .doesNotContain("year=1050"); // the 51st was never opened
      }
    }
  }

  @Test
  void newSystemPreset_whenRowsSpan3000Years_failsAtTheDefaultLimitAndLeavesNoFolderInTheWarehouse()
      throws IOException {
    // The preset's whole header (a file with few of its columns fails before the limit is reached).
    java.util.List<String> rest =
        new java.util.ArrayList<>(dev.inlet.boston311.Boston311.NEW_SYSTEM_SCHEMA.names());
    rest.removeAll(java.util.List.of("case_id", "open_date"));
    StringBuilder csv = new StringBuilder("case_id,open_date," + String.join(",", rest) + "\n");
    for (int y = 1000; y < 4000; y++) {
      csv.append("C")
          .append(y)
          .append(',')
          .append(y)
          .append("-06-01 12:00:00")
          .append(",".repeat(rest.size()))
          .append('\n');
    }
    byte[] bytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path lake = dir.resolve("lake");
    dev.inlet.local.LocalWarehouse sink = dev.inlet.local.LocalWarehouse.at(lake);
    dev.inlet.SourceFile file = CsvFixtures.source("new.csv", bytes);
    dev.inlet.Staging staging = sink.stage(dev.inlet.boston311.Boston311.NEW_SYSTEM_TABLE, file);
    try (java.io.InputStream in = file.open()) {
      assertThatThrownBy(() -> dev.inlet.boston311.Boston311.newSystemConverter()
              .convert(file, in, staging, dev.inlet.Converter.ConversionProgress.NONE))
          .isInstanceOf(LimitExceededException.class)
          .hasMessageContaining(
              "line 102, column open_date: the rows fall into more than 100 partitions");
    } finally {
      staging.abort();
    }
    if (Files.exists(lake)) {
      try (Stream<Path> all = Files.walk(lake)) {
        assertThat(
                all.filter(p -> p.getFileName().toString().startsWith("year=")).toList())
            .isEmpty();
      }
    }
  }

  @Test
  void defaults_holdTheBostonPresetsAndAreValidated() {
    CsvToParquet c = CsvToParquet.create();
    assertThat(c.maxFieldBytes()).isEqualTo(1 << 20);
    assertThat(c.maxColumns()).isEqualTo(1000);
    assertThat(c.maxPartitionsPerFile()).isEqualTo(100);
    assertThatThrownBy(() -> CsvToParquet.builder().maxFieldBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsvToParquet.builder().maxColumns(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsvToParquet.builder().maxPartitionsPerFile(0))
        .isInstanceOf(IllegalArgumentException.class);
    CsvToParquet copy = CsvToParquet.builder()
        .maxFieldBytes(7)
        .maxColumns(8)
        .maxPartitionsPerFile(9)
        .requiredColumns("a")
        .build()
        .toBuilder()
        .build();
    assertThat(copy.maxFieldBytes()).isEqualTo(7);
    assertThat(copy.maxColumns()).isEqualTo(8);
    assertThat(copy.maxPartitionsPerFile()).isEqualTo(9);
    assertThat(copy.requiredColumns()).containsExactly("a");
  }
}
