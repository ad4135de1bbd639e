package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Partition;
import dev.inlet.PipelineResult;
import dev.inlet.TableId;
import dev.inlet.local.LocalCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerAppTest {
  @TempDir
  Path lake;

  private static final Map<String, String> CSV = Map.of(
      "2023", "id,amount,paid_at\n1,2.50,2023-01-05T10:00:00\n2,3.75,2023-02-01T11:30:00\n",
      "2024", "id,amount,paid_at\n3,10.00,2024-03-09T08:15:00\n");

  @Test
  void customSourceAndSinkRunThroughAPipelineIntoTheCatalog() {
    CountingSink sink = ConsumerApp.sinkAt(lake);

    PipelineResult result = ConsumerApp.run(CSV, lake, sink).throwIfFailed();

    assertThat(result.rowsOut()).isEqualTo(3);
    assertThat(result.ingested()).hasSize(2);
    assertThat(sink.committedFiles()).isEqualTo(2);
    assertThat(sink.committedBytes()).isPositive();
    TableId table = TableId.of("consumer", "payments");
    assertThat(LocalCatalog.at(lake).partitions(table))
        .extracting(Partition::values)
        .containsExactlyInAnyOrder(java.util.List.of("2023"), java.util.List.of("2024"));
  }

  @Test
  void aRerunOfUnchangedFilesCommitsNothingNew() {
    CountingSink sink = ConsumerApp.sinkAt(lake);
    ConsumerApp.run(CSV, lake, sink).throwIfFailed();

    PipelineResult again = ConsumerApp.run(CSV, lake, ConsumerApp.sinkAt(lake)).throwIfFailed();

    assertThat(again.succeeded()).isTrue();
    assertThat(LocalCatalog.at(lake).partitions(TableId.of("consumer", "payments")))
        .hasSize(2);
  }
}
