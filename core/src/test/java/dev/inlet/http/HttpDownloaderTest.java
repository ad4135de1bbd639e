package dev.inlet.http;

import static dev.inlet.testing.TestHttpServer.ok;
import static dev.inlet.testing.TestHttpServer.okIgnoringRange;
import static dev.inlet.testing.TestHttpServer.redirect;
import static dev.inlet.testing.TestHttpServer.stalling;
import static dev.inlet.testing.TestHttpServer.status;
import static dev.inlet.testing.TestHttpServer.truncated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceUnavailableException;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpDownloaderTest {
  private static final byte[] BODY = randomBytes(100_000);

  private final TestHttpServer server = TestHttpServer.start();
  private final List<Duration> delays = new CopyOnWriteArrayList<>();
  private final HttpDownloader downloader = HttpDownloader.builder()
      .backoff(Duration.ofMillis(100), Duration.ofSeconds(30))
      .sleeper(delays::add)
      .build();

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * Found by the hostile re-test: {@code ingest --download-deadline 999999999999d} crashed every download with an
   * ArithmeticException (long overflow) from the deadline's message. Timeouts of any length work; beyond 100 years
   * they count as 100 years.
   */
  @Test
  void timeoutsOfAnyLength_download_andAreNamedInMessages() throws Exception {
    server.script("/f.csv", ok(BODY));
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    HttpDownloader patient = downloader.toBuilder()
        .downloadTimeout(huge)
        .connectTimeout(huge)
        .requestTimeout(huge)
        .idleTimeout(huge)
        .build();

    assertThat(readAll(patient, server.uri("/f.csv"), 0)).isEqualTo(BODY);
    assertThat(patient.getString(server.uri("/f.csv")).length()).isPositive();
    assertThat(patient.deadlineMessage(server.uri("/f.csv")))
        .contains("download deadline of 52560000 min");
  }

  @Test
  void open_when503ThenOk_retriesAndReturnsBody() throws IOException {
    server.script("/f.csv", status(503), status(502), ok(BODY));

    assertThat(readAll(downloader, server.uri("/f.csv"), 0)).isEqualTo(BODY);
    assertThat(server.requests("/f.csv")).hasSize(3);
    assertThat(delays)
        .hasSize(2)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(200)));
  }

  @Test
  void open_when429WithRetryAfterSeconds_waitsThatLong() throws IOException {
    server.script("/f.csv", status(429, "Retry-After", "1"), ok(BODY));

    assertThat(readAll(downloader, server.uri("/f.csv"), 0)).isEqualTo(BODY);
    assertThat(delays).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void open_when429WithRetryAfterDate_waitsUntilThen() throws IOException {
    String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    server.script("/f.csv", status(429, "Retry-After", inTenSeconds), ok(BODY));

    assertThat(readAll(downloader, server.uri("/f.csv"), 0)).isEqualTo(BODY);
    assertThat(delays)
        .singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10)));
  }

  @Test
  void open_when429WithRetryAfterAboveMaxBackoff_waitsOnlyMaxBackoff() throws IOException {
    HttpDownloader fast = HttpDownloader.builder()
        .backoff(Duration.ofMillis(1), Duration.ofMillis(50))
        .build();
    server.script("/f.csv", status(429, "Retry-After", "1"), ok(BODY));

    long start = System.nanoTime();
    assertThat(readAll(fast, server.uri("/f.csv"), 0)).isEqualTo(BODY);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
    assertThat(server.requests("/f.csv")).hasSize(2);
  }

  @Test
  void open_whenAlways503_failsAfterMaxAttemptsNamingThem() {
    HttpDownloader three = downloader.toBuilder().maxAttempts(3).build();
    server.script("/f.csv", status(503));

    assertThatThrownBy(() -> three.open(server.uri("/f.csv?X-Amz-Signature=secret"), 0))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining(
            "Cannot download " + server.uri("/f.csv") + ": HTTP 503 after 3 attempts")
        .hasMessageNotContaining("secret");
    assertThat(server.requests("/f.csv")).hasSize(3);
  }

  @Test
  void open_when404_failsAtOnceWithClearMessage() {
    server.script("/missing.csv", status(404));

    assertThatThrownBy(() -> downloader.open(server.uri("/missing.csv?X-Amz-Signature=secret"), 0))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageStartingWith("Cannot download " + server.uri("/missing.csv") + ": HTTP 404")
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining("X-Amz");
    assertThat(server.requests("/missing.csv")).hasSize(1);
    assertThat(delays).isEmpty();
  }

  @Test
  void open_whenBodyTruncated_failsNamingExpectedAndReceivedBytes() throws IOException {
    server.script("/f.csv", truncated(BODY, 40_000));

    try (InputStream in = downloader.open(server.uri("/f.csv?X-Amz-Signature=secret"), 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot download " + server.uri("/f.csv"))
          .hasMessageContaining("expected 100000 bytes, received 40000")
          .hasMessageNotContaining("secret");
    }
  }

  @Test
  void open_fromOffset_whenRangeBodyTruncated_failsNamingBytesOfTheRange() throws IOException {
    server.script("/f.csv", ex -> {
      ex.getResponseHeaders().set("Content-Range", "bytes 1000-99999/100000");
      ex.sendResponseHeaders(206, 99_000);
      java.io.OutputStream out = ex.getResponseBody();
      out.write(BODY, 1000, 5000);
      out.close(); // fewer bytes than announced: the server cuts the connection
    });

    try (InputStream in = downloader.open(server.uri("/f.csv"), 1000)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("resumed at byte 1000")
          .hasMessageContaining("expected 99000 bytes, received 5000");
    }
  }

  @Test
  void open_fromOffset_whenContentRangeStartsElsewhere_fails() {
    server.script("/f.csv", ex -> {
      ex.getResponseHeaders().set("Content-Range", "bytes 0-99999/100000");
      ex.sendResponseHeaders(206, -1);
    });

    assertThatThrownBy(() -> downloader.open(server.uri("/f.csv"), 1000))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("from byte 1000")
        .hasMessageContaining("bytes 0-99999/100000");
  }

  @Test
  void open_whenRedirected_followsWithGetKeepingRange() throws IOException {
    server.script(
        "/dataset/r/download/f.csv", redirect(302, "/files/f.csv?X-Amz-Signature=secret"));
    server.script("/files/f.csv", ok(BODY));

    assertThat(readAll(downloader, server.uri("/dataset/r/download/f.csv"), 10))
        .isEqualTo(Arrays.copyOfRange(BODY, 10, BODY.length));
    assertThat(server.requests()).extracting(TestHttpServer.Request::method).containsOnly("GET");
    TestHttpServer.Request hop = server.requests("/files/f.csv").get(0);
    assertThat(hop.query()).isEqualTo("X-Amz-Signature=secret");
    assertThat(hop.header("Range")).isEqualTo("bytes=10-");
    assertThat(hop.header("Host")).isEqualTo("127.0.0.1:" + server.uri("/").getPort());
    assertThat(hop.header("User-Agent")).isEqualTo("inlet/0.1");
  }

  @Test
  void open_whenRedirectTargetFails_messageNamesTargetWithoutQuery() {
    server.script("/d/f.csv", redirect(302, "/files/f.csv?X-Amz-Signature=secret"));
    server.script("/files/f.csv", status(403));

    assertThatThrownBy(() -> downloader.open(server.uri("/d/f.csv"), 0))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("redirected to " + server.uri("/files/f.csv"))
        .hasMessageContaining("HTTP 403")
        .hasMessageNotContaining("secret");
  }

  @Test
  void open_whenRedirectsLoop_failsAfterCap() {
    server.script("/loop", redirect(302, "/loop"));

    assertThatThrownBy(() -> downloader.open(server.uri("/loop"), 0))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("more than 10 redirects");
    assertThat(server.requests("/loop")).hasSize(11);
  }

  @Test
  void open_fromOffset_resumesWithRangeAndBytesMatch() throws IOException {
    server.script("/f.csv", truncated(BODY, 30_000), ok(BODY));

    byte[] first = new byte[BODY.length];
    int got = 0;
    try (InputStream in = downloader.open(server.uri("/f.csv"), 0)) {
      for (int n; (n = in.read(first, got, first.length - got)) > 0; ) {
        got += n;
      }
    } catch (IOException expected) {
      // the body was cut; resume from what we have
    }
    assertThat(got).isEqualTo(30_000);
    byte[] rest = readAll(downloader, server.uri("/f.csv"), got);

    byte[] whole = new byte[got + rest.length];
    System.arraycopy(first, 0, whole, 0, got);
    System.arraycopy(rest, 0, whole, got, rest.length);
    assertThat(whole).isEqualTo(BODY);
    assertThat(server.requests("/f.csv").get(1).header("Range")).isEqualTo("bytes=30000-");
  }

  @Test
  void open_fromOffset_whenServerIgnoresRange_skipsBytesItself() throws IOException {
    server.script("/f.csv", okIgnoringRange(BODY));

    assertThat(readAll(downloader, server.uri("/f.csv"), 12_345))
        .isEqualTo(Arrays.copyOfRange(BODY, 12_345, BODY.length));
  }

  @Test
  void open_whenConnectionRefused_retriesThenFailsWithIOException() {
    URI closed;
    try (TestHttpServer gone = TestHttpServer.start()) {
      closed = gone.uri("/f.csv?X-Amz-Signature=secret");
    }
    HttpDownloader two = downloader.toBuilder().maxAttempts(2).build();

    assertThatThrownBy(() -> two.open(closed, 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("after 2 attempts")
        .hasMessageNotContaining("secret");
    assertThat(delays).hasSize(1);
  }

  @Test
  void open_whenBodyStalls_failsAfterIdleTimeout() throws IOException {
    HttpDownloader impatient =
        downloader.toBuilder().idleTimeout(Duration.ofMillis(200)).build();
    server.script("/f.csv", stalling(BODY, 1_000, 5_000));

    long start = System.nanoTime();
    try (InputStream in = impatient.open(server.uri("/f.csv"), 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("idle timeout")
          .hasMessageContaining("received 1000");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void open_whenTheAnswerNeverComes_retriesAfterTheRequestTimeout() throws IOException {
    HttpDownloader quick =
        downloader.toBuilder().requestTimeout(Duration.ofMillis(300)).build();
    TestHttpServer.Handler silent = ex -> {
      try {
        Thread.sleep(5_000); // no status line, no headers
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    server.script("/f.csv", silent, ok(BODY));

    long start = System.nanoTime();
    try (InputStream in = quick.open(server.uri("/f.csv"), 0)) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(delays).hasSize(1); // one retry, after the first request timed out
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void open_whenTheAnswerComesAsTheRequestTimesOut_eitherReadsItAllOrFailsWithIOException() {
    HttpDownloader d = downloader.toBuilder()
        .requestTimeout(Duration.ofMillis(15))
        .maxAttempts(1)
        .build();
    server.script("/f.csv", slow(15, ok(BODY)));
    for (int i = 0; i < 60; i++) {
      try (InputStream in = d.open(server.uri("/f.csv"), 0)) {
        assertThat(in.readAllBytes()).isEqualTo(BODY); // never a body cut by a late timeout
      } catch (IOException e) {
        assertThat(e)
            .hasMessageContaining("Cannot download"); // a timeout, never a RuntimeException
      }
    }
  }

  private static TestHttpServer.Handler slow(long millis, TestHttpServer.Handler then) {
    return ex -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      then.handle(ex);
    };
  }

  @Test
  void getString_after503_returnsDecodedBody() throws IOException {
    server.script(
        "/a.json", status(503), ok("{\"name\":\"café\"}".getBytes(StandardCharsets.UTF_8)));

    assertThat(downloader.getString(server.uri("/a.json"))).isEqualTo("{\"name\":\"café\"}");
  }

  @Test
  void redact_removesQueryFragmentAndUserInfo() {
    URI uri = URI.create(
        "https://user:pw@bucket.s3.amazonaws.com:443/a/b.csv?X-Amz-Signature=secret#frag");

    assertThat(HttpDownloader.redact(uri))
        .hasToString("https://bucket.s3.amazonaws.com:443/a/b.csv");
    assertThat(HttpDownloader.redact(URI.create("http://h/x.csv"))).hasToString("http://h/x.csv");
  }

  @Test
  void builder_whenValuesInvalid_failsInSetter() {
    assertThatThrownBy(() -> HttpDownloader.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> HttpDownloader.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpDownloader.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> downloader.open(URI.create("ftp://h/x"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] readAll(HttpDownloader d, URI uri, long offset) throws IOException {
    try (InputStream in = d.open(uri, offset)) {
      return in.readAllBytes();
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(42).nextBytes(b);
    return b;
  }

  @Test
  void open_plainHttpToARemoteHost_isRefusedBeforeAnyConnection() {
    HttpDownloader d = HttpDownloader.create();
    assertThatThrownBy(() -> d.open(URI.create("http://data.example.org/f.csv?sig=secret"), 0))
        .isInstanceOf(HttpDownloader.InsecureHttpException.class)
        .hasMessageContaining(
            "Cannot download http://data.example.org/f.csv: plain HTTP to a remote host is refused")
        .hasMessageContaining("allowInsecureHttp()")
        .hasMessageNotContaining("secret");
    assertThat(HttpDownloader.isLoopbackHost("127.0.0.1")).isTrue();
    assertThat(HttpDownloader.isLoopbackHost("[::1]")).isTrue();
    assertThat(HttpDownloader.isLoopbackHost("localhost")).isTrue();
    assertThat(HttpDownloader.isLoopbackHost("127.0.0.1.evil.org")).isFalse();
    assertThat(HttpDownloader.isLoopbackHost("10.0.0.1")).isFalse();
  }

  @Test
  void open_redirectFromLoopbackToRemotePlainHttp_isRefused() {
    server.script(
        "/f.csv",
        TestHttpServer.redirect(302, "http://data.example.org/f.csv?X-Amz-Signature=secret"));
    assertThatThrownBy(() -> HttpDownloader.create().open(server.uri("/f.csv"), 0))
        .isInstanceOf(HttpDownloader.InsecureHttpException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void openIfChanged_sendsValidators_andReturnsNullOn304_orTheBodyWithItsVersion()
      throws IOException {
    server.script("/f.csv", TestHttpServer.versioned(BODY, "\"v1\""));
    HttpDownloader d = HttpDownloader.create();
    assertThat(d.openIfChanged(
            server.uri("/f.csv"), new dev.inlet.SourceVersion("\"v1\"", null, null, null)))
        .isNull();
    try (InputStream in = d.openIfChanged(
        server.uri("/f.csv"),
        new dev.inlet.SourceVersion(
            "\"v0\"", java.time.Instant.parse("2024-01-02T03:04:05Z"), null, null))) {
      assertThat(in.readAllBytes()).isEqualTo(BODY);
      assertThat(((dev.inlet.SourceFile.VersionedStream) in).version().etag()).isEqualTo("\"v1\"");
      assertThat(((dev.inlet.SourceFile.VersionedStream) in).version().size())
          .isEqualTo(BODY.length);
    }
    assertThat(server.requests("/f.csv").get(1).header("If-Modified-Since"))
        .isEqualTo("Tue, 2 Jan 2024 03:04:05 GMT");
  }

  @Test
  void resuming_whenCutRepeatedly_givesUpAfterMaxAttempts_namingBytes() throws IOException {
    server.script(
        "/f.csv",
        TestHttpServer.versionedCut(BODY, "\"v1\"", 1000),
        TestHttpServer.versionedCut(BODY, "\"v1\"", 2000),
        TestHttpServer.versionedCut(BODY, "\"v1\"", 3000));
    HttpDownloader d = HttpDownloader.builder()
        .maxAttempts(3)
        .backoff(Duration.ZERO, Duration.ZERO)
        .build();
    try (InputStream in = d.resuming(server.uri("/f.csv?sig=secret"), 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("gave up after resuming 2 time(s)")
          .hasMessageNotContaining("secret");
    }
  }
}
