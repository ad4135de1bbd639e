package dev.inlet.ckan;

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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny CKAN portal on {@code 127.0.0.1} serving one dataset, for offline examples and tests.
 *
 * <p>It answers {@code /api/3/action/package_show?id=<dataset name or package id>} like CKAN, and serves each
 * resource the way a real portal does: {@code /dataset/<package-id>/resource/<id>/download/<file>} answers
 * {@code 302} to a presigned-looking {@code /files/<id>/<file>?X-Amz-Signature=...}, which streams the bytes with
 * {@code Content-Length} and {@code ETag}, honours {@code Range: bytes=N-} and refuses {@code HEAD} (403). It logs
 * nothing. A running portal owns a server socket and threads until {@link #close()}.
 */
public final class LocalCkanPortal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** Bytes of one resource, read when served. */
  @FunctionalInterface
  public interface Content {
    /**
     * {@return the resource's bytes}
     *
     * @throws IOException if they cannot be read; the download fails
     */
    byte[] bytes() throws IOException;

    /**
     * {@return the size in bytes, as announced by {@code package_show}}
     *
     * @throws IOException if it cannot be known
     */
    default long size() throws IOException {
      return bytes().length;
    }

    /**
     * {@return the bytes from {@code offset} on; by default a view of {@link #bytes()}} Override to stream.
     *
     * @param offset the first byte to serve (a range request's start)
     * @throws IOException if they cannot be read
     */
    default InputStream open(long offset) throws IOException {
      byte[] all = bytes();
      return new java.io.ByteArrayInputStream(
          all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset));
    }

    /**
     * {@return the entity tag; by default a hash of {@link #bytes()}}
     *
     * @throws IOException if the bytes cannot be read
     */
    default String etag() throws IOException {
      return Integer.toHexString(Arrays.hashCode(bytes()));
    }
  }

  private record Resource(
      String id, String name, String fileName, Content content, Instant lastModified) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final String dataset;
  private final String packageId;
  private final Map<String, Resource> resources;
  private final URI base;

  private LocalCkanPortal(Builder b) throws IOException {
    this.dataset = b.dataset;
    this.packageId = b.packageId;
    this.resources = new LinkedHashMap<>(b.resources);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "local-ckan-portal");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** {@return a builder of a portal; a dataset and at least one resource are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the portal base URL, e.g. {@code http://127.0.0.1:54321}; pass it as the CKAN portal} */
  public URI baseUri() {
    return base;
  }

  /** {@return the package id of the served dataset} */
  public String packageId() {
    return packageId;
  }

  /** Stops the server at once; open downloads fail. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/api/3/action/package_show")) {
        packageShow(ex);
        return;
      }
      String[] p = path.split("/");
      // /dataset/<pkg>/resource/<id>/download/<file>
      if (p.length == 7
          && p[1].equals("dataset")
          && p[3].equals("resource")
          && p[5].equals("download")
          && p[2].equals(packageId)
          && resources.containsKey(p[4])) {
        Resource r = resources.get(p[4]);
        ex.getResponseHeaders()
            .set(
                "Location",
                base + "/files/" + r.id() + "/" + r.fileName()
                    + "?X-Amz-Signature=secret&X-Amz-Expires=3600");
        ex.sendResponseHeaders(302, -1);
        return;
      }
      // /files/<id>/<file>?X-Amz-Signature=...
      if (p.length == 4 && p[1].equals("files") && resources.containsKey(p[2])) {
        String query = ex.getRequestURI().getRawQuery();
        if (!ex.getRequestMethod().equals("GET")
            || query == null
            || !query.contains("X-Amz-Signature=")) {
          send(ex, 403, "application/xml", "<Error><Code>SignatureDoesNotMatch</Code></Error>");
          return;
        }
        serveFile(ex, resources.get(p[2]));
        return;
      }
      send(ex, 404, "text/plain", "Not found");
    }
  }

  private void packageShow(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    String id = query != null && query.startsWith("id=") ? query.substring(3) : "";
    ObjectNode root = JSON.createObjectNode();
    root.put("help", base + "/api/3/action/help_show?name=package_show");
    if (!id.equals(dataset) && !id.equals(packageId)) {
      root.put("success", false);
      root.putObject("error").put("message", "Not found").put("__type", "Not Found Error");
      send(ex, 404, "application/json", JSON.writeValueAsString(root));
      return;
    }
    root.put("success", true);
    ObjectNode result = root.putObject("result");
    result
        .put("id", packageId)
        .put("name", dataset)
        .put("title", dataset)
        .put("num_resources", resources.size());
    ArrayNode list = result.putArray("resources");
    int position = 0;
    for (Resource r : resources.values()) {
      ObjectNode n = list.addObject();
      n.put("id", r.id()).put("name", r.name()).put("format", "CSV").put("mimetype", "text/csv");
      n.put("package_id", packageId).put("position", position++);
      n.put(
          "url",
          base + "/dataset/" + packageId + "/resource/" + r.id() + "/download/" + r.fileName());
      n.put("size", r.content().size());
      n.put(
          "last_modified",
          LocalDateTime.ofInstant(r.lastModified(), ZoneOffset.UTC).toString());
    }
    send(ex, 200, "application/json;charset=utf-8", JSON.writeValueAsString(root));
  }

  private static void serveFile(HttpExchange ex, Resource r) throws IOException {
    long length = r.content().size();
    long from = 0;
    Matcher m = RANGE.matcher(
        ex.getRequestHeaders().getFirst("Range") == null
            ? ""
            : ex.getRequestHeaders().getFirst("Range"));
    ex.getResponseHeaders().set("Content-Type", "text/csv");
    ex.getResponseHeaders().set("ETag", "\"" + r.content().etag() + "\"");
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    if (m.matches()) {
      from = Long.parseLong(m.group(1));
      if (from >= length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + length);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      ex.getResponseHeaders()
          .set("Content-Range", "bytes " + from + "-" + (length - 1) + "/" + length);
      ex.sendResponseHeaders(206, length - from);
    } else {
      ex.sendResponseHeaders(200, length == 0 ? -1 : length);
    }
    try (OutputStream out = ex.getResponseBody();
        InputStream in = r.content().open(from)) {
      // large writes: transferTo's 8 KiB ones cost the server about twice the CPU per byte on
      // loopback
      byte[] buf = new byte[256 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Configures a {@link LocalCkanPortal}; dataset and at least one resource are required. Not thread-safe. */
  public static final class Builder {
    private String dataset;
    private String packageId = UUID.randomUUID().toString();
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private Builder() {}

    /**
     * Sets the dataset name (slug) answered by {@code package_show}.
     *
     * @param name the dataset name
     * @return this builder
     */
    public Builder dataset(String name) {
      this.dataset = checkName("dataset", name);
      return this;
    }

    /**
     * Sets the package id; default a random UUID.
     *
     * @param id the package id
     * @return this builder
     */
    public Builder packageId(String id) {
      this.packageId = checkName("packageId", id);
      return this;
    }

    /**
     * Adds a resource served from a file, streamed at each download (any size); last_modified is the file's
     * time, the ETag derives from its size and time.
     *
     * @param id the resource id
     * @param name the resource name {@code package_show} lists
     * @param fileName the file name at the end of the resource's URL
     * @param file the file served
     * @return this builder
     * @throws IllegalArgumentException if {@code file} is not a readable file, or the id was added already
     */
    public Builder resource(String id, String name, String fileName, Path file) {
      Objects.requireNonNull(file, "file");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("Cannot serve " + file + ": not a readable file");
      }
      Instant modified;
      try {
        modified = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serve " + file + ": " + e.getMessage(), e);
      }
      Content content = new Content() {
        @Override
        public byte[] bytes() throws IOException {
          return Files.readAllBytes(file);
        }

        @Override
        public long size() throws IOException {
          return Files.size(file);
        }

        @Override
        public InputStream open(long offset) throws IOException {
          InputStream in = Files.newInputStream(file);
          in.skipNBytes(offset);
          return in;
        }

        @Override
        public String etag() throws IOException {
          return Long.toHexString(Files.size(file)) + "-"
              + Long.toHexString(Files.getLastModifiedTime(file).toMillis());
        }
      };
      return add(new Resource(
          checkName("id", id), name, checkName("fileName", fileName), content, modified));
    }

    /**
     * Adds a resource served from bytes produced by {@code content} (e.g. read from the classpath).
     *
     * @param id the resource id
     * @param name the resource name {@code package_show} lists
     * @param fileName the file name at the end of the resource's URL
     * @param content the bytes served
     * @return this builder
     */
    public Builder resource(String id, String name, String fileName, Content content) {
      Objects.requireNonNull(content, "content");
      return add(new Resource(
          checkName("id", id), name, checkName("fileName", fileName), content, started));
    }

    /**
     * Adds a resource served from a class-path resource of {@code loader}, e.g. samples bundled in a jar.
     *
     * @param id the resource id
     * @param name the resource name {@code package_show} lists
     * @param fileName the file name at the end of the resource's URL
     * @param loader the class loader holding it
     * @param path its path in {@code loader}
     * @return this builder
     * @throws IllegalArgumentException if {@code loader} has no resource at {@code path}
     */
    public Builder classpathResource(
        String id, String name, String fileName, ClassLoader loader, String path) {
      Objects.requireNonNull(loader, "loader");
      Objects.requireNonNull(path, "path");
      if (loader.getResource(path) == null) {
        throw new IllegalArgumentException(
            "Cannot serve class-path resource " + path + ": not found");
      }
      return resource(id, name, fileName, () -> {
        try (InputStream in = loader.getResourceAsStream(path)) {
          if (in == null) {
            throw new IOException("class-path resource " + path + " disappeared");
          }
          return in.readAllBytes();
        }
      });
    }

    private Builder add(Resource r) {
      Objects.requireNonNull(r.name(), "name");
      if (resources.containsKey(r.id())) {
        throw new IllegalArgumentException("Cannot add resource " + r.id() + ": already added");
      }
      resources.put(r.id(), r);
      return this;
    }

    /**
     * Starts the portal on a free port of 127.0.0.1; close it when done.
     *
     * @return the started portal
     * @throws IllegalStateException if dataset or resources are missing
     * @throws UncheckedIOException if the server cannot start
     */
    public LocalCkanPortal start() {
      if (dataset == null) {
        throw new IllegalStateException(
            "Cannot start LocalCkanPortal: dataset is missing; call dataset(name)");
      }
      if (resources.isEmpty()) {
        throw new IllegalStateException(
            "Cannot start LocalCkanPortal: no resource; call resource(...)");
      }
      try {
        return new LocalCkanPortal(this);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start LocalCkanPortal: " + e.getMessage(), e);
      }
    }

    private static String checkName(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank() || value.contains("/") || value.contains("?") || value.contains(" ")) {
        throw new IllegalArgumentException(
            what + " must be non-blank without '/', '?' or spaces: '" + value + "'");
      }
      return value;
    }
  }
}
