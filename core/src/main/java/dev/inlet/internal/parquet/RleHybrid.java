package dev.inlet.internal.parquet;

/**
 * Parquet's RLE/bit-packing hybrid encoding of small unsigned ints (definition levels, dictionary ids): runs of
 * eight or more equal values become RLE runs, everything else bit-packed groups of eight, LSB first. The values of
 * a whole page are encoded at once, which keeps the per-value work to one comparison.
 */
final class RleHybrid {
  private static final int GROUP = 8;

  private RleHybrid() {}

  /** Bits needed for values up to {@code max} (0 for max 0). */
  static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /** Appends the hybrid encoding of {@code values[0..n)}, each below {@code 1 << bitWidth}. */
  static void encode(int[] values, int n, int bitWidth, ByteBuf out) {
    int literalStart = 0;
    int i = 0;
    while (i < n) {
      int v = values[i];
      int j = i + 1;
      while (j < n && values[j] == v) {
        j++;
      }
      int run = j - i;
      if (run >= GROUP) {
        int literals = i - literalStart;
        int pad = (GROUP - literals % GROUP) % GROUP;
        // bit-packed runs hold whole groups of eight: lend the run's first values to the pending
        // literals
        literals += pad;
        run -= pad;
        if (literals > 0) {
          bitPacked(values, literalStart, literals, bitWidth, out);
        }
        if (run > 0) {
          rle(v, run, bitWidth, out);
        }
        literalStart = j;
      }
      i = j;
    }
    if (literalStart < n) {
      bitPacked(values, literalStart, n - literalStart, bitWidth, out);
    }
  }

  /** One RLE run: {@code count} times {@code value}. */
  static void rle(int value, int count, int bitWidth, ByteBuf out) {
    out.writeUnsignedVarInt(count << 1);
    int bytes = (bitWidth + 7) / 8;
    out.ensure(bytes);
    for (int k = 0; k < bytes; k++) {
      out.array[out.size++] = (byte) (value >>> (8 * k));
    }
  }

  /** One bit-packed run of {@code count} values from {@code from}, the last group padded with zeros. */
  private static void bitPacked(int[] values, int from, int count, int bitWidth, ByteBuf out) {
    int groups = (count + GROUP - 1) / GROUP;
    out.writeUnsignedVarInt(groups << 1 | 1);
    out.ensure(groups * bitWidth);
    if (bitWidth == 0) {
      return;
    }
    byte[] a = out.array;
    int p = out.size;
    long acc = 0;
    int bits = 0;
    int end = from + count;
    int padded = from + groups * GROUP;
    for (int k = from; k < padded; k++) {
      long v = k < end ? values[k] & 0xFFFFFFFFL : 0;
      acc |= v << bits;
      bits += bitWidth;
      while (bits >= 8) {
        a[p++] = (byte) acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    out.size = p;
  }
}
