package dev.inlet.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The default {@link HttpTransport}: one JDK {@link HttpURLConnection} per request (HTTP/1.1; the JDK may keep an
 * idle connection a few seconds for reuse, and sends a request again once, by itself, when a kept connection turns
 * out closed before any answer). It reads a body straight from the socket into the caller's array; the JDK's
 * {@code java.net.http.HttpClient} costs about three times the CPU per downloaded byte (measured: 1.4 s against
 * 0.4 s for 940 MB on loopback, docs/performance.md). A read blocked on the socket does not end when its thread is
 * interrupted, only at the read timeout.
 *
 * <p>The request timeout is kept by a watchdog that disconnects a request whose answer does not come in time: at
 * most one daemon thread for all transports, started when a request waits for its answer and ended about 200 ms
 * after the last one, so that no thread outlives the downloads. For HTTPS the connect timeout also bounds each read
 * of the TLS handshake (see {@link HandshakeTimeoutSocketFactory}).
 *
 * <p>A proxy: {@code UrlConnectionTransport.builder().proxy(ProxySelector.of(new InetSocketAddress(host, port)))};
 * without one the JDK's default selector applies ({@code -Dhttps.proxyHost=...}). Immutable and thread-safe.
 */
public final class UrlConnectionTransport implements HttpTransport {
  private static final long WATCHDOG_IDLE_MILLIS = 200;
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private final ProxySelector proxy;
  /** The TLS socket factory last wrapped with a handshake timeout (kept so that kept-alive connections match). */
  private volatile HandshakeTimeoutSocketFactory tls;

  private UrlConnectionTransport(Builder b) {
    this.proxy = b.proxy;
  }

  /**
   * The transport with the JDK's defaults (its default proxy selector, TLS settings and keep-alive).
   *
   * @return a new transport
   */
  public static UrlConnectionTransport create() {
    return builder().build();
  }

  /**
   * A builder of a transport.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "inlet-http-watchdog");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    e.setKeepAliveTime(WATCHDOG_IDLE_MILLIS, TimeUnit.MILLISECONDS);
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  @Override
  public HttpTransport.Response send(Request request) throws IOException {
    URI uri = request.uri();
    URL url = uri.toURL();
    HttpURLConnection c;
    if (proxy == null) {
      c = (HttpURLConnection) url.openConnection();
    } else {
      List<Proxy> proxies = proxy.select(uri);
      c = (HttpURLConnection) url.openConnection(
          proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0));
    }
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout(millis(request.connectTimeout()));
    c.setReadTimeout(millis(request.readTimeout()));
    if (c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(
          handshakeTimeout(https.getSSLSocketFactory(), millis(request.connectTimeout())));
    }
    request.headers().forEach(c::setRequestProperty);
    c.connect(); // within the connect timeout; a watchdog can only cut a connected request
    Watchdog watchdog = Watchdog.arm(c, request.requestTimeout());
    int status;
    try {
      status = c.getResponseCode();
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      if (watchdog.fired()) { // the disconnect may surface as any exception
        throw new IOException(
            "no answer within " + request.requestTimeout().toMillis() + " ms (request timeout)", e);
      }
      throw e;
    }
    if (!watchdog.finish()) { // the answer came as the watchdog cut the connection
      c.disconnect();
      throw new IOException(
          "no answer within " + request.requestTimeout().toMillis() + " ms (request timeout)");
    }
    if (Thread.interrupted()) {
      c.disconnect();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "Cannot download " + HttpDownloader.redact(uri) + ": interrupted");
    }
    return new Answer(status, c);
  }

  @Override
  public String toString() {
    return "UrlConnectionTransport{" + (proxy == null ? "default proxy selector" : "proxy=" + proxy)
        + "}";
  }

  /** A timeout for {@link HttpURLConnection}: milliseconds, at least 1 for a positive duration. */
  private static int millis(Duration d) {
    if (d.isZero()) {
      return 0;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /** The TLS socket factory {@code current}, with each handshake read bounded by {@code timeoutMillis}. */
  private SSLSocketFactory handshakeTimeout(SSLSocketFactory current, int timeoutMillis) {
    HandshakeTimeoutSocketFactory f = tls;
    if (f == null || f.delegate != current || f.timeoutMillis != timeoutMillis) {
      f = new HandshakeTimeoutSocketFactory(current, timeoutMillis);
      tls = f;
    }
    return f;
  }

  /** An answer of an {@link HttpURLConnection}. */
  private static final class Answer implements HttpTransport.Response {
    private final int status;
    private final HttpURLConnection connection;

    Answer(int status, HttpURLConnection connection) {
      this.status = status;
      this.connection = connection;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(connection.getHeaderField(name));
    }

    @Override
    public InputStream body() throws IOException {
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      if (in == null) {
        in = InputStream.nullInputStream();
      }
      return new java.io.FilterInputStream(in) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len); // not FilterInputStream's: no extra virtual call per read
        }

        @Override
        public void close() throws IOException {
          try {
            in.close();
          } finally {
            connection.disconnect(); // a kept-alive connection goes back to the JDK's cache
          }
        }
      };
    }

    @Override
    public void close() {
      connection.disconnect();
    }
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
    private final AtomicInteger state = new AtomicInteger();
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

  /**
   * Wraps a TLS socket factory so that the handshake's reads time out after the connect timeout, or the plain
   * socket's read timeout if shorter (the downloader cuts it to the time left before the deadline). The JDK's
   * {@code HttpsURLConnection} connects a plain socket (its read timeout is then the read timeout), layers TLS
   * over it with {@link #createSocket(Socket, String, int, boolean)} and handshakes; this factory sets the
   * socket's timeout to the connect timeout there, and the connection sets its read timeout again after the
   * handshake. Unconnected sockets are not offered ({@link javax.net.SocketFactory#createSocket()} throws), which
   * makes the connection take the layered path. Hostname verification and SNI are unchanged (the connection sets
   * them on the returned socket before its handshake).
   */
  static final class HandshakeTimeoutSocketFactory extends SSLSocketFactory {
    final SSLSocketFactory delegate;
    final int timeoutMillis;

    HandshakeTimeoutSocketFactory(SSLSocketFactory delegate, int timeoutMillis) {
      this.delegate = delegate;
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      // The plain socket's read timeout is the request's: at most the time left before the download
      // deadline.
      int read = s.getSoTimeout();
      Socket layered = delegate.createSocket(s, host, port, autoClose);
      layered.setSoTimeout(read > 0 ? Math.min(read, timeoutMillis) : timeoutMillis);
      return layered;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return timed(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return timed(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return timed(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return timed(delegate.createSocket(address, port, localAddress, localPort));
    }

    private Socket timed(Socket socket) throws IOException {
      socket.setSoTimeout(timeoutMillis);
      return socket;
    }
  }

  /** Builds an {@link UrlConnectionTransport}. Not thread-safe. */
  public static final class Builder {
    private ProxySelector proxy;

    private Builder() {}

    /**
     * Sends requests through the proxy {@code selector} chooses for each URL (its first choice), e.g.
     * {@code ProxySelector.of(new InetSocketAddress("proxy.example", 3128))}; default: the JDK's default selector.
     *
     * @param selector the proxy selector
     * @return this builder
     */
    public Builder proxy(ProxySelector selector) {
      this.proxy = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /**
     * The transport.
     *
     * @return a new immutable transport
     */
    public UrlConnectionTransport build() {
      return new UrlConnectionTransport(this);
    }
  }
}
