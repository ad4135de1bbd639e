package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.boston311.Boston311;
import dev.inlet.ckan.CkanResource;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Lake;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, observation 4, end to end: the real 2015 sample (6,221 rows) is ingested, then the portal serves the
 * first half of it (about 3,200 rows, cut at a line end so that it parses) in the ways that used to be taken for
 * the whole file. Each second run must fail, and the table must still hold the 6,221 rows.
 */
@Timeout(60)
class TruncatedDownloadPipelineTest {
  private static final byte[] SAMPLE = sample();
  private static final byte[] HALF = Arrays.copyOf(SAMPLE, lineEndNear(SAMPLE, SAMPLE.length / 2));

  @TempDir
  Path lake;

  private final TestHttpServer server = TestHttpServer.start();
  private final HttpDownloader downloader = HttpDownloader.builder()
      .backoff(Duration.ZERO, Duration.ofMillis(10))
      .maxAttempts(3)
      .build();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bodyEndedByConnectionCloseWithoutLength_neverReplacesTheWholeYear() throws Exception {
    // request 1: the whole file with its length; then an HTTP/1.0-style server that has only half
    // and no ranges
    try (RawHttpServer raw = new RawHttpServer(
        (h, out) -> RawHttpServer.write(
            out, "200 OK", SAMPLE, 0, SAMPLE.length, "Content-Length", "" + SAMPLE.length),
        (h, out) -> RawHttpServer.write(out, "200 OK", HALF, 0, HALF.length))) {
      Source source = HttpSource.builder()
          .downloader(downloader)
          .file(raw.uri("/tmphrybkxuh.csv"), "2015", Map.of("year", "2015"))
          .build();
      assertThat(run(source).succeeded()).isTrue();
      assertThat(rows()).isEqualTo(6_221);

      PipelineResult second = run(source);

      assertThat(second.succeeded()).isFalse();
      assertThat(second.failures().get(0).error()).hasMessageContaining("without Content-Length");
      assertThat(rows()).isEqualTo(6_221);
    }
  }

  /**
   * F6: the body is cut at 51 % (so the shrink guard, at half, would let it through) and the server then answers
   * the verification with {@code 416 bytes *}{@code /<cut>}, as if the cut were the end of the file.
   */
  @Test
  void bodyCutAt51PercentAndA416ClaimingTheCutIsTheEnd_neverReplacesTheWholeYear()
      throws Exception {
    byte[] cut = Arrays.copyOf(SAMPLE, lineEndNear(SAMPLE, SAMPLE.length * 51 / 100));
    try (RawHttpServer raw = new RawHttpServer(
        (h, out) -> RawHttpServer.write(
            out, "200 OK", SAMPLE, 0, SAMPLE.length, "Content-Length", "" + SAMPLE.length),
        (h, out) -> {
          if (h.containsKey("range")) {
            RawHttpServer.write(
                out,
                "416 Range Not Satisfiable",
                new byte[0],
                0,
                0,
                "Content-Range",
                "bytes */" + cut.length,
                "Content-Length",
                "0");
          } else {
            RawHttpServer.write(out, "200 OK", cut, 0, cut.length);
          }
        })) {
      Source source = HttpSource.builder()
          .downloader(downloader)
          .file(raw.uri("/tmphrybkxuh.csv"), "2015", Map.of("year", "2015"))
          .build();
      assertThat(run(source).succeeded()).isTrue();

      PipelineResult second = run(source);

      assertThat(second.succeeded()).isFalse();
      assertThat(second.failures().get(0).error())
          .hasMessageContaining("HTTP 416")
          .hasMessageContaining("cannot confirm the body is complete");
      assertThat(rows()).isEqualTo(6_221);
    }
  }

  /**
   * The download deadline is the file's, not each pipeline attempt's: a body stalling past it is not downloaded
   * again by the pipeline's retries (it used to be, with a fresh deadline each time: attempts x deadline).
   */
  @Test
  void bodyStallingPastTheDeadline_isNotRetriedByThePipeline() throws Exception {
    server.script("/y.csv", TestHttpServer.stalling(SAMPLE, 1_000, 3_000));
    HttpDownloader slow =
        downloader.toBuilder().downloadTimeout(Duration.ofMillis(500)).build();
    Source source = HttpSource.builder()
        .downloader(slow)
        .file(server.uri("/y.csv"), "2015", Map.of("year", "2015"))
        .build();

    PipelineResult result = pipeline(source).attempts(3).build().run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures().get(0).error())
        .hasMessageContaining("download deadline of 500 ms");
    assertThat(server.requests("/y.csv"))
        .as("one download, not one per attempt")
        .hasSize(1);
  }

  /**
   * The deadline holds across everything retried inside one file: HTTP attempts, body resumes and the pipeline's
   * attempts. The server stalls two minutes (on the downloader's injected clock) before cutting every body at the
   * same byte. Five pipeline attempts of three requests each used to cost fifteen requests and thirty minutes, each
   * attempt with a fresh deadline; now the file's one budget (ten attempts, ten minutes) ends at its deadline,
   * after five requests, whatever the pipeline's attempts. With fewer attempts than the deadline allows, the
   * attempts end it: see {@link RetryBudgetTest}.
   */
  @Test
  void stallsAcrossPipelineAttempts_shareOneDeadlinePerFile() throws Exception {
    AtomicLong clock = new AtomicLong();
    TestHttpServer.Handler cut = TestHttpServer.versionedCut(SAMPLE, "\"v1\"", HALF.length);
    server.script("/y.csv", ex -> {
      clock.addAndGet(
          Duration.ofMinutes(2).toNanos()); // the server stalls for two minutes, then cuts
      cut.handle(ex);
    });
    HttpDownloader stalled = HttpDownloader.builder()
        .backoff(Duration.ZERO, Duration.ZERO)
        .maxAttempts(10)
        .downloadTimeout(Duration.ofMinutes(10))
        .ticker(clock::get)
        .build();
    Source source = HttpSource.builder()
        .downloader(stalled)
        .file(server.uri("/y.csv"), "2015", Map.of("year", "2015"))
        .build();

    PipelineResult result = pipeline(source).attempts(5).build().run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures().get(0).error())
        .hasMessageContaining("download deadline of 10 min");
    assertThat(server.requests("/y.csv"))
        .as("requests until the file's deadline, not 5 attempts x 3")
        .hasSize(5);
    assertThat(Duration.ofNanos(clock.get())).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void partial206ToAPlainGet_neverReplacesTheWholeYear() throws Exception {
    server.script("/y.csv", TestHttpServer.ok(SAMPLE), ex -> {
      ex.getResponseHeaders()
          .set("Content-Range", "bytes 0-" + (HALF.length - 1) + "/" + SAMPLE.length);
      ex.sendResponseHeaders(206, HALF.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(HALF);
      }
    });
    Source source = HttpSource.builder()
        .downloader(downloader)
        .file(server.uri("/y.csv"), "2015", Map.of("year", "2015"))
        .build();
    assertThat(run(source).succeeded()).isTrue();

    PipelineResult second = run(source);

    assertThat(second.succeeded()).isFalse();
    assertThat(rows()).isEqualTo(6_221);
  }

  @Test
  void bodyShorterThanTheListedSize_neverReplacesTheWholeYear_evenWithAMatchingContentLength()
      throws Exception {
    server.script("/y.csv", TestHttpServer.ok(SAMPLE), TestHttpServer.ok(HALF));
    CkanResource resource = new CkanResource(
        "c9509ab4-6f6d-4b97-979a-0cf2a10c922b",
        "311 SERVICE REQUESTS - 2015",
        server.uri("/y.csv"),
        "CSV",
        (long) SAMPLE.length,
        Instant.parse("2024-01-01T00:00:00Z"),
        "pkg");
    Source source =
        () -> List.<SourceFile>of(resource.toSourceFile(downloader, Map.of("year", "2015")));
    assertThat(run(source).succeeded()).isTrue();

    PipelineResult second = run(source);

    assertThat(second.succeeded()).isFalse();
    assertThat(second.failures().get(0).error())
        .hasMessageContaining("received " + HALF.length + " bytes")
        .hasMessageContaining("size as " + SAMPLE.length + " bytes");
    assertThat(rows()).isEqualTo(6_221);
  }

  private PipelineResult run(Source source) {
    return pipeline(source).build().run();
  }

  private Pipeline.Builder pipeline(Source source) {
    return Pipeline.builder()
        .source(source)
        .converter(Boston311.legacyConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.LEGACY_TABLE);
  }

  private int rows() throws Exception {
    return Lake.throughCatalog(LocalCatalog.at(lake), Boston311.LEGACY_TABLE, "case_enquiry_id")
        .values()
        .stream()
        .mapToInt(List::size)
        .sum();
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
