package dev.inlet.csv;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Parses records on a thread of its own, ahead of the thread that converts and encodes them, in batches handed
 * over through a small bounded queue: a file converted row by row (partitioned output) then uses two cores.
 * Memory stays bounded: at most {@value #QUEUED} batches wait, each of at most {@value #BATCH_RECORDS} records or
 * {@value #BATCH_CHARS} chars (plus the record that crossed it). Records, their lines and failures come out in the
 * input's order; a parse failure is thrown by {@link #next()} where the record would have been.
 */
final class RecordPump implements AutoCloseable {
  static final int BATCH_RECORDS = 512;
  static final long BATCH_CHARS = 1L << 20;
  static final int QUEUED = 4;

  /** Reads the next record (skipping blank ones) and notes its line; null at the end. */
  interface Reader {
    String[] next() throws IOException;

    long line();
  }

  private static final class Batch {
    final List<String[]> records = new ArrayList<>();
    final long[] lines = new long[BATCH_RECORDS];
    /** Thrown after the records, or null. */
    Throwable failure;
    boolean last;
  }

  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
  private final Thread thread;
  private volatile boolean closed;
  private Batch current;
  private int index;
  private long line;

  RecordPump(Reader reader) {
    thread = new Thread(() -> pump(reader), "inlet-parse");
    thread.setDaemon(true);
    thread.start();
  }

  private void pump(Reader reader) {
    Batch b = new Batch();
    long chars = 0;
    try {
      while (!closed) {
        String[] rec = reader.next();
        if (rec == null) {
          b.last = true;
          break;
        }
        b.lines[b.records.size()] = reader.line();
        b.records.add(rec);
        chars += ConversionRun.chars(rec);
        if (b.records.size() == BATCH_RECORDS || chars >= BATCH_CHARS) {
          put(b);
          b = new Batch();
          chars = 0;
        }
      }
    } catch (Throwable t) {
      b.failure = t;
      b.last = true;
    }
    if (!closed) {
      put(b);
    }
  }

  private void put(Batch b) {
    try {
      while (!closed && !queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
        // the converting thread is busy; wait unless it has stopped reading
      }
    } catch (InterruptedException e) {
      closed = true;
    }
  }

  /** The next record, or null at the end; its line is {@link #line()} until the next call. */
  String[] next() throws IOException {
    while (current == null || index == current.records.size()) {
      if (current != null && (current.failure != null || current.last)) {
        Throwable f = current.failure;
        if (f == null) {
          return null;
        }
        current.failure = null;
        throw rethrow(f);
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while reading records");
      }
      index = 0;
    }
    line = current.lines[index];
    return current.records.get(index++);
  }

  /** The line of the record last returned by {@link #next()}. */
  long line() {
    return line;
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException e) {
      return e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }

  /**
   * Stops the parsing thread and waits a little for it (at once after the last record): after a failure it may be
   * blocked reading the input, which then fails or ends once the caller closes the input; it only parses, so a late
   * end changes nothing.
   */
  @Override
  public void close() {
    closed = true;
    queue.clear();
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
