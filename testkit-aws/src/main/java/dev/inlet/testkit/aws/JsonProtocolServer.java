package dev.inlet.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An AWS JSON 1.1 protocol endpoint on 127.0.0.1, for fakes of services such as Glue and Athena: {@code POST /} with
 * {@code X-Amz-Target: <prefix><Operation>} and {@code application/x-amz-json-1.1}; the handler answers each
 * operation, or throws {@link ServiceError}, which goes out as <code>{"__type": ..., "Message": ...}</code> with
 * its status, so the real SDK client raises the modelled exception. Package-private: the fakes' plumbing.
 */
final class JsonProtocolServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers one operation of the service. */
  @FunctionalInterface
  public interface Handler {
    JsonNode answer(String operation, JsonNode body);
  }

  /** An error of the service: its {@code __type}, message, HTTP status and any extra fields of the error body. */
  public static class ServiceError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final String type;
    private final int status;
    private final Map<String, String> fields;

    public ServiceError(String type, String message, int status, Map<String, String> fields) {
      super(message, null, false, false);
      this.type = type;
      this.status = status;
      this.fields = Map.copyOf(fields);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String prefix;
  private final Handler handler;

  private JsonProtocolServer(String prefix, Handler handler) throws IOException {
    this.prefix = prefix;
    this.handler = handler;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts an endpoint at a free port of 127.0.0.1 for operations named {@code prefix + Operation}. */
  public static JsonProtocolServer start(String service, String prefix, Handler handler) {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      return new JsonProtocolServer(prefix, handler);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the fake " + service + " server: " + e, e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      byte[] in;
      try (InputStream is = ex.getRequestBody()) {
        in = is.readAllBytes();
      }
      int status;
      JsonNode out;
      if (!"POST".equals(ex.getRequestMethod())
          || !"/".equals(ex.getRequestURI().getPath())
          || target == null
          || !target.startsWith(prefix)
          || type == null
          || !type.startsWith("application/x-amz-json-1.1")) {
        status = 400;
        out = error(
            "UnknownOperationException",
            "Expected POST / with X-Amz-Target " + prefix + "<Operation> and "
                + "application/x-amz-json-1.1, got " + ex.getRequestMethod() + " "
                + ex.getRequestURI() + " " + target
                + " " + type,
            Map.of());
      } else {
        JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
        try {
          out = handler.answer(target.substring(prefix.length()), body);
          status = 200;
        } catch (ServiceError e) {
          status = e.status;
          out = error(e.type, e.getMessage(), e.fields);
        }
      }
      byte[] bytes = JSON.writeValueAsBytes(out);
      ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    }
  }

  private static ObjectNode error(String type, String message, Map<String, String> fields) {
    ObjectNode e = JSON.createObjectNode();
    e.put("__type", type);
    e.put("Message", message);
    fields.forEach(e::put);
    return e;
  }
}
