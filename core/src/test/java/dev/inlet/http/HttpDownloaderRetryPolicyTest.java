package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.RetryPolicy;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The downloader's retry settings are one {@link RetryPolicy}; the older builder methods set parts of it. */
class HttpDownloaderRetryPolicyTest {
  private final TestHttpServer server = TestHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void defaults_areFiveAttempts_halfASecondToThirtySeconds_fullJitter_thirtyMinutes() {
    RetryPolicy p = HttpDownloader.create().retryPolicy();

    assertThat(p.attempts()).isEqualTo(5);
    assertThat(p.baseDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.jitter()).isEqualTo(RetryPolicy.Jitter.FULL);
    assertThat(p.deadline()).contains(Duration.ofMinutes(30));
  }

  @Test
  void shorthands_andThePolicy_setTheSameSettings() {
    HttpDownloader d = HttpDownloader.builder()
        .maxAttempts(7)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(9))
        .downloadTimeout(Duration.ofMinutes(2))
        .build();

    assertThat(d.retryPolicy())
        .isEqualTo(RetryPolicy.builder()
            .attempts(7)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(9))
            .deadline(Duration.ofMinutes(2))
            .build());
    HttpDownloader withoutDeadline =
        d.toBuilder().retryPolicy(RetryPolicy.immediate(2)).build();
    assertThat(withoutDeadline.retryPolicy().attempts()).isEqualTo(2);
    assertThat(withoutDeadline.retryPolicy().deadline())
        .as("a policy without deadline keeps the download's")
        .contains(Duration.ofMinutes(2));
    HttpDownloader withDeadline = d.toBuilder()
        .retryPolicy(
            RetryPolicy.immediate(2).toBuilder().deadline(Duration.ofSeconds(5)).build())
        .build();
    assertThat(withDeadline.retryPolicy().deadline()).contains(Duration.ofSeconds(5));
    assertThat(withDeadline.deadlineMessage(URI.create("https://h.example/f")))
        .contains("deadline of 5 s");
    assertThat(withDeadline.toString()).contains("maxAttempts=2").contains("downloadTimeout=PT5S");
  }

  @Test
  void thePolicysBackoff_isTheWaitBetweenRetries_andRetryAfterIsCappedByItsMax()
      throws IOException {
    server.script(
        "/f.csv",
        TestHttpServer.status(503),
        TestHttpServer.status(429, "Retry-After", "120"),
        TestHttpServer.ok(new byte[] {1, 2, 3}));
    List<Duration> delays = new CopyOnWriteArrayList<>();
    HttpDownloader d = HttpDownloader.builder()
        .sleeper(delays::add)
        .retryPolicy(RetryPolicy.builder()
            .attempts(3)
            .backoff(Duration.ofMillis(40), Duration.ofMillis(100))
            .jitter(RetryPolicy.Jitter.EQUAL)
            .build())
        .build();

    try (InputStream in = d.open(server.uri("/f.csv"), 0)) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
    assertThat(delays).hasSize(2);
    assertThat(delays.get(0)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
    assertThat(delays.get(1)).isEqualTo(Duration.ofMillis(100));
  }
}
