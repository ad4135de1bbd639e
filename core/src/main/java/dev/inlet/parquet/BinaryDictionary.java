package dev.inlet.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The distinct byte strings of one column chunk, numbered in order of first appearance: an open-addressing hash
 * table over one byte arena, so looking up a repeated value allocates nothing. Not thread-safe.
 */
final class BinaryDictionary {
  private byte[] arena = new byte[4096];
  private int arenaSize;
  private int[] offsets = new int[256];
  private int[] lengths = new int[256];
  private int[] hashes = new int[256];
  private int[] table = new int[512]; // id + 1, 0 for an empty slot
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
    return offsets[id];
  }

  int length(int id) {
    return lengths[id];
  }

  /** The id of {@code b[off, off+len)}, added when new. */
  int idOf(byte[] b, int off, int len) {
    int h = hash(b, off, len);
    int mask = table.length - 1;
    int slot = h & mask;
    while (true) {
      int e = table[slot];
      if (e == 0) {
        return add(b, off, len, h, slot);
      }
      int id = e - 1;
      if (hashes[id] == h && lengths[id] == len
          && Arrays.equals(arena, offsets[id], offsets[id] + len, b, off, off + len)) {
        return id;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int add(byte[] b, int off, int len, int h, int slot) {
    int id = size;
    if (id == offsets.length) {
      int n = id * 2;
      offsets = Arrays.copyOf(offsets, n);
      lengths = Arrays.copyOf(lengths, n);
      hashes = Arrays.copyOf(hashes, n);
    }
    if (arenaSize + len > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arenaSize + len, arena.length * 2));
    }
    System.arraycopy(b, off, arena, arenaSize, len);
    offsets[id] = arenaSize;
    lengths[id] = len;
    hashes[id] = h;
    arenaSize += len;
    pageBytes += 4 + len;
    size++;
    table[slot] = id + 1;
    if (size * 2 > table.length) {
      rehash();
    }
    return id;
  }

  private void rehash() {
    int[] t = new int[table.length * 2];
    int mask = t.length - 1;
    for (int id = 0; id < size; id++) {
      int slot = hashes[id] & mask;
      while (t[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      t[slot] = id + 1;
    }
    table = t;
  }

  /** Appends the first {@code count} entries PLAIN-encoded, as a dictionary page holds them. */
  void writePlain(int count, ByteBuf out) {
    for (int id = 0; id < count; id++) {
      out.writeIntLE(lengths[id]);
      out.write(arena, offsets[id], lengths[id]);
    }
  }

  void clear() {
    Arrays.fill(table, 0);
    size = 0;
    arenaSize = 0;
    pageBytes = 0;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (b[i] & 0xFFL) << shift;
    }
    h = (h ^ tail) * K;
    h ^= h >>> 32;
    return (int) h;
  }
}
