package dev.inlet.csv;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The chunk buffers of every conversion in the process (a pipeline converts several files at once), within one
 * budget: a quarter of the maximum heap. A conversion takes a buffer for each chunk it reads and gives it back
 * once the chunk is written, so buffers move between conversions instead of becoming garbage in the old
 * generation; idle buffers are held softly, for the garbage collector to take when the heap is short. A
 * conversion holding no buffer waits for one, except when none is in use at all, so one conversion always makes
 * progress; one holding buffers frees its own by writing its oldest chunk instead of waiting, so conversions
 * never wait on each other in a cycle. Thread-safe.
 */
final class ChunkMemory {
  private static final ChunkMemory PROCESS =
      new ChunkMemory(Runtime.getRuntime().maxMemory() / 4);

  private final long limit;
  private long inUse;
  private final ArrayDeque<SoftReference<byte[]>> idle = new ArrayDeque<>();

  ChunkMemory(long limit) {
    this.limit = limit;
  }

  static ChunkMemory process() {
    return PROCESS;
  }

  /** Bytes the budget allows. */
  long limit() {
    return limit;
  }

  /** A buffer of at least {@code size} bytes if the budget has room (or none is in use); null otherwise. */
  synchronized byte[] tryTake(int size) {
    return inUse == 0 || inUse + size <= limit ? take0(size) : null;
  }

  /** A buffer of at least {@code size} bytes, waiting until the budget has room (or none is in use). */
  synchronized byte[] take(int size) throws InterruptedException {
    while (inUse != 0 && inUse + size > limit) {
      wait();
    }
    return take0(size);
  }

  /** A buffer of at least {@code size} bytes, at once, even past the budget (for a sample held before any work). */
  synchronized byte[] takeAnyway(int size) {
    return take0(size);
  }

  /** The smallest idle buffer that fits, not more than twice the size (bigger ones are dropped), or a new one. */
  private byte[] take0(int size) {
    byte[] best = null;
    SoftReference<byte[]> bestRef = null;
    for (Iterator<SoftReference<byte[]>> it = idle.iterator(); it.hasNext(); ) {
      SoftReference<byte[]> ref = it.next();
      byte[] b = ref.get();
      if (b == null || b.length > 2L * size) {
        it.remove();
      } else if (b.length >= size && (best == null || b.length < best.length)) {
        best = b;
        bestRef = ref;
      }
    }
    if (best != null) {
      idle.remove(bestRef);
      inUse += best.length;
      return best;
    }
    inUse += size;
    return new byte[size];
  }

  /** Counts a buffer that replaced a taken one of {@code oldLength} bytes (grown for one long record). */
  synchronized void grew(int oldLength, int newLength) {
    inUse += newLength - (long) oldLength;
  }

  /** Gives a taken (or grown) buffer back. */
  synchronized void give(byte[] buf) {
    inUse -= buf.length;
    idle.push(new SoftReference<>(buf));
    notifyAll();
  }

  synchronized long inUse() {
    return inUse;
  }
}
