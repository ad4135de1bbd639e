package dev.inlet.parquet;

import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes {@link Row}s straight to a {@link RecordConsumer}; uses only the Hadoop-free init variant. */
final class RowWriteSupport extends WriteSupport<Row> {
  private final MessageType messageType;
  private final String[] names;
  private final ColumnType.Kind[] kinds;
  private final int[] precisions;
  private final int[] fixedLengths;
  private RecordConsumer consumer;

  RowWriteSupport(Schema schema) {
    this.messageType = ParquetTypes.toMessageType(schema);
    int n = schema.size();
    names = new String[n];
    kinds = new ColumnType.Kind[n];
    precisions = new int[n];
    fixedLengths = new int[n];
    for (int i = 0; i < n; i++) {
      ColumnType t = schema.column(i).type();
      names[i] = schema.column(i).name();
      kinds[i] = t.kind();
      precisions[i] = t.precision();
      fixedLengths[i] = t.kind() == ColumnType.Kind.DECIMAL ? ParquetTypes.decimalBytes(t.precision()) : 0;
    }
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(messageType, Map.of("writer.model.name", "inlet"));
  }

  /** Never called by Inlet (the writer is built with a ParquetConfiguration); present because it is abstract. */
  @Override
  public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
    return new WriteContext(messageType, Map.of("writer.model.name", "inlet"));
  }

  @Override
  public String getName() {
    return "inlet";
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Row row) {
    RecordConsumer c = consumer;
    c.startMessage();
    for (int i = 0; i < names.length; i++) {
      if (!row.present[i]) {
        continue;
      }
      c.startField(names[i], i);
      switch (kinds[i]) {
        case STRING:
          // A byte-array Binary hashes and compares much faster in the dictionary than fromString's ByteBuffer
          c.addBinary(Binary.fromConstantByteArray(((String) row.refs[i]).getBytes(StandardCharsets.UTF_8)));
          break;
        case BINARY:
          c.addBinary(Binary.fromConstantByteArray((byte[]) row.refs[i]));
          break;
        case BOOLEAN:
          c.addBoolean(row.longs[i] != 0);
          break;
        case INT:
        case DATE:
          c.addInteger((int) row.longs[i]);
          break;
        case BIGINT:
        case TIMESTAMP:
          c.addLong(row.longs[i]);
          break;
        case FLOAT:
          c.addFloat((float) row.doubles[i]);
          break;
        case DOUBLE:
          c.addDouble(row.doubles[i]);
          break;
        case DECIMAL:
          BigDecimal d = (BigDecimal) row.refs[i];
          if (precisions[i] <= ParquetTypes.MAX_INT64_DECIMAL_PRECISION) {
            c.addLong(d.unscaledValue().longValueExact());
          } else {
            c.addBinary(Binary.fromConstantByteArray(fixedBytes(d, fixedLengths[i])));
          }
          break;
        default:
          throw new IllegalStateException("Unhandled kind " + kinds[i]);
      }
      c.endField(names[i], i);
    }
    c.endMessage();
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
