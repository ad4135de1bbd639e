package dev.inlet.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket-level HTTP server on 127.0.0.1 for answers {@code com.sun.net.httpserver} cannot give: a body ended
 * by closing the connection without {@code Content-Length} (HTTP/1.0 style), or no answer at all. Request n is
 * answered by handler n, the last repeats; every connection is closed after one answer.
 */
public final class RawHttpServer implements AutoCloseable {
  /** Writes a whole answer (status line, headers, body) for one request. */
  @FunctionalInterface
  interface Handler {
    void answer(Map<String, String> requestHeaders, OutputStream out) throws IOException;
  }

  private final ServerSocket socket;
  private final List<Handler> handlers;
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private final Thread acceptor;

  RawHttpServer(Handler... handlers) {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.handlers = List.of(handlers);
    acceptor = new Thread(this::acceptLoop, "test-raw-http");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
  }

  /** Request headers (lower-case names) in arrival order. */
  List<Map<String, String>> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "test-raw-http-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      Map<String, String> headers = readHead(s.getInputStream());
      requests.add(headers);
      int n = count.getAndIncrement();
      OutputStream out = s.getOutputStream();
      handlers.get(Math.min(n, handlers.size() - 1)).answer(headers, out);
      out.flush();
    } catch (IOException e) {
      // the client went away
    }
  }

  private static Map<String, String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    for (int b; last4 != 0x0d0a0d0a && (b = in.read()) >= 0; ) {
      head.write(b);
      last4 = last4 << 8 | b;
    }
    Map<String, String> headers = new TreeMap<>();
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    headers.put(":request", lines[0]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return headers;
  }

  /** Writes {@code status}, the headers (name, value pairs), a blank line and {@code body[from, to)}. */
  static void write(
      OutputStream out, String status, byte[] body, int from, int to, String... headers)
      throws IOException {
    StringBuilder h =
        new StringBuilder("HTTP/1.1 ").append(status).append("\r\nConnection: close\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body, from, to - from);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
