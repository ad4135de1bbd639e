package dev.inlet.internal.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The distinct byte strings of one column chunk, numbered in order of first appearance: an open-addressing hash
 * table over one byte arena, so looking up a repeated value allocates nothing. Not thread-safe.
 */
final class BinaryDictionary {
  /** Bytes kept free after the arena's last entry, so that entries can be read eight bytes at a time. */
  private static final int SLACK = 8;

  private byte[] arena = new byte[4096];
  private int arenaSize;
  /** Per id: its offset in the arena {@code << 32 |} its length. */
  private long[] entries = new long[256];
  /** Per slot: the entry's hash {@code << 32 |} its id + 1; 0 for an empty slot. Values of 8 bytes or more. */
  private long[] table = new long[512];
  /**
   * Values under 8 bytes (codes, districts, zip codes) have their own table, of pairs: the value packed in a long
   * (see {@link #shortKey}) and its id. A lookup then reads one cache line and compares one long.
   */
  private long[] shortTable = new long[2 * 64];

  private int shortCount;
  private int size;
  /** Bytes of the dictionary page: a 4-byte length and the bytes per entry. */
  private long pageBytes;

  int size() {
    return size;
  }

  long pageBytes() {
    return pageBytes;
  }

  byte[] arena() {
    return arena;
  }

  int offset(int id) {
    return (int) (entries[id] >>> 32);
  }

  int length(int id) {
    return (int) entries[id];
  }

  /**
   * The id of {@code b[off, off+len)}, added when new. A lookup of a long value reads the table slot (which holds
   * the hash, so most collisions are rejected there), the entry, and the entry's bytes: three cache lines; a
   * short value's lookup reads one. No allocation.
   */
  int idOf(byte[] b, int off, int len) {
    if (len < 8) {
      return shortIdOf(b, off, len);
    }
    int h = hash(b, off, len);
    long[] t = table;
    int mask = t.length - 1;
    int slot = h & mask;
    while (true) {
      long e = t[slot];
      if (e == 0) {
        return add(b, off, len, h, slot);
      }
      if ((int) (e >>> 32) == h) {
        int id = (int) e - 1;
        long entry = entries[id];
        if ((int) entry == len && equal(arena, (int) (entry >>> 32), b, off, len)) {
          return id;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  private int shortIdOf(byte[] b, int off, int len) {
    long key = shortKey(b, off, len);
    long[] t = shortTable;
    int mask = t.length / 2 - 1;
    int slot = (int) ((key * K) >>> 32) & mask;
    while (true) {
      long k = t[2 * slot];
      if (k == key) {
        return (int) t[2 * slot + 1];
      }
      if (k == 0) {
        int id = append(b, off, len);
        t[2 * slot] = key;
        t[2 * slot + 1] = id;
        if (++shortCount * 2 > mask + 1) {
          rehashShort();
        }
        return id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The {@code len < 8} bytes and, in the top byte, {@code len + 1}: never 0, and equal only for equal values. */
  private static long shortKey(byte[] b, int off, int len) {
    return tail(b, off, len) | (long) (len + 1) << 56;
  }

  private void rehashShort() {
    long[] old = shortTable;
    long[] t = new long[old.length * 2];
    int mask = t.length / 2 - 1;
    for (int s = 0; s < old.length; s += 2) {
      long key = old[s];
      if (key != 0) {
        int slot = (int) ((key * K) >>> 32) & mask;
        while (t[2 * slot] != 0) {
          slot = (slot + 1) & mask;
        }
        t[2 * slot] = key;
        t[2 * slot + 1] = old[s + 1];
      }
    }
    shortTable = t;
  }

  private int add(byte[] b, int off, int len, int h, int slot) {
    int id = append(b, off, len);
    table[slot] = (long) h << 32 | (id + 1);
    if ((size - shortCount) * 2 > table.length) {
      rehash();
    }
    return id;
  }

  /** Stores a new entry in the arena; returns its id. */
  private int append(byte[] b, int off, int len) {
    int id = size;
    if (id == entries.length) {
      entries = Arrays.copyOf(entries, id * 2);
    }
    if (arenaSize + len + SLACK > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arenaSize + len + SLACK, arena.length * 2));
    }
    System.arraycopy(b, off, arena, arenaSize, len);
    entries[id] = (long) arenaSize << 32 | len;
    arenaSize += len;
    pageBytes += 4 + len;
    size++;
    return id;
  }

  private void rehash() {
    long[] t = new long[table.length * 2];
    int mask = t.length - 1;
    for (long e : table) {
      if (e != 0) {
        int slot = (int) (e >>> 32) & mask;
        while (t[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        t[slot] = e;
      }
    }
    table = t;
  }

  /** Appends the first {@code count} entries PLAIN-encoded, as a dictionary page holds them. */
  void writePlain(int count, ByteBuf out) {
    for (int id = 0; id < count; id++) {
      out.writeIntLE(length(id));
      out.write(arena, offset(id), length(id));
    }
  }

  void clear() {
    Arrays.fill(table, 0);
    Arrays.fill(shortTable, 0);
    shortCount = 0;
    size = 0;
    arenaSize = 0;
    pageBytes = 0;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long K = 0x9E3779B97F4A7C15L;

  /** Eight bytes at a time, then the tail; well mixed for the power-of-two table. */
  static int hash(byte[] b, int off, int len) {
    long h = len * K;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * K;
      h ^= h >>> 29;
    }
    h = (h ^ tail(b, i, end - i)) * K;
    h ^= h >>> 32;
    return (int) h;
  }

  /** The {@code n < 8} bytes at {@code b[i]} as a little-endian long, read in one load when the array allows. */
  private static long tail(byte[] b, int i, int n) {
    if (n == 0) {
      return 0;
    }
    if (i + 8 <= b.length) {
      return (long) LONGS.get(b, i) & (-1L >>> (64 - 8 * n));
    }
    long tail = 0;
    for (int k = 0; k < n; k++) {
      tail |= (b[i + k] & 0xFFL) << (8 * k);
    }
    return tail;
  }

  /** Whether {@code a[ao, ao+len)} and {@code b[bo, bo+len)} hold the same bytes; eight at a time. */
  static boolean equal(byte[] a, int ao, byte[] b, int bo, int len) {
    int k = 0;
    for (; k + 8 <= len; k += 8) {
      if ((long) LONGS.get(a, ao + k) != (long) LONGS.get(b, bo + k)) {
        return false;
      }
    }
    int n = len - k;
    return n == 0 || tail(a, ao + k, n) == tail(b, bo + k, n);
  }
}
