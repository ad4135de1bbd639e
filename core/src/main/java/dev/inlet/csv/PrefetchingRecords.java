package dev.inlet.csv;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Parses CSV records on a background thread, a few batches ahead of the thread that converts and encodes them,
 * so parsing and encoding overlap on two cores. The consumer sees exactly what a plain loop over the parser
 * would give, in order: each record's values and the 1-based line where it starts; a parse failure surfaces at
 * {@link #next()} after every record before it. {@link #close()} stops the thread and waits for it, so the input
 * is never read after close returns. Single consumer; not otherwise thread-safe.
 */
final class PrefetchingRecords implements AutoCloseable {
  static final int BATCH_RECORDS = 256;
  static final int BATCHES_AHEAD = 8;

  private final CsvRecordParser parser;
  private final String fileName;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
  private final Thread thread;
  private volatile boolean closed;

  private Batch batch;
  private int position = -1;

  PrefetchingRecords(CsvRecordParser parser, String fileName) {
    this.parser = parser;
    this.fileName = fileName;
    this.thread = new Thread(this::produce, "inlet-csv-parser");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Moves to the next record.
   *
   * @return false at the end of the input
   * @throws dev.inlet.MalformedInputException for a CSV syntax error in the next record
   * @throws IOException if reading the input failed
   */
  boolean next() throws IOException {
    while (true) {
      if (batch != null && position + 1 < batch.size) {
        position++;
        return true;
      }
      if (batch != null && batch.last) {
        if (batch.failure != null) {
          Throwable f = batch.failure;
          batch.failure = null;
          batch.size = 0;
          rethrow(f);
        }
        return false;
      }
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Cannot read " + fileName + ": interrupted while waiting for the CSV parser", e);
      }
      position = -1;
    }
  }

  /** The current record's values; valid until the next call of {@link #next()}. */
  String[] values() {
    return batch.records[position];
  }

  /** The 1-based physical line where the current record starts. */
  long line() {
    return batch.lines[position];
  }

  private static void rethrow(Throwable f) throws IOException {
    if (f instanceof IOException io) {
      throw io;
    }
    if (f instanceof RuntimeException r) {
      throw r;
    }
    throw (Error) f;
  }

  private void produce() {
    Batch b = new Batch();
    try {
      while (!closed) {
        String[] rec = parser.next();
        if (rec == null) {
          break;
        }
        b.records[b.size] = rec;
        b.lines[b.size] = parser.line();
        if (++b.size == BATCH_RECORDS) {
          if (!put(b)) {
            return;
          }
          b = new Batch();
        }
      }
    } catch (Throwable t) { // handed to the consumer, which rethrows it in order
      b.failure = t;
    }
    b.last = true;
    put(b);
  }

  private boolean put(Batch b) {
    try {
      while (!queue.offer(b, 50, TimeUnit.MILLISECONDS)) {
        if (closed) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Stops the parser thread and waits until it no longer reads the input. */
  @Override
  public void close() {
    closed = true;
    queue.clear();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Batch {
    final String[][] records = new String[BATCH_RECORDS][];
    final long[] lines = new long[BATCH_RECORDS];
    int size;
    boolean last;
    Throwable failure;
  }
}
