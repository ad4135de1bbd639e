package dev.inlet.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP server on 127.0.0.1 for tests. Each path answers a script of handlers: request n uses
 * handler n, the last one repeats. Every request is recorded (method, path, query, headers).
 *
 * <pre>{@code
 * try (TestHttpServer server = TestHttpServer.start()) {
 *   server.script("/f.csv", TestHttpServer.status(503), TestHttpServer.ok(bytes));
 *   ... downloader.open(server.uri("/f.csv"), 0) ...
 * }
 * }</pre>
 */
public final class TestHttpServer implements AutoCloseable {
  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** A request as received. */
  public record Request(String method, String path, String query, Headers headers) {
    public String header(String name) {
      return headers.getFirst(name);
    }
  }

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, List<Handler>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  public static TestHttpServer start() {
    try {
      return new TestHttpServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  /** Answers requests to {@code path} with the handlers in turn; the last repeats. */
  public TestHttpServer script(String path, Handler... handlers) {
    scripts.put(path, List.of(handlers));
    return this;
  }

  public List<Request> requests() {
    return Collections.unmodifiableList(new ArrayList<>(requests));
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void dispatch(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(new Request(
          ex.getRequestMethod(),
          path,
          ex.getRequestURI().getRawQuery(),
          copy(ex.getRequestHeaders())));
      List<Handler> script = scripts.get(path);
      if (script == null) {
        status(404).handle(ex);
        return;
      }
      int n = counts.merge(path, 1, Integer::sum) - 1;
      script.get(Math.min(n, script.size() - 1)).handle(ex);
    }
    // an IOException thrown here makes the server close the connection (how truncated() cuts a body
    // short)
  }

  private static Headers copy(Headers h) {
    Headers c = new Headers();
    h.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
    return c;
  }

  // ---- handlers

  /** An empty answer with {@code status} and headers given as name, value pairs. */
  public static Handler status(int status, String... headers) {
    return ex -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        ex.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      byte[] body = ("status " + status).getBytes();
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    };
  }

  /** A 302 (or other) redirect to {@code location}. */
  public static Handler redirect(int status, String location) {
    return ex -> {
      ex.getResponseHeaders().set("Location", location);
      ex.sendResponseHeaders(status, -1);
    };
  }

  /** 200 with the body and Content-Length; honours {@code Range: bytes=N-} with 206 and Content-Range. */
  public static Handler ok(byte[] body) {
    return ex -> {
      String range = ex.getRequestHeaders().getFirst("Range");
      Matcher m = RANGE.matcher(range == null ? "" : range);
      if (m.matches()) {
        int from = Integer.parseInt(m.group(1));
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        ex.sendResponseHeaders(206, body.length - from);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body, from, body.length - from);
        }
        return;
      }
      ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    };
  }

  /**
   * Serves {@code body} as one entity with {@code ETag: etag}: 304 for a matching {@code If-None-Match}, 206 for
   * {@code Range: bytes=N-} unless {@code If-Range} names another entity (then 200 with the whole body).
   */
  public static Handler versioned(byte[] body, String etag) {
    return versionedCut(body, etag, Integer.MAX_VALUE);
  }

  /** Like {@link #versioned}, but cuts the connection once the body reaches absolute byte {@code cutAt}. */
  public static Handler versionedCut(byte[] body, String etag, int cutAt) {
    return ex -> {
      ex.getResponseHeaders().set("ETag", etag);
      ex.getResponseHeaders().set("Accept-Ranges", "bytes");
      if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
        ex.sendResponseHeaders(304, -1);
        return;
      }
      String range = ex.getRequestHeaders().getFirst("Range");
      String ifRange = ex.getRequestHeaders().getFirst("If-Range");
      Matcher m = RANGE.matcher(range == null ? "" : range);
      int from = 0;
      if (m.matches() && (ifRange == null || ifRange.equals(etag))) {
        from = Integer.parseInt(m.group(1));
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        ex.sendResponseHeaders(206, body.length - from);
      } else {
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      }
      OutputStream out = ex.getResponseBody();
      int end = Math.min(body.length, Math.max(cutAt, from));
      out.write(body, from, end - from);
      out.flush();
      if (end < body.length) {
        out.close(); // throws "insufficient bytes written" and closes the connection
      }
      out.write(body, end, body.length - end);
      out.close();
    };
  }

  /** 200 with the whole body even when a Range was asked for (a server without range support). */
  public static Handler okIgnoringRange(byte[] body) {
    return ex -> {
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    };
  }

  /** Announces the whole body's length but sends only its first {@code sent} bytes, then cuts the connection. */
  public static Handler truncated(byte[] body, int sent) {
    return ex -> {
      ex.sendResponseHeaders(200, body.length);
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, sent);
      out.flush();
      out.close(); // throws "insufficient bytes written" and closes the connection
    };
  }

  /** Sends headers and the first {@code sent} bytes, then stalls for {@code stallMillis} before the rest. */
  public static Handler stalling(byte[] body, int sent, long stallMillis) {
    return ex -> {
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body, 0, sent);
        out.flush();
        try {
          Thread.sleep(stallMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        out.write(body, sent, body.length - sent);
      }
    };
  }
}
