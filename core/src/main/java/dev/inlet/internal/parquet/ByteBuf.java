package dev.inlet.internal.parquet;

import java.util.Arrays;

/** A growable little-endian byte buffer, reused page after page. Not thread-safe. */
final class ByteBuf {
  byte[] array;
  int size;

  ByteBuf(int capacity) {
    array = new byte[Math.max(16, capacity)];
  }

  void reset() {
    size = 0;
  }

  /** Makes room for {@code n} more bytes. */
  void ensure(int n) {
    int need = size + n;
    if (need > array.length || need < 0) {
      if (need < 0) {
        throw new IllegalStateException("A Parquet page buffer cannot pass 2 GiB");
      }
      array = Arrays.copyOf(array, Math.max(need, (int)
          Math.min(Integer.MAX_VALUE - 8, array.length * 2L)));
    }
  }

  void writeByte(int b) {
    ensure(1);
    array[size++] = (byte) b;
  }

  void writeIntLE(int v) {
    ensure(4);
    putIntLE(array, size, v);
    size += 4;
  }

  void writeLongLE(long v) {
    ensure(8);
    putLongLE(array, size, v);
    size += 8;
  }

  static void putLongLE(byte[] a, int p, long v) {
    a[p] = (byte) v;
    a[p + 1] = (byte) (v >>> 8);
    a[p + 2] = (byte) (v >>> 16);
    a[p + 3] = (byte) (v >>> 24);
    a[p + 4] = (byte) (v >>> 32);
    a[p + 5] = (byte) (v >>> 40);
    a[p + 6] = (byte) (v >>> 48);
    a[p + 7] = (byte) (v >>> 56);
  }

  void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, array, size, len);
    size += len;
  }

  /** An unsigned LEB128 varint, as Parquet's RLE/bit-packing hybrid run headers use. */
  void writeUnsignedVarInt(int v) {
    ensure(5);
    while ((v & ~0x7F) != 0) {
      array[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    array[size++] = (byte) v;
  }

  static void putIntLE(byte[] a, int p, int v) {
    a[p] = (byte) v;
    a[p + 1] = (byte) (v >>> 8);
    a[p + 2] = (byte) (v >>> 16);
    a[p + 3] = (byte) (v >>> 24);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(array, size);
  }
}
