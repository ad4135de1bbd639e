package dev.inlet.http;

import dev.inlet.SourceUnavailableException;
import dev.inlet.SourceVersion;
import dev.inlet.internal.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads bytes over HTTP(S) with retries, redirects, resume and truncation detection.
 *
 * <p>Immutable, thread-safe configuration built once ({@link #builder()}, {@link #create()}) and shared. Each request
 * is one JDK {@link HttpURLConnection} (HTTP/1.1; the JDK may keep an idle connection a few seconds for reuse, and
 * sends a request again once, by itself, when a kept connection turns out closed before any answer). It reads a
 * body straight from the socket into the caller's array; the JDK's {@code java.net.http.HttpClient} costs about
 * three times the CPU per downloaded byte (measured: 1.4 s against 0.4 s for 940 MB on loopback,
 * docs/performance.md), and a download is usually CPU-bound here next to the conversion. A read blocked on the
 * socket does not end when its thread is interrupted, only at the idle timeout. Requests are always
 * {@code GET} (never {@code HEAD}: presigned S3 URLs reject it). Redirects are followed with {@code GET}, up to
 * {@value #MAX_REDIRECTS} hops, and never from HTTPS to HTTP.
 *
 * <p>Bodies are streamed, never buffered whole. Transient failures before the body starts (connect errors, timeouts, HTTP 5xx, HTTP 429 honouring
 * {@code Retry-After}) are retried with exponential backoff and full jitter, at most {@code maxAttempts} times in
 * all. Other 4xx answers fail at once with {@link SourceUnavailableException}. Failures inside the body are not
 * retried here: the caller resumes with {@link #open(URI, long)} from the offset it reached.
 *
 * <p>What a body delivers is the whole entity or an {@link IOException}, never a silent part of it:
 * <ul>
 *   <li><b>Content-Encoding.</b> Requests send {@code Accept-Encoding: identity}. A server that encodes anyway
 *       with {@code gzip} ({@code x-gzip}) or {@code deflate} (zlib or raw) is decoded here, so callers (the CSV
 *       parser, the SHA-256 of the pipeline) see the decoded file; any other coding ({@code br},
 *       {@code compress}, ...) fails with {@link SourceUnavailableException}. Ranges count encoded bytes, so an
 *       encoded body is never resumed with {@code Range}: it is requested again whole and the bytes already
 *       delivered are skipped after decoding, provided its ETag (or Last-Modified) did not change. The ETag
 *       recorded is the one of the encoded answer, which is what a conditional request is compared with; the
 *       version's size is left null for an encoded body (its length is not the file's).</li>
 *   <li><b>Completeness.</b> A body is compared with its {@code Content-Length}; a {@code 206} with its
 *       {@code Content-Range}: the range must start where asked (also when no range was asked: a {@code 206} to
 *       a plain GET must start at 0), agree with {@code Content-Length}, and a range that ends before the total
 *       ends the body with an {@link IOException} (the resuming streams then fetch the rest). A body that ends by
 *       connection close without {@code Content-Length} nor chunked framing is verified by a second request,
 *       for the last byte received, {@code Range: bytes=(N-1)-} with {@code If-Range}: a {@code 206} of that one
 *       byte (the same byte) with total {@code N}, or a {@code 200} with {@code Content-Length: N}, confirm it; a
 *       longer total means truncation; anything else (a {@code 416} too: the server would deny having the bytes
 *       it sent) cannot confirm it and fails. Gzip and deflate bodies carry their own end marker
 *       (and gzip and zlib a checksum), so a cut is seen. The listing's size, where the source knows it, is
 *       checked by {@link #opener(URI, Long)}.</li>
 *   <li><b>Deadlines.</b> Each file has an overall {@linkplain Builder#downloadTimeout download deadline}
 *       (default 30 min) covering all its requests, retries, backoff and resumes (reaching it is an
 *       {@link java.io.InterruptedIOException}, which the pipeline does not retry); a trickling server fails at it
 *       (checked on every read call, and a blocked read waits at most the time left when its request was sent,
 *       or the idle timeout, whichever is shorter). The {@linkplain Builder#connectTimeout connect timeout} also
 *       bounds each read of the TLS handshake.</li>
 * </ul>
 *
 * <p>No thread is left behind: the request-timeout watchdog's one daemon thread exists only while a request
 * waits for its answer and ends about 200 ms after the last one.
 *
 * <p>URL query strings, fragments and user info never appear in log lines or exception messages (presigned URLs
 * carry credentials there); see {@link #redact(URI)}.
 */
public final class HttpDownloader {
  /** The most redirect hops followed for one request. */
  public static final int MAX_REDIRECTS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int MAX_STRING_BYTES = 64 * 1024 * 1024;

  /** Sleeps between attempts; replaced in tests to observe delays without waiting. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * Disconnects requests whose answer does not come within the request timeout. At most one daemon thread, started
   * when a request is armed and ended 200 ms after the last one finished, so that no
   * Inlet thread outlives the downloads (e.g. {@code mvn exec:java} waits for all threads of its program).
   */
  private static final ScheduledExecutorService WATCHDOG = watchdog();
  private static final long WATCHDOG_IDLE_MILLIS = 200;
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final String userAgent;
  private final Sleeper sleeper;
  /** The clock of deadlines, as {@link System#nanoTime()}; replaced in tests to let a server stall for minutes. */
  private final LongSupplier ticker;
  private final boolean allowInsecureHttp;
  private final Duration downloadTimeout;
  private final boolean checkListedSize;
  /** Extra request headers (e.g. an API token), sent only to the origin of the URL asked for; never shown. */
  private final Map<String, String> extraHeaders;
  /** The TLS socket factory last wrapped with the handshake timeout (kept so that kept-alive connections match). */
  private volatile HandshakeTimeoutSocketFactory tls;

  private HttpDownloader(Builder b) {
    this.downloadTimeout = b.downloadTimeout;
    this.checkListedSize = b.checkListedSize;
    this.allowInsecureHttp = b.allowInsecureHttp;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxAttempts = b.maxAttempts;
    this.baseBackoff = b.baseBackoff;
    this.maxBackoff = b.maxBackoff;
    this.userAgent = b.userAgent;
    this.sleeper = b.sleeper;
    this.ticker = b.ticker;
    this.extraHeaders = Map.copyOf(b.extraHeaders);
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "inlet-http-watchdog");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    e.setKeepAliveTime(WATCHDOG_IDLE_MILLIS, TimeUnit.MILLISECONDS);
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  /** A downloader with all defaults (5 attempts, 500 ms base backoff, 30 s max backoff). */
  public static HttpDownloader create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.idleTimeout = idleTimeout;
    b.maxAttempts = maxAttempts;
    b.baseBackoff = baseBackoff;
    b.maxBackoff = maxBackoff;
    b.userAgent = userAgent;
    b.sleeper = sleeper;
    b.ticker = ticker;
    b.allowInsecureHttp = allowInsecureHttp;
    b.downloadTimeout = downloadTimeout;
    b.checkListedSize = checkListedSize;
    b.extraHeaders.putAll(extraHeaders);
    return b;
  }

  /**
   * Returns {@code uri} without user info, query and fragment: safe to log and to show in messages. Total: never
   * throws, whatever the URI (opaque, relative, registry-based authority, {@code jar:} with a nested URL). A
   * {@code jar:} (or other opaque) URI whose scheme-specific part is itself a URI is redacted recursively and keeps
   * its {@code !/entry} only when the nested URL had no query; other opaque URIs keep only their scheme.
   *
   * @return the redacted URI, or null if {@code uri} is null
   */
  public static URI redact(URI uri) {
    if (uri == null) {
      return null;
    }
    try {
      return URI.create(redacted(uri, 0));
    } catch (RuntimeException e) {
      return URI.create(uri.getScheme() != null && uri.getScheme().matches("[A-Za-z][A-Za-z0-9+.-]*")
          ? uri.getScheme() + ":redacted" : "redacted:uri");
    }
  }

  private static String redacted(URI uri, int depth) {
    String scheme = uri.getScheme();
    if (uri.isOpaque()) {
      String ssp = uri.getRawSchemeSpecificPart();
      if (depth < 3 && ssp != null) {
        try {
          URI nested = new URI(ssp);
          if (nested.getScheme() != null) {
            return scheme + ":" + redacted(nested, depth + 1);
          }
        } catch (URISyntaxException e) {
          // not a nested URI: nothing of it is shown
        }
      }
      return scheme + ":redacted";
    }
    StringBuilder b = new StringBuilder();
    if (scheme != null) {
      b.append(scheme).append(':');
    }
    String authority = uri.getRawAuthority();
    if (authority != null) {
      b.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
    }
    if (uri.getRawPath() != null) {
      b.append(uri.getRawPath());
    }
    return b.toString();
  }

  /**
   * Opens the body of {@code uri} from byte {@code offset} as a stream; the caller closes it.
   *
   * <p>Sends {@code Range: bytes=offset-} when {@code offset > 0}; if the server ignores the range and answers
   * 200 (or the body is encoded, see the class comment), the first {@code offset} bytes are skipped here. The
   * stream throws an {@link IOException} naming the expected and received byte counts if the body ends before the
   * length the server announced (Content-Length, or the total of Content-Range), if a body ended by connection
   * close cannot be confirmed complete, if no byte arrives within the idle timeout, and once the download deadline
   * has passed. It does not resume by itself: see {@link #resuming(URI, long)}.
   *
   * @throws SourceUnavailableException if the server answers a non-retryable error (e.g. HTTP 404), keeps
   *     answering a retryable one after all attempts, or sends a Content-Encoding that cannot be decoded
   * @throws IOException if the server cannot be reached after all attempts, or the body cannot be positioned
   */
  public InputStream open(URI uri, long offset) throws IOException {
    return open(uri, offset, null, false, deadline());
  }

  /**
   * Opens {@code uri} from byte {@code offset} only if the server still has the entity {@code ifRange} (an ETag, or
   * an HTTP date) names; used to resume. Answers 200 with the whole body when it changed. With {@code restart} (an
   * encoded body, whose ranges would count encoded bytes) no range is asked: the whole body is requested again and
   * {@code offset} decoded bytes skipped. An encoded {@code 206} answer to a range is dropped for the same reason
   * and the whole body requested.
   */
  Body open(URI uri, long offset, String ifRange, boolean restart, long deadline) throws IOException {
    checkUri(uri);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (offset > 0 && ifRange != null && !restart) {
      headers.put("If-Range", ifRange);
    }
    Response response = send(uri, restart ? 0 : offset, headers, deadline, false);
    if (offset > 0 && response.status == 206 && response.header("Content-Encoding").isPresent()) {
      boolean encoded;
      try {
        encoded = !encodings(uri, response).isEmpty();
      } catch (RuntimeException e) {
        response.close();
        throw e;
      }
      if (encoded) {
        response.close();
        response = send(uri, 0, Map.of(), deadline, false);
      }
    }
    try {
      return positioned(uri, response, offset, deadline);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
  }

  /** The deadline of a download starting now, as a {@link #now()} value. */
  long deadline() {
    long nanos;
    try {
      nanos = downloadTimeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 4;
    }
    return now() + Math.min(nanos, Long.MAX_VALUE / 4);
  }

  /**
   * Opens {@code uri} from the start unless the server confirms it still has the version {@code known} describes:
   * sends {@code If-None-Match} with its ETag and {@code If-Modified-Since} with its last-modified time (as the
   * server reported them, see {@link dev.inlet.SourceFile.VersionedStream}); an HTTP 304 answer means unchanged.
   * A {@code known} version without ETag and last-modified time opens unconditionally.
   *
   * @return the body (a {@link dev.inlet.SourceFile.VersionedStream}) the caller closes, or null if unchanged
   * @throws SourceUnavailableException as {@link #open(URI, long)}
   * @throws IOException as {@link #open(URI, long)}
   */
  public InputStream openIfChanged(URI uri, SourceVersion known) throws IOException {
    return openIfChanged(uri, known, deadline());
  }

  private Body openIfChanged(URI uri, SourceVersion known, long deadline) throws IOException {
    checkUri(uri);
    Objects.requireNonNull(known, "known");
    Map<String, String> headers = new LinkedHashMap<>();
    if (known.etag() != null) {
      headers.put("If-None-Match", known.etag());
    }
    if (known.lastModified() != null) {
      headers.put("If-Modified-Since", DateTimeFormatter.RFC_1123_DATE_TIME.format(
          known.lastModified().atZone(ZoneOffset.UTC)));
    }
    Response response = send(uri, 0, headers, deadline, false);
    if (response.status == 304) {
      response.close();
      LOG.debug("{} is unchanged (HTTP 304)", redact(uri));
      return null;
    }
    try {
      return positioned(uri, response, 0, deadline);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
  }

  /**
   * A {@link dev.inlet.SourceFile.Opener} for {@code uri}: its streams resume a body cut mid-way by themselves
   * (see {@link #resuming}), and {@link dev.inlet.SourceFile.Opener#openIfChanged} sends a conditional request.
   */
  public dev.inlet.SourceFile.Opener opener(URI uri) {
    return opener(uri, null);
  }

  /**
   * Like {@link #opener(URI)}, checking the bytes against the size the listing gives for the file (CKAN's resource
   * {@code size}), when not null.
   *
   * <p>A stream that ends with fewer bytes than {@code listedSize} fails with an {@link IOException}, even when the
   * transport's own lengths agree: the portal says there is more, and a short file must never replace a whole
   * one. A stream with more bytes is accepted and logged at WARN. Why only one direction: the listing is metadata
   * written when a resource is (re-)published, not a property of the bytes served; Boston's portal re-publishes
   * files under new names and nothing known about it (shared/boston311/README.md: "nothing here was checked
   * against the live portal") shows that {@code size} is kept up to date. A file that grew after its size was
   * recorded is normal there and loses nothing; a shortfall is exactly the truncation this check exists for,
   * and when the listing is only stale the failure is loud and goes away when the portal updates it. The count
   * compared is of decoded bytes (the file), so a body sent with Content-Encoding is not mistaken for a short one.
   *
   * <p>{@link Builder#ignoreListedSize()} turns the check off, for a portal known to list stale sizes.
   *
   * @param size the size in bytes the listing gives, or null if it gives none
   */
  public dev.inlet.SourceFile.Opener opener(URI uri, Long size) {
    checkUri(uri);
    if (size != null && size < 0) {
      throw new IllegalArgumentException("listedSize must be >= 0: " + size);
    }
    return new FileOpener(uri, checkListedSize ? size : null, false);
  }

  /**
   * The opener of one file. Unless {@code oneDownload}, each stream it opens has its own download deadline; a
   * {@link #oneDownload()} opener fixes the deadline at its first request and every later stream (the pipeline's
   * next attempt of the file) shares it, so that the deadline bounds the file's whole download: HTTP attempts,
   * body resumes and pipeline attempts together.
   */
  private final class FileOpener implements dev.inlet.SourceFile.Opener {
    private final URI uri;
    private final Long listedSize;
    private final boolean oneDownload;
    private long deadline;
    private boolean started;

    FileOpener(URI uri, Long listedSize, boolean oneDownload) {
      this.uri = uri;
      this.listedSize = listedSize;
      this.oneDownload = oneDownload;
    }

    @Override
    public InputStream open(long offset) throws IOException {
      long d = deadline();
      Body first = HttpDownloader.this.open(uri, offset, null, false, d);
      return new ResumingInputStream(HttpDownloader.this, uri, first, offset, maxAttempts, listedSize, d);
    }

    @Override
    public InputStream openIfChanged(SourceVersion known) throws IOException {
      long d = deadline();
      Body first = HttpDownloader.this.openIfChanged(uri, known, d);
      return first == null ? null
          : new ResumingInputStream(HttpDownloader.this, uri, first, 0, maxAttempts, listedSize, d);
    }

    @Override
    public dev.inlet.SourceFile.Opener oneDownload() {
      return new FileOpener(uri, listedSize, true);
    }

    private synchronized long deadline() {
      if (!oneDownload) {
        return HttpDownloader.this.deadline();
      }
      if (!started) {
        deadline = HttpDownloader.this.deadline();
        started = true;
      }
      return deadline;
    }
  }

  /**
   * Opens {@code uri} from {@code offset} as a stream that resumes by itself when the body breaks off (connection
   * cut, truncation, a partial {@code 206}, idle timeout): it asks for the rest with {@code Range} and
   * {@code If-Range} (the ETag, or Last-Modified, of the first answer), up to {@code maxAttempts} times per break;
   * an encoded body is requested whole again instead (see the class comment). A server that ignores the range
   * but sends the same entity is read from the start and the bytes already delivered skipped. If the entity
   * changed on the server meanwhile, the read fails with an {@link IOException} saying so: the bytes delivered so
   * far belong to the old version, so the caller must start over. The download deadline, a Content-Encoding that
   * cannot be decoded and a body that cannot be confirmed complete are not resumed. The result is byte-identical
   * to an uninterrupted download.
   */
  public InputStream resuming(URI uri, long offset) throws IOException {
    return resuming(uri, offset, null);
  }

  private InputStream resuming(URI uri, long offset, Long listedSize) throws IOException {
    long deadline = deadline();
    Body first = open(uri, offset, null, false, deadline);
    return new ResumingInputStream(this, uri, first, offset, maxAttempts, listedSize, deadline);
  }

  /**
   * Downloads a small body (e.g. a JSON answer) as text, with the same retries, decoding and completeness checks
   * as {@link #open(URI, long)}, except that a body ended by connection close is not verified by a second
   * request: JSON is self-delimiting (a cut answer fails to parse), and a listing must not fail for an HTTP/1.0
   * server. Decodes with the charset of {@code Content-Type}, UTF-8 by default.
   *
   * @throws SourceUnavailableException if the server answers an error
   * @throws IOException if the server cannot be reached or the body is truncated
   */
  public String getString(URI uri) throws IOException {
    checkUri(uri);
    long deadline = deadline();
    Response response = send(uri, 0, Map.of(), deadline, false);
    Charset charset = charset(response);
    InputStream body;
    try {
      body = positioned(uri, response, 0, deadline, false);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
    try (InputStream in = body) {
      byte[] bytes = in.readNBytes(MAX_STRING_BYTES + 1);
      if (bytes.length > MAX_STRING_BYTES) {
        throw new IOException(
            "Cannot download " + redact(uri) + ": body is larger than " + MAX_STRING_BYTES
                + " bytes; use open() to stream it");
      }
      return new String(bytes, charset);
    }
  }

  private void checkUri(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Cannot download " + redact(uri) + ": only absolute http and https URLs are supported");
    }
    if (scheme.equals("http") && !allowInsecureHttp && !isLoopbackHost(uri.getHost())) {
      throw new InsecureHttpException("Cannot download " + redact(uri) + ": plain HTTP to a remote host is refused"
          + " (anyone on the path can read or change the bytes); use https, or build the downloader with"
          + " HttpDownloader.builder().allowInsecureHttp() if you trust the network");
    }
  }

  /** Whether {@code host} is a loopback name or literal (no DNS lookup): localhost, 127.0.0.0/8, ::1; such hosts may be reached over plain HTTP. */
  public static boolean isLoopbackHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /**
   * Plain HTTP to a non-loopback host was refused (see {@link Builder#allowInsecureHttp()}): the URL, not the network,
   * is the problem, so it is not retried.
   */
  public static final class InsecureHttpException extends dev.inlet.InletException {
    private static final long serialVersionUID = 1L;

    InsecureHttpException(String message) {
      super(message);
    }
  }

  /**
   * Sends GET with retries and redirects until the deadline; returns a 200 or 206 response (304 if conditional
   * headers were sent, 416 if {@code verifying}) whose body the caller closes.
   */
  private Response send(URI uri, long offset, Map<String, String> headers, long deadline, boolean verifying)
      throws IOException {
    String lastFailure = null;
    IOException lastError = null;
    for (int attempt = 1; ; attempt++) {
      if (passed(deadline)) {
        throw new DeadlineExceededException(deadlineMessage(uri) + (lastFailure == null ? "" : "; last failure: "
            + lastFailure + " after " + (attempt - 1) + (attempt == 2 ? " attempt" : " attempts")));
      }
      Duration retryAfter = null;
      try {
        Hop hop = follow(uri, offset, headers, deadline);
        Response response = hop.response;
        int status = response.status;
        if (status == 200 || status == 206 || status == 304 && !headers.isEmpty() || status == 416 && verifying) {
          return response;
        }
        response.close();
        String where = hop.uri.equals(uri) ? "" : " (redirected to " + redact(hop.uri) + ")";
        if (status != 429 && status < 500) {
          throw new SourceUnavailableException(
              "Cannot download " + redact(uri) + where + ": HTTP " + status + " " + explain(status));
        }
        lastFailure = "HTTP " + status + where;
        lastError = null;
        if (status == 429 || status == 503) {
          retryAfter = retryAfter(response).orElse(null);
        }
      } catch (NotResumableException e) {
        throw lastFailure == null ? e : new NotResumableException(e.getMessage() + "; last failure: " + lastFailure
            + " after " + (attempt - 1) + (attempt == 2 ? " attempt" : " attempts"), e);
      } catch (DeadlineExceededException e) {
        throw lastFailure == null ? e : new DeadlineExceededException(e.getMessage() + "; last failure: "
            + lastFailure + " after " + (attempt - 1) + (attempt == 2 ? " attempt" : " attempts"), e);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
        }
        // connect errors, timeouts, resets before the body starts are all transient here
        lastFailure = describe(e);
        lastError = e;
      }
      if (attempt >= maxAttempts) {
        String message =
            "Cannot download " + redact(uri) + ": " + lastFailure + " after " + attempt
                + (attempt == 1 ? " attempt" : " attempts") + "; try again later";
        if (lastError != null) {
          throw new IOException(message, lastError);
        }
        throw new SourceUnavailableException(message);
      }
      Duration delay = min(backoff(attempt, retryAfter), remaining(deadline));
      LOG.debug("Retrying {} in {} ms after {} (attempt {} of {})",
          redact(uri), delay.toMillis(), lastFailure, attempt, maxAttempts);
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
      }
    }
  }

  private static final class Hop {
    final URI uri;
    final Response response;

    Hop(URI uri, Response response) {
      this.uri = uri;
      this.response = response;
    }
  }

  /**
   * One answer: its status, its headers, and its body (empty for statuses without one), read from the socket
   * with the idle timeout. {@link #close()} closes the connection.
   */
  static final class Response implements java.io.Closeable {
    final int status;
    private final HttpURLConnection connection;

    Response(int status, HttpURLConnection connection) {
      this.status = status;
      this.connection = connection;
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }

    /** The body; an error answer's may be empty. Past {@code deadline} a read timeout says {@code deadlineMessage}. */
    InputStream body(Duration idleTimeout, long deadline, String deadlineMessage, LongSupplier ticker)
        throws IOException {
      InputStream in;
      if (status >= 400) {
        in = connection.getErrorStream();
      } else {
        in = connection.getInputStream();
      }
      if (in == null) {
        in = InputStream.nullInputStream();
      }
      return new IdleTimeoutStream(in, connection, idleTimeout, deadline, deadlineMessage, ticker);
    }

    @Override
    public void close() {
      connection.disconnect();
    }
  }

  /**
   * Words the socket's read timeout as the idle timeout it is, and closes the connection with the stream. (A
   * watchdog cannot cut a read of the body short: {@link HttpURLConnection#disconnect()} then waits for the body.)
   */
  private static final class IdleTimeoutStream extends java.io.FilterInputStream {
    private final HttpURLConnection connection;
    private final Duration idleTimeout;
    private final long deadline;
    private final String deadlineMessage;
    private final LongSupplier ticker;

    IdleTimeoutStream(InputStream in, HttpURLConnection connection, Duration idleTimeout, long deadline,
        String deadlineMessage, LongSupplier ticker) {
      super(in);
      this.connection = connection;
      this.idleTimeout = idleTimeout;
      this.deadline = deadline;
      this.deadlineMessage = deadlineMessage;
      this.ticker = ticker;
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
      if (deadline - ticker.getAsLong() <= 0) {
        return new DeadlineExceededException(deadlineMessage, e);
      }
      IdleTimeoutException idle =
          new IdleTimeoutException("no bytes for " + idleTimeout.toMillis() + " ms (idle timeout)");
      idle.initCause(e);
      return idle;
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        connection.disconnect(); // a kept-alive connection goes back to the JDK's cache
      }
    }
  }

  /**
   * A failure that resuming cannot repair: the download deadline passed, or a body cannot be confirmed complete.
   * {@link ResumingInputStream} passes it on instead of asking again.
   */
  static final class NotResumableException extends IOException {
    private static final long serialVersionUID = 1L;

    NotResumableException(String message) {
      super(message);
    }

    NotResumableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** No byte of a body arrived within the idle timeout. */
  /**
   * The download deadline of a file passed. An {@link java.io.InterruptedIOException}, like a socket timeout: not
   * resumed, and not retried by the {@link dev.inlet.Pipeline} either, so that the deadline bounds the file's
   * download as a whole, not each of the pipeline's attempts at it.
   */
  static final class DeadlineExceededException extends java.io.InterruptedIOException {
    private static final long serialVersionUID = 1L;

    DeadlineExceededException(String message) {
      super(message);
    }

    DeadlineExceededException(String message, Throwable cause) {
      super(message);
      initCause(cause);
    }
  }

  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Sends one GET (no redirect followed) and waits for the answer's status line and headers at most the request
   * timeout (a {@link Watchdog} disconnects the request then). The idle timeout is the socket's read timeout: it
   * bounds each read of the body, and the wait for the answer too. Each of these is cut to the time left before
   * {@code deadline}. For HTTPS the connect timeout bounds each read of the TLS handshake as well (see
   * {@link HandshakeTimeoutSocketFactory}); without it a server that accepts and never answers the ClientHello
   * holds the request for the idle timeout, at every attempt.
   */
  private Response request(URI uri, long offset, Map<String, String> headers, long deadline, boolean sameOrigin)
      throws IOException {
    Duration left = remaining(deadline);
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout(millis(min(connectTimeout, left)));
    c.setReadTimeout(millis(idleTimeout.isZero() ? left : min(idleTimeout, left)));
    if (c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(handshakeTimeout(https.getSSLSocketFactory()));
    }
    c.setRequestProperty("User-Agent", userAgent);
    c.setRequestProperty("Accept", "*/*");
    c.setRequestProperty("Accept-Encoding", "identity"); // ranges then count the file's bytes
    if (offset > 0) {
      c.setRequestProperty("Range", "bytes=" + offset + "-");
    }
    if (sameOrigin) {
      extraHeaders.forEach(c::setRequestProperty);
    }
    headers.forEach(c::setRequestProperty);
    c.connect(); // within the connect timeout; a watchdog can only cut a connected request
    Watchdog watchdog = Watchdog.arm(c, min(requestTimeout, remaining(deadline)));
    int status;
    try {
      status = c.getResponseCode();
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      if (passed(deadline)) {
        throw new DeadlineExceededException(deadlineMessage(uri), e);
      }
      if (watchdog.fired()) { // the disconnect may surface as any exception
        throw new IOException("no answer within " + requestTimeout.toMillis() + " ms (request timeout)", e);
      }
      throw e;
    }
    if (!watchdog.finish()) { // the answer came as the watchdog cut the connection
      c.disconnect();
      if (passed(deadline)) {
        throw new DeadlineExceededException(deadlineMessage(uri));
      }
      throw new IOException("no answer within " + requestTimeout.toMillis() + " ms (request timeout)");
    }
    if (Thread.interrupted()) {
      c.disconnect();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
    }
    return new Response(status, c);
  }

  /**
   * Disconnects a connection unless {@link #finish() finished} within its time. Who wins is decided once (compare and
   * set), so a disconnect never hits a request that was told it finished in time.
   */
  private static final class Watchdog implements Runnable {
    private static final int WAITING = 0;
    private static final int FINISHED = 1;
    private static final int FIRED = 2;
    private final HttpURLConnection connection;
    private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
    private ScheduledFuture<?> task;

    private Watchdog(HttpURLConnection connection) {
      this.connection = connection;
    }

    static Watchdog arm(HttpURLConnection connection, Duration timeout) {
      Watchdog w = new Watchdog(connection);
      w.task = WATCHDOG.schedule(w, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      return w;
    }

    @Override
    public void run() {
      if (state.compareAndSet(WAITING, FIRED)) {
        connection.disconnect();
      }
    }

    /** True if finished in time; false if the watchdog fired (the connection is, or is being, cut). */
    boolean finish() {
      task.cancel(false);
      return state.compareAndSet(WAITING, FINISHED);
    }

    boolean fired() {
      return state.get() == FIRED;
    }
  }

  /** A timeout for {@link HttpURLConnection}: milliseconds, 0 for none, at least 1 for a positive duration. */
  private static int millis(Duration d) {
    if (d.isZero()) {
      return 0;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private Hop follow(URI start, long offset, Map<String, String> headers, long deadline) throws IOException {
    URI current = start;
    for (int hop = 0; ; hop++) {
      Response response = request(current, offset, headers, deadline, sameOrigin(start, current));
      int status = response.status;
      if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308
          || status == 304) {
        return new Hop(current, response);
      }
      response.close();
      Optional<String> location = response.header("Location");
      if (location.isEmpty()) {
        throw new SourceUnavailableException(
            "Cannot download " + redact(start) + ": HTTP " + status + " from " + redact(current)
                + " without a Location header");
      }
      if (hop + 1 > MAX_REDIRECTS) {
        throw new SourceUnavailableException(
            "Cannot download " + redact(start) + ": more than " + MAX_REDIRECTS + " redirects, last to "
                + redact(current));
      }
      URI next;
      try {
        next = current.resolve(new URI(location.get().trim()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new SourceUnavailableException(
            "Cannot download " + redact(start) + ": invalid redirect Location from " + redact(current));
      }
      if ("https".equalsIgnoreCase(current.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
        throw new SourceUnavailableException(
            "Cannot download " + redact(start) + ": refusing redirect from HTTPS to " + redact(next));
      }
      checkUri(next);
      current = next;
    }
  }

  /** Same scheme, host and port: a redirect elsewhere does not get the {@linkplain Builder#header extra headers}. */
  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /**
   * The body of a 200 or 206 answer positioned at {@code offset}: checks the Content-Range of a 206 (start, agreement
   * with Content-Length, end within the total), decodes a Content-Encoding, and skips to {@code offset} when the
   * answer starts at 0.
   */
  private Body positioned(URI uri, Response response, long offset, long deadline) throws IOException {
    return positioned(uri, response, offset, deadline, true);
  }

  private Body positioned(URI uri, Response response, long offset, long deadline, boolean verifyClose)
      throws IOException {
    SourceVersion version = versionOf(response);
    List<String> encodings = encodings(uri, response);
    boolean encoded = !encodings.isEmpty();
    OptionalLong contentLength = contentLength(response);
    long expected = contentLength.isPresent() ? contentLength.getAsLong() : -1;
    InputStream in = response.body(idleTimeout, deadline, deadlineMessage(uri), ticker);
    CountingInputStream counted;
    Long size;
    boolean closeDelimited = false;
    String openRange = null;
    long start = 0;
    if (response.status == 206) {
      String contentRange = response.header("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(contentRange);
      if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
        throw new IOException(
            "Cannot download " + redact(uri) + " from byte " + offset + ": server answered Content-Range '"
                + contentRange + "'" + (offset == 0 ? " to a request for the whole file" : ""));
      }
      start = offset;
      long end = Long.parseLong(m.group(2));
      long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      long rangeLength = end - start + 1;
      if (rangeLength <= 0 || total >= 0 && end >= total || expected >= 0 && expected != rangeLength) {
        throw new IOException("Cannot download " + redact(uri) + " from byte " + offset + ": server answered"
            + " Content-Range '" + contentRange + "' with Content-Length " + (expected >= 0 ? expected : "none")
            + ", which do not agree; try again later");
      }
      counted = new CountingInputStream(in, rangeLength, offset, total, redact(uri));
      size = total >= 0 && !encoded ? total : null;
      if (total < 0 && verifyClose && !encoded) {
        openRange = contentRange; // "bytes a-b/*": whether the file goes on is unknown, like a close-delimited body
      }
    } else {
      counted = new CountingInputStream(in, expected, 0, -1, redact(uri));
      closeDelimited = verifyClose && !encoded && expected < 0 && !chunked(response);
      size = expected >= 0 && !encoded ? expected : null;
    }
    InputStream decoded = encoded ? decode(uri, counted, encodings) : counted;
    Body result = new Body(decoded, response.status, new SourceVersion(version.etag(), version.lastModified(),
        size, null), encoded, counted, this, uri, deadline, closeDelimited || openRange != null, openRange);
    if (start < offset) { // a 200 (or an encoded body): skip what the caller already has
      result.skipToOffset(offset);
    }
    return result;
  }

  /** The codings of Content-Encoding in the order applied; empty for none or identity. */
  private static List<String> encodings(URI uri, Response response) {
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
          throw new SourceUnavailableException("Cannot download " + redact(uri) + ": the server sent the body with"
              + " Content-Encoding '" + part.trim() + "', which Inlet cannot decode (it decodes gzip and deflate)"
              + "; ask the portal to serve the file without it, or download it another way");
      }
    }
    return codings;
  }

  private static boolean chunked(Response response) {
    return response.header("Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT).contains("chunked");
  }

  private static InputStream decode(URI uri, InputStream in, List<String> codings) throws IOException {
    InputStream s = in;
    for (int i = codings.size() - 1; i >= 0; i--) {
      String coding = codings.get(i);
      try {
        s = coding.equals("deflate") ? inflating(s) : new GZIPInputStream(s, 64 * 1024);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new IOException("Cannot download " + redact(uri) + ": the body sent with Content-Encoding " + coding
            + " is not " + coding + " data (" + e.getMessage() + "); try again later", e);
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
   * {@link NotResumableException}. A {@code 416} confirms nothing: a server that cut the body and then claims the
   * range past the cut is unsatisfiable would otherwise get a truncated file accepted (with {@code n} bytes sent,
   * a range starting at byte n-1 is satisfiable). Only an empty body ({@code n} = 0) is confirmed by a {@code 416}
   * to {@code bytes=0-} with total 0 (or none).
   *
   * @param lastByte the last byte received (0..255), or -1 if this body delivered none (a resumed body at its end)
   */
  void verifyEnd(URI uri, long n, int lastByte, SourceVersion first, long deadline, String openRange)
      throws IOException {
    long from = n > 0 ? n - 1 : 0;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Range", "bytes=" + from + "-");
    String validator = ResumingInputStream.validator(first);
    if (validator != null) {
      headers.put("If-Range", validator);
    }
    String ended = "Cannot download " + redact(uri) + (openRange == null
        ? ": the body ended by connection close after " + n + " bytes without Content-Length"
        : ": the body ended after " + n + " bytes with a range of unknown total (Content-Range '" + openRange
            + "')");
    try (Response r = send(uri, 0, headers, deadline, true)) {
      String contentRange = r.header("Content-Range").orElse("");
      if (r.status == 416) {
        Matcher m = UNSATISFIED_RANGE.matcher(contentRange);
        if (n == 0 && (!m.matches() || Long.parseLong(m.group(1)) == 0)) {
          LOG.debug("{} is complete and empty (HTTP 416 to bytes=0-)", redact(uri));
          return;
        }
        throw new NotResumableException(ended + ", and the server answered a request for its last byte (Range: bytes="
            + from + "-) with HTTP 416" + (contentRange.isEmpty() ? "" : " Content-Range '" + contentRange + "'")
            + ": it says it does not have the bytes it sent, which cannot confirm the body is complete; try again"
            + " later, or ask the portal to send Content-Length");
      }
      if (r.status == 206) {
        Matcher m = CONTENT_RANGE.matcher(contentRange);
        if (n > 0 && m.matches() && Long.parseLong(m.group(1)) == from && !m.group(3).equals("*")) {
          long total = Long.parseLong(m.group(3));
          if (total > n) {
            throw new IOException(ended + ", but the server has " + total + " bytes (Content-Range '"
                + contentRange + "'); try again later");
          }
          if (total == n && Long.parseLong(m.group(2)) == from) {
            InputStream body = r.body(idleTimeout, deadline, deadlineMessage(uri), ticker);
            int b = body.read();
            if (b >= 0 && (lastByte < 0 || b == lastByte) && body.read() < 0) {
              LOG.debug("{} is complete at {} bytes (HTTP 206 of its last byte)", redact(uri), n);
              return;
            }
            throw new NotResumableException(ended + ", and the server's last byte (Content-Range '" + contentRange
                + "') is not the one it sent: the file changed or the server is inconsistent; try again later");
          }
        }
        throw new NotResumableException(ended + ", and the server answered a request for the rest with HTTP 206"
            + " Content-Range '" + contentRange + "', which cannot confirm it is complete; try again later");
      }
      OptionalLong length = contentLength(r);
      if (r.status == 200 && !ResumingInputStream.changed(first, versionOf(r)) && length.isPresent()) {
        if (length.getAsLong() == n) {
          return;
        }
        throw new IOException(ended + ", but the server now sends " + length.getAsLong() + " bytes; try again later");
      }
      throw new NotResumableException(ended + ", and the server answered a request for the rest (Range: bytes=" + n
          + "-) with HTTP " + r.status + (length.isPresent() ? "" : " without Content-Length")
          + ", which cannot confirm it is complete; try again later, or ask the portal to send Content-Length");
    }
  }

  /** "Cannot download URL: not complete within the download deadline of D; ...". */
  String deadlineMessage(URI uri) {
    return "Cannot download " + redact(uri) + ": not complete within the download deadline of "
        + human(downloadTimeout) + "; try again later, or allow more with"
        + " HttpDownloader.builder().downloadTimeout(...)";
  }

  private static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 120 || d.toSeconds() % 60 != 0) {
      return d.toSeconds() + " s";
    }
    return d.toMinutes() + " min";
  }

  /** Now on the clock of deadlines ({@link System#nanoTime()} but in tests). */
  long now() {
    return ticker.getAsLong();
  }

  /** Whether {@code deadline} (a {@link #now()} value) has passed. */
  boolean passed(long deadline) {
    return deadline - now() <= 0;
  }

  private Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - now()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The TLS socket factory {@code current}, with each handshake read bounded by the connect timeout. */
  private SSLSocketFactory handshakeTimeout(SSLSocketFactory current) {
    HandshakeTimeoutSocketFactory f = tls;
    if (f == null || f.delegate != current) {
      f = new HandshakeTimeoutSocketFactory(current, millis(connectTimeout));
      tls = f;
    }
    return f;
  }

  /**
   * Wraps a TLS socket factory so that the handshake's reads time out after the connect timeout, or the plain
   * socket's read timeout if shorter (the downloader cuts it to the time left before the deadline). The JDK's
   * {@code HttpsURLConnection} connects a plain socket (its read timeout is then the idle timeout), layers TLS
   * over it with {@link #createSocket(Socket, String, int, boolean)} and handshakes; this factory sets the
   * socket's timeout to the connect timeout there, and the connection sets its read timeout again after the
   * handshake. Unconnected sockets are not offered ({@link javax.net.SocketFactory#createSocket()} throws), which
   * makes the connection take the layered path. Hostname verification and SNI are unchanged (the connection sets
   * them on the returned socket before its handshake).
   */
  static final class HandshakeTimeoutSocketFactory extends SSLSocketFactory {
    final SSLSocketFactory delegate;
    private final int timeoutMillis;

    HandshakeTimeoutSocketFactory(SSLSocketFactory delegate, int timeoutMillis) {
      this.delegate = delegate;
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      // The plain socket's read timeout is the request's: at most the time left before the download deadline.
      int read = s.getSoTimeout();
      Socket layered = delegate.createSocket(s, host, port, autoClose);
      layered.setSoTimeout(read > 0 ? Math.min(read, timeoutMillis) : timeoutMillis);
      return layered;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return timed(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return timed(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return timed(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return timed(delegate.createSocket(address, port, localAddress, localPort));
    }

    private Socket timed(Socket socket) throws IOException {
      socket.setSoTimeout(timeoutMillis);
      return socket;
    }
  }

  private static OptionalLong contentLength(Response response) {
    Optional<String> v = response.header("Content-Length");
    try {
      return v.isPresent() ? OptionalLong.of(Long.parseLong(v.get().trim())) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The ETag and Last-Modified the server sent (size and name are filled in by the caller). */
  private static SourceVersion versionOf(Response response) {
    String etag = response.header("ETag").orElse(null);
    Instant lastModified = null;
    Optional<String> lm = response.header("Last-Modified");
    if (lm.isPresent()) {
      try {
        lastModified = ZonedDateTime.parse(lm.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        lastModified = null;
      }
    }
    return new SourceVersion(etag, lastModified, null, null);
  }

  /**
   * A response body that knows its status and the version the server reported. Per read call (never per byte) it
   * checks the download deadline, and at the end of a body delimited by connection close it asks the server to
   * confirm the length ({@link #verifyEnd}).
   */
  static final class Body extends java.io.FilterInputStream implements dev.inlet.SourceFile.VersionedStream {
    final int status;
    /** Whether a Content-Encoding is decoded here: then ranges would count other bytes than this stream's. */
    final boolean encoded;
    private final SourceVersion version;
    private final CountingInputStream transport;
    private final HttpDownloader downloader;
    private final URI uri;
    private final long deadline;
    private final boolean closeDelimited;
    private final String openRange;
    private IOException endFailure;
    private boolean ended;
    /** The last byte this body delivered, or -1 before the first. */
    private int lastByte = -1;

    Body(InputStream in, int status, SourceVersion version, boolean encoded, CountingInputStream transport,
        HttpDownloader downloader, URI uri, long deadline, boolean closeDelimited, String openRange) {
      super(in);
      this.status = status;
      this.version = version;
      this.encoded = encoded;
      this.transport = transport;
      this.downloader = downloader;
      this.uri = uri;
      this.deadline = deadline;
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
      } catch (NotResumableException | DeadlineExceededException e) {
        throw e;
      } catch (IOException e) {
        if (encoded && (e.getMessage() == null || !e.getMessage().startsWith("Cannot "))) {
          throw new IOException("Cannot download " + redact(uri) + ": the encoded body breaks off or cannot be"
              + " decoded after " + transport.position() + " bytes (" + e + ")", e);
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
      if (downloader.passed(deadline)) {
        throw new DeadlineExceededException(
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
          downloader.verifyEnd(uri, transport.position(), lastByte, version, deadline, openRange);
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

  /** Waits before resuming a broken body for the {@code attempt}-th time, never past {@code deadline}. */
  void pauseBeforeResume(URI uri, int attempt, long deadline) throws InterruptedIOException {
    try {
      sleeper.sleep(min(backoff(attempt, null), remaining(deadline)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
    }
  }

  private Duration backoff(int attempt, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
    }
    return Backoff.fullJitter(baseBackoff, maxBackoff).delay(attempt);
  }

  static Optional<Duration> retryAfter(Response response) {
    Optional<String> value = response.header("Retry-After");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static Charset charset(Response response) {
    String type = response.header("Content-Type").orElse("");
    for (String part : type.split(";")) {
      String p = part.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        try {
          return Charset.forName(p.substring(8).replace("\"", "").trim());
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static String explain(int status) {
    switch (status) {
      case 401:
      case 403:
        return "(forbidden): the link may have expired or need credentials; list the source again for a fresh link";
      case 404:
      case 410:
        return "(not found): check the URL; the file may have been removed or re-published under a new name";
      case 416:
        return "(range not satisfiable): the file is shorter than the resume offset; download it from the start";
      default:
        return "(client error): check the URL";
    }
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    // JDK exception messages name the host and port at most, never the query
    return e.getMessage() == null ? type : type + " (" + e.getMessage() + ")";
  }

  @Override
  public String toString() {
    return "HttpDownloader{maxAttempts=" + maxAttempts + ", backoff=" + baseBackoff + ".." + maxBackoff
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", idleTimeout="
        + idleTimeout + ", downloadTimeout=" + downloadTimeout + (checkListedSize ? "" : ", ignoreListedSize")
        + (allowInsecureHttp ? ", allowInsecureHttp" : "")
        + (extraHeaders.isEmpty() ? "" : ", headers=" + new java.util.TreeSet<>(extraHeaders.keySet())) + "}";
  }

  /**
   * Builds an {@link HttpDownloader}; every setting has a default. A timeout longer than 100 years counts as 100
   * years (as good as none). Not thread-safe.
   */
  public static final class Builder {
    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(36_500);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 5;
    private Duration baseBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private String userAgent = "inlet/0.1";
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private LongSupplier ticker = System::nanoTime;
    private boolean allowInsecureHttp;
    private Duration downloadTimeout = Duration.ofMinutes(30);
    private boolean checkListedSize = true;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sends {@code name: value} with every request to the scheme, host and port of the URL asked for, e.g. an API
     * token ({@code X-App-Token}); not on a redirect to another origin (as browsers drop {@code Authorization}), so a
     * presigned storage URL never sees it. The value never appears in log lines, messages or {@link #toString()}
     * (which shows header names only). Setting a name again replaces its value.
     *
     * @throws IllegalArgumentException if the name is not an HTTP token, is one the downloader sets itself
     *     ({@code Range}, {@code If-*}, {@code Accept-Encoding}, {@code User-Agent}, {@code Accept}, {@code Host},
     *     {@code Content-Length}, {@code Connection}, ...), or the value contains a control character
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("Cannot send header '" + name.replaceAll("\\p{Cc}", "?")
            + "': not a valid HTTP header name");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("if-") || java.util.Set.of("range", "accept-encoding", "user-agent", "accept", "host",
          "content-length", "connection", "transfer-encoding", "te", "upgrade").contains(lower)) {
        throw new IllegalArgumentException("Cannot send header '" + name
            + "': the downloader sets it itself; use the builder's settings instead");
      }
      if (value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
        throw new IllegalArgumentException("Cannot send header '" + name + "': its value contains a control"
            + " character");
      }
      extraHeaders.put(name, value);
      return this;
    }

    /**
     * Does not compare downloads with the size the listing gives (see {@link HttpDownloader#opener(URI, Long)}): for
     * a portal whose listed sizes are known to be stale. Content-Length, Content-Range and the verification of
     * bodies without a length still apply.
     */
    public Builder ignoreListedSize() {
      this.checkListedSize = false;
      return this;
    }

    /**
     * The most time one file's download may take, from its first request to its last byte, with every retry,
     * backoff and resume, and every attempt of the {@link dev.inlet.Pipeline} (it opens them all through one
     * {@link dev.inlet.SourceFile.Opener#oneDownload()}); default 30 min (a Boston year of ~180 MB needs about 15 min at 200 KB/s). Past it the
     * read fails with an {@link IOException} naming the URL and the deadline, and is not resumed: a server that
     * trickles a byte every few seconds cannot keep a run alive. A read blocked on a silent socket ends at the
     * deadline, or at the idle timeout if that is shorter and the deadline still ahead. The time the caller
     * spends between reads (e.g. converting) counts too: set it for the slowest whole file, not for the network.
     */
    public Builder downloadTimeout(Duration timeout) {
      this.downloadTimeout = positive("downloadTimeout", timeout);
      return this;
    }

    /**
     * Allows plain {@code http://} URLs (and redirects to them) for remote hosts. Without it they are refused with
     * an {@link InsecureHttpException}; loopback hosts ({@code localhost}, {@code 127.0.0.1}, {@code ::1}) are
     * always allowed, for tests and local mirrors. A redirect from HTTPS to HTTP is refused in any case.
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /**
     * Time to establish a connection; default 10 s. For HTTPS it also bounds each read of the TLS handshake, so a
     * server that accepts the connection and never answers fails the attempt after this time.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Time from sending a request to receiving the response headers; default 60 s. The idle timeout bounds that
     * wait too: an answer that sends no byte for the idle timeout fails the attempt.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * Longest wait for the next bytes (of the answer's headers or body) before the read fails; default 60 s, zero
     * disables it. An interrupt does not end a read blocked on the socket; this timeout does.
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "idleTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must be >= 0: " + timeout);
      }
      this.idleTimeout = atMostLongest(timeout);
      return this;
    }

    /** Attempts in all, including the first; default 5, 1 disables retries. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Backoff between attempts: a random delay up to {@code base * 2^(attempt-1)}, never above {@code max};
     * {@code Retry-After} is honoured up to {@code max}. Defaults 500 ms and 30 s.
     */
    public Builder backoff(Duration base, Duration max) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(max, "max");
      if (base.isNegative() || max.isNegative() || base.compareTo(max) > 0) {
        throw new IllegalArgumentException("backoff needs 0 <= base <= max: base=" + base + ", max=" + max);
      }
      this.baseBackoff = base;
      this.maxBackoff = max;
      return this;
    }

    /** The User-Agent header; default {@code inlet/0.1}. */
    public Builder userAgent(String userAgent) {
      Objects.requireNonNull(userAgent, "userAgent");
      if (userAgent.isBlank()) {
        throw new IllegalArgumentException("userAgent must not be blank");
      }
      this.userAgent = userAgent;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The clock of deadlines, in nanoseconds like {@link System#nanoTime()} (the default). */
    Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    public HttpDownloader build() {
      return new HttpDownloader(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be > 0: " + d);
      }
      return atMostLongest(d);
    }

    /** A timeout longer than {@link #LONGEST_TIMEOUT} is that long: the arithmetic on it must not overflow. */
    private static Duration atMostLongest(Duration d) {
      return d.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : d;
    }
  }
}
