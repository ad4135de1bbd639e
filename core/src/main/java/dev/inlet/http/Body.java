package dev.inlet.http;

import static dev.inlet.http.HttpDownloader.redact;

import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * A response body that knows its status and the version the server reported. Per read call (never per byte) it
 * checks the download deadline, and at the end of a body delimited by connection close it asks the server to
 * confirm the length ({@link Bodies#verifyEnd}).
 */
final class Body extends FilterInputStream implements SourceFile.VersionedStream {
  final int status;
  /** Whether a Content-Encoding is decoded here: then ranges would count other bytes than this stream's. */
  final boolean encoded;

  private final SourceVersion version;
  private final CountingInputStream transport;
  private final HttpDownloader downloader;
  private final URI uri;
  private final Budget budget;
  private final boolean closeDelimited;
  private final String openRange;
  private IOException endFailure;
  private boolean ended;
  /** The last byte this body delivered, or -1 before the first. */
  private int lastByte = -1;

  Body(
      InputStream in,
      int status,
      SourceVersion version,
      boolean encoded,
      CountingInputStream transport,
      HttpDownloader downloader,
      URI uri,
      Budget budget,
      boolean closeDelimited,
      String openRange) {
    super(in);
    this.status = status;
    this.version = version;
    this.encoded = encoded;
    this.transport = transport;
    this.downloader = downloader;
    this.uri = uri;
    this.budget = budget;
    this.closeDelimited = closeDelimited;
    this.openRange = openRange;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (HttpDownloader.NotResumableException | HttpDownloader.DeadlineExceededException e) {
      throw e;
    } catch (IOException e) {
      if (encoded && (e.getMessage() == null || !e.getMessage().startsWith("Cannot "))) {
        throw new IOException(
            "Cannot download " + redact(uri) + ": the encoded body breaks off or cannot be"
                + " decoded after " + transport.position() + " bytes (" + e + ")",
            e);
      }
      throw e;
    }
    if (n < 0) {
      end();
      return n;
    }
    if (n > 0) {
      lastByte = b[off + n - 1] & 0xFF;
    }
    if (budget.passed()) {
      throw new HttpDownloader.DeadlineExceededException(
          downloader.deadlineMessage(uri) + " (" + transport.position() + " bytes received)");
    }
    return n;
  }

  private void end() throws IOException {
    if (endFailure != null) {
      throw endFailure;
    }
    if (closeDelimited && !ended) {
      ended = true;
      try {
        downloader.bodies.verifyEnd(
            uri, transport.position(), lastByte, version, budget, openRange);
      } catch (IOException e) {
        endFailure = e;
        throw e;
      }
    }
  }

  /** Skips to {@code offset} of the (decoded) file, failing if the body ends before it. */
  void skipToOffset(long offset) throws IOException {
    if (encoded) {
      in.skipNBytes(offset);
    } else {
      transport.skipNBytes(offset);
    }
  }

  @Override
  public SourceVersion version() {
    return version;
  }
}
