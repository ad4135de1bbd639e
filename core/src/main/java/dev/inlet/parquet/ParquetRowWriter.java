package dev.inlet.parquet;

import dev.inlet.csv.Codec;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;

/**
 * Writes {@link Row}s of one {@link Schema} as one Parquet file into a given stream, without touching Hadoop.
 *
 * <p>Lifecycle: {@link #open}, {@link #write} rows, {@link #close()} to write the footer. The stream is NOT
 * closed by this writer (its opener closes it); a writer abandoned without {@code close()} leaves a truncated,
 * unreadable file in the stream, which the owner of the stream must discard. Not thread-safe. Inlet-internal.
 *
 * <p>Dictionary encoding is on for boolean, int and date columns and for string columns with repeated values,
 * off for bigint, double, float, timestamp, decimal and binary columns, which are mostly ids, measures and
 * instants. Whether a string column repeats is decided once per file from its first
 * {@value #DICTIONARY_SAMPLE_ROWS} rows (held back until then): a column where more than half of the non-null
 * values are distinct (free text, addresses, URLs) is written plain, which saves filling and then abandoning a
 * dictionary in every row group. Parquet still falls back to plain encoding when a dictionary page passes
 * {@value #DICTIONARY_PAGE_BYTES} bytes. The decision depends on the rows only, so the same rows give the same
 * bytes.
 *
 * <p>Pages are encoded by Inlet's own {@link ColumnEncoder}s (flat schema, optional columns, Parquet v1 data
 * pages, PLAIN and PLAIN_DICTIONARY as parquet-java's v1 writer chooses them); parquet-java's
 * {@link ParquetFileWriter} lays out the file: page headers, column and offset indexes, footer.
 */
public final class ParquetRowWriter implements Closeable {
  /** Row groups are also capped at this many bytes in memory. */
  static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;

  static final int DICTIONARY_PAGE_BYTES = ColumnEncoder.DICTIONARY_PAGE_BYTES;
  /** Footer key naming the object model, as parquet-java's ParquetWriter writes it. */
  static final String MODEL_NAME_KEY = "writer.model.name";

  /** Rows held back to decide which string columns get a dictionary. */
  static final int DICTIONARY_SAMPLE_ROWS = 1000;
  /** Fewer non-null sample values than this keep the default (dictionary on). */
  static final int MIN_DICTIONARY_EVIDENCE = 100;
  /** Rows between two checks of the buffered row group's size. */
  private static final int SIZE_CHECK_ROWS = 1000;

  private final StreamOutputFile file;
  private final Schema schema;
  private final Codec codec;
  private final int rowGroupRows;
  private List<Row> sample = new ArrayList<>();
  private MessageType messageType;
  private ParquetFileWriter fileWriter;
  private RowGroupEncoder encoder;
  private long lastRowGroupEnd;
  private long rows;
  private boolean closed;

  private ParquetRowWriter(StreamOutputFile file, Schema schema, Codec codec, int rowGroupRows) {
    this.file = file;
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
    return new ParquetRowWriter(new StreamOutputFile(out), schema, codec, rowGroupRows);
  }

  private void start() throws IOException {
    boolean[] dictionary = dictionaryColumns(schema, sample);
    messageType = ParquetTypes.toMessageType(schema);
    ParquetProperties props = ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withPageWriteChecksumEnabled(false)
        .withSizeStatisticsEnabled(false)
        .withBloomFilterEnabled(false)
        .build();
    fileWriter = new ParquetFileWriter(file, messageType, ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0, null,
        props);
    fileWriter.start();
    encoder = new RowGroupEncoder(schema, messageType, dictionary, codec);
    for (Row r : sample) {
      append(r);
    }
    sample = null;
  }

  private void append(Row row) throws IOException {
    encoder.write(row);
    long n = encoder.rows();
    if (n >= rowGroupRows || (n % SIZE_CHECK_ROWS == 0 && encoder.bufferedBytes() >= ROW_GROUP_BYTES)) {
      writeRowGroup(encoder.finish());
    }
  }

  /** Writes a finished row group after the ones written so far. */
  void writeRowGroup(RowGroupEncoder.EncodedRowGroup group) throws IOException {
    if (group.rows() == 0) {
      return;
    }
    CompressionCodecName codecName = DirectCodecFactory.codecName(codec);
    fileWriter.startBlock(group.rows());
    for (ColumnEncoder.EncodedColumn c : group.columns()) {
      fileWriter.startColumn(c.descriptor(), c.rows(), codecName);
      if (c.dictionary() != null) {
        fileWriter.writeDictionaryPage(c.dictionary());
      }
      for (ColumnEncoder.EncodedPage p : c.pages()) {
        fileWriter.writeDataPage(p.rows(), p.uncompressedSize(), BytesInput.from(p.bytes()), p.statistics(),
            p.rows(), Encoding.BIT_PACKED, Encoding.RLE, p.encoding());
      }
      fileWriter.endColumn();
    }
    fileWriter.endBlock();
    lastRowGroupEnd = fileWriter.getPos();
  }

  /** Per column: dictionary-encode it? By type, and for strings by how often sample values repeat. */
  static boolean[] dictionaryColumns(Schema schema, List<Row> sample) {
    boolean[] use = new boolean[schema.size()];
    for (int i = 0; i < use.length; i++) {
      ColumnType type = schema.column(i).type();
      use[i] = usesDictionary(type);
      if (use[i] && type.kind() == ColumnType.Kind.STRING) {
        Set<Object> distinct = new HashSet<>();
        int nonNull = 0;
        for (Row r : sample) {
          if (!r.isNull(i)) {
            nonNull++;
            distinct.add(r.getObject(i));
          }
        }
        use[i] = nonNull < MIN_DICTIONARY_EVIDENCE || distinct.size() * 2 <= nonNull;
      }
    }
    return use;
  }

  static boolean usesDictionary(ColumnType type) {
    switch (type.kind()) {
      case STRING:
      case INT:
      case DATE:
        return true;
      default:
        return false;
    }
  }

  /** Appends one row; the row may be reused afterwards. */
  public void write(Row row) throws IOException {
    if (closed) {
      throw new IllegalStateException("Cannot write a row: the Parquet writer is closed");
    }
    if (fileWriter == null) {
      sample.add(row.copy());
      if (sample.size() == DICTIONARY_SAMPLE_ROWS) {
        start();
      }
    } else {
      append(row);
    }
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Approximate file size so far: bytes flushed to the stream plus the row group buffered in memory. */
  public long approximateBytes() {
    return encoder == null ? lastRowGroupEnd : lastRowGroupEnd + encoder.bufferedBytes();
  }

  /** Bytes handed to the stream so far (the exact file size after {@link #close()}). */
  public long bytesWritten() {
    return file.bytesWritten();
  }

  /** Flushes the last row group and writes the footer. Does not close the stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (fileWriter == null) {
        start();
      }
      writeRowGroup(encoder.finish());
      fileWriter.end(Map.of(MODEL_NAME_KEY, "inlet"));
    } finally {
      if (encoder != null) {
        encoder.close();
      }
    }
  }
}
