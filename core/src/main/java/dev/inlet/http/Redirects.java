package dev.inlet.http;

import static dev.inlet.http.HttpDownloader.redact;

import dev.inlet.SourceUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a request: a {@code GET} through the {@link HttpTransport}, following redirects with {@code GET}
 * up to {@value HttpDownloader#MAX_REDIRECTS} hops, never from HTTPS to HTTP, and sending the downloader's extra
 * headers only to the origin asked for. Each hop's timeouts are cut to the time left before the deadline, and a
 * transport failure once the deadline passed becomes the deadline's failure.
 */
final class Redirects {
  private final HttpDownloader d;

  Redirects(HttpDownloader downloader) {
    this.d = downloader;
  }

  /** The answer of the last hop and its URL. */
  record Hop(URI uri, HttpTransport.Response response) {}

  Hop follow(URI start, long offset, Map<String, String> headers, Budget budget)
      throws IOException {
    URI current = start;
    for (int hop = 0; ; hop++) {
      HttpTransport.Response response =
          request(current, offset, headers, budget, sameOrigin(start, current));
      int status = response.status();
      if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
        return new Hop(current, response);
      }
      response.close();
      Optional<String> location = response.header("Location");
      if (location.isEmpty()) {
        throw new SourceUnavailableException("Cannot download " + redact(start) + ": HTTP " + status
            + " from " + redact(current) + " without a Location header");
      }
      if (hop + 1 > HttpDownloader.MAX_REDIRECTS) {
        throw new SourceUnavailableException("Cannot download " + redact(start) + ": more than "
            + HttpDownloader.MAX_REDIRECTS + " redirects, last to " + redact(current));
      }
      URI next;
      try {
        next = current.resolve(new URI(location.get().trim()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new SourceUnavailableException("Cannot download " + redact(start)
            + ": invalid redirect Location from " + redact(current));
      }
      if ("https".equalsIgnoreCase(current.getScheme())
          && !"https".equalsIgnoreCase(next.getScheme())) {
        throw new SourceUnavailableException("Cannot download " + redact(start)
            + ": refusing redirect from HTTPS to " + redact(next));
      }
      d.checkUri(next);
      current = next;
    }
  }

  /**
   * Sends one GET (no redirect followed) through the transport. The connect, read (the idle timeout) and request
   * timeouts are each cut to the time left before the deadline.
   */
  private HttpTransport.Response request(
      URI uri, long offset, Map<String, String> headers, Budget budget, boolean sameOrigin)
      throws IOException {
    Duration left = budget.remaining();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("User-Agent", d.userAgent);
    all.put("Accept", "*/*");
    all.put("Accept-Encoding", "identity"); // ranges then count the file's bytes
    if (offset > 0) {
      all.put("Range", "bytes=" + offset + "-");
    }
    if (sameOrigin) {
      all.putAll(d.extraHeaders);
    }
    all.putAll(headers);
    HttpTransport.Request request = HttpTransport.Request.of(uri)
        .withTimeouts(
            min(d.connectTimeout, left),
            d.idleTimeout.isZero() ? left : min(d.idleTimeout, left),
            min(d.requestTimeout, left));
    for (Map.Entry<String, String> h : all.entrySet()) {
      request = request.withHeader(h.getKey(), h.getValue());
    }
    try {
      return d.transport.send(request);
    } catch (IOException | RuntimeException e) {
      if (budget.passed()) {
        throw new HttpDownloader.DeadlineExceededException(d.deadlineMessage(uri), e);
      }
      throw e;
    }
  }

  /** Same scheme, host and port: a redirect elsewhere does not get the extra headers. */
  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
