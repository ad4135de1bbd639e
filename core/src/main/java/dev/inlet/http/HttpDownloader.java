package dev.inlet.http;

import dev.inlet.SourceUnavailableException;
import dev.inlet.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Disconnects requests whose answer does not come within the request timeout. One daemon thread. */
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final String userAgent;
  private final Sleeper sleeper;
  private final boolean allowInsecureHttp;

  private HttpDownloader(Builder b) {
    this.allowInsecureHttp = b.allowInsecureHttp;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxAttempts = b.maxAttempts;
    this.baseBackoff = b.baseBackoff;
    this.maxBackoff = b.maxBackoff;
    this.userAgent = b.userAgent;
    this.sleeper = b.sleeper;
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "inlet-http-watchdog");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
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
    b.allowInsecureHttp = allowInsecureHttp;
    return b;
  }

  /**
   * Returns {@code uri} without user info, query and fragment: safe to log and to show in messages.
   *
   * @return the redacted URI, or null if {@code uri} is null
   */
  public static URI redact(URI uri) {
    if (uri == null) {
      return null;
    }
    if (uri.isOpaque()) {
      return URI.create(uri.getScheme() + ":");
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      // the components came from a valid URI; keep only what cannot carry a secret
      return URI.create(uri.getScheme() + "://" + uri.getHost());
    }
  }

  /**
   * Opens the body of {@code uri} from byte {@code offset} as a stream; the caller closes it.
   *
   * <p>Sends {@code Range: bytes=offset-} when {@code offset > 0}; if the server ignores the range and answers
   * 200, the first {@code offset} bytes are skipped here. The stream throws an {@link IOException} naming the
   * expected and received byte counts if the body ends before the length the server announced, and if no byte
   * arrives within the idle timeout.
   *
   * @throws SourceUnavailableException if the server answers a non-retryable error (e.g. HTTP 404), or keeps
   *     answering a retryable one after all attempts
   * @throws IOException if the server cannot be reached after all attempts, or the body cannot be positioned
   */
  public InputStream open(URI uri, long offset) throws IOException {
    return open(uri, offset, null);
  }

  /**
   * Opens {@code uri} from byte {@code offset} only if the server still has the entity {@code ifRange} (an ETag, or
   * an HTTP date) names; used to resume. Answers 200 with the whole body when it changed.
   */
  Body open(URI uri, long offset, String ifRange) throws IOException {
    checkUri(uri);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (offset > 0 && ifRange != null) {
      headers.put("If-Range", ifRange);
    }
    Response response = send(uri, offset, headers);
    try {
      return positioned(uri, response, offset);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
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
    Response response = send(uri, 0, headers);
    if (response.status == 304) {
      response.close();
      LOG.debug("{} is unchanged (HTTP 304)", redact(uri));
      return null;
    }
    try {
      return positioned(uri, response, 0);
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
    checkUri(uri);
    return new dev.inlet.SourceFile.Opener() {
      @Override
      public InputStream open(long offset) throws IOException {
        return resuming(uri, offset);
      }

      @Override
      public InputStream openIfChanged(SourceVersion known) throws IOException {
        Body first = (Body) HttpDownloader.this.openIfChanged(uri, known);
        return first == null ? null : new ResumingInputStream(HttpDownloader.this, uri, first, 0, maxAttempts);
      }
    };
  }

  /**
   * Opens {@code uri} from {@code offset} as a stream that resumes by itself when the body breaks off (connection
   * cut, truncation, idle timeout): it asks for the rest with {@code Range} and {@code If-Range} (the ETag, or
   * Last-Modified, of the first answer), up to {@code maxAttempts} times per break. A server that ignores the range
   * but sends the same entity is read from the start and the bytes already delivered skipped. If the entity
   * changed on the server meanwhile, the read fails with an {@link IOException} saying so: the bytes delivered so
   * far belong to the old version, so the caller must start over. The result is byte-identical to an uninterrupted
   * download.
   */
  public InputStream resuming(URI uri, long offset) throws IOException {
    Body first = open(uri, offset, null);
    return new ResumingInputStream(this, uri, first, offset, maxAttempts);
  }

  /**
   * Downloads a small body (e.g. a JSON answer) as text, with the same retries as {@link #open(URI, long)}.
   * Decodes with the charset of {@code Content-Type}, UTF-8 by default.
   *
   * @throws SourceUnavailableException if the server answers an error
   * @throws IOException if the server cannot be reached or the body is truncated
   */
  public String getString(URI uri) throws IOException {
    checkUri(uri);
    Response response = send(uri, 0);
    Charset charset = charset(response);
    InputStream body;
    try {
      body = positioned(uri, response, 0);
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

  /** Sends GET with retries and redirects; returns a 200 or 206 response whose body the caller closes. */
  private Response send(URI uri, long offset) throws IOException {
    return send(uri, offset, Map.of());
  }

  private Response send(URI uri, long offset, Map<String, String> headers) throws IOException {
    String lastFailure = null;
    IOException lastError = null;
    for (int attempt = 1; ; attempt++) {
      Duration retryAfter = null;
      try {
        Hop hop = follow(uri, offset, headers);
        Response response = hop.response;
        int status = response.status;
        if (status == 200 || status == 206 || status == 304 && !headers.isEmpty()) {
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
      Duration delay = backoff(attempt, retryAfter);
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

    /** The body; an error answer's may be empty. */
    InputStream body(Duration idleTimeout) throws IOException {
      InputStream in;
      if (status >= 400) {
        in = connection.getErrorStream();
      } else {
        in = connection.getInputStream();
      }
      if (in == null) {
        in = InputStream.nullInputStream();
      }
      return new IdleTimeoutStream(in, connection, idleTimeout);
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

    IdleTimeoutStream(InputStream in, HttpURLConnection connection, Duration idleTimeout) {
      super(in);
      this.connection = connection;
      this.idleTimeout = idleTimeout;
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

    private IdleTimeoutException idle(SocketTimeoutException e) {
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

  /** No byte of a body arrived within the idle timeout. */
  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Sends one GET (no redirect followed) and waits for the answer's status line and headers at most the request
   * timeout (a {@link Watchdog} disconnects the request then). The idle timeout is the socket's read timeout: it
   * bounds each read of the body, and the wait for the answer too.
   */
  private Response request(URI uri, long offset, Map<String, String> headers) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout(millis(connectTimeout));
    c.setReadTimeout(millis(idleTimeout));
    c.setRequestProperty("User-Agent", userAgent);
    c.setRequestProperty("Accept", "*/*");
    if (offset > 0) {
      c.setRequestProperty("Range", "bytes=" + offset + "-");
    }
    headers.forEach(c::setRequestProperty);
    c.connect(); // within the connect timeout; a watchdog can only cut a connected request
    Watchdog watchdog = Watchdog.arm(c, requestTimeout);
    int status;
    try {
      status = c.getResponseCode();
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      if (watchdog.fired()) { // the disconnect may surface as any exception
        throw new IOException("no answer within " + requestTimeout.toMillis() + " ms (request timeout)", e);
      }
      throw e;
    }
    if (!watchdog.finish()) { // the answer came as the watchdog cut the connection
      c.disconnect();
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

  private Hop follow(URI start, long offset, Map<String, String> headers) throws IOException {
    URI current = start;
    for (int hop = 0; ; hop++) {
      Response response = request(current, offset, headers);
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

  private Body positioned(URI uri, Response response, long offset) throws IOException {
    SourceVersion version = versionOf(response);
    OptionalLong contentLength = contentLength(response);
    long expected = contentLength.isPresent() ? contentLength.getAsLong() : -1;
    if (response.status == 206) {
      Matcher m = CONTENT_RANGE.matcher(response.header("Content-Range").orElse(""));
      if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
        throw new IOException(
            "Cannot download " + redact(uri) + " from byte " + offset + ": server answered Content-Range '"
                + response.header("Content-Range").orElse("") + "'");
      }
      InputStream in = response.body(idleTimeout);
      long rangeLength = Long.parseLong(m.group(2)) - offset + 1;
      expected = expected >= 0 ? expected : rangeLength;
      String total = m.group(3);
      return new Body(new CountingInputStream(in, expected, offset, redact(uri)), response.status,
          total.equals("*") ? version : new SourceVersion(version.etag(), version.lastModified(),
              Long.parseLong(total), null));
    }
    // 200: the whole body; skip what the caller already has
    CountingInputStream counted = new CountingInputStream(response.body(idleTimeout), expected, 0, redact(uri));
    Body result = new Body(counted, response.status, new SourceVersion(version.etag(), version.lastModified(),
        expected >= 0 ? expected : null, null));
    if (offset > 0) {
      counted.skipNBytes(offset);
    }
    return result;
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

  /** A response body that knows its status and the version the server reported. */
  static final class Body extends java.io.FilterInputStream implements dev.inlet.SourceFile.VersionedStream {
    final int status;
    private final SourceVersion version;

    Body(InputStream in, int status, SourceVersion version) {
      super(in);
      this.status = status;
      this.version = version;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public SourceVersion version() {
      return version;
    }
  }

  /** Waits before resuming a broken body for the {@code attempt}-th time. */
  void pauseBeforeResume(URI uri, int attempt) throws InterruptedIOException {
    try {
      sleeper.sleep(backoff(attempt, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
    }
  }

  private Duration backoff(int attempt, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
    }
    long base = baseBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long ceiling = attempt >= 31 ? cap : Math.min(cap, base * (1L << (attempt - 1)));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
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
        + idleTimeout + (allowInsecureHttp ? ", allowInsecureHttp" : "") + "}";
  }

  /** Builds an {@link HttpDownloader}; every setting has a default. Not thread-safe. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 5;
    private Duration baseBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private String userAgent = "inlet/0.1";
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private boolean allowInsecureHttp;

    private Builder() {}

    /**
     * Allows plain {@code http://} URLs (and redirects to them) for remote hosts. Without it they are refused with
     * an {@link InsecureHttpException}; loopback hosts ({@code localhost}, {@code 127.0.0.1}, {@code ::1}) are
     * always allowed, for tests and local mirrors. A redirect from HTTPS to HTTP is refused in any case.
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /** Time to establish a connection; default 10 s. */
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
      this.idleTimeout = timeout;
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

    public HttpDownloader build() {
      return new HttpDownloader(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be > 0: " + d);
      }
      return d;
    }
  }
}
