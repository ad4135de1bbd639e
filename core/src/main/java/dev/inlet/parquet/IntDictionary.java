package dev.inlet.parquet;

import java.util.Arrays;

/** The distinct int values of one column chunk, numbered in order of first appearance. Not thread-safe. */
final class IntDictionary {
  private int[] values = new int[256];
  private int[] table = new int[512]; // id + 1, 0 for an empty slot
  private int size;

  int size() {
    return size;
  }

  /** Bytes of the dictionary page: 4 per entry. */
  long pageBytes() {
    return 4L * size;
  }

  int value(int id) {
    return values[id];
  }

  int idOf(int v) {
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

  void writePlain(int count, ByteBuf out) {
    for (int id = 0; id < count; id++) {
      out.writeIntLE(values[id]);
    }
  }

  void clear() {
    Arrays.fill(table, 0);
    size = 0;
  }

  private static int mix(int v) {
    int h = v * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
