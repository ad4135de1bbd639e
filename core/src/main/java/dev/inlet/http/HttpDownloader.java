package dev.inlet.http;

import dev.inlet.RetryPolicy;
import dev.inlet.SourceFile;
import dev.inlet.SourceUnavailableException;
import dev.inlet.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Downloads bytes over HTTP(S) with retries, redirects, resume and truncation detection.
 *
 * <p>Immutable, thread-safe configuration built once ({@link #builder()}, {@link #create()}) and shared. Each request
 * goes through an {@link HttpTransport}, by default an {@link UrlConnectionTransport} (one JDK
 * {@code HttpURLConnection} per request); wrap it to add a header, a proxy or metrics
 * ({@link Builder#transport(HttpTransport)}). Requests are always {@code GET} (never {@code HEAD}: presigned S3 URLs
 * reject it). Redirects are followed with {@code GET}, up to {@value #MAX_REDIRECTS} hops, and never from HTTPS to
 * HTTP.
 *
 * <p>Bodies are streamed, never buffered whole. Transient failures before the body starts (connect errors,
 * timeouts, HTTP 5xx, HTTP 429 honouring {@code Retry-After}) are retried after the backoff of the
 * {@linkplain Builder#retryPolicy(RetryPolicy) retry policy} (default: exponential from 500 ms to 30 s, full jitter).
 * Other 4xx answers fail at once with {@link SourceUnavailableException}. A body that breaks off is resumed by the
 * streams of {@link #opener(URI)} and {@link #resuming(URI, long)}; {@link #open(URI, long)} does not resume.
 *
 * <p><b>One budget per download.</b> The policy's attempts (default 5) are the tries of one download in all: each
 * request (with the redirects it follows) is one, whether it is a retry after an error or a resume after a break;
 * only the request that confirms the end of a body without Content-Length belongs to the try that brought the body.
 * The streams of one {@link SourceFile.Opener#oneDownload()} opener, which the {@link dev.inlet.Pipeline} uses for
 * all its attempts of a file, share the budget and the download deadline: a failing download makes at most
 * {@code attempts} requests (twice that for a server that never sends a length), however many times the pipeline
 * tries the file; once they are used, opening again fails with {@link SourceUnavailableException} without a request.
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
 *       (default 30 min, the retry policy's deadline) covering all its requests, retries, backoff and resumes
 *       (reaching it is an {@link java.io.InterruptedIOException}, which the pipeline does not retry); a trickling
 *       server fails at it (checked on every read call, and a blocked read waits at most the time left when its
 *       request was sent, or the idle timeout, whichever is shorter). The {@linkplain Builder#connectTimeout
 *       connect timeout} also bounds each read of the TLS handshake.</li>
 * </ul>
 *
 * <p>URL query strings, fragments and user info never appear in log lines or exception messages (presigned URLs
 * carry credentials there); see {@link #redact(URI)}.
 */
public final class HttpDownloader {
  /** The most redirect hops followed for one request. */
  public static final int MAX_REDIRECTS = 10;

  private static final int MAX_STRING_BYTES = 64 * 1024 * 1024;
  /** The HTTP defaults: 5 attempts, backoff 500 ms to 30 s with full jitter, a download deadline of 30 min. */
  private static final RetryPolicy DEFAULT_RETRY = RetryPolicy.builder()
      .attempts(5)
      .backoff(Duration.ofMillis(500), Duration.ofSeconds(30))
      .jitter(RetryPolicy.Jitter.FULL)
      .deadline(Duration.ofMinutes(30))
      .build();

  /** Sleeps between attempts; replaced in tests to observe delays without waiting. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  final HttpTransport transport;
  final Duration connectTimeout;
  final Duration requestTimeout;
  final Duration idleTimeout;
  /** Attempts, backoff and (always set) the download deadline. */
  final RetryPolicy retry;

  final String userAgent;
  private final Sleeper sleeper;
  /** The clock of deadlines, as {@link System#nanoTime()}; replaced in tests to let a server stall for minutes. */
  private final LongSupplier ticker;

  private final boolean allowInsecureHttp;
  private final boolean checkListedSize;
  /** Extra request headers (e.g. an API token), sent only to the origin of the URL asked for; never shown. */
  final Map<String, String> extraHeaders;

  final RetryLoop loop;
  final Bodies bodies;
  final ConditionalGet conditional;

  private HttpDownloader(Builder b) {
    this.transport = b.transport;
    this.checkListedSize = b.checkListedSize;
    this.allowInsecureHttp = b.allowInsecureHttp;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.retry = b.retry;
    this.userAgent = b.userAgent;
    this.sleeper = b.sleeper;
    this.ticker = b.ticker;
    this.extraHeaders = Map.copyOf(b.extraHeaders);
    this.loop = new RetryLoop(this);
    this.bodies = new Bodies(this);
    this.conditional = new ConditionalGet(this);
  }

  /**
   * A downloader with all defaults (5 attempts, 500 ms base backoff, 30 s max backoff, the JDK transport).
   *
   * @return the downloader
   */
  public static HttpDownloader create() {
    return builder().build();
  }

  /**
   * A builder with all defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this downloader's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.transport = transport;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.idleTimeout = idleTimeout;
    b.retry = retry;
    b.userAgent = userAgent;
    b.sleeper = sleeper;
    b.ticker = ticker;
    b.allowInsecureHttp = allowInsecureHttp;
    b.checkListedSize = checkListedSize;
    b.extraHeaders.putAll(extraHeaders);
    return b;
  }

  /**
   * The retry policy: attempts of one download in all, backoff between them, and the download deadline.
   *
   * @return the policy; its deadline is always set
   */
  public RetryPolicy retryPolicy() {
    return retry;
  }

  /**
   * Returns {@code uri} without user info, query and fragment: safe to log and to show in messages. Total: never
   * throws, whatever the URI (opaque, relative, registry-based authority, {@code jar:} with a nested URL). A
   * {@code jar:} (or other opaque) URI whose scheme-specific part is itself a URI is redacted recursively and keeps
   * its {@code !/entry} only when the nested URL had no query; other opaque URIs keep only their scheme.
   *
   * @param uri any URI, or null
   * @return the redacted URI, or null if {@code uri} is null
   */
  public static URI redact(URI uri) {
    if (uri == null) {
      return null;
    }
    try {
      return URI.create(redacted(uri, 0));
    } catch (RuntimeException e) {
      return URI.create(
          uri.getScheme() != null && uri.getScheme().matches("[A-Za-z][A-Za-z0-9+.-]*")
              ? uri.getScheme() + ":redacted"
              : "redacted:uri");
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
   * @param uri an absolute http(s) URL
   * @param offset the first byte wanted, 0 or more
   * @return the body, which the caller closes
   * @throws SourceUnavailableException if the server answers a non-retryable error (e.g. HTTP 404), keeps
   *     answering a retryable one after all attempts, or sends a Content-Encoding that cannot be decoded
   * @throws IOException if the server cannot be reached after all attempts, or the body cannot be positioned
   */
  public InputStream open(URI uri, long offset) throws IOException {
    return open(uri, offset, null, false, budget());
  }

  /**
   * Opens {@code uri} from byte {@code offset} only if the server still has the entity {@code ifRange} (an ETag, or
   * an HTTP date) names; used to resume. Answers 200 with the whole body when it changed. With {@code restart} (an
   * encoded body, whose ranges would count encoded bytes) no range is asked: the whole body is requested again and
   * {@code offset} decoded bytes skipped. An encoded {@code 206} answer to a range is dropped for the same reason
   * and the whole body requested.
   */
  Body open(URI uri, long offset, String ifRange, boolean restart, Budget budget)
      throws IOException {
    checkUri(uri);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (offset > 0 && ifRange != null && !restart) {
      headers.put("If-Range", ifRange);
    }
    HttpTransport.Response response = loop.send(uri, restart ? 0 : offset, headers, budget, false);
    if (offset > 0
        && response.status() == 206
        && response.header("Content-Encoding").isPresent()) {
      boolean encoded;
      try {
        encoded = Bodies.encoded(uri, response);
      } catch (RuntimeException e) {
        response.close();
        throw e;
      }
      if (encoded) {
        response.close();
        response = loop.send(uri, 0, Map.of(), budget, false);
      }
    }
    try {
      return bodies.positioned(uri, response, offset, budget, true);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
  }

  /** The budget of a download starting now: the policy's attempts, and its deadline from now. */
  Budget budget() {
    long nanos;
    try {
      nanos = retry.deadline().orElseThrow().toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 4;
    }
    return new Budget(
        retry.attempts(), ticker.getAsLong() + Math.min(nanos, Long.MAX_VALUE / 4), ticker);
  }

  /**
   * Opens {@code uri} from the start unless the server confirms it still has the version {@code known} describes:
   * sends {@code If-None-Match} with its ETag and {@code If-Modified-Since} with its last-modified time (as the
   * server reported them, see {@link dev.inlet.SourceFile.VersionedStream}); an HTTP 304 answer means unchanged.
   * A {@code known} version without ETag and last-modified time opens unconditionally.
   *
   * @param uri an absolute http(s) URL
   * @param known the version last seen
   * @return the body (a {@link dev.inlet.SourceFile.VersionedStream}) the caller closes, or null if unchanged
   * @throws SourceUnavailableException as {@link #open(URI, long)}
   * @throws IOException as {@link #open(URI, long)}
   */
  public InputStream openIfChanged(URI uri, SourceVersion known) throws IOException {
    return conditional.openIfChanged(uri, known, budget());
  }

  /**
   * A {@link dev.inlet.SourceFile.Opener} for {@code uri}: its streams resume a body cut mid-way by themselves
   * (see {@link #resuming}), and {@link dev.inlet.SourceFile.Opener#openIfChanged} sends a conditional request.
   *
   * @param uri an absolute http(s) URL
   * @return the opener
   */
  public SourceFile.Opener opener(URI uri) {
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
   * @param uri an absolute http(s) URL
   * @param size the size in bytes the listing gives, or null if it gives none
   * @return the opener
   */
  public SourceFile.Opener opener(URI uri, Long size) {
    checkUri(uri);
    if (size != null && size < 0) {
      throw new IllegalArgumentException("listedSize must be >= 0: " + size);
    }
    return new FileOpener(this, uri, checkListedSize ? size : null, false);
  }

  /**
   * Opens {@code uri} from {@code offset} as a stream that resumes by itself when the body breaks off (connection
   * cut, truncation, a partial {@code 206}, idle timeout): it asks for the rest with {@code Range} and
   * {@code If-Range} (the ETag, or Last-Modified, of the first answer), within the download's attempts (see the
   * class comment); an encoded body is requested whole again instead. A server that ignores the range
   * but sends the same entity is read from the start and the bytes already delivered skipped. If the entity
   * changed on the server meanwhile, the read fails with an {@link IOException} saying so: the bytes delivered so
   * far belong to the old version, so the caller must start over. The download deadline, a Content-Encoding that
   * cannot be decoded and a body that cannot be confirmed complete are not resumed. The result is byte-identical
   * to an uninterrupted download.
   *
   * @param uri an absolute http(s) URL
   * @param offset the first byte wanted, 0 or more
   * @return the stream, which the caller closes
   * @throws IOException as {@link #open(URI, long)}
   */
  public InputStream resuming(URI uri, long offset) throws IOException {
    Budget budget = budget();
    Body first = open(uri, offset, null, false, budget);
    return new ResumingInputStream(this, uri, first, offset, null, budget);
  }

  /**
   * Downloads a small body (e.g. a JSON answer) as text, with the same retries, decoding and completeness checks
   * as {@link #open(URI, long)}, except that a body ended by connection close is not verified by a second
   * request: JSON is self-delimiting (a cut answer fails to parse), and a listing must not fail for an HTTP/1.0
   * server. Decodes with the charset of {@code Content-Type}, UTF-8 by default.
   *
   * @param uri an absolute http(s) URL
   * @return the body as text
   * @throws SourceUnavailableException if the server answers an error
   * @throws IOException if the server cannot be reached or the body is truncated
   */
  public String getString(URI uri) throws IOException {
    checkUri(uri);
    Budget budget = budget();
    HttpTransport.Response response = loop.send(uri, 0, Map.of(), budget, false);
    Charset charset = charset(response);
    InputStream body;
    try {
      body = bodies.positioned(uri, response, 0, budget, false);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
    try (InputStream in = body) {
      byte[] bytes = in.readNBytes(MAX_STRING_BYTES + 1);
      if (bytes.length > MAX_STRING_BYTES) {
        throw new IOException("Cannot download " + redact(uri) + ": body is larger than "
            + MAX_STRING_BYTES + " bytes; use open() to stream it");
      }
      return new String(bytes, charset);
    }
  }

  void checkUri(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Cannot download " + redact(uri) + ": only absolute http and https URLs are supported");
    }
    if (scheme.equals("http") && !allowInsecureHttp && !isLoopbackHost(uri.getHost())) {
      throw new InsecureHttpException(
          "Cannot download " + redact(uri) + ": plain HTTP to a remote host is refused"
              + " (anyone on the path can read or change the bytes); use https, or build the downloader with"
              + " HttpDownloader.builder().allowInsecureHttp() if you trust the network");
    }
  }

  /**
   * Whether {@code host} is a loopback name or literal (no DNS lookup): localhost, 127.0.0.0/8, ::1; such hosts may
   * be reached over plain HTTP.
   *
   * @param host a host name or address literal
   * @return true for a loopback host
   */
  public static boolean isLoopbackHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
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

  /** No byte of a body arrived within the idle timeout. */
  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(String message) {
      super(message);
    }
  }

  /** "Cannot download URL: not complete within the download deadline of D; ...". */
  String deadlineMessage(URI uri) {
    return "Cannot download " + redact(uri) + ": not complete within the download deadline of "
        + human(retry.deadline().orElseThrow()) + "; try again later, or allow more with"
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

  /**
   * The delay before retry {@code retry} of a download (1 for the first): the policy's backoff, or the server's
   * {@code Retry-After} up to the policy's largest delay.
   */
  Duration backoff(int retry, Duration retryAfter) {
    Duration max = this.retry.maxDelay();
    if (retryAfter != null) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    return this.retry.delay(Math.max(1, retry));
  }

  /** Sleeps {@code delay} before the next request for {@code uri}. */
  void pause(URI uri, Duration delay) throws InterruptedIOException {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
    }
  }

  private static Charset charset(HttpTransport.Response response) {
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

  @Override
  public String toString() {
    return "HttpDownloader{maxAttempts=" + retry.attempts() + ", backoff=" + retry.baseDelay()
        + ".."
        + retry.maxDelay() + ", connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout
        + ", idleTimeout=" + idleTimeout + ", downloadTimeout="
        + retry.deadline().orElseThrow()
        + (checkListedSize ? "" : ", ignoreListedSize")
        + (allowInsecureHttp ? ", allowInsecureHttp" : "")
        + (extraHeaders.isEmpty()
            ? ""
            : ", headers=" + new java.util.TreeSet<>(extraHeaders.keySet()))
        + (transport instanceof UrlConnectionTransport ? "" : ", transport=" + transport) + "}";
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
    private HttpTransport transport = UrlConnectionTransport.create();
    private RetryPolicy retry = DEFAULT_RETRY;
    private String userAgent = "inlet/0.1";
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private LongSupplier ticker = System::nanoTime;
    private boolean allowInsecureHttp;
    private boolean checkListedSize = true;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sends {@code name: value} with every request to the scheme, host and port of the URL asked for, e.g. an API
     * token ({@code X-App-Token}); not on a redirect to another origin (as browsers drop {@code Authorization}), so a
     * presigned storage URL never sees it. The value never appears in log lines, messages or {@link #toString()}
     * (which shows header names only). Setting a name again replaces its value.
     *
     * @param name the header's name
     * @param value its value
     * @return this builder
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
      if (lower.startsWith("if-")
          || java.util.Set.of(
                  "range",
                  "accept-encoding",
                  "user-agent",
                  "accept",
                  "host",
                  "content-length",
                  "connection",
                  "transfer-encoding",
                  "te",
                  "upgrade")
              .contains(lower)) {
        throw new IllegalArgumentException("Cannot send header '" + name
            + "': the downloader sets it itself; use the builder's settings instead");
      }
      if (value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f)) {
        throw new IllegalArgumentException(
            "Cannot send header '" + name + "': its value contains a control" + " character");
      }
      extraHeaders.put(name, value);
      return this;
    }

    /**
     * Does not compare downloads with the size the listing gives (see {@link HttpDownloader#opener(URI, Long)}): for
     * a portal whose listed sizes are known to be stale. Content-Length, Content-Range and the verification of
     * bodies without a length still apply.
     *
     * @return this builder
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
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder downloadTimeout(Duration timeout) {
      this.retry =
          retry.toBuilder().deadline(positive("downloadTimeout", timeout)).build();
      return this;
    }

    /**
     * What sends the requests; default {@link UrlConnectionTransport#create()}. Wrap it to add a header to every
     * request (e.g. {@code Authorization}), count requests, or send them another way; see {@link HttpTransport}
     * for the contract. The transport is shared by all downloads of the downloader and is not closed by it.
     *
     * @param transport the transport
     * @return this builder
     */
    public Builder transport(HttpTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The attempts of one download in all, the backoff between them and, if the policy has one, the download
     * deadline (else the current one stays, default 30 min; see {@link #downloadTimeout(Duration)}). The attempts
     * count every request of a download, retries and resumes alike, and are shared by the pipeline's attempts of
     * a file (see the class comment). {@link #maxAttempts(int)} and {@link #backoff(Duration, Duration)} are
     * shorthands for parts of it. Default: 5 attempts, backoff 500 ms to 30 s with full jitter.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      RetryPolicy.Builder b = policy.toBuilder();
      if (policy.deadline().isEmpty()) {
        b.deadline(retry.deadline().orElseThrow());
      }
      this.retry = b.build();
      return this;
    }

    /**
     * Allows plain {@code http://} URLs (and redirects to them) for remote hosts. Without it they are refused with
     * an {@link InsecureHttpException}; loopback hosts ({@code localhost}, {@code 127.0.0.1}, {@code ::1}) are
     * always allowed, for tests and local mirrors. A redirect from HTTPS to HTTP is refused in any case.
     *
     * @return this builder
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /**
     * Time to establish a connection; default 10 s. For HTTPS it also bounds each read of the TLS handshake, so a
     * server that accepts the connection and never answers fails the attempt after this time.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Time from sending a request to receiving the response headers; default 60 s. The idle timeout bounds that
     * wait too: an answer that sends no byte for the idle timeout fails the attempt.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * Longest wait for the next bytes (of the answer's headers or body) before the read fails; default 60 s, zero
     * disables it. An interrupt does not end a read blocked on the socket; this timeout does.
     *
     * @param timeout zero (none) or more
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "idleTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must be >= 0: " + timeout);
      }
      this.idleTimeout = atMostLongest(timeout);
      return this;
    }

    /**
     * Attempts of one download in all, the first request included, retries and resumes alike; default 5, 1 disables
     * retries and resumes. Shorthand for the attempts of {@link #retryPolicy(RetryPolicy)}.
     *
     * @param maxAttempts 1 or more
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
      }
      this.retry = retry.toBuilder().attempts(maxAttempts).build();
      return this;
    }

    /**
     * Backoff between attempts: a random delay up to {@code base * 2^(attempt-1)}, never above {@code max};
     * {@code Retry-After} is honoured up to {@code max}. Defaults 500 ms and 30 s.
     *
     * @param base the ceiling before the first retry, zero or more
     * @param max the largest delay, at least {@code base}
     * @return this builder
     */
    public Builder backoff(Duration base, Duration max) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(max, "max");
      if (base.isNegative() || max.isNegative() || base.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= base <= max: base=" + base + ", max=" + max);
      }
      this.retry = retry.toBuilder().backoff(base, max).build();
      return this;
    }

    /**
     * The User-Agent header; default {@code inlet/0.1}.
     *
     * @param userAgent not blank
     * @return this builder
     */
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

    /**
     * The downloader.
     *
     * @return a new immutable downloader
     */
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
