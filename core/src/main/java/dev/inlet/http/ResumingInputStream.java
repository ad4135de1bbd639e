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
 * {@code If-Range} naming the entity first received, so that the bytes delivered are those of one entity; an
 * encoded body (whose ranges would count encoded bytes) is requested whole again and the delivered bytes skipped.
 * Failures resuming cannot repair ({@link HttpDownloader.NotResumableException}: the download deadline, a body that
 * cannot be confirmed complete) are passed on at once. At the end it compares the bytes delivered with the
 * listing's size, if known (see {@link HttpDownloader#opener(URI, Long)}). Each resume is a request of the
 * download's {@link Budget}: when its tries are used, the next break fails the read. Used by one thread.
 */
final class ResumingInputStream extends InputStream implements SourceFile.VersionedStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingInputStream.class);

  private final HttpDownloader downloader;
  private final URI uri;
  private final Budget budget;
  private final SourceVersion version;
  private final Long listedSize;
  /** The first body was encoded: resume by asking for the whole body again, not a range. */
  private final boolean restart;

  private Body body;
  private boolean ended;
  private long position;
  private int resumes;
  private boolean closed;

  ResumingInputStream(
      HttpDownloader downloader, URI uri, Body first, long offset, Long listedSize, Budget budget) {
    this.downloader = downloader;
    this.listedSize = listedSize;
    this.budget = budget;
    this.restart = first.encoded;
    this.uri = uri;
    this.body = first;
    this.position = offset;
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
    while (true) {
      try {
        int n = body.read(b, off, len);
        if (n > 0) {
          position += n;
        } else if (n < 0) {
          checkListedSize();
        }
        return n;
      } catch (InterruptedIOException | HttpDownloader.NotResumableException e) {
        throw e;
      } catch (IOException e) {
        if (!budget.hasTries()) {
          throw new IOException(
              budget.gaveUp(e.getMessage() + "; gave up after resuming " + resumes + " time(s) ("
                  + budget.used() + " request(s), the download's attempts in all)"),
              e);
        }
        resume(e);
      }
    }
  }

  /** Fails a body shorter than the listing says; see {@link HttpDownloader#opener(URI, Long)} for why not longer. */
  private void checkListedSize() throws IOException {
    if (ended || listedSize == null) {
      return;
    }
    ended = true;
    if (position < listedSize) {
      throw new HttpDownloader.NotResumableException("Cannot download " + HttpDownloader.redact(uri)
          + ": received " + position + " bytes, but the listing gives the file's size as "
          + listedSize
          + " bytes; the download is incomplete (or the listing out of date): try again later");
    }
    if (position > listedSize) {
      LOG.warn(
          "{}: received {} bytes, more than the {} bytes the listing gives; accepted (the listing may predate"
              + " a re-publication)",
          HttpDownloader.redact(uri),
          position,
          listedSize);
    }
  }

  private void resume(IOException cause) throws IOException {
    closeQuietly(body);
    body = null;
    LOG.debug(
        "Resuming {} at byte {} after {}", HttpDownloader.redact(uri), position, cause.toString());
    downloader.pause(
        uri, Redirects.min(downloader.backoff(budget.used(), null), budget.remaining()));
    String validator = validator(version);
    Body next;
    try {
      next = downloader.open(uri, position, validator, restart, budget);
    } catch (IOException e) {
      e.addSuppressed(cause);
      throw e;
    }
    if (changed(version, next.version())) {
      closeQuietly(next);
      IOException e =
          new IOException("Cannot resume " + HttpDownloader.redact(uri) + " at byte " + position
              + ": the file changed on the server while downloading (ETag " + version.etag()
              + " became "
              + next.version().etag() + "); download it again from the start");
      e.addSuppressed(cause);
      throw e;
    }
    body = next;
    resumes++;
  }

  /** If-Range value: a strong ETag, else the Last-Modified date, else none (no way to check the entity). */
  static String validator(SourceVersion version) {
    if (version.etag() != null && !version.etag().startsWith("W/")) {
      return version.etag();
    }
    if (version.lastModified() != null) {
      return DateTimeFormatter.RFC_1123_DATE_TIME.format(
          version.lastModified().atZone(ZoneOffset.UTC));
    }
    return null;
  }

  /** Whether {@code now} names another entity than {@code version}, as far as both tell. */
  static boolean changed(SourceVersion version, SourceVersion now) {
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
