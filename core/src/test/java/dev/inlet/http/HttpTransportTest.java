package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceUnavailableException;
import dev.inlet.testing.TestHttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transport is the one part that touches the network: wrapping it adds headers or a proxy; replacing it works. */
@Timeout(10)
class HttpTransportTest {
  private static final byte[] BODY = "id,value\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);

  private final TestHttpServer server = TestHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aWrappingTransport_addsAnAuthorizationHeader_thatTheServerSees() throws IOException {
    server.script("/f.csv", TestHttpServer.ok(BODY));
    HttpTransport base = UrlConnectionTransport.create();
    HttpTransport withToken =
        request -> base.send(request.withHeader("Authorization", "Bearer t0ken"));
    HttpDownloader downloader = HttpDownloader.builder().transport(withToken).build();

    try (InputStream in = downloader.opener(server.uri("/f.csv")).open(0)) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    assertThat(server.requests("/f.csv"))
        .singleElement()
        .satisfies(
            r -> assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer t0ken"));
    assertThat(downloader.toString()).contains("transport=").doesNotContain("t0ken");
  }

  @Test
  void theTransportSeesEveryRequest_retriesAndResumesIncluded_withTheDownloadersHeadersAndTimeouts()
      throws IOException {
    server.script(
        "/f.csv",
        TestHttpServer.status(503),
        TestHttpServer.versionedCut(BODY, "\"v1\"", 5),
        TestHttpServer.versioned(BODY, "\"v1\""));
    List<HttpTransport.Request> seen = new CopyOnWriteArrayList<>();
    HttpTransport base = UrlConnectionTransport.create();
    HttpDownloader downloader = HttpDownloader.builder()
        .backoff(Duration.ZERO, Duration.ZERO)
        .idleTimeout(Duration.ofSeconds(7))
        .transport(request -> {
          seen.add(request);
          return base.send(request);
        })
        .build();

    try (InputStream in = downloader.resuming(server.uri("/f.csv"), 0)) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0).header("accept-encoding")).contains("identity");
    assertThat(seen.get(0).header("Range")).isEmpty();
    assertThat(seen.get(2).header("Range")).contains("bytes=5-");
    assertThat(seen.get(2).header("If-Range")).contains("\"v1\"");
    assertThat(seen.get(0).readTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(seen.get(0).toString()).startsWith("GET " + server.uri("/f.csv"));
  }

  /** A replacement transport (here: in memory, no socket) gets the same checks: a short body is never accepted. */
  @Test
  void aCustomTransport_getsTheDownloadersCompletenessChecks() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpTransport inMemory = request -> {
      requests.incrementAndGet();
      return answer(200, Map.of("Content-Length", String.valueOf(BODY.length + 10)), BODY);
    };
    HttpDownloader downloader = HttpDownloader.builder()
        .transport(inMemory)
        .maxAttempts(2)
        .backoff(Duration.ZERO, Duration.ZERO)
        .build();

    try (InputStream in =
        downloader.resuming(URI.create("https://portal.example/f.csv?sig=secret"), 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(String.valueOf(BODY.length + 10))
          .hasMessageNotContaining("secret");
    }
    assertThat(requests).hasValue(2);
  }

  /** A validator is sent back as the server gave it: an ETag with a control character does not fail the resume. */
  @Test
  void aResume_sendsBackAnETagWithAControlCharacter() throws IOException {
    String etag = "\"a\u0001b\"";
    List<HttpTransport.Request> seen = new CopyOnWriteArrayList<>();
    HttpTransport twoParts = request -> {
      seen.add(request);
      if (seen.size() == 1) {
        return answer(
            200,
            Map.of("Content-Length", "10", "ETag", etag),
            "01234".getBytes(StandardCharsets.UTF_8));
      }
      return answer(
          206,
          Map.of("Content-Length", "5", "Content-Range", "bytes 5-9/10", "ETag", etag),
          "56789".getBytes(StandardCharsets.UTF_8));
    };
    HttpDownloader downloader = HttpDownloader.builder()
        .transport(twoParts)
        .backoff(Duration.ZERO, Duration.ZERO)
        .build();

    try (InputStream in = downloader.resuming(URI.create("https://portal.example/f.csv"), 0)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
    }
    assertThat(seen.get(1).header("If-Range")).contains(etag);
  }

  @Test
  void aCustomTransport_getsRetriesAndErrorMessages() {
    AtomicInteger requests = new AtomicInteger();
    HttpTransport failing = request -> {
      requests.incrementAndGet();
      return answer(503, Map.of(), new byte[0]);
    };
    HttpDownloader downloader = HttpDownloader.builder()
        .transport(failing)
        .maxAttempts(3)
        .backoff(Duration.ZERO, Duration.ZERO)
        .build();

    assertThatThrownBy(
            () -> downloader.getString(URI.create("https://portal.example/api?token=secret")))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessage(
            "Cannot download https://portal.example/api: HTTP 503 after 3 attempts; try again later");
    assertThat(requests).hasValue(3);
  }

  @Test
  void theDefaultTransport_sendsThroughTheProxyItsSelectorChooses() throws IOException {
    server.script("/f.csv", TestHttpServer.ok(BODY));
    InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", server.uri("/").getPort());
    HttpDownloader downloader = HttpDownloader.builder()
        .allowInsecureHttp()
        .transport(
            UrlConnectionTransport.builder().proxy(ProxySelector.of(proxy)).build())
        .build();

    try (InputStream in = downloader.open(URI.create("http://data.portal.invalid/f.csv"), 0)) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    assertThat(server.requests("/f.csv"))
        .singleElement()
        .satisfies(r -> assertThat(r.headers().getFirst("Host")).isEqualTo("data.portal.invalid"));
  }

  @Test
  void request_isImmutable_andChecksWhatItIsGiven() {
    HttpTransport.Request r = HttpTransport.Request.of(URI.create("https://h.example/f?sig=s"));
    HttpTransport.Request withHeader = r.withHeader("X-Token", "a").withHeader("x-token", "b");

    assertThat(r.headers()).isEmpty();
    assertThat(withHeader.headers()).containsExactly(Map.entry("x-token", "b"));
    assertThat(withHeader.withoutHeader("X-TOKEN").headers()).isEmpty();
    assertThat(withHeader.toString()).isEqualTo("GET https://h.example/f [x-token]");
    assertThatThrownBy(() -> r.withHeader("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withHeader("X", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> r.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpTransport.Request.of(URI.create("ftp://h.example/f")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withHeader.headers().put("A", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static HttpTransport.Response answer(
      int status, Map<String, String> headers, byte[] body) {
    return new HttpTransport.Response() {
      @Override
      public int status() {
        return status;
      }

      @Override
      public Optional<String> header(String name) {
        return headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase(name))
            .map(Map.Entry::getValue)
            .findFirst();
      }

      @Override
      public InputStream body() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public void close() {}
    };
  }
}
