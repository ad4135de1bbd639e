package dev.inlet.parquet;

import dev.inlet.ColumnType;
import dev.inlet.Schema;
import dev.inlet.csv.Codec;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
  private final ColumnType.Kind[] kinds;
  private final int[] precisions;
  private final int[] fixedLengths;
  private final ColumnEncoder[] encoders;
  private final PageCompressor compressor;
  private final ByteBuf scratch = new ByteBuf(256 * 1024);
  private long rows;

  /**
   * @param dictionary per column: may it be dictionary-encoded (string, binary and integer columns only)
   */
  RowGroupEncoder(Schema schema, MessageType messageType, boolean[] dictionary, Codec codec) {
    int n = schema.size();
    List<ColumnDescriptor> descriptors = messageType.getColumns();
    kinds = new ColumnType.Kind[n];
    precisions = new int[n];
    fixedLengths = new int[n];
    encoders = new ColumnEncoder[n];
    compressor = new PageCompressor(codec);
    for (int i = 0; i < n; i++) {
      ColumnType t = schema.column(i).type();
      ColumnDescriptor d = descriptors.get(i);
      kinds[i] = t.kind();
      precisions[i] = t.precision();
      switch (t.kind()) {
        case STRING:
        case BINARY:
          encoders[i] = new ColumnEncoder.Bytes(d, compressor, scratch, dictionary[i]);
          break;
        case INT:
        case DATE:
          encoders[i] = new ColumnEncoder.Ints(d, compressor, scratch, 4, dictionary[i]);
          break;
        case BIGINT:
        case TIMESTAMP:
          encoders[i] = new ColumnEncoder.Ints(d, compressor, scratch, 8, dictionary[i]);
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
            encoders[i] = new ColumnEncoder.Ints(d, compressor, scratch, 8, dictionary[i]);
          } else {
            fixedLengths[i] = ParquetTypes.decimalBytes(t.precision());
            encoders[i] = new ColumnEncoder.Fixed(d, compressor, scratch);
          }
          break;
        default:
          throw new IllegalArgumentException("Cannot write column " + schema.column(i).name() + " of type " + t
              + " to Parquet: only flat columns are supported");
      }
    }
  }

  /** Adds one row to the row group; the row may be reused afterwards. */
  void write(Row row) throws IOException {
    ColumnEncoder[] enc = encoders;
    for (int i = 0; i < enc.length; i++) {
      if (!row.present[i]) {
        enc[i].writeNull();
        continue;
      }
      switch (kinds[i]) {
        case STRING: {
          byte[] b = ((String) row.refs[i]).getBytes(StandardCharsets.UTF_8);
          ((ColumnEncoder.Bytes) enc[i]).write(b, 0, b.length);
          break;
        }
        case BINARY: {
          byte[] b = (byte[]) row.refs[i];
          ((ColumnEncoder.Bytes) enc[i]).write(b, 0, b.length);
          break;
        }
        case BOOLEAN:
          ((ColumnEncoder.Bool) enc[i]).write(row.longs[i] != 0);
          break;
        case INT:
        case DATE:
          ((ColumnEncoder.Ints) enc[i]).write((int) row.longs[i]);
          break;
        case BIGINT:
        case TIMESTAMP:
          ((ColumnEncoder.Ints) enc[i]).write(row.longs[i]);
          break;
        case FLOAT:
          ((ColumnEncoder.Float32) enc[i]).write((float) row.doubles[i]);
          break;
        case DOUBLE:
          ((ColumnEncoder.Float64) enc[i]).write(row.doubles[i]);
          break;
        case DECIMAL: {
          BigDecimal d = (BigDecimal) row.refs[i];
          if (fixedLengths[i] == 0) {
            ((ColumnEncoder.Ints) enc[i]).write(d.unscaledValue().longValueExact());
          } else {
            ((ColumnEncoder.Fixed) enc[i]).write(fixedBytes(d, fixedLengths[i]));
          }
          break;
        }
        default:
          throw new IllegalStateException("Unhandled kind " + kinds[i]);
      }
    }
    rows++;
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
    return g;
  }

  @Override
  public void close() {
    compressor.close();
  }

  private static byte[] fixedBytes(BigDecimal d, int length) {
    byte[] raw = d.unscaledValue().toByteArray();
    byte[] out = new byte[length];
    byte pad = (byte) (d.signum() < 0 ? 0xFF : 0x00);
    int offset = length - raw.length;
    for (int i = 0; i < offset; i++) {
      out[i] = pad;
    }
    System.arraycopy(raw, 0, out, offset, raw.length);
    return out;
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
