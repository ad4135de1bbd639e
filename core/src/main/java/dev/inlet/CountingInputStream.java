package dev.inlet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Counts bytes read and reports the running count about every {@link #REPORT_EVERY} bytes and at EOF. */
final class CountingInputStream extends FilterInputStream {
  static final long REPORT_EVERY = 1L << 20;

  private final LongConsumer report;
  private long count;
  private long nextReport = REPORT_EVERY;
  private boolean eofReported;

  CountingInputStream(InputStream in, LongConsumer report) {
    super(in);
    this.report = report;
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    advance(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    advance(n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    advance(skipped);
    return skipped;
  }

  private void advance(long n) {
    if (n < 0) {
      if (!eofReported) {
        eofReported = true;
        report.accept(count);
      }
      return;
    }
    count += n;
    if (count >= nextReport) {
      nextReport = count + REPORT_EVERY;
      report.accept(count);
    }
  }
}
