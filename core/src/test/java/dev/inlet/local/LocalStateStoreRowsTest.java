package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.SourceState;
import dev.inlet.SourceVersion;
import dev.inlet.TableId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows per partition a state records (the shrink guard's count without a catalog) survive the JSON file. */
class LocalStateStoreRowsTest {
  private static final TableId TABLE = TableId.of("db", "t");

  @TempDir
  Path lake;

  @Test
  void rowsPerPartition_roundTrip_andAStateWithoutThemReadsAsNoneKnown() throws Exception {
    LocalStateStore store = LocalStateStore.at(lake);
    Instant at = Instant.parse("2026-12-04T10:00:00Z");
    store.put(
        TABLE,
        new SourceState(
            "a.csv",
            SourceVersion.UNKNOWN,
            SourceVersion.UNKNOWN,
            "ab",
            "conv",
            List.of("file:///lake/bronze/db/t/year=2023/part-a-00000.parquet"),
            at,
            Map.of("year=2023", 500L, "year=2024", 7L)));
    store.put(
        TABLE,
        new SourceState(
            "b.csv", null, null, "cd", "conv", List.of("file:///lake/bronze/db/t/x.parquet"), at));

    SourceState a = LocalStateStore.at(lake).get(TABLE, "a.csv").orElseThrow();
    assertThat(a.rows()).isEqualTo(Map.of("year=2023", 500L, "year=2024", 7L));
    assertThat(LocalStateStore.at(lake).get(TABLE, "b.csv").orElseThrow().rows())
        .isEmpty();
    try (var files = Files.walk(lake.resolve(LocalStateStore.STATE_DIR))) {
      String json = Files.readString(
          files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow(),
          StandardCharsets.UTF_8);
      assertThat(json).contains("\"rows\"").contains("\"year=2023\" : 500");
    }
  }
}
