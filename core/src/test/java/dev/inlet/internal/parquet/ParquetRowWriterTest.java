package dev.inlet.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Codec;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import dev.inlet.testing.ConverterDuckDb;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetRowWriterTest {
  static final Schema ALL_TYPES = Schema.builder()
      .column("s", ColumnType.STRING)
      .column("i", ColumnType.INT)
      .column("b", ColumnType.BIGINT)
      .column("f", ColumnType.FLOAT)
      .column("d", ColumnType.DOUBLE)
      .column("flag", ColumnType.BOOLEAN)
      .column("day", ColumnType.DATE)
      .column("ts", ColumnType.TIMESTAMP)
      .column("small_dec", ColumnType.decimal(10, 2))
      .column("big_dec", ColumnType.decimal(30, 3))
      .build();

  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private Path write(Codec codec, int rows) throws IOException {
    Path file = dir.resolve(codec + ".parquet");
    try (OutputStream out = Files.newOutputStream(file);
        ParquetRowWriter w = ParquetRowWriter.open(out, ALL_TYPES, codec, 1000)) {
      Row r = new Row(ALL_TYPES.size());
      for (int n = 0; n < rows; n++) {
        r.clear();
        if (n % 3 != 2) {
          r.setString(0, "row " + n + " ünïcode");
          r.setInt(1, n);
          r.setLong(2, 10_000_000_000L + n);
          r.setFloat(3, n / 4f);
          r.setDouble(4, -n / 8d);
          r.setBoolean(5, n % 2 == 0);
          r.setInt(6, 19_000 + n);
          r.setLong(7, 1_700_000_000_000_000L + n);
          r.setDecimal(8, BigDecimal.valueOf(-n, 2));
          r.setDecimal(
              9, new BigDecimal("-123456789012345678901234567.891").add(BigDecimal.valueOf(n)));
        }
        w.write(r);
      }
      assertThat(w.rows()).isEqualTo(rows);
    }
    return file;
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void write_withEachCodec_producesFileDuckDbReads(Codec codec) throws IOException {
    Path file = write(codec, 3000);
    String from = ConverterDuckDb.parquet(List.of(file));

    assertThat(db.count("SELECT count(*) FROM " + from)).isEqualTo(3000);
    assertThat(db.count("SELECT count(*) FROM " + from + " WHERE s IS NULL")).isEqualTo(1000);
    Map<String, Object> row = db.query("SELECT s, i, b, f, d, flag, CAST(day AS VARCHAR) AS day,"
            + " CAST(ts AS VARCHAR) AS ts, CAST(small_dec AS VARCHAR) AS sd, CAST(big_dec AS VARCHAR) AS bd FROM "
            + from + " WHERE i = 7")
        .get(0);
    assertThat(row)
        .containsEntry("s", "row 7 ünïcode")
        .containsEntry("b", 10_000_000_007L)
        .containsEntry("f", 1.75f)
        .containsEntry("d", -0.875)
        .containsEntry("flag", false)
        .containsEntry("day", java.time.LocalDate.ofEpochDay(19_007).toString())
        .containsEntry(
            "ts",
            java.time.LocalDateTime.ofEpochSecond(1_700_000_000L, 7_000, java.time.ZoneOffset.UTC)
                .toString()
                .replace('T', ' '))
        .containsEntry("sd", "-0.07")
        .containsEntry("bd", "-123456789012345678901234560.891");
    String codecName = (String) db.query("SELECT DISTINCT compression FROM parquet_metadata("
            + ConverterDuckDb.quote(file.toString()) + ")")
        .get(0)
        .get("compression");
    assertThat(codecName).isEqualTo(codec == Codec.NONE ? "UNCOMPRESSED" : codec.name());
  }

  @Test
  void write_pastRowGroupLimit_startsRowGroupsWithMinMaxStatistics() throws IOException {
    Path file = write(Codec.ZSTD, 2500);

    List<Map<String, Object>> groups = db.query("SELECT row_group_id, row_group_num_rows AS n,"
        + " stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata("
        + ConverterDuckDb.quote(file.toString())
        + ") WHERE path_in_schema = 'i' ORDER BY row_group_id");
    assertThat(groups)
        .extracting(g -> ((Number) g.get("n")).longValue())
        .containsExactly(1000L, 1000L, 500L);
    assertThat(groups)
        .extracting(g -> g.get("lo") + ".." + g.get("hi"))
        .containsExactly(
            "0..999", "1000..1999", "2001..2499"); // row 2000 is one of the null rows (n % 3 == 2)
  }

  @Test
  void footer_readsBackWithParquetJava_withIndexesAndTrustedStatistics() throws IOException {
    byte[] bytes = Files.readAllBytes(write(Codec.ZSTD, 2500));
    int length = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getInt();
    org.apache.parquet.hadoop.metadata.ParquetMetadata footer =
        new org.apache.parquet.format.converter.ParquetMetadataConverter()
            .readParquetMetadata(
                new java.io.ByteArrayInputStream(bytes, bytes.length - 8 - length, length),
                org.apache.parquet.format.converter.ParquetMetadataConverter.NO_FILTER);

    String createdBy = footer.getFileMetaData().getCreatedBy();
    assertThat(createdBy).startsWith("inlet version ");
    // parquet-java readers (Spark, Hive, Trino's checks alike) keep string statistics of this
    // writer
    assertThat(org.apache.parquet.CorruptStatistics.shouldIgnoreStatistics(
            createdBy, org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY))
        .isFalse();
    assertThat(footer.getFileMetaData().getSchema())
        .isEqualTo(ParquetTypes.toMessageType(ALL_TYPES));
    assertThat(footer.getFileMetaData().getKeyValueMetaData())
        .containsEntry("writer.model.name", "inlet");
    assertThat(footer.getBlocks()).hasSize(3);
    long offset = 4;
    for (org.apache.parquet.hadoop.metadata.BlockMetaData block : footer.getBlocks()) {
      assertThat(block.getStartingPos()).isEqualTo(offset);
      for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk : block.getColumns()) {
        assertThat(chunk.getStartingPos()).isEqualTo(offset); // chunks follow each other
        offset += chunk.getTotalSize();
        assertThat(chunk.getValueCount()).isEqualTo(block.getRowCount());
        assertThat(chunk.getStatistics().isEmpty()).isFalse();
        assertThat(chunk.getColumnIndexReference()).isNotNull();
        assertThat(chunk.getOffsetIndexReference()).isNotNull();
      }
    }
    org.apache.parquet.hadoop.metadata.ColumnChunkMetaData s =
        footer.getBlocks().get(0).getColumns().get(0);
    assertThat(s.getStatistics().minAsString() + ".." + s.getStatistics().maxAsString())
        .isEqualTo("row 0 ünïcode..row 999 ünïcode");
    org.apache.parquet.hadoop.metadata.ColumnChunkMetaData i =
        footer.getBlocks().get(1).getColumns().get(1);
    assertThat(i.getStatistics().minAsString() + ".." + i.getStatistics().maxAsString())
        .isEqualTo("1000..1999");
    assertThat(i.getStatistics().getNumNulls()).isEqualTo(333);
  }

  @Test
  void write_sameRowsTwice_givesSameBytes() throws IOException {
    byte[] first = Files.readAllBytes(write(Codec.ZSTD, 1500));
    byte[] second = Files.readAllBytes(write(Codec.ZSTD, 1500));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void write_mapsTypesAsParquetTypesSays() throws IOException {
    Path file = write(Codec.ZSTD, 10);

    assertThat(db.describe(ConverterDuckDb.parquet(List.of(file))))
        .containsExactly(
            Map.entry("s", "VARCHAR"),
            Map.entry("i", "INTEGER"),
            Map.entry("b", "BIGINT"),
            Map.entry("f", "FLOAT"),
            Map.entry("d", "DOUBLE"),
            Map.entry("flag", "BOOLEAN"),
            Map.entry("day", "DATE"),
            Map.entry("ts", "TIMESTAMP"),
            Map.entry("small_dec", "DECIMAL(10,2)"),
            Map.entry("big_dec", "DECIMAL(30,3)"));
    Map<String, Object> ts = db.query("SELECT type, logical_type FROM parquet_schema("
            + ConverterDuckDb.quote(file.toString()) + ") WHERE name = 'ts'")
        .get(0);
    assertThat(ts.get("type")).isEqualTo("INT64");
    assertThat((String) ts.get("logical_type")).contains("isAdjustedToUTC=0").contains("MICROS");
  }

  @Test
  void parquetTypes_mapBackToTheSameColumnTypes() {
    var message = ParquetTypes.toMessageType(ALL_TYPES);
    for (int i = 0; i < ALL_TYPES.size(); i++) {
      assertThat(ParquetTypes.toColumnType(message.getType(i)))
          .isEqualTo(ALL_TYPES.column(i).type());
    }
  }

  @Test
  void close_leavesGivenStreamOpen() throws IOException {
    boolean[] closed = {false};
    OutputStream out = new java.io.ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    try (ParquetRowWriter w = ParquetRowWriter.open(out, ALL_TYPES, Codec.NONE, 10)) {
      w.write(new Row(ALL_TYPES.size()));
    }
    assertThat(closed[0]).isFalse();
    assertThat(((java.io.ByteArrayOutputStream) out).size()).isGreaterThan(4);
  }
}
