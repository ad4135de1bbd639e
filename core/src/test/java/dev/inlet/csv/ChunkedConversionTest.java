package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Column;
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
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file converted in chunks on several threads (small chunks here, so that a few thousand rows make dozens of
 * them): the same bytes whatever the thread count, the same rows as row-by-row conversion, errors on the line of
 * the file where they are, however many quoted line breaks come before.
 */
class ChunkedConversionTest {
  private static final int ROWS = 6000;
  private static final int CHUNK_BYTES = 8 * 1024;
  private static final Schema SCHEMA = Schema.of(List.of(
      Column.of("id", ColumnType.BIGINT),
      Column.of("at", ColumnType.TIMESTAMP),
      Column.of("note", ColumnType.STRING),
      Column.of("kind", ColumnType.STRING),
      Column.of("x", ColumnType.DOUBLE)));

  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  /** Every 5th note spans two lines (CRLF inside quotes), every 7th has quotes and a comma. */
  private static String csv(int badRow, String badAt) {
    StringBuilder sb = new StringBuilder("id,at,note,kind,x\n");
    for (int k = 0; k < ROWS; k++) {
      String note = k % 5 == 0
          ? "\"first line\r\nsecond " + k + "\""
          : k % 7 == 0 ? "\"say \"\"hi\"\", " + k + "\"" : "note " + k;
      sb.append(k)
          .append(',')
          .append(k == badRow ? badAt : "2024-01-02 03:04:05")
          .append(',')
          .append(note)
          .append(',')
          .append("kind-")
          .append(k % 13)
          .append(',')
          .append(k * 0.25)
          .append('\n');
    }
    return sb.toString();
  }

  /** The line row {@code row} starts on: header, then one line per row plus one per earlier two-line note. */
  private static long lineOf(int row) {
    return 2 + row + (row + 4) / 5;
  }

  private CsvToParquet.Builder converter() {
    return CsvToParquet.builder().schema(SCHEMA).chunkBytes(CHUNK_BYTES);
  }

  private byte[] convertWith(CsvToParquet converter, String name) throws IOException {
    TempDirStaging staging = new TempDirStaging(dir.resolve(name));
    ConversionResult result = convert(converter, csv(-1, ""), staging);
    assertThat(result.rowsOut()).isEqualTo(ROWS);
    assertThat(staging.paths()).hasSize(1);
    return Files.readAllBytes(staging.paths().get(0));
  }

  @Test
  void output_isTheSameBytesForAnyNumberOfThreads() throws IOException {
    byte[] one = convertWith(converter().threads(1).build(), "one");
    byte[] two = convertWith(converter().threads(2).build(), "two");
    byte[] four = convertWith(converter().threads(4).build(), "four");

    assertThat(two).isEqualTo(one);
    assertThat(four).isEqualTo(one);
  }

  @Test
  void aConverterGivenItsOwnBudget_usesItAndNotTheProcesses_withTheSameOutput() throws IOException {
    CsvToParquet own = converter().threads(4).chunkMemory(3L << 20).build();
    CsvToParquet shared = converter().threads(4).build();

    assertThat(shared.chunkMemory()).isSameAs(ChunkMemory.process());
    assertThat(own.chunkMemory()).isNotSameAs(ChunkMemory.process());
    assertThat(own.chunkMemory().limit()).isEqualTo(3L << 20);
    assertThat(own.toBuilder().build().chunkMemory())
        .as("copies share their original's budget")
        .isSameAs(own.chunkMemory());
    assertThat(own.fingerprint()).isEqualTo(shared.fingerprint());
    assertThat(convertWith(own, "own")).isEqualTo(convertWith(shared, "shared"));
    assertThatThrownBy(() -> CsvToParquet.builder().chunkMemory(1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot budget 1000 bytes for chunk buffers: use 1 MiB or more");
  }

  @Test
  void rows_equalRowByRowConversion() throws IOException {
    TempDirStaging chunked = new TempDirStaging(dir.resolve("chunked"));
    convert(converter().threads(2).build(), csv(-1, ""), chunked);
    // quarantining bad rows needs their order, so it converts row by row
    TempDirStaging rowByRow = new TempDirStaging(dir.resolve("rows"));
    convert(converter().badRows(BadRowPolicy.QUARANTINE).build(), csv(-1, ""), rowByRow);

    String a = ConverterDuckDb.parquet(chunked.paths());
    String b = ConverterDuckDb.parquet(rowByRow.paths());
    assertThat(db.count("SELECT count(*) FROM " + a)).isEqualTo(ROWS);
    assertThat(db.count(
            "SELECT count(*) FROM (SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ")"))
        .isZero();
    assertThat(db.count(
            "SELECT count(*) FROM (SELECT * FROM " + b + " EXCEPT ALL SELECT * FROM " + a + ")"))
        .isZero();
    assertThat(db.count("SELECT count(*) FROM parquet_metadata("
            + ConverterDuckDb.quote(chunked.paths().get(0).toString())
            + ") WHERE path_in_schema = 'id'"))
        .isGreaterThan(10);
  }

  @Test
  void bytesThatAreNotUtf8_becomeReplacementCharacters_asRowByRow() throws IOException {
    byte[] text = csv(-1, "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String marker = "note 4001,";
    int at = csv(-1, "").indexOf(marker); // ASCII up to here, so char and byte offsets agree
    text[at + 2] =
        (byte) 0xFF; // "no\xFFe 4001": that chunk is decoded as chars, the others parsed as bytes
    TempDirStaging chunked = new TempDirStaging(dir.resolve("chunked"));
    convert(converter().threads(2).build(), CsvFixtures.source("t.csv", text), chunked);
    TempDirStaging rowByRow = new TempDirStaging(dir.resolve("rows"));
    convert(
        converter().badRows(BadRowPolicy.QUARANTINE).build(),
        CsvFixtures.source("t.csv", text),
        rowByRow);

    String a = ConverterDuckDb.parquet(chunked.paths());
    String b = ConverterDuckDb.parquet(rowByRow.paths());
    assertThat(db.query("SELECT note FROM " + a + " WHERE id = 4001").get(0).get("note"))
        .isEqualTo("no\uFFFDe 4001");
    assertThat(db.count(
            "SELECT count(*) FROM (SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ")"))
        .isZero();
    assertThat(db.count("SELECT count(*) FROM " + a)).isEqualTo(ROWS);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void badValueInALaterChunk_failsOnItsLineInTheFile(int threads) {
    int bad = 4321;
    assertThatThrownBy(() -> convert(
            converter().threads(threads).build(), csv(bad, "yesterday"), new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(lineOf(bad));
          assertThat(e.column()).isEqualTo("at");
          assertThat(e.getMessage()).contains("'yesterday' is not a timestamp");
        });
  }

  @Test
  void strayQuoteInALaterChunk_failsOnTheLinesOfTheFile() {
    int bad = 5001;
    assertThatThrownBy(() -> convert(
            converter().threads(2).build(), csv(bad, "\"2024-01-02"), new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(lineOf(bad));
          // the stray quote runs on to the quote opening row 5005's note; both lines count from the
          // top of the file
          assertThat(e.getMessage()).contains("follows a closing quote on line " + lineOf(bad + 4));
        });
  }

  @Test
  void skip_dropsBadRowsInAnyChunk_andCountsThem() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(
        converter().threads(2).badRows(BadRowPolicy.SKIP).build(), csv(777, "never"), staging);

    assertThat(result.rowsIn()).isEqualTo(ROWS);
    assertThat(result.rowsOut()).isEqualTo(ROWS - 1);
    assertThat(db.count(
            "SELECT count(*) FROM " + ConverterDuckDb.parquet(staging.paths()) + " WHERE id = 777"))
        .isZero();
  }

  @Test
  void conversionsSharingATightBudget_allFinish_andGiveTheMemoryBack() throws Exception {
    ChunkMemory memory =
        new ChunkMemory(2L * (CHUNK_BYTES + CsvChunker.READ_BYTES)); // two chunk buffers
    CsvToParquet converter = converter().threads(2).build();
    byte[] csv = csv(-1, "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<ConversionResult>> runs = new java.util.ArrayList<>();
      for (int k = 0; k < 3; k++) {
        TempDirStaging staging = new TempDirStaging(dir.resolve("run" + k));
        runs.add(pool.submit(() -> new ChunkedConversion(
                converter,
                CsvFixtures.source("f.csv", csv),
                new java.io.ByteArrayInputStream(csv),
                staging,
                dev.inlet.Converter.ConversionProgress.NONE,
                2,
                CHUNK_BYTES,
                memory)
            .execute()));
      }
      for (var run : runs) {
        assertThat(run.get(60, java.util.concurrent.TimeUnit.SECONDS).rowsOut()).isEqualTo(ROWS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(memory.inUse()).isZero();
  }

  @Test
  void memory_waitsForRoom_butNeverWhenNoBufferIsInUse_andReusesGivenBuffers() throws Exception {
    ChunkMemory memory = new ChunkMemory(400);
    byte[] big = memory.tryTake(500); // nothing in use: one conversion may always go on
    assertThat(big).hasSize(500);
    assertThat(memory.tryTake(1)).isNull();
    java.util.concurrent.CompletableFuture<byte[]> waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return memory.take(300);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    Thread.sleep(50);
    assertThat(waiting).isNotDone();
    memory.give(big);
    assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .isSameAs(big); // the idle buffer, reused
    assertThat(memory.inUse()).isEqualTo(500);
    memory.give(big);
    assertThat(memory.take(100))
        .hasSize(100); // an idle buffer more than twice too big is dropped, not used
  }

  @Test
  void inferenceSample_runsPastTheFirstChunk_likeRowByRow() throws IOException {
    StringBuilder sb = new StringBuilder("id,code\n");
    for (int k = 0; k < 5000; k++) {
      sb.append(k).append(',').append(k < 3000 ? Integer.toString(k) : "x" + k).append('\n');
    }
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(
        CsvToParquet.builder().inferSchema(10_000).chunkBytes(4096).threads(2).build(),
        sb.toString(),
        staging);

    assertThat(result.schema().column(1).type())
        .isEqualTo(ColumnType.STRING); // "x3000" is in the sample
    assertThat(result.rowsOut()).isEqualTo(5000);
  }

  @Test
  void badHeader_givesItsChunkBack() {
    ChunkMemory memory = new ChunkMemory(1L << 30);
    byte[] csv = "a,a\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new ChunkedConversion(
                converter().build(),
                CsvFixtures.source("f.csv", csv),
                new java.io.ByteArrayInputStream(csv),
                new TempDirStaging(dir),
                dev.inlet.Converter.ConversionProgress.NONE,
                2,
                CHUNK_BYTES,
                memory)
            .execute())
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("twice");
    assertThat(memory.inUse()).isZero();
  }

  @Test
  void threads_areLimitedByWhatTheHeapHolds() {
    int chunk = ChunkedConversion.CHUNK_BYTES;
    // the budget is a quarter of the heap: 256 MiB (247 MiB as the JVM counts it) gives two workers
    assertThat(ChunkedConversion.affordableThreads(4, (247L << 20) / 4, chunk)).isEqualTo(2);
    assertThat(ChunkedConversion.affordableThreads(4, (1L << 30) / 4, chunk)).isEqualTo(4);
    assertThat(ChunkedConversion.affordableThreads(4, (64L << 20) / 4, chunk)).isEqualTo(1);
    assertThat(ChunkedConversion.affordableThreads(1, (1L << 30) / 4, chunk)).isEqualTo(1);
  }
}
