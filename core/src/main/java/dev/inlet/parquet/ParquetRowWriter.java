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
import java.util.Objects;
import java.util.Set;
import java.util.Map;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
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
 */
public final class ParquetRowWriter implements Closeable {
  /** Row groups are also capped at this many bytes in memory. */
  static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;

  static final int PAGE_BYTES = 1024 * 1024;
  static final int DICTIONARY_PAGE_BYTES = 1024 * 1024;
  /** Footer key naming the object model, as parquet-java's ParquetWriter writes it. */
  static final String MODEL_NAME_KEY = "writer.model.name";

  /** Rows held back to decide which string columns get a dictionary. */
  static final int DICTIONARY_SAMPLE_ROWS = 1000;
  /** Fewer non-null sample values than this keep the default (dictionary on). */
  static final int MIN_DICTIONARY_EVIDENCE = 100;

  private final StreamOutputFile file;
  private final Schema schema;
  private final Codec codec;
  private final int rowGroupRows;
  private List<Row> sample = new ArrayList<>();
  private RowColumns columns;
  private ParquetProperties props;
  private ParquetFileWriter fileWriter;
  private BytesInputCompressor compressor;
  private ColumnChunkPageWriteStore pageStore;
  private ColumnWriteStore columnStore;
  private long rowsInGroup;
  private long nextSizeCheck;
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

  /**
   * Sets up what parquet-java's {@code ParquetWriter} would, minus its record layer: each row's values go
   * straight to the column writers (flat schema, every column optional: repetition level 0, definition level 1
   * for a value and 0 for a null), which is what the record consumer ends up doing with more work per field.
   */
  private void start() throws IOException {
    boolean[] dictionary = dictionaryColumns(schema, sample);
    MessageType messageType = ParquetTypes.toMessageType(schema);
    ParquetProperties.Builder pb = ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withPageSize(PAGE_BYTES)
        .withDictionaryPageSize(DICTIONARY_PAGE_BYTES)
        .withDictionaryEncoding(true)
        // CPU per value or page that no reader we target uses: page CRCs, size statistics, bloom filters
        .withPageWriteChecksumEnabled(false)
        .withSizeStatisticsEnabled(false)
        .withBloomFilterEnabled(false);
    for (int i = 0; i < schema.size(); i++) {
      pb.withDictionaryEncoding(schema.column(i).name(), dictionary[i]);
    }
    props = pb.build();
    compressor = new DirectCodecFactory().getCompressor(DirectCodecFactory.codecName(codec));
    fileWriter = new ParquetFileWriter(file, messageType, ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0, null,
        props);
    fileWriter.start();
    columns = new RowColumns(schema, messageType);
    startRowGroup();
    for (Row r : sample) {
      append(r);
    }
    sample = null;
  }

  private void startRowGroup() {
    MessageType messageType = columns.messageType();
    pageStore = ColumnChunkPageWriteStore.builder()
        .withSchema(messageType)
        .withAllocator(props.getAllocator())
        .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
        .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
        .withCompressorProvider(column -> compressor)
        .build();
    columnStore = props.newColumnWriteStore(messageType, pageStore, pageStore);
    columns.bind(columnStore);
    rowsInGroup = 0;
    nextSizeCheck = props.getMinRowCountForPageSizeCheck();
  }

  private void append(Row row) throws IOException {
    columns.write(row);
    columnStore.endRecord();
    rowsInGroup++;
    if (rowsInGroup >= rowGroupRows) {
      endRowGroup();
      startRowGroup();
    } else if (rowsInGroup >= nextSizeCheck) {
      // the same estimate as parquet-java's record writer: flush when within ~2 rows of the byte limit
      long buffered = columnStore.getBufferedSize();
      long perRow = buffered / rowsInGroup;
      if (buffered > ROW_GROUP_BYTES - 2 * perRow) {
        endRowGroup();
        startRowGroup();
      } else {
        nextSizeCheck = Math.min(
            Math.max(props.getMinRowCountForPageSizeCheck(),
                (rowsInGroup + (long) (ROW_GROUP_BYTES / (float) Math.max(1, perRow))) / 2),
            rowsInGroup + props.getMaxRowCountForPageSizeCheck());
      }
    }
  }

  private void endRowGroup() throws IOException {
    try {
      if (rowsInGroup > 0) {
        fileWriter.startBlock(rowsInGroup);
        columnStore.flush();
        pageStore.flushToFileWriter(fileWriter);
        fileWriter.endBlock();
        lastRowGroupEnd = fileWriter.getPos();
      }
    } finally {
      columnStore.close();
      pageStore.close();
      columnStore = null;
      pageStore = null;
    }
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
    return columnStore == null ? lastRowGroupEnd : lastRowGroupEnd + columnStore.getBufferedSize();
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
    if (fileWriter == null) {
      start();
    }
    endRowGroup();
    fileWriter.end(Map.of(MODEL_NAME_KEY, "inlet"));
  }
}
