package dev.inlet.parquet;

import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes each value of a {@link Row} straight to its column's writer. The schema is flat and every column
 * optional, so a value has repetition level 0 and definition level 1, a null levels 0 and 0.
 */
final class RowColumns {
  private static final int PRESENT = 1;
  private static final int NULL = 0;

  private final MessageType messageType;
  private final List<ColumnDescriptor> descriptors;
  private final ColumnType.Kind[] kinds;
  private final int[] precisions;
  private final int[] fixedLengths;
  private final ColumnWriter[] writers;

  RowColumns(Schema schema, MessageType messageType) {
    this.messageType = messageType;
    this.descriptors = messageType.getColumns();
    int n = schema.size();
    kinds = new ColumnType.Kind[n];
    precisions = new int[n];
    fixedLengths = new int[n];
    writers = new ColumnWriter[n];
    for (int i = 0; i < n; i++) {
      ColumnType t = schema.column(i).type();
      kinds[i] = t.kind();
      precisions[i] = t.precision();
      fixedLengths[i] = t.kind() == ColumnType.Kind.DECIMAL ? ParquetTypes.decimalBytes(t.precision()) : 0;
    }
  }

  MessageType messageType() {
    return messageType;
  }

  /** Writes the following rows into {@code store} (a new one per row group). */
  void bind(ColumnWriteStore store) {
    for (int i = 0; i < writers.length; i++) {
      writers[i] = store.getColumnWriter(descriptors.get(i));
    }
  }

  /** Writes one value or null per column; the caller ends the record on the store. */
  void write(Row row) {
    for (int i = 0; i < writers.length; i++) {
      ColumnWriter w = writers[i];
      if (!row.present[i]) {
        w.writeNull(0, NULL);
        continue;
      }
      switch (kinds[i]) {
        case STRING:
          // A byte-array Binary hashes and compares much faster in the dictionary than fromString's ByteBuffer
          w.write(Binary.fromConstantByteArray(((String) row.refs[i]).getBytes(StandardCharsets.UTF_8)), 0,
              PRESENT);
          break;
        case BINARY:
          w.write(Binary.fromConstantByteArray((byte[]) row.refs[i]), 0, PRESENT);
          break;
        case BOOLEAN:
          w.write(row.longs[i] != 0, 0, PRESENT);
          break;
        case INT:
        case DATE:
          w.write((int) row.longs[i], 0, PRESENT);
          break;
        case BIGINT:
        case TIMESTAMP:
          w.write(row.longs[i], 0, PRESENT);
          break;
        case FLOAT:
          w.write((float) row.doubles[i], 0, PRESENT);
          break;
        case DOUBLE:
          w.write(row.doubles[i], 0, PRESENT);
          break;
        case DECIMAL:
          BigDecimal d = (BigDecimal) row.refs[i];
          if (precisions[i] <= ParquetTypes.MAX_INT64_DECIMAL_PRECISION) {
            w.write(d.unscaledValue().longValueExact(), 0, PRESENT);
          } else {
            w.write(Binary.fromConstantByteArray(fixedBytes(d, fixedLengths[i])), 0, PRESENT);
          }
          break;
        default:
          throw new IllegalStateException("Unhandled kind " + kinds[i]);
      }
    }
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
}
