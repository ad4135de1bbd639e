package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TestHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the HTTP layer delivers is the whole entity, decoded, or an exception: Content-Encoding, truncation without
 * a length, partial 206 answers, the listing's size, the overall deadline, a stalled TLS handshake, lingering
 * threads, and redaction of odd URLs.
 */
@Timeout(20)
class HttpIntegrityTest {
  /** The real 2015 sample: 6,221 rows. */
  private static final byte[] SAMPLE = sample();
  /** The sample cut at the line end nearest its middle: a CSV that parses, with about half the rows. */
  private static final byte[] HALF = Arrays.copyOf(SAMPLE, lineEndNear(SAMPLE, SAMPLE.length / 2));

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final TestHttpServer server = TestHttpServer.start();
  private final HttpDownloader downloader =
      HttpDownloader.builder().backoff(Duration.ZERO, Duration.ZERO).build();

  @AfterEach
  void stop() {
    server.close();
  }

  // ---- Content-Encoding

  @Test
  void open_whenBodyIsGzipEncoded_deliversTheDecodedCsv() throws IOException {
    server.script("/f.csv", encoded(gzip(SAMPLE), "gzip", null));

    assertThat(read(downloader.opener(server.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
  }

  @Test
  void open_whenBodyIsDeflateEncoded_zlibOrRaw_deliversTheDecodedCsv() throws IOException {
    server.script("/zlib.csv", encoded(deflate(SAMPLE, false), "deflate", null));
    server.script("/raw.csv", encoded(deflate(SAMPLE, true), "deflate", null));

    assertThat(read(downloader.opener(server.uri("/zlib.csv")).open(0))).isEqualTo(SAMPLE);
    assertThat(read(downloader.opener(server.uri("/raw.csv")).open(0))).isEqualTo(SAMPLE);
  }

  @Test
  void open_whenEncodingIsUnknown_failsNamingIt() {
    server.script("/f.csv", encoded(SAMPLE, "br", null));

    assertThatThrownBy(
            () -> read(downloader.opener(server.uri("/f.csv?sig=secret")).open(0)))
        .hasMessageContaining("Cannot download " + server.uri("/f.csv"))
        .hasMessageContaining("Content-Encoding 'br'")
        .hasMessageNotContaining("secret");
  }

  @Test
  void resuming_whenGzipBodyIsCut_restartsWithoutRangeAndDeliversTheDecodedCsv()
      throws IOException {
    byte[] gz = gzip(SAMPLE);
    server.script(
        "/f.csv",
        ex -> {
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          ex.getResponseHeaders().set("ETag", "\"gz1\"");
          ex.sendResponseHeaders(200, gz.length);
          OutputStream out = ex.getResponseBody();
          out.write(gz, 0, gz.length / 2);
          out.flush();
          out.close(); // fewer bytes than announced: the connection is cut
        },
        encoded(gz, "gzip", "\"gz1\""));

    assertThat(read(downloader.opener(server.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
    List<TestHttpServer.Request> requests = server.requests("/f.csv");
    assertThat(requests).hasSize(2);
    // ranges would count encoded bytes: the restart asks for the whole entity and skips what was
    // delivered
    assertThat(requests.get(1).header("Range")).isNull();
  }

  @Test
  void openIfChanged_onAGzipBody_recordsItsETag_andA304FollowsForIt() throws IOException {
    byte[] gz = gzip(SAMPLE);
    server.script("/f.csv", ex -> {
      if ("\"gz1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
        ex.sendResponseHeaders(304, -1);
        return;
      }
      encoded(gz, "gzip", "\"gz1\"").handle(ex);
    });
    SourceFile.Opener opener = downloader.opener(server.uri("/f.csv"));

    SourceVersion fetched;
    try (InputStream in = opener.openIfChanged(new SourceVersion("\"old\"", null, null, null))) {
      assertThat(in.readAllBytes()).isEqualTo(SAMPLE);
      fetched = ((SourceFile.VersionedStream) in).version();
    }
    assertThat(fetched.etag()).isEqualTo("\"gz1\"");
    assertThat(fetched.size()).as("the encoded length is not the file's size").isNull();
    assertThat(opener.openIfChanged(fetched)).isNull();
  }

  // ---- completeness

  @Test
  void open_whenBodyEndsByConnectionCloseWithoutLength_isCompletedByARangedRequest()
      throws IOException {
    try (RawHttpServer raw = new RawHttpServer(
        (h, out) ->
            RawHttpServer.write(out, "200 OK", SAMPLE, 0, HALF.length), // cut: no length to tell
        HttpIntegrityTest::rangeAnswer)) {
      byte[] got = read(downloader.opener(raw.uri("/f.csv")).open(0));

      assertThat(rows(HALF)).isLessThan(rows(SAMPLE) * 2 / 3);
      assertThat(rows(got)).isEqualTo(6_221);
      assertThat(got).isEqualTo(SAMPLE);
      // the verification asks for the last byte received and what follows; the rest is then resumed
      assertThat(raw.requests().get(1).get("range")).isEqualTo("bytes=" + (HALF.length - 1) + "-");
      assertThat(raw.requests().get(2).get("range")).isEqualTo("bytes=" + HALF.length + "-");
    }
  }

  @Test
  void open_whenBodyEndsByConnectionCloseAndTheServerSendsItsLastByteAgain_isAccepted()
      throws IOException {
    try (RawHttpServer raw = new RawHttpServer(
        (h, out) -> RawHttpServer.write(out, "200 OK", SAMPLE, 0, SAMPLE.length),
        HttpIntegrityTest::rangeAnswer)) {
      assertThat(read(downloader.opener(raw.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
      assertThat(raw.requests()).hasSize(2);
      assertThat(raw.requests().get(1).get("range"))
          .isEqualTo("bytes=" + (SAMPLE.length - 1) + "-");
    }
  }

  /**
   * F6: a server that cuts the body (51 % of the real 2015 file) and then answers the verification with {@code 416}
   * {@code bytes *}{@code /<cut>}, as if the cut were the end. A 416 used to count as proof; now the verification
   * asks for the last byte received, which a server that sent it must have: a 416 to that is a contradiction.
   */
  @Test
  void open_whenServerCutsTheBodyAndThenClaimsTheCutIsTheEndWith416_fails() throws IOException {
    byte[] cut = Arrays.copyOf(SAMPLE, lineEndNear(SAMPLE, SAMPLE.length * 51 / 100));
    try (RawHttpServer raw = new RawHttpServer(
        (h, out) -> RawHttpServer.write(out, "200 OK", cut, 0, cut.length),
        (h, out) -> RawHttpServer.write(
            out,
            "416 Range Not Satisfiable",
            new byte[0],
            0,
            0,
            "Content-Range",
            "bytes */" + cut.length,
            "Content-Length",
            "0"))) {
      assertThatThrownBy(() -> read(downloader.opener(raw.uri("/f.csv")).open(0)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("the body ended by connection close after " + cut.length
              + " bytes without" + " Content-Length")
          .hasMessageContaining("HTTP 416 Content-Range 'bytes */" + cut.length + "'")
          .hasMessageContaining("cannot confirm the body is complete");
      assertThat(raw.requests().get(1).get("range")).isEqualTo("bytes=" + (cut.length - 1) + "-");
    }
  }

  @Test
  void open_whenTheVerifyingByteDiffersFromTheLastByteReceived_fails() throws IOException {
    try (RawHttpServer raw = new RawHttpServer(
        (h, out) -> RawHttpServer.write(out, "200 OK", HALF, 0, HALF.length),
        (h, out) -> RawHttpServer.write(
            out,
            "206 Partial Content",
            new byte[] {'#'},
            0,
            1,
            "Content-Range",
            "bytes " + (HALF.length - 1) + "-" + (HALF.length - 1) + "/" + HALF.length,
            "Content-Length",
            "1"))) {
      assertThatThrownBy(() -> read(downloader.opener(raw.uri("/f.csv")).open(0)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is not the one it sent");
    }
  }

  @Test
  void open_whenBodyEndsByConnectionCloseAndNothingCanConfirmIt_fails() throws IOException {
    // an HTTP/1.0-style server: no length, no ranges, and it only has the first half
    try (RawHttpServer raw =
        new RawHttpServer((h, out) -> RawHttpServer.write(out, "200 OK", HALF, 0, HALF.length))) {
      assertThatThrownBy(
              () -> read(downloader.opener(raw.uri("/f.csv?sig=secret")).open(0)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot download " + raw.uri("/f.csv"))
          .hasMessageContaining("without Content-Length")
          .hasMessageContaining(HALF.length + " bytes")
          .hasMessageNotContaining("secret");
    }
  }

  @Test
  void open_whenChunked_needsNoSecondRequest() throws IOException {
    server.script("/f.csv", ex -> {
      ex.sendResponseHeaders(200, 0); // chunked: the last chunk marks the end
      try (OutputStream out = ex.getResponseBody()) {
        out.write(SAMPLE);
      }
    });

    assertThat(read(downloader.opener(server.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
    assertThat(server.requests("/f.csv")).hasSize(1);
  }

  @Test
  void open_when206AnswersAPlainGetWithAPartialRange_completesTheRest() throws IOException {
    server.script(
        "/f.csv",
        ex -> {
          ex.getResponseHeaders()
              .set("Content-Range", "bytes 0-" + (HALF.length - 1) + "/" + SAMPLE.length);
          ex.sendResponseHeaders(206, HALF.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(HALF);
          }
        },
        TestHttpServer.ok(SAMPLE));

    byte[] got = read(downloader.opener(server.uri("/f.csv")).open(0));

    assertThat(rows(got)).isEqualTo(6_221);
    assertThat(server.requests("/f.csv").get(0).header("Range")).isNull();
    assertThat(server.requests("/f.csv").get(1).header("Range"))
        .isEqualTo("bytes=" + HALF.length + "-");
  }

  @Test
  void open_when206AnswersEveryRequestWithTheSamePartialRange_fails() {
    server.script("/f.csv", ex -> {
      ex.getResponseHeaders()
          .set("Content-Range", "bytes 0-" + (HALF.length - 1) + "/" + SAMPLE.length);
      ex.sendResponseHeaders(206, HALF.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(HALF);
      }
    });

    assertThatThrownBy(() -> read(downloader.opener(server.uri("/f.csv")).open(0)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot download " + server.uri("/f.csv"));
  }

  @Test
  void open_whenPlainDownloadOf206IsPartial_failsInsteadOfEndingEarly() throws IOException {
    server.script("/f.csv", ex -> {
      ex.getResponseHeaders()
          .set("Content-Range", "bytes 0-" + (HALF.length - 1) + "/" + SAMPLE.length);
      ex.sendResponseHeaders(206, HALF.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(HALF);
      }
    });

    try (InputStream in = downloader.open(server.uri("/f.csv"), 0)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("of " + SAMPLE.length);
    }
  }

  @Test
  void open_when206AnswersAPlainGetWithTheWholeFile_acceptsItWithoutASecondRequest()
      throws IOException {
    server.script("/f.csv", ex -> {
      ex.getResponseHeaders()
          .set("Content-Range", "bytes 0-" + (SAMPLE.length - 1) + "/" + SAMPLE.length);
      ex.sendResponseHeaders(206, SAMPLE.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(SAMPLE);
      }
    });

    assertThat(read(downloader.opener(server.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
    assertThat(server.requests("/f.csv")).hasSize(1);
  }

  @Test
  void open_when206HasAnUnknownTotal_isVerifiedAndCompleted() throws IOException {
    server.script(
        "/f.csv",
        ex -> {
          ex.getResponseHeaders().set("Content-Range", "bytes 0-" + (HALF.length - 1) + "/*");
          ex.sendResponseHeaders(206, HALF.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(HALF);
          }
        },
        TestHttpServer.ok(SAMPLE));

    assertThat(read(downloader.opener(server.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
    // verified from the last byte received
    assertThat(server.requests("/f.csv").get(1).header("Range"))
        .isEqualTo("bytes=" + (HALF.length - 1) + "-");
  }

  // ---- listed size

  @Test
  void opener_whenBodyIsShorterThanTheListedSize_failsEvenIfItsContentLengthMatches() {
    server.script("/f.csv", TestHttpServer.ok(HALF));

    assertThatThrownBy(() -> read(downloader
            .opener(server.uri("/f.csv?sig=secret"), (long) SAMPLE.length)
            .open(0)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot download " + server.uri("/f.csv"))
        .hasMessageContaining("received " + HALF.length + " bytes")
        .hasMessageContaining("size as " + SAMPLE.length + " bytes")
        .hasMessageNotContaining("secret");
    assertThat(server.requests("/f.csv"))
        .as("not resumed: the server's lengths agree")
        .hasSize(1);
  }

  @Test
  void opener_whenBodyIsLongerThanTheListedSize_acceptsIt() throws IOException {
    server.script("/f.csv", TestHttpServer.ok(SAMPLE));

    assertThat(read(downloader.opener(server.uri("/f.csv"), (long) HALF.length).open(0)))
        .isEqualTo(SAMPLE);
  }

  @Test
  void opener_whenGzipBodyDecodesToTheListedSize_acceptsIt() throws IOException {
    server.script("/f.csv", encoded(gzip(SAMPLE), "gzip", null));

    assertThat(
            read(downloader.opener(server.uri("/f.csv"), (long) SAMPLE.length).open(0)))
        .isEqualTo(SAMPLE);
  }

  @Test
  void opener_withIgnoreListedSize_acceptsAShorterBody() throws IOException {
    server.script("/f.csv", TestHttpServer.ok(HALF));
    HttpDownloader trusting = downloader.toBuilder().ignoreListedSize().build();

    assertThat(read(trusting.opener(server.uri("/f.csv"), (long) SAMPLE.length).open(0)))
        .isEqualTo(HALF);
  }

  @Test
  void getString_whenAnswerEndsByConnectionClose_isNotVerifiedByASecondRequest()
      throws IOException {
    byte[] json = "{\"success\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (RawHttpServer raw =
        new RawHttpServer((h, out) -> RawHttpServer.write(out, "200 OK", json, 0, json.length))) {
      assertThat(downloader.getString(raw.uri("/api"))).isEqualTo("{\"success\": true}");
      assertThat(raw.requests()).hasSize(1);
    }
  }

  // ---- deadline

  @Test
  void open_whenTheServerTricklesAByteAtATime_failsAtTheDownloadDeadline_namingUrlAndDeadline() {
    HttpDownloader d =
        downloader.toBuilder().downloadTimeout(Duration.ofMillis(800)).build();
    server.script("/f.csv", trickle(SAMPLE, 150));

    long start = System.nanoTime();
    assertThatThrownBy(() -> read(d.opener(server.uri("/f.csv?sig=secret")).open(0)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot download " + server.uri("/f.csv"))
        .hasMessageContaining("download deadline of 800 ms")
        .hasMessageNotContaining("secret");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(server.requests("/f.csv")).as("the deadline is not resumed").hasSize(1);
  }

  @Test
  void open_whenTheBodyStallsLongerThanTheDeadline_failsAtTheDeadlineNotTheIdleTimeout() {
    HttpDownloader d = downloader.toBuilder()
        .downloadTimeout(Duration.ofMillis(600))
        .idleTimeout(Duration.ofSeconds(60))
        .build();
    server.script("/f.csv", TestHttpServer.stalling(SAMPLE, 1_000, 10_000));

    long start = System.nanoTime();
    assertThatThrownBy(() -> read(d.opener(server.uri("/f.csv")).open(0)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("download deadline of 600 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void open_whenRetriesOutlastTheDeadline_stopsAtIt() {
    HttpDownloader d = HttpDownloader.builder()
        .downloadTimeout(Duration.ofMillis(700))
        .maxAttempts(1000)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(100))
        .build();
    server.script("/f.csv", TestHttpServer.status(503));

    long start = System.nanoTime();
    assertThatThrownBy(() -> d.open(server.uri("/f.csv"), 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("download deadline of 700 ms")
        .hasMessageContaining("HTTP 503");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void builder_downloadTimeout_mustBePositive() {
    assertThatThrownBy(() -> HttpDownloader.builder().downloadTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpDownloader.builder().downloadTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Announces the whole length, then sends one byte every {@code everyMillis} until the client goes away. */
  static TestHttpServer.Handler trickle(byte[] body, long everyMillis) {
    return ex -> {
      ex.sendResponseHeaders(200, body.length);
      OutputStream out = ex.getResponseBody();
      try {
        for (int i = 0; i < body.length; i++) {
          out.write(body[i]);
          out.flush();
          Thread.sleep(everyMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        out.close();
      }
    };
  }

  // ---- threads

  @Test
  void afterDownloads_noInletThreadLingers() throws Exception {
    server.script("/f.csv", TestHttpServer.ok(SAMPLE));
    assertThat(read(downloader.opener(server.uri("/f.csv")).open(0))).isEqualTo(SAMPLE);
    assertThat(downloader
            .getString(server.uri("/f.csv"))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(SAMPLE);

    long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
    List<String> alive = inletThreads();
    while (!alive.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(20);
      alive = inletThreads();
    }
    assertThat(alive).as("HTTP threads alive 1.5 s after the downloads ended").isEmpty();
  }

  private static List<String> inletThreads() {
    List<String> names = new ArrayList<>();
    Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("inlet-http"))
        .forEach(names::add);
    return names;
  }

  // ---- TLS handshake

  @Test
  void open_whenTheTlsHandshakeStalls_failsWithinTheConnectTimeout() throws IOException {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accept, read nothing, answer nothing
          }
        } catch (IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      HttpDownloader quick = HttpDownloader.builder()
          .connectTimeout(Duration.ofMillis(300))
          .maxAttempts(2)
          .backoff(Duration.ZERO, Duration.ZERO)
          .build();
      URI uri = URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/f.csv");

      long start = System.nanoTime();
      assertThatThrownBy(() -> quick.open(uri, 0))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("after 2 attempts");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  // ---- redact

  @Test
  void redact_isTotal_andDropsSecretsFromOddUrls() {
    String[] uris = {
      "jar:file:/tmp/a.jar!/b.csv",
      "jar:https://user:pw@h.example/x.jar?sig=secret!/b.csv",
      "file:///tmp/a.csv?token=secret#secret",
      "file:/tmp/a.csv",
      "mailto:secret@example.org",
      "urn:isbn:096139210x",
      "x.csv?token=secret",
      "//h.example/x.csv?token=secret",
      "http://secret@exa_mple.com/x.csv?token=secret",
      "https://user:secret@h.example:8443/a/b.csv?X-Amz-Signature=secret#secret",
      "https://[::1]:8080/a%20b.csv?secret",
      "s3://bucket/key.csv?versionId=secret",
    };
    for (String s : uris) {
      URI redacted = HttpDownloader.redact(URI.create(s));
      assertThat(redacted).as(s).isNotNull();
      assertThat(redacted.toString()).as(s).doesNotContain("secret").doesNotContain("pw");
    }
    assertThat(HttpDownloader.redact(URI.create("jar:file:/tmp/a.jar!/b.csv")))
        .hasToString("jar:file:/tmp/a.jar!/b.csv");
    assertThat(HttpDownloader.redact(
            URI.create("jar:https://user:pw@h.example/x.jar?sig=secret!/b.csv")))
        .hasToString("jar:https://h.example/x.jar");
    assertThat(HttpDownloader.redact(URI.create("http://secret@exa_mple.com/x.csv?token=secret")))
        .hasToString("http://exa_mple.com/x.csv");
    assertThat(HttpDownloader.redact(URI.create("https://[::1]:8080/a%20b.csv?secret")))
        .hasToString("https://[::1]:8080/a%20b.csv");
    assertThat(HttpDownloader.redact(URI.create("file:/tmp/a.csv"))).hasToString("file:/tmp/a.csv");
    assertThat(HttpDownloader.redact(null)).isNull();
  }

  // ---- helpers

  /** Honours {@code Range: bytes=N-} with 206 and Content-Range, or 416 with {@code bytes *}{@code /total}. */
  static void rangeAnswer(java.util.Map<String, String> headers, OutputStream out)
      throws IOException {
    Matcher m = RANGE.matcher(headers.getOrDefault("range", ""));
    if (!m.matches()) {
      RawHttpServer.write(
          out, "200 OK", SAMPLE, 0, SAMPLE.length, "Content-Length", "" + SAMPLE.length);
      return;
    }
    int from = Integer.parseInt(m.group(1));
    if (from >= SAMPLE.length) {
      RawHttpServer.write(
          out,
          "416 Range Not Satisfiable",
          new byte[0],
          0,
          0,
          "Content-Range",
          "bytes */" + SAMPLE.length,
          "Content-Length",
          "0");
      return;
    }
    RawHttpServer.write(
        out,
        "206 Partial Content",
        SAMPLE,
        from,
        SAMPLE.length,
        "Content-Range",
        "bytes " + from + "-" + (SAMPLE.length - 1) + "/" + SAMPLE.length,
        "Content-Length",
        "" + (SAMPLE.length - from));
  }

  static TestHttpServer.Handler encoded(byte[] body, String encoding, String etag) {
    return ex -> {
      ex.getResponseHeaders().set("Content-Encoding", encoding);
      if (etag != null) {
        ex.getResponseHeaders().set("ETag", etag);
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    };
  }

  static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(b);
    }
    return bytes.toByteArray();
  }

  static byte[] deflate(byte[] b, boolean raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater)) {
      out.write(b);
    } finally {
      deflater.end();
    }
    return bytes.toByteArray();
  }

  /** Data rows: lines after the header (the sample has no quoted line breaks). */
  static int rows(byte[] csv) {
    int lines = 0;
    for (byte b : csv) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines - 1;
  }

  private static int lineEndNear(byte[] b, int at) {
    int i = at;
    while (b[i - 1] != '\n') {
      i++;
    }
    return i;
  }

  private static byte[] sample() {
    try {
      return Files.readAllBytes(Samples.dir().resolve(Samples.LEGACY_2015_6221));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
