package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake timeout wraps the JDK's TLS socket factory: a real HTTPS download on 127.0.0.1 (a self-signed
 * certificate for {@code localhost}, made with keytool) still works, and the host name is still verified.
 */
@Timeout(30)
class HttpsHandshakeTest {
  private static final byte[] BODY =
      "case_enquiry_id,open_dt\n1,2015-01-01 00:00:00\n".getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path dir;

  private static HttpsServer server;
  private static SSLSocketFactory previousDefault;

  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("localhost.p12");
    Process keytool = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair",
            "-alias",
            "localhost",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost",
            "-validity",
            "2",
            "-keystore",
            keystore.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-keypass",
            "changeit")
        .redirectErrorStream(true)
        .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/f.csv", ex -> {
      ex.sendResponseHeaders(200, BODY.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(BODY);
      }
    });
    server.start();
    previousDefault = HttpsURLConnection.getDefaultSSLSocketFactory();
    HttpsURLConnection.setDefaultSSLSocketFactory(clientContext.getSocketFactory());
  }

  @AfterAll
  static void stop() {
    HttpsURLConnection.setDefaultSSLSocketFactory(previousDefault);
    server.stop(0);
  }

  private final HttpDownloader downloader = HttpDownloader.builder()
      .connectTimeout(Duration.ofSeconds(5))
      .maxAttempts(1)
      .build();

  @Test
  void https_withTheHandshakeTimeout_stillDownloads() throws IOException {
    URI uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/f.csv");

    try (InputStream in = downloader.opener(uri).open(0)) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    try (InputStream in =
        downloader.opener(uri).open(0)) { // again, maybe on a kept-alive connection
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
  }

  @Test
  void https_withTheHandshakeTimeout_stillVerifiesTheHostName() {
    // the certificate names localhost only
    URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/f.csv");

    assertThatThrownBy(() -> downloader.open(uri, 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("after 1 attempt")
        .hasMessageContaining("SSLHandshakeException")
        .hasMessageContaining("127.0.0.1");
  }

  /**
   * Found by the hostile re-test: a stalled TLS handshake held a request for the whole connect timeout even when
   * less of the download deadline was left (deadline 15 s, connect timeout 10 s: the second attempt ended at
   * about 21 s). The handshake's reads now time out at the socket's read timeout when that is shorter, which the
   * downloader cuts to the time left before the deadline.
   */
  @Test
  void handshakeReads_timeOutAtTheSocketsReadTimeout_whenShorterThanTheConnectTimeout()
      throws Exception {
    UrlConnectionTransport.HandshakeTimeoutSocketFactory factory =
        new UrlConnectionTransport.HandshakeTimeoutSocketFactory(
            (SSLSocketFactory) SSLSocketFactory.getDefault(), 10_000);
    try (java.net.ServerSocket listener =
            new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        java.net.Socket plain =
            new java.net.Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
      plain.setSoTimeout(
          1_500); // what the connection set: min(idle timeout, time left before the deadline)
      try (java.net.Socket layered =
          factory.createSocket(plain, "localhost", listener.getLocalPort(), true)) {
        assertThat(layered.getSoTimeout()).isEqualTo(1_500);
      }
    }
    try (java.net.ServerSocket listener =
            new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        java.net.Socket plain =
            new java.net.Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
      plain.setSoTimeout(60_000);
      try (java.net.Socket layered =
          factory.createSocket(plain, "localhost", listener.getLocalPort(), true)) {
        assertThat(layered.getSoTimeout())
            .as("the connect timeout, when shorter")
            .isEqualTo(10_000);
      }
    }
  }
}
