package dev.inlet.internal.parquet;

import dev.inlet.Codec;
import dev.inlet.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@link Row}s of one {@link Schema} as one Parquet file into a given stream, without touching Hadoop:
 * rows are encoded by a {@link RowGroupBuffer} (Inlet's own page encoders: flat schema, optional columns, Parquet
 * v1 data pages, PLAIN and PLAIN_DICTIONARY as parquet-java's v1 writer chooses them), or row groups encoded
 * elsewhere are {@linkplain #append appended}; {@link ParquetFileLayout} lays out the file: page headers, column
 * and offset indexes, footer.
 *
 * <p>Lifecycle: {@link #open}, {@link #write} rows and/or {@link #append} row groups, {@link #close()} to write
 * the footer. The stream is NOT closed by this writer (its opener closes it); a writer abandoned without
 * {@code close()} leaves a truncated, unreadable file in the stream, which the owner of the stream must discard
 * ({@link #abandon()} frees the writer's native compressor). Not thread-safe. Inlet-internal.
 */
public final class ParquetRowWriter implements Closeable {
  /** Footer key naming the object model, as parquet-java's ParquetWriter writes it. */
  static final String MODEL_NAME_KEY = "writer.model.name";

  private final OutputStream out;
  private final Schema schema;
  private final Codec codec;
  private final int rowGroupRows;
  private ParquetFileLayout layout;
  private RowGroupBuffer buffer;
  private long lastRowGroupEnd;
  private long rows;
  private boolean closed;

  private ParquetRowWriter(OutputStream out, Schema schema, Codec codec, int rowGroupRows) {
    this.out = out;
    this.schema = schema;
    this.codec = codec;
    this.rowGroupRows = rowGroupRows;
  }

  /**
   * Starts a Parquet file in {@code out}.
   *
   * @param out where the file's bytes go; not closed by this writer
   * @param schema the columns; rows must match it position by position
   * @param codec page compression
   * @param rowGroupRows maximum rows per row group of the rows given to {@link #write} (bounds memory)
   * @return a writer of one Parquet file to {@code out}
   * @throws IOException if the stream fails
   */
  public static ParquetRowWriter open(
      OutputStream out, Schema schema, Codec codec, int rowGroupRows) throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(codec, "codec");
    if (rowGroupRows < 1) {
      throw new IllegalArgumentException("rowGroupRows must be >= 1: " + rowGroupRows);
    }
    return new ParquetRowWriter(out, schema, codec, rowGroupRows);
  }

  private void startFile() throws IOException {
    if (layout == null) {
      layout = new ParquetFileLayout(out, ParquetTypes.toMessageType(schema), codec);
    }
  }

  /**
   * Appends one row; the row may be reused afterwards.
   *
   * @param row the row, one value per column of the schema
   * @throws IOException if the stream fails
   */
  public void write(Row row) throws IOException {
    checkOpen();
    if (buffer == null) {
      buffer = RowGroupBuffer.open(schema, codec, rowGroupRows);
    }
    buffer.write(row);
    rows++;
    for (RowGroupEncoder.EncodedRowGroup g : buffer.takeCompleted()) {
      writeRowGroup(g);
    }
  }

  /**
   * Appends row groups encoded by a {@link RowGroupBuffer} of the same schema and codec, after the rows and row
   * groups written so far (rows given to {@link #write} and not yet in a finished row group come later).
   *
   * @param groups row groups encoded by {@link RowGroupBuffer}
   * @throws IOException if the stream fails
   */
  public void append(RowGroupBuffer.EncodedRowGroups groups) throws IOException {
    checkOpen();
    for (RowGroupEncoder.EncodedRowGroup g : groups.groups) {
      writeRowGroup(g);
      rows += g.rows();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cannot write rows: the Parquet writer is closed");
    }
  }

  private void writeRowGroup(RowGroupEncoder.EncodedRowGroup group) throws IOException {
    if (group.rows() == 0) {
      return;
    }
    startFile();
    layout.writeRowGroup(group);
    lastRowGroupEnd = layout.position();
  }

  /** {@return rows written or appended so far} */
  public long rows() {
    return rows;
  }

  /**
   * Approximate file size so far: bytes flushed to the stream plus the row group buffered in memory.
   *
   * @return the approximate file size so far: bytes flushed to the stream plus the row group buffered in memory
   */
  public long approximateBytes() {
    return buffer == null ? lastRowGroupEnd : lastRowGroupEnd + buffer.bufferedBytes();
  }

  /** {@return bytes of rows given to {@link #write} that are held in memory, not yet in the stream} */
  public long bufferedBytes() {
    return buffer == null ? 0 : buffer.bufferedBytes();
  }

  /**
   * Closes the row group being buffered (if it has rows) and writes it to the stream, and frees the encoder with
   * its grown page buffers and dictionaries; the next rows start a new row group (deciding their dictionaries
   * afresh, as after any row group the buffer closed itself).
   *
   * @throws IOException if the stream fails
   */
  public void flushRowGroup() throws IOException {
    checkOpen();
    if (buffer != null) {
      try {
        for (RowGroupEncoder.EncodedRowGroup g : buffer.finish().groups) {
          writeRowGroup(g);
        }
      } finally {
        buffer.close();
        buffer = null;
      }
    }
  }

  /** Flushes the last row group and writes the footer. Does not close the stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (buffer != null) {
        for (RowGroupEncoder.EncodedRowGroup g : buffer.finish().groups) {
          writeRowGroup(g);
        }
      }
      startFile();
      layout.end(Map.of(MODEL_NAME_KEY, "inlet"));
    } finally {
      abandon();
    }
  }

  /**
   * Gives the file up (without a footer unless {@link #close()} wrote it) and frees the native compressor. The
   * stream then holds a truncated file its owner must discard. Idempotent.
   */
  public void abandon() {
    closed = true;
    if (buffer != null) {
      buffer.close();
    }
  }
}
