package dev.inlet.socrata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Socrata portal on {@code 127.0.0.1} serving one dataset, for tests and benchmarks; it answers the way the real
 * API does, as far as {@link SocrataSource} uses it:
 *
 * <ul>
 *   <li>{@code GET /api/views/<id>.json}: the view metadata ({@code id}, {@code name}, {@code assetType},
 *       {@code viewType: tabular}, {@code createdAt}, {@code rowsUpdatedAt} and {@code viewLastModified} in epoch
 *       seconds, {@code columns[]} with {@code id}, {@code name}, {@code dataTypeName}, {@code fieldName},
 *       {@code position}, {@code renderTypeName}, {@code tableColumnId}, {@code flags} for hidden ones);</li>
 *   <li>{@code GET /resource/<id>.csv}: SODA 2.1 CSV, header = the visible columns' field names, every header name
 *       and non-null value in double quotes (quotes doubled), nulls as nothing, {@code \n} line ends; a
 *       {@code $limit} is honoured (default 1000, as SODA's); {@code Transfer-Encoding: chunked} for generated rows,
 *       {@code Content-Length} for a body served from a file; {@code ETag} and {@code Last-Modified}
 *       ({@code rowsUpdatedAt}), {@code 304} to a matching {@code If-None-Match} or {@code If-Modified-Since};
 *       {@code Range} is ignored (whole body, 200), like a SODA query;</li>
 *   <li>{@code GET /api/views/<id>/rows.csv?accessType=DOWNLOAD}: 404 here (not what the source uses);</li>
 *   <li>an unknown id: {@code 404} with Socrata's JSON error; a wrong {@code X-App-Token} (when one is
 *       {@linkplain Builder#appToken expected}): {@code 403}; {@linkplain #throttle throttled} requests: {@code 429}
 *       with {@code Retry-After}.</li>
 * </ul>
 *
 * <p>Every request is {@linkplain #requests() logged} (method, path, query, X-App-Token). The data can be replaced
 * while running ({@link #publish}); a body from {@link Builder#csvFile} is streamed from disk with 1 MiB writes,
 * never held in memory. A running portal owns a socket and threads until {@link #close()}.
 */
public final class LocalSocrataPortal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  /** One column of the served dataset. */
  public record Column(String name, String fieldName, String dataTypeName, boolean hidden) {}

  /** One request as received. */
  public record Request(String method, String path, String query, String appToken) {
    /** {@return whether this request downloaded the CSV export (a 200 answer or not)} */
    public boolean isExport() {
      return path.startsWith("/resource/");
    }
  }

  /** What is published: rows (strings as SODA writes them, null for null) or a CSV file, and its update time. */
  private record Publication(
      List<List<String>> rows, Path csvFile, Instant rowsUpdatedAt, int generation) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final String id;
  private final String name;
  private final List<Column> columns;
  private final String expectedToken;
  private final Instant createdAt;
  private final URI base;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicInteger exportsServed = new AtomicInteger();
  private volatile int retryAfterSeconds = 1;
  private volatile Publication publication;

  private LocalSocrataPortal(Builder b) throws IOException {
    this.id = b.id;
    this.name = b.name;
    this.columns = List.copyOf(b.columns);
    this.expectedToken = b.appToken;
    this.createdAt = b.rowsUpdatedAt.minusSeconds(86_400);
    this.publication = new Publication(List.copyOf(b.rows), b.csvFile, b.rowsUpdatedAt, 1);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "local-socrata-portal");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** {@return a builder of a portal; a dataset and its columns are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the base URL, e.g. {@code http://127.0.0.1:54321}; pass it as the source's base URL} */
  public URI baseUri() {
    return base;
  }

  /** {@return the served dataset's id} */
  public String datasetId() {
    return id;
  }

  /** {@return the requests received so far, in order} */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** {@return how many requests downloaded the export (answered 200 with a body)} */
  public int exportDownloads() {
    return exportsServed.get();
  }

  /** Forgets the logged requests. */
  public void clearRequests() {
    requests.clear();
  }

  /**
   * Answers the next {@code count} requests with {@code 429 Too Many Requests} and {@code Retry-After}.
   *
   * @param count how many requests to refuse
   * @param retryAfterSeconds the {@code Retry-After} header's value
   */
  public void throttle(int count, int retryAfterSeconds) {
    this.retryAfterSeconds = retryAfterSeconds;
    throttled.set(count);
  }

  /**
   * Replaces the rows and bumps {@code rowsUpdatedAt}, as an update of the dataset on the portal does.
   *
   * @param rows the new rows, one value per column each
   * @param rowsUpdatedAt the metadata's new {@code rowsUpdatedAt}
   */
  public void publish(List<List<String>> rows, Instant rowsUpdatedAt) {
    Publication p = publication;
    publication = new Publication(List.copyOf(rows), null, rowsUpdatedAt, p.generation() + 1);
  }

  /** Stops the server at once; open downloads fail. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      URI uri = ex.getRequestURI();
      String token = ex.getRequestHeaders().getFirst("X-App-Token");
      requests.add(new Request(ex.getRequestMethod(), uri.getPath(), uri.getRawQuery(), token));
      if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
        error(ex, 429, "too_many_requests", "Too many requests");
        return;
      }
      if (expectedToken != null && token != null && !token.equals(expectedToken)) {
        error(ex, 403, "permission_denied", "Invalid app_token specified");
        return;
      }
      String path = uri.getPath();
      if (!ex.getRequestMethod().equals("GET")) {
        error(ex, 405, "method_not_allowed", "Method not allowed");
      } else if (path.equals("/api/views/" + id + ".json")) {
        metadata(ex);
      } else if (path.equals("/resource/" + id + ".csv")) {
        export(ex, uri.getRawQuery());
      } else {
        error(
            ex,
            404,
            "not_found",
            "Cannot find view with id " + path.replaceAll(".*/", "").replace(".json", ""));
      }
    }
  }

  private void metadata(HttpExchange ex) throws IOException {
    Publication p = publication;
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("name", name);
    root.put("assetType", "dataset");
    root.put("averageRating", 0);
    root.put("createdAt", createdAt.getEpochSecond());
    root.put("displayType", "table");
    root.put("downloadCount", 42);
    root.put("publicationDate", createdAt.getEpochSecond());
    root.put("rowsUpdatedAt", p.rowsUpdatedAt().getEpochSecond());
    root.put("rowsUpdatedBy", "abcd-efgh");
    root.put("viewLastModified", p.rowsUpdatedAt().getEpochSecond());
    root.put("viewType", "tabular");
    ArrayNode cols = root.putArray("columns");
    int position = 1;
    for (Column c : columns) {
      ObjectNode n = cols.addObject();
      n.put("id", 100_000 + position);
      n.put("name", c.name());
      n.put("dataTypeName", c.dataTypeName());
      n.put("fieldName", c.fieldName());
      n.put("position", position);
      n.put("renderTypeName", c.dataTypeName());
      n.put("tableColumnId", 200_000 + position);
      n.putObject("format");
      if (c.hidden()) {
        n.putArray("flags").add("hidden");
      }
      position++;
    }
    root.putObject("metadata").putObject("custom_fields");
    root.putObject("owner").put("id", "abcd-efgh").put("displayName", "NYC OpenData");
    byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("Last-Modified", httpDate(p.rowsUpdatedAt()));
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private void export(HttpExchange ex, String query) throws IOException {
    Publication p = publication;
    long limit = 1000;
    for (String param : query == null ? new String[0] : query.split("&")) {
      if (param.startsWith("$limit=")) {
        try {
          limit = Long.parseLong(param.substring(7));
        } catch (NumberFormatException e) {
          error(ex, 400, "query.soql.invalid", "Invalid $limit: " + param.substring(7));
          return;
        }
      }
    }
    String etag = "\"" + id + "-" + p.generation() + "-" + limit + "\"";
    Instant modified = p.rowsUpdatedAt();
    ex.getResponseHeaders().set("ETag", etag);
    ex.getResponseHeaders().set("Last-Modified", httpDate(modified));
    ex.getResponseHeaders().set("X-SODA2-Truth-Last-Modified", httpDate(modified));
    String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
    String ifModifiedSince = ex.getRequestHeaders().getFirst("If-Modified-Since");
    if (ifNoneMatch != null
        ? ifNoneMatch.equals(etag)
        : notModifiedSince(ifModifiedSince, modified)) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
    exportsServed.incrementAndGet();
    if (p.csvFile() != null) {
      long size = Files.size(p.csvFile());
      ex.sendResponseHeaders(200, size);
      try (InputStream in = Files.newInputStream(p.csvFile());
          OutputStream out = ex.getResponseBody()) {
        byte[] buf = new byte[1 << 20];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      }
      return;
    }
    ex.sendResponseHeaders(200, 0); // chunked, as SODA streams a query
    try (OutputStream out = new java.io.BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
      List<Column> visible = columns.stream().filter(c -> !c.hidden()).toList();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < visible.size(); i++) {
        line.append(i == 0 ? "" : ",").append(quote(visible.get(i).fieldName()));
      }
      out.write(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      long n = 0;
      for (List<String> row : p.rows()) {
        if (n++ >= limit) {
          break;
        }
        line.setLength(0);
        int i = 0;
        for (int c = 0; c < columns.size(); c++) {
          if (columns.get(c).hidden()) {
            continue;
          }
          String v = c < row.size() ? row.get(c) : null;
          line.append(i++ == 0 ? "" : ",").append(v == null ? "" : quote(v));
        }
        out.write(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static boolean notModifiedSince(String header, Instant modified) {
    if (header == null) {
      return false;
    }
    try {
      return !modified.isAfter(ZonedDateTime.parse(header, HTTP_DATE).toInstant());
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void error(HttpExchange ex, int status, String code, String message)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("code", code);
    root.put("error", true);
    root.put("message", message);
    byte[] body = JSON.writeValueAsBytes(root);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static String quote(String v) {
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  private static String httpDate(Instant t) {
    return HTTP_DATE.format(t.atZone(ZoneOffset.UTC));
  }

  /** Builds a {@link LocalSocrataPortal}; id, columns and rows (or a file) describe the dataset. */
  public static final class Builder {
    private String id = "abcd-1234";
    private String name = "Test dataset";
    private final List<Column> columns = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();
    private Path csvFile;
    private String appToken;
    private Instant rowsUpdatedAt = Instant.parse("2024-03-01T12:00:00Z");

    private Builder() {}

    /**
     * Sets the dataset; default {@code abcd-1234}, "Test dataset".
     *
     * @param id the dataset id ("4x4") in its URLs
     * @param name the dataset's name in its metadata
     * @return this builder
     */
    public Builder dataset(String id, String name) {
      this.id = Objects.requireNonNull(id, "id");
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Adds a visible column.
     *
     * @param name the column's display name
     * @param fieldName its field name, as in the export's header
     * @param dataTypeName its Socrata type (e.g. {@code text}, {@code number}, {@code calendar_date})
     * @return this builder
     */
    public Builder column(String name, String fieldName, String dataTypeName) {
      columns.add(new Column(name, fieldName, dataTypeName, false));
      return this;
    }

    /**
     * Adds a hidden column: in the metadata (flagged hidden), not in the export.
     *
     * @param name the column's display name
     * @param fieldName its field name, as in the export's header
     * @param dataTypeName its Socrata type (e.g. {@code text}, {@code number}, {@code calendar_date})
     * @return this builder
     */
    public Builder hiddenColumn(String name, String fieldName, String dataTypeName) {
      columns.add(new Column(name, fieldName, dataTypeName, true));
      return this;
    }

    /**
     * Adds a row: one value per column (hidden ones included), written as SODA writes it; null for null.
     *
     * @param values the row's values
     * @return this builder
     */
    public Builder row(String... values) {
      rows.add(Collections.unmodifiableList(java.util.Arrays.asList(values.clone())));
      return this;
    }

    /**
     * Serves this file as the export, as is (header included), streamed from disk with Content-Length.
     *
     * @param file the CSV file
     * @return this builder
     */
    public Builder csvFile(Path file) {
      this.csvFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Answers 403 to a request whose X-App-Token is not {@code token} (requests without one pass).
     *
     * @param token the expected application token
     * @return this builder
     */
    public Builder appToken(String token) {
      this.appToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Sets the metadata's {@code rowsUpdatedAt}, the time of the rows' last change.
     *
     * @param t the time
     * @return this builder
     */
    public Builder rowsUpdatedAt(Instant t) {
      this.rowsUpdatedAt = Objects.requireNonNull(t, "rowsUpdatedAt");
      return this;
    }

    /**
     * Starts the portal on a free port of 127.0.0.1; close it when done.
     *
     * @return the started portal
     * @throws IllegalStateException if no column was added
     * @throws UncheckedIOException if the server cannot start
     */
    public LocalSocrataPortal start() {
      if (columns.isEmpty()) {
        throw new IllegalStateException(
            "Cannot start LocalSocrataPortal: no columns; call column(..)");
      }
      try {
        return new LocalSocrataPortal(this);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start LocalSocrataPortal: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "LocalSocrataPortal{" + base + ", " + id + "}";
  }
}
