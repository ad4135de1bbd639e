package dev.inlet.internal.parquet;

import dev.inlet.Codec;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.MessageType;

/**
 * Encodes {@link Row}s into one row group at a time, held in memory as compressed pages until {@link #finish()}
 * hands them over for writing. Independent of any file, so row groups can be encoded on several threads and
 * written in order by one {@link ParquetRowWriter}. Not thread-safe; {@link #close()} frees the compressor.
 */
final class RowGroupEncoder implements Closeable {
  private final int[] precisions;
  private final ColumnEncoder[] encoders;
  private final PageCompressor compressor;
  private final ByteBuf scratch = new ByteBuf(4096);
  private long rows;
  /** Rows to go before the next look at the open pages (see {@link ColumnEncoder#rowsUntilFull()}). */
  private int untilPageCheck = 1;

  /**
   * @param dictionary per column: may it be dictionary-encoded (string, binary and integer columns only)
   */
  RowGroupEncoder(Schema schema, MessageType messageType, boolean[] dictionary, Codec codec) {
    int n = schema.size();
    List<ColumnDescriptor> descriptors = messageType.getColumns();
    precisions = new int[n];
    encoders = new ColumnEncoder[n];
    compressor = new PageCompressor(codec);
    for (int i = 0; i < n; i++) {
      ColumnType t = schema.column(i).type();
      ColumnDescriptor d = descriptors.get(i);
      precisions[i] = t.precision();
      switch (t.kind()) {
        case STRING:
        case BINARY:
          encoders[i] = new ColumnEncoder.Bytes(d, compressor, scratch, dictionary[i]);
          break;
        case INT:
        case DATE:
          encoders[i] = new ColumnEncoder.Ints(d, compressor, scratch, 4, dictionary[i], false);
          break;
        case BIGINT:
        case TIMESTAMP:
          encoders[i] = new ColumnEncoder.Ints(d, compressor, scratch, 8, dictionary[i], false);
          break;
        case DOUBLE:
          encoders[i] = new ColumnEncoder.Float64(d, compressor, scratch);
          break;
        case FLOAT:
          encoders[i] = new ColumnEncoder.Float32(d, compressor, scratch);
          break;
        case BOOLEAN:
          encoders[i] = new ColumnEncoder.Bool(d, compressor, scratch);
          break;
        case DECIMAL:
          if (t.precision() <= ParquetTypes.MAX_INT64_DECIMAL_PRECISION) {
            encoders[i] = new ColumnEncoder.Ints(d, compressor, scratch, 8, dictionary[i], true);
          } else {
            encoders[i] = new ColumnEncoder.Fixed(d, compressor, scratch);
          }
          break;
        default:
          throw new IllegalArgumentException(
              "Cannot write column " + schema.column(i).name() + " of type " + t
                  + " to Parquet: only flat columns are supported");
      }
    }
    limitPages();
  }

  /** Shares {@link ColumnEncoder#OPEN_PAGES_BYTES} among the columns. */
  private void limitPages() {
    for (ColumnEncoder e : encoders) {
      e.pageBytes(ColumnEncoder.OPEN_PAGES_BYTES / encoders.length);
    }
  }

  /** Adds one row to the row group; the row may be reused afterwards. */
  void write(Row row) throws IOException {
    ColumnEncoder[] enc = encoders;
    for (int i = 0; i < enc.length; i++) {
      enc[i].write(row, i);
    }
    rows++;
    if (--untilPageCheck == 0) {
      untilPageCheck = flushFullPages();
    }
  }

  /** Closes the pages that are full; returns the rows until the next check. */
  private int flushFullPages() throws IOException {
    int next = ColumnEncoder.PAGE_CHECK_ROWS;
    for (ColumnEncoder e : encoders) {
      if (e.pageFull()) {
        e.flushPage();
      }
      next = Math.min(next, e.rowsUntilFull());
    }
    return next;
  }

  /** See {@link ColumnEncoder#decideDictionary}. */
  void decideDictionaries(int minValues) {
    for (ColumnEncoder e : encoders) {
      e.decideDictionary(minValues);
    }
  }

  /** Sets which columns may use a dictionary from the next row group on (see the constructor). */
  void useDictionary(boolean[] dictionary) {
    for (int i = 0; i < encoders.length; i++) {
      encoders[i].useDictionary(dictionary[i]);
    }
  }

  /** Rows in the open row group. */
  long rows() {
    return rows;
  }

  /** Bytes held for the open row group (compressed pages plus open pages' plain values). */
  long bufferedBytes() {
    long sum = 0;
    for (ColumnEncoder e : encoders) {
      sum += e.bufferedBytes();
    }
    return sum;
  }

  /** Closes the open row group and returns its column chunks; the encoder starts the next one. */
  EncodedRowGroup finish() throws IOException {
    List<ColumnEncoder.EncodedColumn> columns = new ArrayList<>(encoders.length);
    for (ColumnEncoder e : encoders) {
      columns.add(e.finishChunk(scratch));
    }
    EncodedRowGroup g = new EncodedRowGroup(rows, columns);
    rows = 0;
    untilPageCheck = 1;
    return g;
  }

  @Override
  public void close() {
    compressor.close();
  }

  /** A finished row group: its row count and one chunk per column, in schema order. */
  record EncodedRowGroup(long rows, List<ColumnEncoder.EncodedColumn> columns) {
    long compressedBytes() {
      long sum = 0;
      for (ColumnEncoder.EncodedColumn c : columns) {
        if (c.dictionary() != null) {
          sum += c.dictionary().getCompressedSize();
        }
        for (ColumnEncoder.EncodedPage p : c.pages()) {
          sum += p.bytes().length;
        }
      }
      return sum;
    }
  }
}
