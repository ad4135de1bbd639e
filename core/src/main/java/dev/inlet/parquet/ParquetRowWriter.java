package dev.inlet.parquet;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.conf.ParquetConfiguration;

/**
 * Writes {@link Row}s of one {@link Schema} as one Parquet file into a given stream, without touching Hadoop.
 *
 * <p>Lifecycle: {@link #open}, {@link #write} rows, {@link #close()} to write the footer. The stream is NOT
 * closed by this writer (its opener closes it); a writer abandoned without {@code close()} leaves a truncated,
 * unreadable file in the stream, which the owner of the stream must discard. Not thread-safe. Inlet-internal.
 *
 * <p>Dictionary encoding is on for string, boolean, int and date columns (Parquet falls back to plain encoding
 * when a column's dictionary page passes {@value #DICTIONARY_PAGE_BYTES} bytes) and off for bigint, double,
 * float, timestamp, decimal and binary columns, which are mostly ids, measures and instants.
 */
public final class ParquetRowWriter implements Closeable {
  /** Row groups are also capped at this many bytes in memory. */
  static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;

  static final int PAGE_BYTES = 1024 * 1024;
  static final int DICTIONARY_PAGE_BYTES = 1024 * 1024;

  private final ParquetWriter<Row> writer;
  private final StreamOutputFile file;
  private long rows;

  private ParquetRowWriter(ParquetWriter<Row> writer, StreamOutputFile file) {
    this.writer = writer;
    this.file = file;
  }

  /**
   * Starts a Parquet file in {@code out}.
   *
   * @param out where the file's bytes go; not closed by this writer
   * @param schema the columns; rows must match it position by position
   * @param codec page compression
   * @param rowGroupRows maximum rows per row group (bounds memory per open writer)
   */
  public static ParquetRowWriter open(OutputStream out, Schema schema, Codec codec, int rowGroupRows)
      throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(codec, "codec");
    if (rowGroupRows < 1) {
      throw new IllegalArgumentException("rowGroupRows must be >= 1: " + rowGroupRows);
    }
    StreamOutputFile file = new StreamOutputFile(out);
    Builder b = new Builder(file, new RowWriteSupport(schema))
        .withConf(new PlainParquetConfiguration())
        .withCodecFactory(new DirectCodecFactory())
        .withCompressionCodec(DirectCodecFactory.codecName(codec))
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withRowGroupRowCountLimit(rowGroupRows)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .withPageSize(PAGE_BYTES)
        .withDictionaryPageSize(DICTIONARY_PAGE_BYTES)
        .withDictionaryEncoding(true)
        .withMaxPaddingSize(0)
        .withValidation(false);
    for (Column c : schema.columns()) {
      b = b.withDictionaryEncoding(c.name(), usesDictionary(c.type()));
    }
    return new ParquetRowWriter(b.build(), file);
  }

  static boolean usesDictionary(ColumnType type) {
    switch (type.kind()) {
      case STRING:
      case BOOLEAN:
      case INT:
      case DATE:
        return true;
      default:
        return false;
    }
  }

  /** Appends one row; the row may be reused afterwards. */
  public void write(Row row) throws IOException {
    writer.write(row);
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Approximate file size so far: bytes flushed to the stream plus the row group buffered in memory. */
  public long approximateBytes() {
    return writer.getDataSize();
  }

  /** Bytes handed to the stream so far (the exact file size after {@link #close()}). */
  public long bytesWritten() {
    return file.bytesWritten();
  }

  /** Flushes the last row group and writes the footer. Does not close the stream. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final RowWriteSupport support;

    Builder(StreamOutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
      return support;
    }

    /** Never called: the builder always has a ParquetConfiguration. */
    @Override
    @Deprecated
    protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return support;
    }
  }
}
