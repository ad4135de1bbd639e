package dev.inlet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.SourceFile;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.csv.PartitionSpec;
import dev.inlet.local.LocalCatalog;
import dev.inlet.state.CatalogStateStore;
import dev.inlet.testing.Lake;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline writing through the public {@link FileStoreSink} over a store that is neither a folder nor S3 (in
 * memory): the catalog points at the store's locations, the files read back, a rerun changes nothing, and a changed
 * source replaces its version folder.
 */
class FileStoreSinkPipelineTest {
  private static final TableId TABLE = TableId.of("mem", "events");

  @TempDir
  Path dir;

  private final MemoryFileStore store = new MemoryFileStore("lake");

  @Test
  void pipeline_overAStoreOfOnesOwn_registersItsLocations_andReplacesOnChange() throws Exception {
    LocalCatalog catalog = LocalCatalog.at(dir.resolve("catalog"));
    String first =
        "id,created\n1,2023-05-01 10:00:00\n2,2024-01-02 11:00:00\n3,2024-03-04 12:00:00\n";

    PipelineResult run1 = run(catalog, first);
    assertThat(run1.ingested()).hasSize(1);
    List<Partition> parts = catalog.partitions(TABLE);
    assertThat(parts)
        .extracting(Partition::values)
        .containsExactly(List.of("2023"), List.of("2024"));
    for (Partition p : parts) {
      assertThat(p.location()).startsWith("mem://lake/bronze/mem/events/year=");
    }
    assertThat(values(parts)).isEqualTo(Map.of("2023", List.of("1"), "2024", List.of("2", "3")));
    List<String> files = store.paths();

    PipelineResult rerun = run(catalog, first);
    assertThat(rerun.ingested()).isEmpty();
    assertThat(store.paths()).isEqualTo(files);
    assertThat(catalog.partitions(TABLE)).isEqualTo(parts);

    PipelineResult changed = run(catalog, first + "4,2024-06-07 13:00:00\n");
    assertThat(changed.ingested()).hasSize(1);
    List<Partition> now = catalog.partitions(TABLE);
    assertThat(values(now)).isEqualTo(Map.of("2023", List.of("1"), "2024", List.of("2", "3", "4")));
    assertThat(now.get(1).location()).isNotEqualTo(parts.get(1).location());
    String old = store.path(parts.get(1).location()).orElseThrow();
    assertThat(store.paths()).noneMatch(p -> p.startsWith(old.endsWith("/") ? old : old + "/"));
    assertThat(store.inProgress()).isEmpty();
  }

  private PipelineResult run(LocalCatalog catalog, String csv) {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    SourceFile file = SourceFile.builder()
        .id("events.csv")
        .name("events.csv")
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
    return Pipeline.builder()
        .source(() -> List.of(file))
        .converter(
            CsvToParquet.builder().partitionBy(PartitionSpec.yearOf("created")).build())
        .sink(FileStoreSink.builder().store(store).build())
        .catalog(catalog)
        .stateStore(CatalogStateStore.of(catalog))
        .table(TABLE)
        .attempts(1)
        .parallelism(1)
        .build()
        .run()
        .throwIfFailed();
  }

  /** The sorted ids of each partition, read back with DuckDB from a copy of the partition's files. */
  private Map<String, List<String>> values(List<Partition> parts) throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    for (Partition p : parts) {
      String prefix = store.path(p.location()).orElseThrow();
      prefix = prefix.endsWith("/") ? prefix : prefix + "/";
      Path copy = Files.createTempDirectory(dir, "part");
      List<String> names = new ArrayList<>();
      for (String path : store.paths()) {
        if (path.startsWith(prefix)) {
          String name = path.substring(prefix.length());
          names.add(name);
          Files.write(copy.resolve(name), store.bytes(path));
        }
      }
      assertThat(names).isNotEmpty().allMatch(n -> n.endsWith(".parquet") && !n.contains("/"));
      out.put(String.join("/", p.values()), Lake.inFolders(copy, "id"));
    }
    return out;
  }
}
