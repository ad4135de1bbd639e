package dev.inlet.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Counts the bytes of one body as they come off the wire and fails when the body ends before the announced length
 * ({@code Content-Length}, or a {@code 206}'s range), or when a {@code 206}'s range ends before the entity's total.
 * Checks run once, at the end of the body, never per byte.
 */
final class CountingInputStream extends FilterInputStream {
  private final long expected;
  private final long offset;
  private final long total;
  private final URI uri;
  private long received;

  /**
   * @param expected bytes announced for this body, or -1 if unknown
   * @param offset where this body starts in the file (for messages and {@link #position()})
   * @param total the entity's length from a {@code 206}'s Content-Range, or -1 if unknown or not a range
   * @param uri the redacted URI (for messages)
   */
  CountingInputStream(InputStream in, long expected, long offset, long total, URI uri) {
    super(in);
    this.expected = expected;
    this.offset = offset;
    this.total = total;
    this.uri = uri;
  }

  /** Where in the file the next byte of this body is: the body's start plus the bytes received. */
  long position() {
    return offset + received;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
    } catch (IOException e) {
      throw truncated(e);
    }
    if (b < 0) {
      checkComplete();
    } else {
      received++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(buf, off, len);
    } catch (IOException e) {
      throw truncated(e);
    }
    if (n < 0) {
      checkComplete();
    } else {
      received += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // read through read() so that skipped bytes are counted and truncation is seen
    long skipped = 0;
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkComplete() throws IOException {
    if (expected >= 0 && received < expected) {
      throw new IOException(message() + " before the end of the body");
    }
    if (total >= 0 && offset + received < total) {
      // a 206 whose range stops short of the file: whole as a range, a part as a file
      throw new IOException("Cannot download " + uri + ": the server sent bytes " + offset + "-"
          + (offset + received - 1) + " of " + total
          + " (a partial Content-Range), the rest is missing; try again later");
    }
  }

  private IOException truncated(IOException cause) {
    if (cause instanceof HttpDownloader.NotResumableException) {
      return new HttpDownloader.NotResumableException(
          cause.getMessage() + " (" + received + " bytes of this body" + " received)", cause);
    }
    if (cause instanceof HttpDownloader.IdleTimeoutException) {
      return new IOException(message() + ": " + cause.getMessage(), cause);
    }
    return new IOException(message() + ": " + cause.getClass().getSimpleName(), cause);
  }

  private String message() {
    String from = offset > 0 ? " (resumed at byte " + offset + ")" : "";
    String of = expected >= 0
        ? "expected " + expected + " bytes, received " + received
        : "received " + received + " bytes";
    return "Cannot download " + uri + from + ": body truncated, " + of;
  }
}
