package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows partitioned by their values (yearOf, monthOf, byColumn) converted in chunks on several threads: the same
 * partitions and the same rows, value for value and in order, as row-by-row conversion ({@link ConversionRun});
 * the same bytes whatever the thread count and on a rerun; errors on the line of the file where they are, the first
 * in the file winning; row groups spanning chunks. Small chunks, so that a few thousand rows make dozens.
 */
class PartitionedChunkedConversionTest {
  private static final int ROWS = 4000;
  private static final int CHUNK_BYTES = 4096;
  private static final Schema SCHEMA = Schema.of(List.of(
      Column.of("id", ColumnType.BIGINT),
      Column.of("at", ColumnType.TIMESTAMP),
      Column.of("note", ColumnType.STRING),
      Column.of("kind", ColumnType.STRING),
      Column.of("x", ColumnType.DOUBLE),
      Column.of("amount", ColumnType.decimal(9, 2)),
      Column.of("big", ColumnType.decimal(30, 3)),
      Column.of("day", ColumnType.DATE),
      Column.of("ok", ColumnType.BOOLEAN),
      Column.of("n", ColumnType.INT)));

  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private int runs;

  /**
   * Rows over 25 years in shuffled order (every 9th without a timestamp: the null partition); every 5th note spans
   * two lines (CRLF inside quotes), every 7th has doubled quotes and a comma, every 13th kind is empty.
   */
  private static String csv(UnaryOperator<String> rowEdit) {
    StringBuilder sb = new StringBuilder("id,at,note,kind,x,amount,big,day,ok,n\n");
    for (int k = 0; k < ROWS; k++) {
      int year = 2000 + (k * 7919) % 25;
      String at = k % 9 == 0 ? "" : year + "-0" + (1 + k % 9) + "-1" + (k % 10) + " 03:04:05";
      String note = k % 5 == 0
          ? "\"first line\r\nsecond " + k + "\""
          : k % 7 == 0 ? "\"say \"\"hi\"\", " + k + "\"" : "note " + k;
      String kind = kindOf(k);
      String row = k + "," + at + "," + note + "," + kind + "," + (k * 0.25) + "," + (k % 1000)
          + "." + (k % 100) + "," + k + "123456789012345678.5" + ",2024-02-" + (10 + k % 19) + ","
          + (k % 3 == 0) + "," + (k % 77);
      sb.append(rowEdit.apply(row)).append('\n');
    }
    return sb.toString();
  }

  private static String kindOf(int k) {
    return k % 13 == 0 ? "" : "kind-" + (k % 61);
  }

  /** The row whose kind is the {@code n}th distinct one (the empty one counted). */
  private static int rowOpeningKind(int n) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int k = 0; ; k++) {
      if (seen.add(kindOf(k)) && seen.size() == n) {
        return k;
      }
    }
  }

  private static String csv() {
    return csv(UnaryOperator.identity());
  }

  /** The line row {@code row} starts on: header, then one line per row plus one per earlier two-line note. */
  private static long lineOf(int row) {
    return 2 + row + (row + 4) / 5;
  }

  private static CsvToParquet.Builder converter(PartitionSpec spec) {
    return CsvToParquet.builder()
        .schema(SCHEMA)
        .partitionBy(spec)
        .chunkBytes(CHUNK_BYTES)
        .threads(3);
  }

  private record Output(ConversionResult result, TempDirStaging staging) {}

  private Output run(CsvToParquet converter, byte[] csv, boolean rowByRow) throws IOException {
    Path out = Files.createDirectory(dir.resolve("out" + runs++));
    TempDirStaging staging = new TempDirStaging(out);
    SourceFile file = source("test.csv", csv);
    try (InputStream in = file.open()) {
      ConversionResult r = rowByRow
          ? converter.convertRowByRow(file, in, staging, ConversionProgress.NONE)
          : converter.convert(file, in, staging, ConversionProgress.NONE);
      return new Output(r, staging);
    }
  }

  private Output run(CsvToParquet converter, String csv, boolean rowByRow) throws IOException {
    return run(converter, csv.getBytes(StandardCharsets.UTF_8), rowByRow);
  }

  /** Each partition's rows as DuckDB reads them back, in file and row order. */
  private static Map<Map<String, String>, List<String>> rows(Output o) {
    Map<Map<String, String>, List<String>> rows = new LinkedHashMap<>();
    for (Map<String, String> p : o.result().rowsByPartition().keySet()) {
      String from = ConverterDuckDb.parquet(o.staging().paths(p));
      from = from.substring(0, from.length() - 1) + ", hive_partitioning = false)";
      rows.put(
          p,
          db.query("SELECT * FROM " + from).stream()
              .map(r -> r.values().toString())
              .toList());
    }
    return rows;
  }

  private static String digest(Output o) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    for (TempDirStaging.Output f : o.staging().outputs()) {
      md.update(f.partition().toString().getBytes(StandardCharsets.UTF_8));
      md.update(Files.readAllBytes(f.path()));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private void assertSameAsRowByRow(CsvToParquet converter, String csv) throws IOException {
    assertThat(ChunkedConversion.applies(converter)).isTrue();
    Output chunked = run(converter, csv, false);
    Output rows = run(converter, csv, true);
    assertThat(chunked.result())
        .isEqualTo(rows.result()); // schema, rows in and out, partitions in order
    assertThat(rows(chunked)).isEqualTo(rows(rows));
    assertThat(chunked.staging().allClosed()).isTrue();
  }

  @Test
  void yearOf_givesTheRowsOfRowByRow_valueForValue() throws IOException {
    CsvToParquet converter = converter(PartitionSpec.yearOf("at")).build();
    assertSameAsRowByRow(converter, csv());
    Output o = run(converter, csv(), false);
    assertThat(o.result().rowsByPartition())
        .hasSize(26)
        .containsKey(Map.of("year", PartitionSpec.NULL_PARTITION));
  }

  @Test
  void monthOf_givesTheRowsOfRowByRow_valueForValue() throws IOException {
    assertSameAsRowByRow(
        converter(PartitionSpec.monthOf("at")).maxPartitionsPerFile(1000).build(), csv());
  }

  @Test
  void byColumn_manyValuesAndAnEmptyOne_givesTheRowsOfRowByRow_valueForValue() throws IOException {
    CsvToParquet converter = converter(PartitionSpec.byColumn("kind")).build();
    assertSameAsRowByRow(converter, csv());
    assertThat(run(converter, csv(), false).result().rowsByPartition())
        .hasSize(62)
        .containsKey(Map.of("kind", PartitionSpec.NULL_PARTITION));
  }

  @Test
  void inferredTypes_givesTheRowsOfRowByRow() throws IOException {
    assertSameAsRowByRow(
        CsvToParquet.builder()
            .partitionBy(PartitionSpec.yearOf("at"))
            .chunkBytes(CHUNK_BYTES)
            .threads(2)
            .build(),
        csv());
  }

  @Test
  void output_isTheSameBytesForAnyNumberOfThreads_andOnARerun() throws Exception {
    List<String> digests = new ArrayList<>();
    for (int threads : new int[] {1, 2, 4, 4}) {
      digests.add(digest(
          run(converter(PartitionSpec.yearOf("at")).threads(threads).build(), csv(), false)));
      digests.add(digest(
          run(converter(PartitionSpec.byColumn("kind")).threads(threads).build(), csv(), false)));
    }
    for (int i = 2; i < digests.size(); i++) {
      assertThat(digests.get(i)).as("run %d", i).isEqualTo(digests.get(i % 2));
    }
  }

  @Test
  void aPartitionsRowGroup_spansManyChunks_andClosesAtRowGroupRows() throws IOException {
    // about 110 bytes a row: 4,000 rows are some 100 chunks of 4 KiB; every row in one year
    String csv = csv(row -> row.replaceFirst(",20\\d\\d-", ",2024-"));
    Output o = run(converter(PartitionSpec.yearOf("at")).rowGroupRows(1500).build(), csv, false);
    Map<String, String> year = Map.of("year", "2024");
    assertThat(o.result().rowsByPartition().get(year)).isEqualTo(ROWS - (ROWS + 8) / 9);
    List<Path> files = o.staging().paths(year);
    assertThat(files).hasSize(1);
    List<Long> groupRows = db
        .query("SELECT row_group_num_rows AS n FROM parquet_metadata("
            + ConverterDuckDb.quote(files.get(0).toString())
            + ") GROUP BY row_group_id, row_group_num_rows"
            + " ORDER BY row_group_id")
        .stream()
        .map(r -> ((Number) r.get("n")).longValue())
        .toList();
    assertThat(groupRows).containsExactly(1500L, 1500L, (long) ROWS - (ROWS + 8) / 9 - 3000);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void badValueInALaterChunk_failsOnItsLineAndColumn_asRowByRow(int threads) throws IOException {
    String csv = csv(row ->
        row.startsWith("3001,") ? row.replaceFirst(",20\\d\\d-0\\d-1\\d ", ",not a time ") : row);
    CsvToParquet converter =
        converter(PartitionSpec.yearOf("at")).threads(threads).build();
    for (boolean rowByRow : new boolean[] {false, true}) {
      assertThatThrownBy(() -> run(converter, csv, rowByRow))
          .as("row by row: %s", rowByRow)
          .isInstanceOfSatisfying(MalformedInputException.class, e -> {
            assertThat(e.line()).isEqualTo(lineOf(3001));
            assertThat(e.column()).isEqualTo("at");
          });
    }
  }

  @Test
  void skip_dropsBadRowsInAnyChunk_andCountsThem_asRowByRow() throws IOException {
    String csv = csv(row -> row.startsWith("17,") || row.startsWith("2500,")
        ? row + ",extra"
        : row.startsWith("3999,") ? row.replaceFirst(",\\d+\\.\\d+,", ",zz,") : row);
    CsvToParquet converter =
        converter(PartitionSpec.byColumn("kind")).badRows(BadRowPolicy.SKIP).build();
    assertSameAsRowByRow(converter, csv);
    ConversionResult r = run(converter, csv, false).result();
    assertThat(r.rowsIn() - r.rowsOut()).isEqualTo(3);
  }

  @Test
  void tooManyPartitions_failsOnTheRowOpeningTheFirstOneTooMany_asRowByRow() throws IOException {
    String csv = csv();
    CsvToParquet converter =
        converter(PartitionSpec.byColumn("kind")).maxPartitionsPerFile(40).build();
    List<Long> lines = new ArrayList<>();
    for (boolean rowByRow : new boolean[] {false, true}) {
      assertThatThrownBy(() -> run(converter, csv, rowByRow))
          .isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.column()).isEqualTo("kind");
            assertThat(e.getMessage()).contains("would be partition 41");
            lines.add(e.line());
          });
    }
    assertThat(lines.get(0)).isEqualTo(lines.get(1)).isEqualTo(lineOf(rowOpeningKind(41)));
  }

  @Test
  void tooManyPartitions_beforeABadRowOfTheSameChunk_isTheErrorReported() throws IOException {
    // a row opens partition 41; the next one, in the same chunk, is bad: the first problem is
    // reported
    int opening = rowOpeningKind(41);
    String csv = csv(row -> row.startsWith((opening + 1) + ",") ? row + ",extra" : row);
    CsvToParquet converter =
        converter(PartitionSpec.byColumn("kind")).maxPartitionsPerFile(40).build();
    for (boolean rowByRow : new boolean[] {false, true}) {
      assertThatThrownBy(() -> run(converter, csv, rowByRow))
          .as("row by row: %s", rowByRow)
          .isInstanceOfSatisfying(
              LimitExceededException.class, e -> assertThat(e.line()).isEqualTo(lineOf(opening)));
    }
    // and a bad row before it wins
    String earlier = csv(row -> row.startsWith((opening - 1) + ",") ? row + ",extra" : row);
    for (boolean rowByRow : new boolean[] {false, true}) {
      assertThatThrownBy(() -> run(converter, earlier, rowByRow))
          .as("row by row: %s", rowByRow)
          .isInstanceOfSatisfying(MalformedInputException.class, e -> {
            assertThat(e).isNotInstanceOf(LimitExceededException.class);
            assertThat(e.line()).isEqualTo(lineOf(opening - 1));
          });
    }
  }

  @Test
  void bytesThatAreNotUtf8_areReplacedAndCounted_asRowByRow() throws IOException {
    byte[] text = csv().getBytes(StandardCharsets.UTF_8);
    String marker = "note 2502";
    int at = new String(text, StandardCharsets.ISO_8859_1).indexOf(marker);
    text[at + 2] = (byte) 0xFF;
    CsvToParquet converter = converter(PartitionSpec.yearOf("at")).build();
    Output chunked = run(converter, text, false);
    Output rows = run(converter, text, true);
    assertThat(chunked.result()).isEqualTo(rows.result());
    assertThat(chunked.result().invalidUtf8Replacements()).isEqualTo(1);
    assertThat(rows(chunked)).isEqualTo(rows(rows));
  }
}
