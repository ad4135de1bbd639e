package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ConverterDuckDb;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a catalog the state store says which source wrote which partition, so a changed source replaces its files
 * (never leaves old rows served beside new ones) and the guards a catalog gives still hold: a source that stops
 * writing a partition shrinks it (refused unless allowed, then its files go), and two sources never share a
 * partition. Found by review: each of these runs succeeded and served stale or doubled rows.
 */
class NoCatalogReplacementTest {
  private static final TableId TABLE = TableId.of("db", "events");

  @TempDir
  Path lake;

  private final AtomicReference<String> content = new AtomicReference<>("id,kind\n1,a\n2,b\n");
  private final AtomicReference<String> year = new AtomicReference<>("2016");
  private final AtomicReference<String> id = new AtomicReference<>("mem:events");

  private Pipeline.Builder pipeline() {
    return Pipeline.builder()
        .source(() -> {
          byte[] bytes = content.get().getBytes(StandardCharsets.UTF_8);
          return List.of(SourceFile.builder()
              .id(id.get())
              .name("events")
              .partition("year", year.get())
              .opener(o -> new ByteArrayInputStream(bytes, (int) o, bytes.length - (int) o))
              .build());
        })
        .converter(CsvToParquet.create())
        .sink(LocalWarehouse.builder().root(lake).replaceInPlace().build())
        .catalog(Catalog.none())
        .stateStore(LocalStateStore.at(lake))
        .table(TABLE);
  }

  private long count(String years) {
    try (ConverterDuckDb db = new ConverterDuckDb()) {
      return db.count("SELECT count(*) FROM read_parquet('" + lake.resolve("bronze/db/events")
          + "/year=" + years + "/*.parquet', hive_partitioning = true)");
    }
  }

  private long countAll() {
    return java.util.stream.Stream.of("2016", "2017")
        .mapToLong(y -> {
          Path folder = lake.resolve("bronze/db/events/year=" + y);
          try (java.util.stream.Stream<Path> files = java.nio.file.Files.isDirectory(folder)
              ? java.nio.file.Files.list(folder)
              : java.util.stream.Stream.empty()) {
            return files.anyMatch(f -> f.toString().endsWith(".parquet")) ? count(y) : 0;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .sum();
  }

  @Test
  void headerOnlyRepublication_isRefusedByTheShrinkGuard_andWhenAllowedItsRowsGo()
      throws Exception {
    pipeline().build().run().throwIfFailed();
    assertThat(countAll()).isEqualTo(2);

    content.set("id,kind\n");
    PipelineResult refused = pipeline().build().run();
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.files().get(0).error())
        .hasMessageContaining("shrink")
        .hasMessageContaining("year=2016");
    assertThat(countAll()).as("the old good version stays").isEqualTo(2);

    pipeline().allowShrink().build().run().throwIfFailed();
    assertThat(countAll()).as("the source has no rows").isZero();
  }

  @Test
  void sourceMovedToAnotherPartition_isRefused_andWhenAllowedServedOnce() throws Exception {
    pipeline().build().run().throwIfFailed();
    year.set("2017");
    assertThat(pipeline().build().run().succeeded()).isFalse();
    assertThat(count("2016")).isEqualTo(2);

    pipeline().allowShrink().build().run().throwIfFailed();
    assertThat(countAll()).as("rows of the one source file").isEqualTo(2);
    assertThat(count("2017")).isEqualTo(2);
  }

  @Test
  void sourceRepublishedUnderANewId_failsOnTheSharedPartition_leavingTheRowsOnce()
      throws Exception {
    pipeline().build().run().throwIfFailed();
    id.set("mem:events-v2");
    PipelineResult r = pipeline().build().run();
    assertThat(r.succeeded()).isFalse();
    assertThat(r.files().get(0).error())
        .hasMessageContaining("holds the data of source mem:events");
    assertThat(countAll()).isEqualTo(2);
  }

  @Test
  void build_withAStateStoreThatCannotList_fails() {
    StateStore blind = new StateStore() {
      @Override
      public Optional<SourceState> get(TableId table, String sourceId) {
        return Optional.empty();
      }

      @Override
      public void put(TableId table, SourceState state) {}
    };
    assertThatThrownBy(() -> pipeline().stateStore(blind).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Catalog.none()")
        .hasMessageContaining("LocalStateStore");
  }
}
