package dev.inlet.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends one HTTP {@code GET} and hands back its answer: the part of {@link HttpDownloader} that touches the network,
 * for users to wrap (an {@code Authorization} header, a proxy, metrics) or replace (another HTTP client). Set it with
 * {@link HttpDownloader.Builder#transport(HttpTransport)}; the default is {@link UrlConnectionTransport}.
 *
 * <p>A decorator is a lambda:
 * <pre>{@code
 * HttpTransport base = UrlConnectionTransport.create();
 * HttpTransport withToken = request -> base.send(request.withHeader("Authorization", "Bearer " + token));
 * HttpDownloader downloader = HttpDownloader.builder().transport(withToken).build();
 * }</pre>
 *
 * <p>The contract, which everything above it (retries, redirects, resume, conditional requests, completeness
 * checks, deadlines) relies on:
 * <ul>
 *   <li>Send exactly one {@code GET} to {@link Request#uri()} with the request's headers; answer whatever status
 *       comes, errors included. Do not follow redirects (the downloader follows them itself, to refuse HTTPS to HTTP
 *       and to keep extra headers to their origin), do not retry, do not decode a {@code Content-Encoding}, and do
 *       not add an {@code Accept-Encoding} other than the request's.</li>
 *   <li>Honour the timeouts: {@link Request#connectTimeout()} to connect (and for a TLS handshake),
 *       {@link Request#requestTimeout()} for the status line and headers to arrive, and
 *       {@link Request#readTimeout()} for each read of the body, failing the read with a
 *       {@link java.net.SocketTimeoutException}.</li>
 *   <li>Failing to get an answer (connect error, timeout, reset) is an {@link IOException}; the downloader retries
 *       it. Throw nothing for an HTTP status.</li>
 *   <li>The caller closes the {@link Response}, which releases the connection; closing its body does too.</li>
 * </ul>
 *
 * <p>Implementations are shared by all downloads of a downloader and must be thread-safe.
 *
 * <p>Implementations: {@link UrlConnectionTransport}, the default; decorators and other clients are the user's.
 */
@FunctionalInterface
public interface HttpTransport {
  /**
   * Sends {@code request} as a {@code GET} and returns its answer once the status line and headers arrived.
   *
   * @param request what to send
   * @return the answer, which the caller closes
   * @throws IOException if no answer came (connect failure, timeout, reset, interrupt)
   */
  Response send(Request request) throws IOException;

  /**
   * One answer: its status, headers and body. Closing it releases the connection; reading after that fails.
   *
   * <p>Implementations: the answers of {@link UrlConnectionTransport} (an internal class); a transport of one's own
   * brings its own.
   */
  interface Response extends Closeable {
    /**
     * The HTTP status code.
     *
     * @return e.g. 200, 206, 304, 404
     */
    int status();

    /**
     * A header of the answer; its name is compared ignoring case.
     *
     * @param name the header's name
     * @return its (first) value, or empty if absent
     */
    Optional<String> header(String name);

    /**
     * The body as it came on the wire, without decoding a {@code Content-Encoding}; an empty stream for an answer
     * without one. Each read waits at most the request's read timeout. Called at most once.
     *
     * @return the body; closing it releases the connection
     * @throws IOException if the body cannot be opened
     */
    InputStream body() throws IOException;

    /** Releases the connection; the body is abandoned if not read to its end. Does not throw. */
    @Override
    void close();
  }

  /**
   * A {@code GET} to send: the URL, the request headers, and the timeouts. Immutable; {@link #withHeader} and
   * {@link #withoutHeader} return changed copies.
   */
  final class Request {
    private final URI uri;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration requestTimeout;

    private Request(
        URI uri,
        Map<String, String> headers,
        Duration connectTimeout,
        Duration readTimeout,
        Duration requestTimeout) {
      this.uri = uri;
      this.headers = Collections.unmodifiableMap(headers);
      this.connectTimeout = connectTimeout;
      this.readTimeout = readTimeout;
      this.requestTimeout = requestTimeout;
    }

    /**
     * A request for {@code uri} without headers, with a connect timeout of 10 s and request and read timeouts of
     * 60 s.
     *
     * @param uri an absolute {@code http} or {@code https} URL
     * @return the request
     * @throws IllegalArgumentException if {@code uri} is not an absolute http(s) URL
     */
    public static Request of(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("Cannot send a request to " + HttpDownloader.redact(uri)
            + ": only absolute http and https URLs are supported");
      }
      return new Request(
          uri,
          new LinkedHashMap<>(),
          Duration.ofSeconds(10),
          Duration.ofSeconds(60),
          Duration.ofSeconds(60));
    }

    /**
     * The URL to send the {@code GET} to (it may carry credentials in its query: see
     * {@link HttpDownloader#redact(URI)} before logging it).
     *
     * @return the URL
     */
    public URI uri() {
      return uri;
    }

    /**
     * The headers to send, in the order set; names as given.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> headers() {
      return headers;
    }

    /**
     * A header to send; its name is compared ignoring case.
     *
     * @param name the header's name
     * @return its value, or empty if not set
     */
    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst();
    }

    /**
     * The most time to establish the connection, TLS handshake included.
     *
     * @return more than zero
     */
    public Duration connectTimeout() {
      return connectTimeout;
    }

    /**
     * The longest wait for the next bytes of the answer.
     *
     * @return more than zero
     */
    public Duration readTimeout() {
      return readTimeout;
    }

    /**
     * The most time from sending the request to having the status line and headers.
     *
     * @return more than zero
     */
    public Duration requestTimeout() {
      return requestTimeout;
    }

    /**
     * This request with the header {@code name} set to {@code value}, replacing a value of the same name (in any
     * case).
     *
     * @param name an HTTP header name
     * @param value its value, without CR, LF or NUL (a value as a server sent it, e.g. an ETag, is accepted)
     * @return the changed copy
     * @throws IllegalArgumentException if the name is not an HTTP token or the value has a CR, LF or NUL, which
     *     would end the header (header injection)
     */
    public Request withHeader(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("Cannot send header '" + name.replaceAll("\\p{Cc}", "?")
            + "': not a valid HTTP header name");
      }
      if (value.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
        throw new IllegalArgumentException(
            "Cannot send header '" + name + "': its value contains CR, LF or NUL");
      }
      Map<String, String> h = without(name);
      h.put(name, value);
      return new Request(uri, h, connectTimeout, readTimeout, requestTimeout);
    }

    /**
     * This request without the header {@code name} (in any case).
     *
     * @param name an HTTP header name
     * @return the changed copy
     */
    public Request withoutHeader(String name) {
      return new Request(
          uri,
          without(Objects.requireNonNull(name, "name")),
          connectTimeout,
          readTimeout,
          requestTimeout);
    }

    /**
     * This request with other timeouts.
     *
     * @param connect the connect timeout, more than zero
     * @param read the read timeout, more than zero
     * @param request the request timeout, more than zero
     * @return the changed copy
     * @throws IllegalArgumentException if a timeout is zero or negative
     */
    public Request withTimeouts(Duration connect, Duration read, Duration request) {
      return new Request(
          uri,
          new LinkedHashMap<>(headers),
          positive("connect", connect),
          positive("read", read),
          positive("request", request));
    }

    private Map<String, String> without(String name) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      return h;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " timeout must be > 0: " + d);
      }
      return d;
    }

    /** The URL redacted and the header names (never their values). */
    @Override
    public String toString() {
      return "GET " + HttpDownloader.redact(uri) + " " + headers.keySet();
    }
  }
}
