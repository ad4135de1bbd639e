package dev.inlet.http;

import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A download that resumes by itself when its body breaks off: {@code Range} from the position reached, with
 * {@code If-Range} naming the entity first received, so that the bytes delivered are those of one entity. Used by
 * one thread.
 */
final class ResumingInputStream extends InputStream implements SourceFile.VersionedStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingInputStream.class);

  private final HttpDownloader downloader;
  private final URI uri;
  private final int maxAttempts;
  private final SourceVersion version;
  private HttpDownloader.Body body;
  private long position;
  private int resumes;
  private boolean closed;

  ResumingInputStream(HttpDownloader downloader, URI uri, HttpDownloader.Body first, long offset, int maxAttempts) {
    this.downloader = downloader;
    this.uri = uri;
    this.body = first;
    this.position = offset;
    this.maxAttempts = maxAttempts;
    this.version = first.version();
  }

  /** How often the body was resumed so far. */
  int resumes() {
    return resumes;
  }

  @Override
  public SourceVersion version() {
    return version;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("Cannot read " + HttpDownloader.redact(uri) + ": the stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        int n = body.read(b, off, len);
        if (n > 0) {
          position += n;
        }
        return n;
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (attempt >= maxAttempts) {
          throw new IOException(e.getMessage() + "; gave up after resuming " + (attempt - 1) + " time(s)", e);
        }
        resume(e, attempt);
      }
    }
  }

  private void resume(IOException cause, int attempt) throws IOException {
    closeQuietly(body);
    body = null;
    LOG.debug("Resuming {} at byte {} after {}", HttpDownloader.redact(uri), position, cause.toString());
    downloader.pauseBeforeResume(uri, attempt);
    String validator = validator();
    HttpDownloader.Body next;
    try {
      next = downloader.open(uri, position, validator);
    } catch (IOException e) {
      e.addSuppressed(cause);
      throw e;
    }
    if (changed(next.version())) {
      closeQuietly(next);
      IOException e = new IOException("Cannot resume " + HttpDownloader.redact(uri) + " at byte " + position
          + ": the file changed on the server while downloading (ETag " + version.etag() + " became "
          + next.version().etag() + "); download it again from the start");
      e.addSuppressed(cause);
      throw e;
    }
    body = next;
    resumes++;
  }

  /** If-Range value: a strong ETag, else the Last-Modified date, else none (no way to check the entity). */
  private String validator() {
    if (version.etag() != null && !version.etag().startsWith("W/")) {
      return version.etag();
    }
    if (version.lastModified() != null) {
      return DateTimeFormatter.RFC_1123_DATE_TIME.format(version.lastModified().atZone(ZoneOffset.UTC));
    }
    return null;
  }

  private boolean changed(SourceVersion now) {
    if (version.etag() != null && now.etag() != null) {
      return !version.etag().equals(now.etag());
    }
    if (version.lastModified() != null && now.lastModified() != null) {
      return !version.lastModified().equals(now.lastModified());
    }
    return version.size() != null && now.size() != null && !version.size().equals(now.size());
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (body != null) {
        body.close();
      }
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the body is abandoned; its failure is already being handled
    }
  }
}
