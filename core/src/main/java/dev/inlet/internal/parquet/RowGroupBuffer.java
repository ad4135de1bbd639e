package dev.inlet.internal.parquet;

import dev.inlet.Codec;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encodes {@link Row}s into Parquet row groups held in memory (compressed pages), independent of any file, so
 * that several threads can each encode a part of one file and a {@link ParquetRowWriter} can
 * {@linkplain ParquetRowWriter#append append} the parts in order.
 *
 * <p>A row group closes at {@code rowGroupRows} rows or {@value #ROW_GROUP_BYTES} bytes. Dictionary encoding is
 * tried for string, integer, date, timestamp and small decimal columns, never for floating point and boolean
 * ones; a string column whose first {@value #DICTIONARY_SAMPLE_ROWS} rows are 90 % or more distinct (free text,
 * addresses, URLs) turns plain there, its values so far rewritten as plain (so the file is as if it had been plain
 * from the start). As in parquet-java, a column chunk whose first page does not come out smaller with its
 * dictionary, or whose dictionary passes {@value ColumnEncoder#DICTIONARY_PAGE_BYTES} bytes, is written plain from
 * there on: unique ids and instants stay plain, repeated street names, codes and deadlines get a dictionary. All of
 * it depends on the rows only, so the same rows give the same bytes.
 *
 * <p>Not thread-safe; {@link #close()} frees the compressor. Inlet-internal.
 */
public final class RowGroupBuffer implements Closeable {
  /** Row groups are also capped at this many bytes in memory. */
  static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;
  /** Rows of a run after which string columns decide whether they keep their dictionary. */
  static final int DICTIONARY_SAMPLE_ROWS = 1000;
  /** Fewer non-null values than this by then keep the default (dictionary on). */
  static final int MIN_DICTIONARY_EVIDENCE = 100;
  /** Rows between two checks of the buffered row group's size. */
  private static final int SIZE_CHECK_ROWS = 1000;

  private final Schema schema;
  private final Codec codec;
  private final int rowGroupRows;
  /** Per column: may its type use a dictionary (what every run of rows starts with). */
  private final boolean[] dictionaryByType;

  private RowGroupEncoder encoder;
  /** Rows since the buffer started or was last {@linkplain #finish finished}; the dictionary decision is at 1000. */
  private long runRows;

  private final List<RowGroupEncoder.EncodedRowGroup> completed = new ArrayList<>();
  private long rows;

  private RowGroupBuffer(Schema schema, Codec codec, int rowGroupRows) {
    this.schema = schema;
    this.codec = codec;
    this.rowGroupRows = rowGroupRows;
    this.dictionaryByType = new boolean[schema.size()];
    for (int i = 0; i < dictionaryByType.length; i++) {
      dictionaryByType[i] = usesDictionary(schema.column(i).type());
    }
  }

  /**
   * @param schema the columns; rows must match it position by position
   * @param codec page compression
   * @param rowGroupRows maximum rows per row group
   * @return an empty buffer
   */
  public static RowGroupBuffer open(Schema schema, Codec codec, int rowGroupRows) {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(codec, "codec");
    if (rowGroupRows < 1) {
      throw new IllegalArgumentException("rowGroupRows must be >= 1: " + rowGroupRows);
    }
    return new RowGroupBuffer(schema, codec, rowGroupRows);
  }

  /**
   * Adds one row; the row may be reused afterwards.
   *
   * @param row the row, one value per column of the schema
   * @throws IOException if a page cannot be compressed
   */
  public void write(Row row) throws IOException {
    if (encoder == null) {
      encoder =
          new RowGroupEncoder(schema, ParquetTypes.toMessageType(schema), dictionaryByType, codec);
    }
    encoder.write(row);
    long n = encoder.rows();
    if (n >= rowGroupRows
        || (n % SIZE_CHECK_ROWS == 0 && encoder.bufferedBytes() >= ROW_GROUP_BYTES)) {
      completed.add(encoder.finish());
    }
    rows++;
    if (++runRows == DICTIONARY_SAMPLE_ROWS) {
      encoder.decideDictionaries(MIN_DICTIONARY_EVIDENCE);
    }
  }

  /** {@return rows written so far} */
  public long rows() {
    return rows;
  }

  /** {@return bytes held: completed row groups plus the open one's pages} */
  public long bufferedBytes() {
    long sum = encoder == null ? 0 : encoder.bufferedBytes();
    for (RowGroupEncoder.EncodedRowGroup g : completed) {
      sum += g.compressedBytes();
    }
    return sum;
  }

  /** The row groups completed since the last call, handed over (the buffer forgets them). */
  List<RowGroupEncoder.EncodedRowGroup> takeCompleted() {
    if (completed.isEmpty()) {
      return List.of();
    }
    List<RowGroupEncoder.EncodedRowGroup> taken = List.copyOf(completed);
    completed.clear();
    return taken;
  }

  /**
   * Closes the open row group and hands over every row group not taken yet. The buffer can go on with other
   * rows, as if new (their first rows decide their dictionaries again), keeping its buffers and compressor.
   *
   * @return the encoded row groups, to append to a {@link ParquetRowWriter}
   * @throws IOException if a page cannot be compressed
   */
  public EncodedRowGroups finish() throws IOException {
    if (encoder != null) {
      if (runRows > 0 && runRows < DICTIONARY_SAMPLE_ROWS) {
        encoder.decideDictionaries(MIN_DICTIONARY_EVIDENCE); // on the rows there are
      }
      if (encoder.rows() > 0) {
        completed.add(encoder.finish());
      }
      encoder.useDictionary(dictionaryByType); // the next rows decide their dictionaries afresh
    }
    runRows = 0;
    return new EncodedRowGroups(takeCompleted());
  }

  @Override
  public void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  static boolean usesDictionary(ColumnType type) {
    switch (type.kind()) {
      case STRING:
      case INT:
      case DATE:
      case BIGINT:
      case TIMESTAMP:
        return true;
      case DECIMAL:
        return type.precision() <= ParquetTypes.MAX_INT64_DECIMAL_PRECISION;
      default:
        return false;
    }
  }

  /** Finished row groups in order, ready for {@link ParquetRowWriter#append}. Immutable. */
  public static final class EncodedRowGroups {
    final List<RowGroupEncoder.EncodedRowGroup> groups;

    EncodedRowGroups(List<RowGroupEncoder.EncodedRowGroup> groups) {
      this.groups = List.copyOf(groups);
    }

    /** {@return each row group on its own, in order} */
    public List<EncodedRowGroups> each() {
      List<EncodedRowGroups> one = new ArrayList<>(groups.size());
      for (RowGroupEncoder.EncodedRowGroup g : groups) {
        one.add(new EncodedRowGroups(List.of(g)));
      }
      return one;
    }

    /** {@return rows in all the groups} */
    public long rows() {
      long n = 0;
      for (RowGroupEncoder.EncodedRowGroup g : groups) {
        n += g.rows();
      }
      return n;
    }
  }
}
