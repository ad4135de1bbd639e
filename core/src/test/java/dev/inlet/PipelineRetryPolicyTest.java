package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's attempts of a file follow its {@link RetryPolicy}: how many, and not past its deadline. */
class PipelineRetryPolicyTest {
  @TempDir
  Path lake;

  private final AtomicInteger opens = new AtomicInteger();

  @Test
  void aFileFailingWithIoErrors_isTriedThePolicysAttempts() {
    PipelineResult result =
        pipeline().retryPolicy(RetryPolicy.immediate(4)).build().run();

    assertThat(result.succeeded()).isFalse();
    assertThat(opens).hasValue(4);
    assertThat(result.failures().get(0).error()).hasMessageContaining("connection reset");
  }

  @Test
  void attempts_isAShorthand_thatKeepsThePolicysBackoff() {
    Pipeline p = pipeline().retryPolicy(RetryPolicy.immediate(4)).attempts(2).build();

    p.run();

    assertThat(opens).hasValue(2);
    assertThat(p.toBuilder().build().run().succeeded()).isFalse();
    assertThat(opens).as("toBuilder keeps the policy").hasValue(4);
  }

  /** Each pause is at least 15 ms (equal jitter of 30 ms), so a 60 ms deadline allows at most 5 of 50 attempts. */
  @Test
  void noAttemptStartsAfterThePolicysDeadline() {
    RetryPolicy policy = RetryPolicy.builder()
        .attempts(50)
        .backoff(Duration.ofMillis(30), Duration.ofMillis(30))
        .jitter(RetryPolicy.Jitter.EQUAL)
        .deadline(Duration.ofMillis(60))
        .build();

    PipelineResult result = pipeline().retryPolicy(policy).build().run();

    assertThat(result.succeeded()).isFalse();
    assertThat(opens.get()).isBetween(1, 5);
  }

  private Pipeline.Builder pipeline() {
    SourceFile file = SourceFile.builder()
        .id("mem:f")
        .name("f")
        .opener(offset -> {
          opens.incrementAndGet();
          throw new IOException("connection reset");
        })
        .build();
    Source source = () -> List.of(file);
    return Pipeline.builder()
        .source(source)
        .converter(dev.inlet.csv.CsvToParquet.builder().build())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(TableId.of("db", "t"));
  }
}
