package dev.inlet.internal.parquet;

import java.util.Arrays;

/**
 * The distinct values of one INT32 or INT64 column chunk, numbered in order of first appearance (open
 * addressing, no boxing). Not thread-safe.
 */
final class LongDictionary {
  private final int width;
  private long[] values = new long[256];
  private int[] table = new int[512]; // id + 1, 0 for an empty slot
  private int size;

  /** {@code width}: bytes per PLAIN value, 4 or 8. */
  LongDictionary(int width) {
    this.width = width;
  }

  int size() {
    return size;
  }

  /** Bytes of the dictionary page. */
  long pageBytes() {
    return (long) width * size;
  }

  int idOf(long v) {
    int mask = table.length - 1;
    int slot = mix(v) & mask;
    while (true) {
      int e = table[slot];
      if (e == 0) {
        break;
      }
      if (values[e - 1] == v) {
        return e - 1;
      }
      slot = (slot + 1) & mask;
    }
    int id = size;
    if (id == values.length) {
      values = Arrays.copyOf(values, id * 2);
    }
    values[id] = v;
    size++;
    table[slot] = id + 1;
    if (size * 2 > table.length) {
      int[] t = new int[table.length * 2];
      int m = t.length - 1;
      for (int k = 0; k < size; k++) {
        int s = mix(values[k]) & m;
        while (t[s] != 0) {
          s = (s + 1) & m;
        }
        t[s] = k + 1;
      }
      table = t;
    }
    return id;
  }

  /** Appends the first {@code count} entries PLAIN-encoded, as a dictionary page holds them. */
  void writePlain(int count, ByteBuf out) {
    for (int id = 0; id < count; id++) {
      if (width == 4) {
        out.writeIntLE((int) values[id]);
      } else {
        out.writeLongLE(values[id]);
      }
    }
  }

  void clear() {
    Arrays.fill(table, 0);
    size = 0;
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
