package dev.inlet.internal.parquet;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A reusable, mutable row of typed values for {@link ParquetRowWriter}, positioned like the writer's schema. Set
 * each slot with the setter matching its column type: {@link #setLong} for bigint and timestamp (micros),
 * {@link #setInt} for int and date (days since 1970-01-01), {@link #setDouble}, {@link #setFloat},
 * {@link #setBoolean}, {@link #setString} or {@link #setBytes} (UTF-8) for string, {@link #setBinary} or
 * {@link #setBytes} for binary, {@link #setDecimal} for decimals (already at the column's scale). Slots start
 * null. A slice given to {@code setBytes} must stay unchanged until the row is written. Not thread-safe; an
 * Inlet-internal class.
 */
public final class Row {
  final long[] longs;
  final double[] doubles;
  final Object[] refs;
  final boolean[] present;

  /**
   * An empty row (every value null).
   *
   * @param width the number of columns
   */
  public Row(int width) {
    longs = new long[width];
    doubles = new double[width];
    refs = new Object[width];
    present = new boolean[width];
  }

  /** {@return the number of columns} */
  public int width() {
    return present.length;
  }

  /** Sets every slot to null. */
  public void clear() {
    Arrays.fill(present, false);
    Arrays.fill(refs, null);
  }

  /**
   * Sets a value to null.
   *
   * @param i the column's index in the schema
   */
  public void setNull(int i) {
    present[i] = false;
    refs[i] = null;
  }

  /**
   * {@return whether the value is null}
   *
   * @param i the column's index in the schema
   */
  public boolean isNull(int i) {
    return !present[i];
  }

  /**
   * Sets a {@code bigint} or timestamp value.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setLong(int i, long v) {
    longs[i] = v;
    present[i] = true;
  }

  /**
   * Sets an {@code int} or date value.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setInt(int i, int v) {
    longs[i] = v;
    present[i] = true;
  }

  /**
   * Sets a {@code boolean} value.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setBoolean(int i, boolean v) {
    longs[i] = v ? 1 : 0;
    present[i] = true;
  }

  /**
   * Sets a {@code double} value.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setDouble(int i, double v) {
    doubles[i] = v;
    present[i] = true;
  }

  /**
   * Sets a {@code float} value.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setFloat(int i, float v) {
    doubles[i] = v;
    present[i] = true;
  }

  /**
   * Sets a string value; null sets null.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setString(int i, String v) {
    refs[i] = v;
    present[i] = v != null;
  }

  /**
   * Sets a binary value; null sets null.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setBinary(int i, byte[] v) {
    if (v == null) {
      setNull(i);
    } else {
      setBytes(i, v, 0, v.length);
    }
  }

  /**
   * Sets a string (UTF-8) or binary value to {@code b[off, off+len)}, which is read when the row is written.
   *
   * @param i the column's index in the schema
   * @param b the bytes
   * @param off the first byte's index in {@code b}
   * @param len how many bytes
   */
  public void setBytes(int i, byte[] b, int off, int len) {
    refs[i] = b;
    longs[i] = (long) off << 32 | (len & 0xFFFFFFFFL);
    present[i] = true;
  }

  int sliceOffset(int i) {
    return (int) (longs[i] >>> 32);
  }

  int sliceLength(int i) {
    return (int) longs[i];
  }

  /**
   * Sets a decimal value; null sets null.
   *
   * @param i the column's index in the schema
   * @param v the value
   */
  public void setDecimal(int i, BigDecimal v) {
    refs[i] = v;
    present[i] = v != null;
  }

  /**
   * {@return the integer value (int, bigint, date, timestamp, boolean as 0 or 1)}
   *
   * @param i the column's index in the schema
   */
  public long getLong(int i) {
    return longs[i];
  }

  /**
   * {@return the floating-point value}
   *
   * @param i the column's index in the schema
   */
  public double getDouble(int i) {
    return doubles[i];
  }
}
