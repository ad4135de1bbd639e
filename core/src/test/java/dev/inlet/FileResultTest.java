package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FileResult's builder and status: one of ingested, unchanged, failed. */
class FileResultTest {
  static final SourceFile FILE = SourceFile.builder()
      .id("a")
      .name("a.csv")
      .opener(offset -> new ByteArrayInputStream(new byte[0]))
      .build();

  @Test
  void statusFollowsErrorAndSkipReason_andCopiesAreImmutable() {
    FileResult ingested = FileResult.builder(FILE)
        .rows(3, 2)
        .rowsRejected(1)
        .bytesIn(10)
        .bytesOut(5)
        .partitions(List.of(Map.of("year", "2015")))
        .duration(Duration.ofMillis(7))
        .build();
    assertThat(ingested.status()).isEqualTo(FileResult.Status.INGESTED);
    assertThat(ingested.succeeded()).isTrue();
    assertThat(ingested.ingested()).isTrue();
    assertThat(ingested.rowsIn()).isEqualTo(3);
    assertThat(ingested.rowsRejected()).isEqualTo(1);
    assertThat(ingested.toString()).contains("a.csv").contains("INGESTED").contains("1 rejected");
    assertThatThrownBy(() -> ingested.partitions().add(Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);

    FileResult unchanged = FileResult.skipped(FILE, 0, Duration.ZERO, "unchanged since 2024-05-01");
    assertThat(unchanged.status()).isEqualTo(FileResult.Status.UNCHANGED);
    assertThat(unchanged.succeeded()).isTrue();
    assertThat(unchanged.ingested()).isFalse();

    FileResult failed =
        FileResult.failed(FILE, 4, Duration.ZERO, new IllegalStateException("boom"));
    assertThat(failed.status()).isEqualTo(FileResult.Status.FAILED);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.failure()).get().extracting(Throwable::getMessage).isEqualTo("boom");
  }

  @Test
  void builderFailsEarly() {
    assertThatThrownBy(() -> FileResult.builder(FILE).rows(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowsIn");
    assertThatThrownBy(() -> FileResult.builder(FILE)
            .error(new RuntimeException())
            .skipReason("x")
            .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set one of error and skipReason");
    assertThatThrownBy(() -> FileResult.builder(null)).isInstanceOf(NullPointerException.class);
  }
}
