package dev.inlet.aws.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of a real server (S3Proxy) that forwards every request and, for the
 * requests a test picks, loses the answer after the server acted on the request: the response is dropped (the
 * connection closes without a byte), replaced by a 500, or garbled. So a client sees what a lost response looks like
 * on the network, retries included, while the server really did the work. Requests must carry a
 * {@code Content-Length} (or no body); each is forwarded on a new upstream connection.
 */
public final class FaultProxy implements AutoCloseable {
  /** What happens to the response of a picked request. */
  public enum Fault {
    /** The connection closes before any byte of the response. */
    DROP,
    /** A {@code 500 InternalError} is sent instead of the response. */
    SERVER_ERROR,
    /** Bytes that are not HTTP are sent, then the connection closes. */
    GARBLE,
    /** The request is not forwarded: the connection closes, the server never sees it. */
    LOST_REQUEST,
    /** The request is not forwarded and answered {@code 412 PreconditionFailed}, as S3 answers If-None-Match. */
    PRECONDITION_FAILED
  }

  /** The request line and headers of one request, as the client sent them. */
  public record Request(String method, String target, List<String> headers) {
    /** The request's query has this parameter (e.g. {@code uploadId}). */
    public boolean hasParameter(String name) {
      String query = URI.create(target).getRawQuery();
      if (query == null) {
        return false;
      }
      for (String p : query.split("&")) {
        if (p.equals(name) || p.startsWith(name + "=")) {
          return true;
        }
      }
      return false;
    }

    /** A {@code POST ...?uploadId=...} without {@code partNumber}: S3's CompleteMultipartUpload. */
    public boolean isCompleteMultipartUpload() {
      return method.equals("POST") && hasParameter("uploadId") && !hasParameter("partNumber");
    }

    /** A {@code PUT} of an object, not of a part or a bucket. */
    public boolean isPutObject() {
      return method.equals("PUT")
          && !hasParameter("partNumber")
          && URI.create(target).getRawPath().chars().filter(c -> c == '/').count() > 1;
    }
  }

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Request> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger faultsLeft = new AtomicInteger();
  private volatile Predicate<Request> picked = r -> false;
  private volatile Fault fault = Fault.DROP;

  private FaultProxy(ServerSocket server, int upstreamPort) {
    this.server = server;
    this.upstreamPort = upstreamPort;
    pool.execute(this::accept);
  }

  /**
   * A proxy forwarding to {@code upstream} ({@code http://127.0.0.1:port}).
   *
   * @param upstream the server's endpoint
   * @return the running proxy
   * @throws IOException if it cannot listen
   */
  public static FaultProxy in(URI upstream) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new FaultProxy(s, upstream.getPort());
  }

  /** The proxy's endpoint, for a client's {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code times} requests that {@code which} picks are forwarded, then their response suffers {@code f}. */
  public void fail(Predicate<Request> which, Fault f, int times) {
    fault = f;
    picked = which;
    faultsLeft.set(times);
  }

  /** Every request seen so far that {@code which} picks. */
  public List<Request> seen(Predicate<Request> which) {
    return seen.stream().filter(which).toList();
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        pool.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
          return;
        }
        List<String> headers = new ArrayList<>();
        long length = 0;
        boolean expectContinue = false;
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
          String lower = h.toLowerCase(Locale.ROOT);
          if (lower.startsWith("content-length:")) {
            length = Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
          } else if (lower.startsWith("transfer-encoding:")) {
            throw new IOException("FaultProxy takes no chunked request bodies: " + line);
          }
          if (lower.startsWith("expect:")) {
            expectContinue = true;
          } else if (!lower.startsWith("connection:") && !lower.startsWith("content-length:")) {
            headers.add(h);
          }
        }
        String[] parts = line.split(" ");
        Request request = new Request(parts[0], parts[1], List.copyOf(headers));
        seen.add(request);
        if (expectContinue) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        byte[] body = in.readNBytes((int) length);
        boolean faulty = picked.test(request) && faultsLeft.getAndDecrement() > 0;
        if (faulty && fault == Fault.LOST_REQUEST) {
          return;
        }
        if (faulty && fault == Fault.PRECONDITION_FAILED) {
          error(
              out,
              "412 Precondition Failed",
              "PreconditionFailed",
              "injected: If-None-Match failed");
          return;
        }
        byte[] response = forward(line, headers, body);
        if (faulty) {
          switch (fault) {
            case DROP -> {
              return;
            }
            case SERVER_ERROR -> {
              error(
                  out,
                  "500 Internal Server Error",
                  "InternalError",
                  "injected: the server acted, then failed to answer");
              return;
            }
            default -> {
              out.write("\u0000\u0001garbled\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
              out.flush();
              return;
            }
          }
        }
        out.write(response);
        out.flush();
        return; // the forwarded response says Connection: close
      }
    } catch (IOException e) {
      // the client went away, or the proxy closed
    }
  }

  private static void error(OutputStream out, String status, String code, String message)
      throws IOException {
    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
            + "</Code><Message>" + message + "</Message></Error>")
        .getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + xml.length + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.write(xml);
    out.flush();
  }

  /** Sends the request upstream on a new connection with {@code Connection: close}; the whole raw response. */
  private byte[] forward(String line, List<String> headers, byte[] body) throws IOException {
    try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      OutputStream o = up.getOutputStream();
      StringBuilder sb = new StringBuilder(line).append("\r\n");
      headers.forEach(h -> sb.append(h).append("\r\n"));
      if (body.length > 0 || line.startsWith("PUT") || line.startsWith("POST")) {
        sb.append("Content-Length: ").append(body.length).append("\r\n");
      }
      sb.append("Connection: close\r\n\r\n");
      o.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      o.write(body);
      o.flush();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      up.getInputStream().transferTo(response);
      return response.toByteArray();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }
}
