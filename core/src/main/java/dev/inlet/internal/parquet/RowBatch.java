package dev.inlet.internal.parquet;

import dev.inlet.ColumnType;
import dev.inlet.Schema;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows of one {@link Schema} copied into compact blocks of bytes, to be {@linkplain #writeTo written} into a
 * {@link RowGroupBuffer} later, on another thread: a converter fills batches while it parses, and the rows of
 * several batches become one row group once there are enough of them. A row is a null bitmap and its present
 * values (8 bytes a number, a length and the bytes a string or binary value); a row does not refer to the
 * buffers it was converted from, so they can be reused at once. Rows give the same {@link RowGroupBuffer} bytes
 * whether written directly or through a batch. The blocks come from a {@link Blocks} pool and go back to it once
 * the batch is {@linkplain #release released} by each of its holders. Not thread-safe, except {@link #retain}
 * and {@link #release}: fill a batch on one thread, then hand it over to readers. Inlet-internal.
 */
public final class RowBatch {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int FIRST_BLOCK = 16 * 1024;
  /** Blocks stay under the 1 MiB the launcher pretenures (they are short-lived). */
  private static final int MAX_BLOCK = 512 * 1024;
  /** Bytes counted per row besides its data: its position and size. */
  private static final int ROW_OVERHEAD = 12;
  /** Bytes reserved per column while a row is copied: a number, or the length of a string (up to 5 bytes). */
  private static final int PER_COLUMN = 8;
  /** Bytes counted per decimal value (a BigDecimal is kept as it is). */
  private static final int DECIMAL_BYTES = 64;

  private static final byte NUMBER = 0;
  private static final byte BYTES = 1;
  private static final byte DOUBLE = 2;
  private static final byte DECIMAL = 3;

  private final byte[] kinds;
  private final Blocks pool;
  /** Holders that have not released the batch yet. */
  private final AtomicInteger holders = new AtomicInteger(1);

  private final int bitmapBytes;
  private final List<byte[]> blocks = new ArrayList<>();
  private final List<Object> decimals = new ArrayList<>();
  private byte[] block;
  private int blockSize;
  /** Per row: its block {@code << 32 |} its offset there. */
  private long[] positions = new long[64];
  /** Per row: the bytes before it (data and overhead), for {@link #bytes}; one more entry for the end. */
  private long[] before = new long[65];

  private int rows;

  private RowBatch(byte[] kinds, Blocks pool) {
    this.kinds = kinds;
    this.pool = pool;
    this.bitmapBytes = (kinds.length + 7) / 8;
  }

  /** An empty batch of rows of {@code schema}, held by its creator, taking its blocks from {@code pool}. */
  public static RowBatch of(Schema schema, Blocks pool) {
    byte[] kinds = new byte[schema.size()];
    for (int i = 0; i < kinds.length; i++) {
      ColumnType t = schema.column(i).type();
      switch (t.kind()) {
        case STRING:
        case BINARY:
          kinds[i] = BYTES;
          break;
        case DOUBLE:
        case FLOAT:
          kinds[i] = DOUBLE;
          break;
        case DECIMAL:
          kinds[i] = DECIMAL;
          break;
        default:
          kinds[i] = NUMBER;
      }
    }
    return new RowBatch(kinds, pool);
  }

  /** One more holder of this batch (which must be held by another until then). */
  public void retain() {
    if (holders.getAndIncrement() <= 0) {
      throw new IllegalStateException("The batch is released already");
    }
  }

  /** A holder is done with the batch; once all are, its blocks go back to the pool and it must not be read. */
  public void release() {
    int left = holders.decrementAndGet();
    if (left == 0) {
      for (byte[] b : blocks) {
        pool.give(b);
      }
      blocks.clear();
      block = null;
    } else if (left < 0) {
      throw new IllegalStateException("The batch is released more often than held");
    }
  }

  /** Rows added. */
  public int rows() {
    return rows;
  }

  /** Bytes held for rows {@code [from, to)}: their data and a little per row. */
  public long bytes(int from, int to) {
    return before[to] - before[from];
  }

  /** The last row end {@code e >= from} with rows {@code [from, e)} holding at most {@code bytes} bytes. */
  public int endWithin(int from, long bytes) {
    long limit = before[from] + bytes;
    int i = Arrays.binarySearch(before, from, rows + 1, limit);
    return i >= 0 ? i : -i - 2; // the insertion point less one: the last end under the limit
  }

  /** Copies {@code row}'s values (a string or binary slice is copied, so its buffer may change afterwards). */
  public void add(Row row) {
    int width = kinds.length;
    // room for the bitmap and, per column, 8 bytes or a length of up to 5 bytes; string bytes are
    // checked as
    // they come (a row that does not fit moves to a new block)
    byte[] b = room(bitmapBytes + PER_COLUMN * width);
    int p = blockSize;
    int q = p + bitmapBytes;
    Arrays.fill(b, p, q, (byte) 0);
    int decimalsBefore = decimals.size();
    for (int i = 0; i < width; i++) {
      if (!row.present[i]) {
        continue;
      }
      switch (kinds[i]) {
        case BYTES: {
          Object o = row.refs[i];
          byte[] src;
          int off;
          int len;
          if (o instanceof String) {
            src = ((String) o).getBytes(StandardCharsets.UTF_8);
            off = 0;
            len = src.length;
          } else {
            src = (byte[]) o;
            off = row.sliceOffset(i);
            len = row.sliceLength(i);
          }
          if ((long) q + len + PER_COLUMN * (width - i) > b.length) {
            byte[] moved = newBlock((q - p) + len + PER_COLUMN * (width - i));
            System.arraycopy(b, p, moved, 0, q - p);
            q -= p;
            p = 0;
            b = moved;
          }
          if (len < 0x80) {
            b[q++] = (byte) len;
          } else {
            q = putVarint(b, q, len);
          }
          System.arraycopy(src, off, b, q, len);
          q += len;
          break;
        }
        case DOUBLE:
          LONGS.set(b, q, Double.doubleToRawLongBits(row.doubles[i]));
          q += 8;
          break;
        case DECIMAL:
          ByteBuf.putIntLE(b, q, decimals.size());
          decimals.add(row.refs[i]);
          q += 4;
          break;
        default:
          LONGS.set(b, q, row.longs[i]);
          q += 8;
      }
      b[p + (i >>> 3)] |= (byte) (1 << (i & 7));
    }
    if (rows + 1 == positions.length) {
      positions = Arrays.copyOf(positions, positions.length * 2);
      before = Arrays.copyOf(before, positions.length + 1);
    }
    positions[rows] = (long) (blocks.size() - 1) << 32 | p;
    blockSize = q;
    before[rows + 1] = before[rows]
        + (q - p)
        + ROW_OVERHEAD
        + (long) (decimals.size() - decimalsBefore) * DECIMAL_BYTES;
    rows++;
  }

  private static int putVarint(byte[] b, int q, int v) {
    while ((v & ~0x7F) != 0) {
      b[q++] = (byte) (v & 0x7F | 0x80);
      v >>>= 7;
    }
    b[q++] = (byte) v;
    return q;
  }

  /** The current block with {@code size} bytes free, starting a new one if needed. */
  private byte[] room(int size) {
    if (block != null && blockSize + size <= block.length) {
      return block;
    }
    return newBlock(size);
  }

  /** Starts a new block of at least {@code size} bytes. */
  private byte[] newBlock(int size) {
    int next = block == null ? FIRST_BLOCK : Math.min(MAX_BLOCK, block.length * 2);
    block = size <= next ? pool.take(next) : new byte[size];
    blockSize = 0;
    blocks.add(block);
    return block;
  }

  /**
   * Writes rows {@code [from, to)} into {@code buffer} in order, through {@code scratch} (a row of this schema's
   * width).
   */
  public void writeTo(RowGroupBuffer buffer, int from, int to, Row scratch) throws IOException {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("rows " + from + " to " + to + " of " + rows);
    }
    for (int r = from; r < to; r++) {
      read(r, scratch);
      buffer.write(scratch);
    }
  }

  private void read(int r, Row row) {
    long pos = positions[r];
    byte[] b = blocks.get((int) (pos >>> 32));
    int p = (int) pos;
    int q = p + bitmapBytes;
    for (int i = 0; i < kinds.length; i++) {
      if ((b[p + (i >>> 3)] & (1 << (i & 7))) == 0) {
        row.present[i] = false;
        row.refs[i] = null;
        continue;
      }
      switch (kinds[i]) {
        case BYTES: {
          int len = b[q++];
          if (len < 0) {
            len &= 0x7F;
            int shift = 7;
            int x;
            do {
              x = b[q++];
              len |= (x & 0x7F) << shift;
              shift += 7;
            } while (x < 0);
          }
          row.setBytes(i, b, q, len);
          q += len;
          break;
        }
        case DOUBLE:
          row.setDouble(i, Double.longBitsToDouble((long) LONGS.get(b, q)));
          q += 8;
          break;
        case DECIMAL: {
          int k = (b[q] & 0xFF)
              | (b[q + 1] & 0xFF) << 8
              | (b[q + 2] & 0xFF) << 16
              | (b[q + 3] & 0xFF) << 24;
          row.setDecimal(i, (BigDecimal) decimals.get(k));
          q += 4;
          break;
        }
        default:
          row.setLong(i, (long) LONGS.get(b, q));
          q += 8;
      }
    }
  }

  /**
   * Blocks of released batches kept for new ones (of a few sizes, at most {@code maxIdleBytes} of them idle), so
   * that rows copied by one thread and read by another do not each take fresh memory. Thread-safe.
   */
  public static final class Blocks {
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_BLOCK / FIRST_BLOCK) + 1;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<byte[]>[] idle = new ConcurrentLinkedQueue[CLASSES];

    private final AtomicLong idleBytes = new AtomicLong();
    private final long maxIdleBytes;

    public Blocks(long maxIdleBytes) {
      this.maxIdleBytes = maxIdleBytes;
      for (int i = 0; i < CLASSES; i++) {
        idle[i] = new ConcurrentLinkedQueue<>();
      }
    }

    /** A block of {@code size} bytes, a power of two from FIRST_BLOCK to MAX_BLOCK. */
    byte[] take(int size) {
      byte[] b = idle[sizeClass(size)].poll();
      if (b == null) {
        return new byte[size];
      }
      idleBytes.addAndGet(-b.length);
      return b;
    }

    void give(byte[] b) {
      int c = sizeClass(b.length);
      if (c >= 0 && idleBytes.addAndGet(b.length) <= maxIdleBytes) {
        idle[c].add(b);
      } else if (c >= 0) {
        idleBytes.addAndGet(-b.length);
      }
    }

    /** Bytes of the idle blocks. */
    long idleBytes() {
      return idleBytes.get();
    }

    private static int sizeClass(int size) {
      if (size < FIRST_BLOCK || size > MAX_BLOCK || Integer.bitCount(size) != 1) {
        return -1;
      }
      return Integer.numberOfTrailingZeros(size / FIRST_BLOCK);
    }
  }
}
