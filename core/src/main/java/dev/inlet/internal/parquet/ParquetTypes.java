package dev.inlet.internal.parquet;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The one mapping between Inlet's {@link ColumnType}s and Parquet types, both ways. Every column is written
 * {@code OPTIONAL}:
 *
 * <table>
 *   <caption>Inlet type to Parquet type</caption>
 *   <tr><th>Inlet</th><th>Parquet</th></tr>
 *   <tr><td>string</td><td>BINARY (STRING)</td></tr>
 *   <tr><td>binary</td><td>BINARY</td></tr>
 *   <tr><td>boolean</td><td>BOOLEAN</td></tr>
 *   <tr><td>int</td><td>INT32</td></tr>
 *   <tr><td>bigint</td><td>INT64</td></tr>
 *   <tr><td>float</td><td>FLOAT</td></tr>
 *   <tr><td>double</td><td>DOUBLE</td></tr>
 *   <tr><td>date</td><td>INT32 (DATE)</td></tr>
 *   <tr><td>timestamp</td><td>INT64 (TIMESTAMP(MICROS, isAdjustedToUTC=false)); never INT96</td></tr>
 *   <tr><td>decimal(p,s)</td><td>INT64 (DECIMAL(p,s)) for p &lt;= 18, else FIXED_LEN_BYTE_ARRAY
 * (DECIMAL(p,s))</td></tr>
 * </table>
 *
 * <p>An Inlet-internal class (public for other Inlet packages); not a stable API. Thread-safe, stateless.
 */
public final class ParquetTypes {
  /** Largest decimal precision stored as INT64. */
  static final int MAX_INT64_DECIMAL_PRECISION = 18;

  private ParquetTypes() {}

  /**
   * {@return the Parquet message type for {@code schema}, every column optional}
   *
   * @param schema the schema
   */
  public static MessageType toMessageType(Schema schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (Column c : schema.columns()) {
      b.addField(toParquet(c));
    }
    return b.named("schema");
  }

  /**
   * {@return the optional Parquet field for {@code column}}
   *
   * @param column the column
   */
  public static PrimitiveType toParquet(Column column) {
    ColumnType t = column.type();
    String name = column.name();
    switch (t.kind()) {
      case STRING:
        return Types.optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(name);
      case BINARY:
        return Types.optional(PrimitiveTypeName.BINARY).named(name);
      case BOOLEAN:
        return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case INT:
        return Types.optional(PrimitiveTypeName.INT32).named(name);
      case BIGINT:
        return Types.optional(PrimitiveTypeName.INT64).named(name);
      case FLOAT:
        return Types.optional(PrimitiveTypeName.FLOAT).named(name);
      case DOUBLE:
        return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case DATE:
        return Types.optional(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.dateType())
            .named(name);
      case TIMESTAMP:
        return Types.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS))
            .named(name);
      case DECIMAL:
        LogicalTypeAnnotation dec = LogicalTypeAnnotation.decimalType(t.scale(), t.precision());
        if (t.precision() <= MAX_INT64_DECIMAL_PRECISION) {
          return Types.optional(PrimitiveTypeName.INT64).as(dec).named(name);
        }
        return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
            .length(decimalBytes(t.precision()))
            .as(dec)
            .named(name);
      default:
        throw new IllegalArgumentException(
            "Cannot map column " + column + " to Parquet: unknown type " + t);
    }
  }

  /**
   * {@return the Inlet type of a Parquet field, as the crawler and catalogs read files back} INT96 and any TIMESTAMP
   * unit
   * read as {@code timestamp}; 8/16-bit ints as {@code int}; ENUM/JSON binaries as {@code string}. Nested fields
   * read as {@link ColumnType#nested} the way Glue's crawler names them: LIST (3-level and legacy 2-level forms)
   * and a bare repeated field as {@code array<t>}, MAP as {@code map<k,v>}, any other group as
   * {@code struct<name:t,...>}.
   *
   * @param type the Parquet type
   * @throws IllegalArgumentException for unsupported types (unsigned 64-bit ints, intervals, ...)
   */
  public static ColumnType toColumnType(Type type) {
    if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
      return ColumnType.nested(hiveName(type));
    }
    return primitive(type.asPrimitiveType());
  }

  /** The Hive type name of {@code type}, nested or not. */
  private static String hiveName(Type type) {
    if (type.isRepetition(Type.Repetition.REPEATED)) {
      return "array<" + elementName(type)
          + ">"; // a bare repeated field is a list of required elements
    }
    return elementName(type);
  }

  /** The Hive name of {@code type} ignoring its repetition. */
  private static String elementName(Type type) {
    if (type.isPrimitive()) {
      return primitive(type.asPrimitiveType()).hiveName();
    }
    org.apache.parquet.schema.GroupType g = type.asGroupType();
    LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && g.getFieldCount() == 1
        && g.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      Type repeated = g.getType(0);
      Type element = repeated;
      // 3-level form: repeated group list { element }; legacy 2-level forms repeat the element
      // itself
      if (!repeated.isPrimitive()
          && repeated.asGroupType().getFieldCount() == 1
          && !repeated.getName().equals("array")
          && !repeated.getName().equals(g.getName() + "_tuple")) {
        element = repeated.asGroupType().getType(0);
      }
      return "array<" + hiveName(element) + ">";
    }
    if ((a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && g.getFieldCount() == 1
        && !g.getType(0).isPrimitive()
        && g.getType(0).asGroupType().getFieldCount() == 2) {
      org.apache.parquet.schema.GroupType kv = g.getType(0).asGroupType();
      return "map<" + elementName(kv.getType(0)) + "," + hiveName(kv.getType(1)) + ">";
    }
    StringBuilder sb = new StringBuilder("struct<");
    for (int i = 0; i < g.getFieldCount(); i++) {
      Type f = g.getType(i);
      sb.append(i == 0 ? "" : ",")
          .append(f.getName().toLowerCase(java.util.Locale.ROOT))
          .append(':')
          .append(hiveName(f));
    }
    return sb.append('>').toString();
  }

  private static ColumnType primitive(PrimitiveType p) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    if (a instanceof DecimalLogicalTypeAnnotation d) {
      return ColumnType.decimal(d.getPrecision(), d.getScale());
    }
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return ColumnType.BOOLEAN;
      case FLOAT:
        return ColumnType.FLOAT;
      case DOUBLE:
        return ColumnType.DOUBLE;
      case INT96:
        return ColumnType.TIMESTAMP;
      case INT32:
        if (a == null) {
          return ColumnType.INT;
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return ColumnType.DATE;
        }
        if (a instanceof IntLogicalTypeAnnotation i && (i.isSigned() || i.getBitWidth() < 32)) {
          return ColumnType.INT;
        }
        if (a instanceof IntLogicalTypeAnnotation) {
          return ColumnType.BIGINT; // uint32 fits a bigint
        }
        break;
      case INT64:
        if (a == null) {
          return ColumnType.BIGINT;
        }
        if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
          return ColumnType.TIMESTAMP;
        }
        if (a instanceof IntLogicalTypeAnnotation i && i.isSigned()) {
          return ColumnType.BIGINT;
        }
        break;
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        if (a == null) {
          return ColumnType.BINARY;
        }
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return ColumnType.STRING;
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("Cannot map Parquet field " + p.getName() + " (" + p
        + ") to an Inlet type: unsupported combination of physical and logical type");
  }

  /** Bytes needed for a two's-complement unscaled value of {@code precision} decimal digits. */
  static int decimalBytes(int precision) {
    // smallest n with 2^(8n-1) > 10^precision
    int n = 1;
    while (Math.pow(2, 8 * n - 1) <= Math.pow(10, precision)) {
      n++;
    }
    return n;
  }
}
