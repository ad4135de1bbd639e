package dev.inlet.http;

import static dev.inlet.http.HttpDownloader.redact;

import dev.inlet.SourceUnavailableException;
import dev.inlet.SourceVersion;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an answer's body delivers: the whole entity or an {@link IOException}. Checks a {@code 206}'s
 * Content-Range, counts the body against its length, decodes gzip and deflate, positions the body at the offset
 * asked for, and confirms a body ended by connection close with a second request ({@link #verifyEnd}).
 */
final class Bodies {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

  private final HttpDownloader d;

  Bodies(HttpDownloader downloader) {
    this.d = downloader;
  }

  /**
   * The body of a 200 or 206 answer positioned at {@code offset}: checks the Content-Range of a 206 (start, agreement
   * with Content-Length, end within the total), decodes a Content-Encoding, and skips to {@code offset} when the
   * answer starts at 0. With {@code verifyClose}, a body ended by connection close is confirmed by a second request.
   */
  Body positioned(
      URI uri, HttpTransport.Response response, long offset, Budget budget, boolean verifyClose)
      throws IOException {
    SourceVersion version = versionOf(response);
    List<String> encodings = encodings(uri, response);
    boolean encoded = !encodings.isEmpty();
    OptionalLong contentLength = contentLength(response);
    long expected = contentLength.isPresent() ? contentLength.getAsLong() : -1;
    InputStream in = body(uri, response, budget);
    CountingInputStream counted;
    Long size;
    boolean closeDelimited = false;
    String openRange = null;
    long start = 0;
    if (response.status() == 206) {
      String contentRange = response.header("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(contentRange);
      if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
        throw new IOException("Cannot download " + redact(uri) + " from byte " + offset
            + ": server answered Content-Range '" + contentRange + "'"
            + (offset == 0 ? " to a request for the whole file" : ""));
      }
      start = offset;
      long end = Long.parseLong(m.group(2));
      long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      long rangeLength = end - start + 1;
      if (rangeLength <= 0
          || total >= 0 && end >= total
          || expected >= 0 && expected != rangeLength) {
        throw new IOException(
            "Cannot download " + redact(uri) + " from byte " + offset + ": server answered"
                + " Content-Range '" + contentRange + "' with Content-Length "
                + (expected >= 0 ? expected : "none")
                + ", which do not agree; try again later");
      }
      counted = new CountingInputStream(in, rangeLength, offset, total, redact(uri));
      size = total >= 0 && !encoded ? total : null;
      if (total < 0 && verifyClose && !encoded) {
        openRange = contentRange; // "bytes a-b/*": whether the file goes on is unknown, like a
        // close-delimited body
      }
    } else {
      counted = new CountingInputStream(in, expected, 0, -1, redact(uri));
      closeDelimited = verifyClose && !encoded && expected < 0 && !chunked(response);
      size = expected >= 0 && !encoded ? expected : null;
    }
    InputStream decoded = encoded ? decode(uri, counted, encodings) : counted;
    Body result = new Body(
        decoded,
        response.status(),
        new SourceVersion(version.etag(), version.lastModified(), size, null),
        encoded,
        counted,
        d,
        uri,
        budget,
        closeDelimited || openRange != null,
        openRange);
    if (start < offset) { // a 200 (or an encoded body): skip what the caller already has
      result.skipToOffset(offset);
    }
    return result;
  }

  /** The transport's body, with its read timeout worded as the idle timeout (or the deadline) it is. */
  private InputStream body(URI uri, HttpTransport.Response response, Budget budget)
      throws IOException {
    return new IdleTimeoutStream(response.body(), d, budget, d.deadlineMessage(uri));
  }

  /** Whether an answer is encoded with a coding this class decodes; throws for one it cannot. */
  static boolean encoded(URI uri, HttpTransport.Response response) {
    return !encodings(uri, response).isEmpty();
  }

  /** The codings of Content-Encoding in the order applied; empty for none or identity. */
  private static List<String> encodings(URI uri, HttpTransport.Response response) {
    List<String> codings = new ArrayList<>();
    String header = response.header("Content-Encoding").orElse("");
    for (String part : header.split(",")) {
      String coding = part.trim().toLowerCase(Locale.ROOT);
      switch (coding) {
        case "", "identity":
          break;
        case "gzip", "x-gzip", "deflate":
          codings.add(coding);
          break;
        default:
          throw new SourceUnavailableException(
              "Cannot download " + redact(uri) + ": the server sent the body with"
                  + " Content-Encoding '" + part.trim()
                  + "', which Inlet cannot decode (it decodes gzip and deflate)"
                  + "; ask the portal to serve the file without it, or download it another way");
      }
    }
    return codings;
  }

  private static boolean chunked(HttpTransport.Response response) {
    return response
        .header("Transfer-Encoding")
        .orElse("")
        .toLowerCase(Locale.ROOT)
        .contains("chunked");
  }

  private static InputStream decode(URI uri, InputStream in, List<String> codings)
      throws IOException {
    InputStream s = in;
    for (int i = codings.size() - 1; i >= 0; i--) {
      String coding = codings.get(i);
      try {
        s = coding.equals("deflate") ? inflating(s) : new GZIPInputStream(s, 64 * 1024);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new IOException(
            "Cannot download " + redact(uri) + ": the body sent with Content-Encoding " + coding
                + " is not " + coding + " data (" + e.getMessage() + "); try again later",
            e);
      }
    }
    return s;
  }

  /** Deflate as servers send it: zlib-wrapped (RFC 1950, as the RFC says) or raw (RFC 1951, as some send). */
  private static InputStream inflating(InputStream in) throws IOException {
    PushbackInputStream p = new PushbackInputStream(in, 2);
    int b0 = p.read();
    int b1 = b0 < 0 ? -1 : p.read();
    if (b1 >= 0) {
      p.unread(b1);
    }
    if (b0 >= 0) {
      p.unread(b0);
    }
    boolean zlib = b0 >= 0 && b1 >= 0 && (b0 & 0x0F) == 8 && ((b0 << 8) | b1) % 31 == 0;
    Inflater inflater = new Inflater(!zlib);
    return new InflaterInputStream(p, inflater, 64 * 1024) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          inflater.end();
        }
      }
    };
  }

  /**
   * Confirms that a body that ended by connection close after {@code n} bytes, without Content-Length (or a 206
   * whose Content-Range {@code openRange} gives no total), is the whole entity: asks for the last byte received and
   * what follows it, {@code Range: bytes=(n-1)-} with {@code If-Range}. A {@code 206} of exactly that byte, equal to
   * {@code lastByte}, with total n, or a {@code 200} with Content-Length n, confirm it; a larger total throws a plain
   * {@link IOException} (the resuming streams then fetch the rest); an answer that cannot tell throws
   * {@link HttpDownloader.NotResumableException}. A {@code 416} confirms nothing: a server that cut the body and
   * then claims the range past the cut is unsatisfiable would otherwise get a truncated file accepted (with
   * {@code n} bytes sent, a range starting at byte n-1 is satisfiable). Only an empty body ({@code n} = 0) is
   * confirmed by a {@code 416} to {@code bytes=0-} with total 0 (or none).
   *
   * @param lastByte the last byte received (0..255), or -1 if this body delivered none (a resumed body at its end)
   */
  void verifyEnd(
      URI uri, long n, int lastByte, SourceVersion first, Budget budget, String openRange)
      throws IOException {
    long from = n > 0 ? n - 1 : 0;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Range", "bytes=" + from + "-");
    String validator = ResumingInputStream.validator(first);
    if (validator != null) {
      headers.put("If-Range", validator);
    }
    String ended = "Cannot download " + redact(uri)
        + (openRange == null
            ? ": the body ended by connection close after " + n + " bytes without Content-Length"
            : ": the body ended after " + n
                + " bytes with a range of unknown total (Content-Range '" + openRange + "')");
    try (HttpTransport.Response r = d.loop.send(uri, 0, headers, budget, true)) {
      String contentRange = r.header("Content-Range").orElse("");
      if (r.status() == 416) {
        Matcher m = UNSATISFIED_RANGE.matcher(contentRange);
        if (n == 0 && (!m.matches() || Long.parseLong(m.group(1)) == 0)) {
          LOG.debug("{} is complete and empty (HTTP 416 to bytes=0-)", redact(uri));
          return;
        }
        throw new HttpDownloader.NotResumableException(
            ended + ", and the server answered a request for its last"
                + " byte (Range: bytes=" + from + "-) with HTTP 416"
                + (contentRange.isEmpty() ? "" : " Content-Range '" + contentRange + "'")
                + ": it says it does not have the bytes it sent, which"
                + " cannot confirm the body is complete; try again later, or ask the portal to send Content-Length");
      }
      if (r.status() == 206) {
        Matcher m = CONTENT_RANGE.matcher(contentRange);
        if (n > 0
            && m.matches()
            && Long.parseLong(m.group(1)) == from
            && !m.group(3).equals("*")) {
          long total = Long.parseLong(m.group(3));
          if (total > n) {
            throw new IOException(ended + ", but the server has " + total
                + " bytes (Content-Range '" + contentRange + "'); try again later");
          }
          if (total == n && Long.parseLong(m.group(2)) == from) {
            InputStream body = body(uri, r, budget);
            int b = body.read();
            if (b >= 0 && (lastByte < 0 || b == lastByte) && body.read() < 0) {
              LOG.debug("{} is complete at {} bytes (HTTP 206 of its last byte)", redact(uri), n);
              return;
            }
            throw new HttpDownloader.NotResumableException(
                ended + ", and the server's last byte (Content-Range '"
                    + contentRange
                    + "') is not the one it sent: the file changed or the server is inconsistent; try"
                    + " again later");
          }
        }
        throw new HttpDownloader.NotResumableException(
            ended + ", and the server answered a request for the rest"
                + " with HTTP 206 Content-Range '" + contentRange
                + "', which cannot confirm it is complete; try again"
                + " later");
      }
      OptionalLong length = contentLength(r);
      if (r.status() == 200
          && !ResumingInputStream.changed(first, versionOf(r))
          && length.isPresent()) {
        if (length.getAsLong() == n) {
          return;
        }
        throw new IOException(
            ended + ", but the server now sends " + length.getAsLong() + " bytes; try again later");
      }
      throw new HttpDownloader.NotResumableException(
          ended + ", and the server answered a request for the rest"
              + " (Range: bytes=" + n + "-) with HTTP " + r.status()
              + (length.isPresent() ? "" : " without Content-Length")
              + ", which cannot confirm it is complete; try again later, or ask the"
              + " portal to send Content-Length");
    }
  }

  private static OptionalLong contentLength(HttpTransport.Response response) {
    Optional<String> v = response.header("Content-Length");
    try {
      return v.isPresent() ? OptionalLong.of(Long.parseLong(v.get().trim())) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The ETag and Last-Modified the server sent (size and name are filled in by the caller). */
  private static SourceVersion versionOf(HttpTransport.Response response) {
    String etag = response.header("ETag").orElse(null);
    Instant lastModified = null;
    Optional<String> lm = response.header("Last-Modified");
    if (lm.isPresent()) {
      try {
        lastModified = ZonedDateTime.parse(lm.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
      } catch (DateTimeParseException e) {
        lastModified = null;
      }
    }
    return new SourceVersion(etag, lastModified, null, null);
  }

  /**
   * Words the transport's read timeout as the idle timeout it is (or as the deadline, once that passed), and
   * closes the transport's body with the stream.
   */
  private static final class IdleTimeoutStream extends FilterInputStream {
    private final HttpDownloader d;
    private final Budget budget;
    private final String deadlineMessage;

    IdleTimeoutStream(InputStream in, HttpDownloader d, Budget budget, String deadlineMessage) {
      super(in);
      this.d = d;
      this.budget = budget;
      this.deadlineMessage = deadlineMessage;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (SocketTimeoutException e) {
        throw idle(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw idle(e);
      }
    }

    private IOException idle(SocketTimeoutException e) {
      if (budget.passed()) {
        return new HttpDownloader.DeadlineExceededException(deadlineMessage, e);
      }
      HttpDownloader.IdleTimeoutException idle = new HttpDownloader.IdleTimeoutException(
          "no bytes for " + d.idleTimeout.toMillis() + " ms (idle timeout)");
      idle.initCause(e);
      return idle;
    }
  }
}
