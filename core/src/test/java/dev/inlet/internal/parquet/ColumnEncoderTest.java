package dev.inlet.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Codec;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import dev.inlet.testing.ConverterDuckDb;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inlet's own page encoders, checked against independent readers: parquet-java's RLE decoder for the hybrid
 * encoding, DuckDB for every value of a multi-page file, parquet-java's column index for page statistics.
 */
class ColumnEncoderTest {
  static final int ROWS = 65_000;
  static final int UNIQUE_FROM = 25_000;
  static final Schema SCHEMA = Schema.builder()
      .column("id", ColumnType.BIGINT)
      .column("s", ColumnType.STRING)
      .column("i", ColumnType.INT)
      .column("day", ColumnType.DATE)
      .column("d", ColumnType.DOUBLE)
      .column("f", ColumnType.FLOAT)
      .column("flag", ColumnType.BOOLEAN)
      .column("ts", ColumnType.TIMESTAMP)
      .column("dec", ColumnType.decimal(12, 2))
      .column("big", ColumnType.decimal(25, 1))
      .build();

  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  /** Every 7th row (id % 7 == 3) is null in every column but id. */
  static boolean isNull(long id) {
    return id % 7 == 3;
  }

  /** Repeating categories first, then 120-byte unique strings that outgrow a 1 MiB dictionary mid-page. */
  static String s(long id) {
    return id < UNIQUE_FROM ? "cat-" + (id % 50) : "u-" + id + "-" + "x".repeat(110);
  }

  private Path writeFile() throws IOException {
    Path file = dir.resolve("pages.parquet");
    try (OutputStream out = Files.newOutputStream(file);
        ParquetRowWriter w = ParquetRowWriter.open(out, SCHEMA, Codec.ZSTD, 100_000)) {
      Row r = new Row(SCHEMA.size());
      for (long id = 0; id < ROWS; id++) {
        r.clear();
        r.setLong(0, id);
        if (!isNull(id)) {
          r.setString(1, s(id));
          r.setInt(2, (int) (id % 1000));
          r.setInt(3, (int) (18_000 + id % 400));
          r.setDouble(4, id / 8.0 - 1000);
          r.setFloat(5, id / 4f);
          r.setBoolean(6, id % 2 == 0);
          r.setLong(7, 1_600_000_000_000_000L + id * 1_000_000L);
          r.setDecimal(8, BigDecimal.valueOf(id - 30_000, 2));
          r.setDecimal(9, BigDecimal.valueOf(id * 3 - 100_000, 1));
        }
        w.write(r);
      }
    }
    return file;
  }

  @Test
  void multiPageFile_readsBackEveryValue() throws IOException {
    Path file = writeFile();
    String from = ConverterDuckDb.parquet(List.of(file));

    assertThat(db.count("SELECT count(*) FROM " + from)).isEqualTo(ROWS);
    String expected = "CASE WHEN id % 7 = 3 THEN NULL ELSE %s END";
    String[][] checks = {
      {
        "s",
        "CASE WHEN id < " + UNIQUE_FROM
            + " THEN 'cat-' || (id % 50) ELSE 'u-' || id || '-' || repeat('x', 110) END"
      },
      {"i", "CAST(id % 1000 AS INTEGER)"},
      {"day", "DATE '1970-01-01' + CAST(18000 + id % 400 AS INTEGER)"},
      {"d", "id / 8.0 - 1000"},
      {"f", "CAST(id / 4.0 AS FLOAT)"},
      {"flag", "id % 2 = 0"},
      {"ts", "make_timestamp(1600000000000000 + id * 1000000)"},
      {"dec", "CAST((id - 30000) / 100 AS DECIMAL(12,2))"},
      {"big", "CAST((id * 3 - 100000) / 10 AS DECIMAL(25,1))"},
    };
    for (String[] c : checks) {
      long wrong = db.count("SELECT count(*) FROM " + from + " WHERE " + c[0] + " IS DISTINCT FROM "
          + expected.replace("%s", c[1]));
      assertThat(wrong).as("rows where column %s differs", c[0]).isZero();
    }
  }

  @Test
  void stringColumn_fallsBackToPlainWhenTheDictionaryOutgrowsItsPage() throws IOException {
    Path file = writeFile();

    String encodings = (String) db.query("SELECT encodings FROM parquet_metadata("
            + ConverterDuckDb.quote(file.toString()) + ") WHERE path_in_schema = 's'")
        .get(0)
        .get("encodings");
    assertThat(encodings).contains("PLAIN_DICTIONARY").containsPattern("(^|[^_])PLAIN");
    String iEncodings = (String) db.query("SELECT encodings FROM parquet_metadata("
            + ConverterDuckDb.quote(file.toString()) + ") WHERE path_in_schema = 'i'")
        .get(0)
        .get("encodings");
    assertThat(iEncodings).contains("PLAIN_DICTIONARY");
  }

  @Test
  void pages_carryMinMaxAndNullCountsInTheColumnIndex() throws IOException {
    Path file = writeFile();

    byte[] bytes = Files.readAllBytes(file);
    BlockMetaData block = footer(bytes).getBlocks().get(0);
    assertThat(block.getRowCount()).isEqualTo(ROWS);
    int pages = (ROWS + ColumnEncoder.PAGE_ROWS - 1) / ColumnEncoder.PAGE_ROWS;
    ColumnIndex ids = columnIndex(bytes, column(block, "id"));
    assertThat(ids.getMinValues()).hasSize(pages);
    for (int p = 0; p < pages; p++) {
      long first = (long) p * ColumnEncoder.PAGE_ROWS;
      long last = Math.min(ROWS, first + ColumnEncoder.PAGE_ROWS) - 1;
      assertThat(ids.getMinValues().get(p).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
          .isEqualTo(first);
      assertThat(ids.getMaxValues().get(p).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
          .isEqualTo(last);
    }
    // strings: pages also close at 1 MiB of values, so take the page boundaries from the offset
    // index
    ColumnIndex strings = columnIndex(bytes, column(block, "s"));
    OffsetIndex offsets = offsetIndex(bytes, column(block, "s"));
    assertThat(offsets.getPageCount()).isGreaterThan(pages);
    for (int p = 0; p < offsets.getPageCount(); p++) {
      long first = offsets.getFirstRowIndex(p);
      long last = offsets.getLastRowIndex(p, ROWS);
      TreeSet<String> values = new TreeSet<>((a, b) -> java.util.Arrays.compareUnsigned(
          a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
      long nulls = 0;
      for (long id = first; id <= last; id++) {
        if (isNull(id)) {
          nulls++;
        } else {
          values.add(s(id));
        }
      }
      assertThat(strings.getNullCounts().get(p)).as("nulls in page %d", p).isEqualTo(nulls);
      assertThat(text(strings.getMinValues().get(p)))
          .as("min of page %d", p)
          .isEqualTo(truncated(values.first()));
      assertThat(text(strings.getMaxValues().get(p)))
          .as("max of page %d", p)
          .startsWith(
              truncated(values.last()).substring(0, Math.min(60, values.last().length())));
    }
  }

  /** The footer, parsed without Hadoop (as the crawler does). */
  private static ParquetMetadata footer(byte[] file) throws IOException {
    int length =
        ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return new ParquetMetadataConverter()
        .readParquetMetadata(
            new ByteArrayInputStream(file, file.length - 8 - length, length),
            ParquetMetadataConverter.NO_FILTER);
  }

  private static ColumnIndex columnIndex(byte[] file, ColumnChunkMetaData chunk)
      throws IOException {
    IndexReference ref = chunk.getColumnIndexReference();
    return ParquetMetadataConverter.fromParquetColumnIndex(
        chunk.getPrimitiveType(),
        Util.readColumnIndex(
            new ByteArrayInputStream(file, (int) ref.getOffset(), ref.getLength())));
  }

  private static OffsetIndex offsetIndex(byte[] file, ColumnChunkMetaData chunk)
      throws IOException {
    IndexReference ref = chunk.getOffsetIndexReference();
    return ParquetMetadataConverter.fromParquetOffsetIndex(Util.readOffsetIndex(
        new ByteArrayInputStream(file, (int) ref.getOffset(), ref.getLength())));
  }

  @Test
  void wideSchema_getsSmallerPages_soOpenPagesStayBounded() throws IOException {
    int width = 400;
    Schema.Builder b = Schema.builder();
    for (int c = 0; c < width; c++) {
      b.column("d" + c, ColumnType.DOUBLE);
    }
    Schema wide = b.build();
    Path file = dir.resolve("wide.parquet");
    try (OutputStream out = Files.newOutputStream(file);
        ParquetRowWriter w = ParquetRowWriter.open(out, wide, Codec.NONE, 100_000)) {
      Row r = new Row(width);
      for (int n = 0; n < 30_000; n++) {
        for (int c = 0; c < width; c++) {
          r.setDouble(c, n + c / 1000.0);
        }
        w.write(r);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    BlockMetaData block = footer(bytes).getBlocks().get(0);
    OffsetIndex pages = offsetIndex(bytes, column(block, "d0"));
    long rowsPerPage = ColumnEncoder.OPEN_PAGES_BYTES / width / 8 + 1;
    assertThat(pages.getPageCount()).isGreaterThan(2);
    for (int p = 0; p < pages.getPageCount(); p++) {
      assertThat(pages.getLastRowIndex(p, 30_000) - pages.getFirstRowIndex(p) + 1)
          .isLessThanOrEqualTo(rowsPerPage);
    }
    assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(List.of(file))
            + " WHERE d399 = 7 + 0.399"))
        .isEqualTo(1);
  }

  @Test
  void largeValues_closeTheirPageNearItsByteLimit() throws IOException {
    Schema schema = Schema.builder()
        .column("id", ColumnType.INT)
        .column("wkt", ColumnType.STRING)
        .build();
    int valueBytes = 300 * 1024;
    Path file = dir.resolve("large.parquet");
    try (OutputStream out = Files.newOutputStream(file);
        ParquetRowWriter w = ParquetRowWriter.open(out, schema, Codec.ZSTD, 100_000)) {
      Row r = new Row(2);
      byte[] value = new byte[valueBytes];
      for (int n = 0; n < 60; n++) {
        java.util.Arrays.fill(value, (byte) ('a' + n % 26));
        value[0] = (byte) ('A' + n % 26);
        value[1] = (byte) ('A' + n / 26); // every value distinct
        r.setInt(0, n);
        r.setBytes(1, value, 0, value.length);
        w.write(r);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    OffsetIndex pages = offsetIndex(bytes, column(footer(bytes).getBlocks().get(0), "wkt"));
    long limitRows = ColumnEncoder.PAGE_BYTES / (4 + valueBytes)
        + 1; // the value that reaches the limit closes it
    assertThat(pages.getPageCount()).isGreaterThanOrEqualTo((int) (60 / limitRows));
    for (int p = 0; p < pages.getPageCount(); p++) {
      assertThat(pages.getLastRowIndex(p, 60) - pages.getFirstRowIndex(p) + 1)
          .isLessThanOrEqualTo(limitRows);
    }
    assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(List.of(file))
            + " WHERE length(wkt) = " + valueBytes))
        .isEqualTo(60);
  }

  @Test
  void mostlyDistinctStrings_arePlainFromTheFirstRow_repeatedOnesKeepTheirDictionary()
      throws IOException {
    Schema schema = Schema.builder()
        .column("addr", ColumnType.STRING)
        .column("kind", ColumnType.STRING)
        .build();
    for (int rows :
        new int[] {3000, 500}) { // the decision at row 1,000, and at the end of a shorter run
      Path file = dir.resolve("distinct-" + rows + ".parquet");
      try (OutputStream out = Files.newOutputStream(file);
          ParquetRowWriter w = ParquetRowWriter.open(out, schema, Codec.ZSTD, 100_000)) {
        Row r = new Row(2);
        for (int n = 0; n < rows; n++) {
          r.clear();
          // 90 % distinct long addresses: a dictionary would still come out smaller, but the 90 %
          // rule says plain
          r.setString(0, (n % 10 == 9 ? n - 1 : n) * 7919 + " Main St" + ".".repeat(90));
          r.setString(1, "kind " + n % 5);
          w.write(r);
        }
      }
      byte[] bytes = Files.readAllBytes(file);
      BlockMetaData block = footer(bytes).getBlocks().get(0);
      ColumnChunkMetaData addr = column(block, "addr");
      assertThat(addr.getEncodings())
          .as("addr, %d rows", rows)
          .doesNotContain(org.apache.parquet.column.Encoding.PLAIN_DICTIONARY);
      assertThat(addr.hasDictionaryPage()).isFalse();
      assertThat(column(block, "kind").getEncodings())
          .contains(org.apache.parquet.column.Encoding.PLAIN_DICTIONARY);
      assertThat(db.count("SELECT count(DISTINCT addr) FROM "
              + ConverterDuckDb.parquet(List.of(file)) + " WHERE addr LIKE '% Main St%'"))
          .isEqualTo(rows - rows / 10);
    }
  }

  private static ColumnChunkMetaData column(BlockMetaData block, String name) {
    return block.getColumns().stream()
        .filter(c -> c.getPath().toDotString().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String text(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return new String(a, StandardCharsets.UTF_8);
  }

  /** The column index keeps at most 64 bytes of a min value. */
  private static String truncated(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64);
  }

  @Provide
  Arbitrary<List<Integer>> runsAndNoise() {
    Arbitrary<List<Integer>> run = Arbitraries.integers()
        .between(0, 1 << 20)
        .flatMap(v ->
            Arbitraries.integers().between(1, 40).map(n -> java.util.Collections.nCopies(n, v)));
    return run.list().ofMaxSize(60).map(runs -> {
      List<Integer> all = new ArrayList<>();
      runs.forEach(all::addAll);
      return all;
    });
  }

  @Property(tries = 300)
  void rleHybrid_decodesToTheSameValuesWithParquetJava(
      @ForAll("runsAndNoise") List<Integer> raw, @ForAll @IntRange(min = 0, max = 21) int bitWidth)
      throws IOException {
    int[] values = raw.stream()
        .mapToInt(v -> bitWidth == 0 ? 0 : v & ((1 << bitWidth) - 1))
        .toArray();
    ByteBuf out = new ByteBuf(16);
    RleHybrid.encode(values, values.length, bitWidth, out);

    RunLengthBitPackingHybridDecoder decoder =
        new RunLengthBitPackingHybridDecoder(bitWidth, new ByteArrayInputStream(out.toByteArray()));
    for (int k = 0; k < values.length; k++) {
      assertThat(decoder.readInt()).as("value %d of %d", k, values.length).isEqualTo(values[k]);
    }
  }
}
