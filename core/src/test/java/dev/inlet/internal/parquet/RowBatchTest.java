package dev.inlet.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Rows copied into batches, then written: the same file bytes as the rows written directly. */
class RowBatchTest {
  private static final int ROWS = 5000;

  /** Row {@code n} of every type, some nulls, one longer than a block, strings as String or as a slice of a buffer reused afterwards. */
  private static void fill(Row r, int n, byte[] scratch) {
    r.clear();
    if (n % 3 == 2) {
      return;
    }
    if (n == 4000) { // longer than a block
      r.setString(0, "y".repeat(700_000));
    } else if (n % 2 == 0) {
      r.setString(0, "row " + n + " ünïcode" + "x".repeat(n % 300));
    } else {
      byte[] b = ("slice " + n).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(b, 0, scratch, 7, b.length);
      r.setBytes(0, scratch, 7, b.length);
    }
    r.setInt(1, n);
    r.setLong(2, 10_000_000_000L + n);
    r.setFloat(3, n / 4f);
    r.setDouble(4, n % 5 == 0 ? Double.NaN : -n / 8d);
    r.setBoolean(5, n % 2 == 0);
    r.setInt(6, 19_000 + n);
    r.setLong(7, 1_700_000_000_000_000L + n);
    r.setDecimal(8, BigDecimal.valueOf(-n, 2));
    r.setDecimal(9, new BigDecimal("-123456789012345678901234567.891").add(BigDecimal.valueOf(n)));
  }

  private static byte[] file(RowGroupBuffer.EncodedRowGroups groups) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParquetRowWriter w =
        ParquetRowWriter.open(out, ParquetRowWriterTest.ALL_TYPES, Codec.ZSTD, 100_000)) {
      w.append(groups);
    }
    return out.toByteArray();
  }

  @Test
  void rowsThroughBatches_giveTheBytesOfRowsWrittenDirectly_andTheBlocksGoBackToThePool()
      throws IOException {
    byte[] scratch = new byte[64];
    Row row = new Row(ParquetRowWriterTest.ALL_TYPES.size());
    byte[] direct;
    try (RowGroupBuffer b =
        RowGroupBuffer.open(ParquetRowWriterTest.ALL_TYPES, Codec.ZSTD, 100_000)) {
      for (int n = 0; n < ROWS; n++) {
        fill(row, n, scratch);
        b.write(row);
      }
      direct = file(b.finish());
    }
    RowBatch.Blocks pool = new RowBatch.Blocks(1L << 30);
    RowBatch first = RowBatch.of(ParquetRowWriterTest.ALL_TYPES, pool);
    RowBatch second = RowBatch.of(ParquetRowWriterTest.ALL_TYPES, pool);
    for (int n = 0; n < ROWS; n++) {
      fill(row, n, scratch);
      (n < 1234 ? first : second).add(row);
    }
    assertThat(first.rows()).isEqualTo(1234);
    assertThat(first.bytes(0, 1234)).isEqualTo(first.bytes(0, 1000) + first.bytes(1000, 1234));
    byte[] batched;
    try (RowGroupBuffer b =
        RowGroupBuffer.open(ParquetRowWriterTest.ALL_TYPES, Codec.ZSTD, 100_000)) {
      first.writeTo(b, 0, 1000, row);
      first.writeTo(b, 1000, 1234, row);
      second.writeTo(b, 0, second.rows(), row);
      batched = file(b.finish());
    }
    assertThat(batched).isEqualTo(direct);

    assertThat(pool.idleBytes()).isZero();
    first.retain();
    first.release();
    assertThat(pool.idleBytes()).isZero(); // still held by its creator
    first.release();
    assertThat(pool.idleBytes()).isPositive();
    assertThatThrownBy(first::release).isInstanceOf(IllegalStateException.class);
    long idle = pool.idleBytes();
    RowBatch reused = RowBatch.of(ParquetRowWriterTest.ALL_TYPES, pool);
    fill(row, 0, scratch);
    reused.add(row);
    assertThat(pool.idleBytes()).isLessThan(idle); // its first block was an idle one
  }

  @Test
  void endWithin_isTheLastRowEndUnderTheBytes() {
    RowBatch batch = RowBatch.of(ParquetRowWriterTest.ALL_TYPES, new RowBatch.Blocks(0));
    Row row = new Row(ParquetRowWriterTest.ALL_TYPES.size());
    byte[] scratch = new byte[64];
    for (int n = 0; n < 100; n++) {
      fill(row, n, scratch);
      batch.add(row);
    }
    long tenRows = batch.bytes(5, 15);
    assertThat(batch.endWithin(5, tenRows)).isEqualTo(15);
    assertThat(batch.endWithin(5, tenRows - 1)).isEqualTo(14);
    assertThat(batch.endWithin(5, 0)).isEqualTo(5);
    assertThat(batch.endWithin(5, Long.MAX_VALUE / 2)).isEqualTo(100);
    assertThat(batch.endWithin(100, 10)).isEqualTo(100);
  }
}
