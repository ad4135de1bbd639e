package dev.inlet.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches eight bytes at a time ("SIMD within a register"): one 64-bit load and a few arithmetic operations
 * per eight bytes instead of eight loads and compares. Used where CSV bytes are scanned for quotes, delimiters and
 * line breaks, and for non-ASCII bytes. Each search looks only inside {@code [from, to)}.
 *
 * <p>The tests below flag a byte by setting its high bit. A borrow can also flag bytes <em>above</em> a flagged
 * one, never below, so the lowest flagged byte is always a true match, and that is the only one used.
 */
final class Swar {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  /** Bytes below this are control characters; CR (0x0D) and LF (0x0A) are among them. */
  private static final long CONTROL_BOUND = 0x0E * ONES;

  private Swar() {}

  /** {@code b} in all eight bytes of a long, the pattern the searches take. */
  static long broadcast(byte b) {
    return (b & 0xFFL) * ONES;
  }

  /** The index of the first byte in {@code b[from, to)} equal to the byte in {@code pattern}, or {@code to}. */
  static int indexOf(byte[] b, int from, int to, long pattern) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ pattern;
      long t = (x - ONES) & ~x & HIGHS;
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    byte p = (byte) pattern;
    for (; i < to; i++) {
      if (b[i] == p) {
        return i;
      }
    }
    return to;
  }

  /**
   * The index of the first byte in {@code b[from, to)} that equals the byte in {@code pattern} or is a control
   * character below 0x0E (CR, LF, but also TAB and others: callers look at the byte found), or {@code to}.
   */
  static int indexOfOrControl(byte[] b, int from, int to, long pattern) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONGS.get(b, i);
      long x = w ^ pattern;
      long t = (((x - ONES) & ~x) | ((w - CONTROL_BOUND) & ~w)) & HIGHS;
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    byte p = (byte) pattern;
    for (; i < to; i++) {
      byte c = b[i];
      if (c == p || (c >= 0 && c < 0x0E)) {
        return i;
      }
    }
    return to;
  }

  /** The index of the first byte in {@code b[from, to)} with its high bit set (not ASCII), or {@code to}. */
  static int indexOfNonAscii(byte[] b, int from, int to) {
    int i = from;
    for (; i + 16 <= to; i += 16) {
      if ((((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8)) & HIGHS) != 0) {
        break;
      }
    }
    for (; i + 8 <= to; i += 8) {
      long t = (long) LONGS.get(b, i) & HIGHS;
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] < 0) {
        return i;
      }
    }
    return to;
  }
}
