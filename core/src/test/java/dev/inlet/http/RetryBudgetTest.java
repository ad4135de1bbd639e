package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.RetryPolicy;
import dev.inlet.Schema;
import dev.inlet.SourceUnavailableException;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries do not stack. The worst case of a failing download through the pipeline used to be HTTP attempts x body
 * resumes (each resume with its own HTTP attempts) x pipeline attempts: 3 x 3 x 4 here, and more. Now the
 * downloader's attempts are one budget per file that retries, resumes and the pipeline's attempts all draw on: a
 * failing download makes at most that many requests, whatever the pipeline's attempts.
 */
@Timeout(30)
class RetryBudgetTest {
  private static final byte[] CSV = csv(2_000);
  private static final int ATTEMPTS = 3;
  private static final int PIPELINE_ATTEMPTS = 4;

  @TempDir
  Path lake;

  private final TestHttpServer server = TestHttpServer.start();
  private HttpDownloader downloader = HttpDownloader.builder()
      .maxAttempts(ATTEMPTS)
      .backoff(Duration.ZERO, Duration.ZERO)
      .build();

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * Connection failures are I/O errors, which the pipeline retries: they used to cost 3 x 4 requests (x 2, below).
   * The JDK's HttpURLConnection sends a GET once more by itself when the server closes the connection without
   * answering, so the server sees each of the downloader's requests twice.
   */
  @Test
  void aServerThatNeverAnswers_getsTheDownloadersAttemptsInAll_notTimesThePipelines() {
    try (RawHttpServer raw = new RawHttpServer((headers, out) -> {})) {
      java.util.concurrent.atomic.AtomicInteger sent =
          new java.util.concurrent.atomic.AtomicInteger();
      HttpTransport base = UrlConnectionTransport.create();
      downloader = downloader.toBuilder()
          .transport(request -> {
            sent.incrementAndGet();
            return base.send(request);
          })
          .build();

      PipelineResult result = run(raw.uri("/f.csv"));

      assertThat(result.succeeded()).isFalse();
      assertThat(sent).as("not %d x %d", ATTEMPTS, PIPELINE_ATTEMPTS).hasValue(ATTEMPTS);
      assertThat(raw.requests()).as("the JDK's own second try of each").hasSize(2 * ATTEMPTS);
      assertThat(result.failures().get(0).error())
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("already made the 3 attempt(s) it may make in all")
          .hasMessageContaining("after 3 attempts");
    }
  }

  @Test
  void aServerThatAlwaysAnswers503_getsTheDownloadersAttempts() {
    server.script("/f.csv", TestHttpServer.status(503));

    PipelineResult result = run();

    assertThat(result.succeeded()).isFalse();
    assertThat(server.requests("/f.csv")).hasSize(ATTEMPTS);
    assertThat(result.failures().get(0).error())
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("HTTP 503 after 3 attempts");
  }

  @Test
  void aBodyCutEveryTime_isResumedWithinTheSameAttempts_andThePipelineDoesNotStartAgain() {
    server.script(
        "/f.csv",
        TestHttpServer.versionedCut(CSV, "\"v1\"", 100),
        TestHttpServer.status(503),
        TestHttpServer.versionedCut(CSV, "\"v1\"", 200));

    PipelineResult result = run();

    assertThat(result.succeeded()).isFalse();
    assertThat(server.requests("/f.csv"))
        .as("1 download + its resumes, %d requests in all", ATTEMPTS)
        .hasSize(ATTEMPTS);
    assertThat(result.failures().get(0).error())
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("already made the 3 attempt(s) it may make in all")
        .hasMessageContaining("gave up after resuming 1 time(s)");
  }

  /** What the old stacking was good for still works: breaks within the budget end in the whole file. */
  @Test
  void breaksWithinTheBudget_stillEndInTheWholeFile() {
    server.script(
        "/f.csv",
        TestHttpServer.versionedCut(CSV, "\"v1\"", 100),
        TestHttpServer.status(503),
        TestHttpServer.versioned(CSV, "\"v1\""));

    PipelineResult result = run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.files().get(0).rowsOut()).isEqualTo(2_000);
    assertThat(server.requests("/f.csv")).hasSize(3);
    assertThat(server.requests("/f.csv").get(2).header("Range")).isEqualTo("bytes=100-");
  }

  /** Outside a pipeline, each stream of an opener has its own budget: a second download starts afresh. */
  @Test
  void eachStreamOfAPlainOpener_hasItsOwnBudget() throws IOException {
    server.script(
        "/f.csv",
        TestHttpServer.status(503),
        TestHttpServer.status(503),
        TestHttpServer.status(503),
        TestHttpServer.ok(CSV));
    var opener = downloader.opener(server.uri("/f.csv"));
    try {
      opener.open(0).close();
    } catch (SourceUnavailableException expected) {
      // three 503s: this download's attempts are used
    }
    try (InputStream in = opener.open(0)) {
      assertThat(in.readAllBytes()).isEqualTo(CSV);
    }
    assertThat(server.requests("/f.csv")).hasSize(4);
  }

  private PipelineResult run() {
    return run(server.uri("/f.csv"));
  }

  private PipelineResult run(java.net.URI uri) {
    TableId table = TableId.of("rel", "budget");
    return Pipeline.builder()
        .source(HttpSource.builder()
            .downloader(downloader)
            .file(uri, "f", Map.of("year", "2015"))
            .build())
        .converter(CsvToParquet.builder()
            .schema(Schema.of(
                List.of(Column.of("id", ColumnType.BIGINT), Column.of("value", ColumnType.STRING))))
            .build())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(table)
        .retryPolicy(RetryPolicy.immediate(PIPELINE_ATTEMPTS))
        .build()
        .run();
  }

  private static byte[] csv(int rows) {
    StringBuilder sb = new StringBuilder("id,value\n");
    for (int i = 0; i < rows; i++) {
      sb.append(i).append(",value-").append(i).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
