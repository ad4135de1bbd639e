package dev.inlet.csv;

import dev.inlet.MalformedInputException;
import dev.inlet.parquet.Row;
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
  /** Batches the consumer is done with, reused by the parser thread (their rows and arrays). */
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES_AHEAD + 2);
  private volatile ConversionRun.Filler converter;
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
      Batch done = batch;
      try {
        batch = queue.take();
        if (done != null) {
          free.offer(done);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Cannot read " + fileName + ": interrupted while waiting for the CSV parser", e);
      }
      position = -1;
    }
  }

  /**
   * From now on the parser thread also converts the records it reads ahead, with {@code filler} (which it alone
   * uses); records it queued before are handed over unconverted ({@link #row()} and {@link #error()} null).
   */
  void convertWith(ConversionRun.Filler filler) {
    converter = filler;
  }

  /** The current record converted by the parser thread, or null; valid until the next call of {@link #next()}. */
  Row row() {
    Batch b = batch;
    return b.converted && b.errors[position] == null ? b.rows[position] : null;
  }

  /** Why the parser thread could not convert the current record, or null. */
  MalformedInputException error() {
    Batch b = batch;
    return b.converted ? b.errors[position] : null;
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
    Batch b = newBatch();
    try {
      while (!closed) {
        String[] rec = parser.next();
        if (rec == null) {
          break;
        }
        b.records[b.size] = rec;
        b.lines[b.size] = parser.line();
        if (++b.size == BATCH_RECORDS) {
          convert(b);
          if (!put(b)) {
            return;
          }
          b = newBatch();
        }
      }
      convert(b);
    } catch (Throwable t) { // handed to the consumer, which rethrows it in order
      b.failure = t;
    }
    b.last = true;
    put(b);
  }

  private Batch newBatch() {
    Batch b = free.poll();
    if (b == null) {
      return new Batch();
    }
    b.size = 0;
    b.converted = false;
    return b;
  }

  /** Converts the batch's records if the consumer asked for it; a bad record's failure goes with it. */
  private void convert(Batch b) {
    ConversionRun.Filler f = converter;
    if (f == null) {
      return;
    }
    if (b.rows == null) {
      b.rows = new Row[BATCH_RECORDS];
      b.errors = new MalformedInputException[BATCH_RECORDS];
    }
    for (int k = 0; k < b.size; k++) {
      if (b.rows[k] == null) {
        b.rows[k] = f.newRow();
      }
      b.errors[k] = null;
      try {
        f.fill(b.records[k], b.lines[k], b.rows[k]);
      } catch (MalformedInputException e) {
        b.errors[k] = e;
      }
    }
    b.converted = true;
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
    Row[] rows;
    MalformedInputException[] errors;
    boolean converted;
    int size;
    boolean last;
    Throwable failure;
  }
}
