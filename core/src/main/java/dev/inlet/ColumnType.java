package dev.inlet;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type, named the way Hive, Glue and Athena name it ({@code bigint}, {@code timestamp},
 * {@code decimal(10,2)}). This is Inlet's single type system: the converter maps it to Parquet, the catalogs
 * write {@link #hiveName()}, and schema evolution decides widenings on it.
 */
public final class ColumnType {
  /** The kinds of type Inlet reads and writes. */
  public enum Kind {
    /** Text ({@code string}). */
    STRING,
    /** {@code boolean}. */
    BOOLEAN,
    /** A 32-bit integer ({@code int}). */
    INT,
    /** A 64-bit integer ({@code bigint}). */
    BIGINT,
    /** A 32-bit float ({@code float}). */
    FLOAT,
    /** A 64-bit float ({@code double}). */
    DOUBLE,
    /** A fixed-point decimal ({@code decimal(p,s)}). */
    DECIMAL,
    /** A calendar date ({@code date}). */
    DATE,
    /** A microsecond timestamp without time zone ({@code timestamp}). */
    TIMESTAMP,
    /** Bytes ({@code binary}). */
    BINARY,
    /**
     * A Hive complex type ({@code array<..>}, {@code map<..,..>}, {@code struct<..>}), kept as its Hive type name.
     * Catalogs record it and the crawler infers it; Inlet's converters do not write it.
     */
    NESTED
  }

  /** Text: Hive's {@code string}. */
  public static final ColumnType STRING = new ColumnType(Kind.STRING, 0, 0);
  /** {@code boolean}. */
  public static final ColumnType BOOLEAN = new ColumnType(Kind.BOOLEAN, 0, 0);
  /** A 32-bit integer: {@code int}. */
  public static final ColumnType INT = new ColumnType(Kind.INT, 0, 0);
  /** A 64-bit integer: {@code bigint}. */
  public static final ColumnType BIGINT = new ColumnType(Kind.BIGINT, 0, 0);
  /** A 32-bit float: {@code float}. */
  public static final ColumnType FLOAT = new ColumnType(Kind.FLOAT, 0, 0);
  /** A 64-bit float: {@code double}. */
  public static final ColumnType DOUBLE = new ColumnType(Kind.DOUBLE, 0, 0);
  /** A calendar date: {@code date}. */
  public static final ColumnType DATE = new ColumnType(Kind.DATE, 0, 0);
  /** Microsecond timestamp without time zone (stored as Parquet INT64 micros, read by Athena as timestamp). */
  public static final ColumnType TIMESTAMP = new ColumnType(Kind.TIMESTAMP, 0, 0);
  /** Bytes: {@code binary}. */
  public static final ColumnType BINARY = new ColumnType(Kind.BINARY, 0, 0);

  private static final Pattern DECIMAL_NAME =
      Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  private final Kind kind;
  private final int precision;
  private final int scale;
  private final String nestedName;

  private ColumnType(Kind kind, int precision, int scale) {
    this(kind, precision, scale, null);
  }

  private ColumnType(Kind kind, int precision, int scale, String nestedName) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.nestedName = nestedName;
  }

  /**
   * {@return a nested type by its Hive name, e.g. {@code array<string>}, {@code map<string,bigint>},
   * {@code struct<a:int,b:array<string>>}} The name is kept lower-cased and without white space, as Glue prints it.
   *
   * @param hiveName the Hive type name, e.g. {@code decimal(10,2)}
   * @throws IllegalArgumentException if the name does not start with {@code array<}, {@code map<} or
   *     {@code struct<}, or its angle brackets do not balance
   */
  public static ColumnType nested(String hiveName) {
    String name = hiveName.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    if (!(name.startsWith("array<") || name.startsWith("map<") || name.startsWith("struct<"))
        || !name.endsWith(">")) {
      throw new IllegalArgumentException("Invalid nested type '" + hiveName
          + "': expected array<..>, map<..,..> or struct<name:type,..>");
    }
    int depth = 0;
    for (int i = name.indexOf('<'); i < name.length(); i++) {
      char c = name.charAt(i);
      depth += c == '<' ? 1 : c == '>' ? -1 : 0;
      if (depth < 0 || (depth == 0 && i < name.length() - 1)) {
        throw new IllegalArgumentException(
            "Invalid nested type '" + hiveName + "': unbalanced '<' and '>'");
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException(
          "Invalid nested type '" + hiveName + "': unbalanced '<' and '>'");
    }
    return new ColumnType(Kind.NESTED, 0, 0, name);
  }

  /**
   * {@code decimal(precision, scale)}; precision 1..38, scale 0..precision, as Hive allows.
   *
   * @param precision total digits
   * @param scale digits after the decimal point
   * @return the type {@code decimal(precision,scale)}
   */
  public static ColumnType decimal(int precision, int scale) {
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
      throw new IllegalArgumentException("Invalid decimal(" + precision + "," + scale
          + "): precision must be 1..38 and scale 0..precision");
    }
    return new ColumnType(Kind.DECIMAL, precision, scale);
  }

  /**
   * Parses a Hive type name as Glue stores it ({@code string}, {@code bigint}, {@code decimal(10,2)}, nested
   * {@code array<..>}/{@code map<..>}/{@code struct<..>}; {@code long}, {@code integer} and
   * {@code varchar(n)}/{@code char(n)} are accepted as aliases).
   *
   * @param hiveName the Hive type name, e.g. {@code decimal(10,2)}
   * @return the type {@code hiveName} names
   * @throws IllegalArgumentException for a type Inlet does not support
   */
  public static ColumnType parse(String hiveName) {
    String name = hiveName.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "string":
        return STRING;
      case "boolean":
        return BOOLEAN;
      case "int":
      case "integer":
        return INT;
      case "bigint":
      case "long":
        return BIGINT;
      case "float":
        return FLOAT;
      case "double":
        return DOUBLE;
      case "date":
        return DATE;
      case "timestamp":
        return TIMESTAMP;
      case "binary":
        return BINARY;
      default:
        Matcher m = DECIMAL_NAME.matcher(name);
        if (m.matches()) {
          return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if (name.startsWith("varchar(") || name.startsWith("char(")) {
          return STRING;
        }
        if (name.startsWith("array<") || name.startsWith("map<") || name.startsWith("struct<")) {
          return nested(name);
        }
        throw new IllegalArgumentException("Unsupported column type '" + hiveName + "'");
    }
  }

  /** {@return the type's kind} */
  public Kind kind() {
    return kind;
  }

  /**
   * Decimal precision, 0 for other kinds.
   *
   * @return a decimal's total digits
   */
  public int precision() {
    return precision;
  }

  /**
   * Decimal scale, 0 for other kinds.
   *
   * @return a decimal's digits after the point
   */
  public int scale() {
    return scale;
  }

  /** {@return the name Hive, Glue and Athena use: {@code string}, {@code bigint}, {@code decimal(10,2)}, ...} */
  public String hiveName() {
    if (kind == Kind.DECIMAL) {
      return "decimal(" + precision + "," + scale + ")";
    }
    if (kind == Kind.NESTED) {
      return nestedName;
    }
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether values of this type can always be read as {@code to} without loss, and the two differ: {@code int ->
   * bigint}, {@code float -> double}, and {@code decimal(p,s) -> decimal(q,s)} with {@code q > p}. A catalog under
   * {@link EvolutionPolicy#UPDATE} widens a column this way.
   *
   * @param to the wider type
   * @return whether this type widens to {@code to}
   */
  public boolean widensTo(ColumnType to) {
    Objects.requireNonNull(to, "to");
    switch (kind) {
      case INT:
        return to.kind == Kind.BIGINT;
      case FLOAT:
        return to.kind == Kind.DOUBLE;
      case DECIMAL:
        return to.kind == Kind.DECIMAL && to.scale == scale && to.precision > precision;
      default:
        return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnType t
        && t.kind == kind
        && t.precision == precision
        && t.scale == scale
        && Objects.equals(t.nestedName, nestedName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, precision, scale, nestedName);
  }

  @Override
  public String toString() {
    return hiveName();
  }
}
