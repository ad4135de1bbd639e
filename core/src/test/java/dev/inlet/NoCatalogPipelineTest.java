package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ConverterDuckDb;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Catalog#none()}: Parquet in Hive folders, no catalog, the state in the warehouse. */
class NoCatalogPipelineTest {
  private static final TableId TABLE = TableId.of("db", "events");

  @TempDir
  Path lake;

  private final AtomicReference<String> y2016 = new AtomicReference<>("id,kind\n3,c\n4,d\n5,e\n");

  private SourceFile file(String year, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return SourceFile.builder()
        .id("mem:" + year)
        .name("events " + year)
        .partition("year", year)
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  private Pipeline pipeline() {
    return Pipeline.builder()
        .source(() -> List.of(file("2015", "id,kind\n1,a\n2,b\n"), file("2016", y2016.get())))
        .converter(CsvToParquet.create())
        .sink(LocalWarehouse.builder().root(lake).replaceInPlace().build())
        .catalog(Catalog.none())
        .stateStore(LocalStateStore.at(lake))
        .table(TABLE)
        .build();
  }

  private long count(String where) {
    try (ConverterDuckDb db = new ConverterDuckDb()) {
      return db.count("SELECT count(*) FROM read_parquet('" + lake.resolve("bronze/db/events")
          + "/year=*/*.parquet'," + " hive_partitioning = true)" + where);
    }
  }

  private List<Path> parquetFiles() throws Exception {
    try (Stream<Path> s = Files.walk(lake)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }

  @Test
  void run_writesHivePartitionedParquet_recordsNoCatalog_andKeepsTheStateInTheWarehouse()
      throws Exception {
    PipelineResult r = pipeline().run();

    assertThat(r.succeeded()).isTrue();
    assertThat(r.ingested()).hasSize(2);
    assertThat(count("")).isEqualTo(5);
    assertThat(count(" WHERE year = '2016'")).isEqualTo(3);
    assertThat(lake.resolve(LocalCatalog.CATALOG_DIR)).doesNotExist();
    assertThat(lake.resolve(LocalStateStore.STATE_DIR).resolve("db/events.json"))
        .exists();
    assertThat(parquetFiles())
        .allSatisfy(f -> assertThat(f.getParent().getFileName().toString())
            .startsWith("year=")); // in place: no version folders
    assertThat(Catalog.none().loadTable(TABLE)).isEmpty();
  }

  @Test
  void rerun_skipsUnchangedFiles_replacesAChangedOneInPlace_andReingestsAFileThatIsGone()
      throws Exception {
    pipeline().run().throwIfFailed();

    PipelineResult again = pipeline().run();
    assertThat(again.skipped()).hasSize(2);

    y2016.set("id,kind\n3,c\n");
    PipelineResult shrunk =
        pipeline().run(); // 3 rows to 1: the shrink guard, from the state's row counts
    assertThat(shrunk.failures()).extracting(f -> f.file().name()).containsExactly("events 2016");
    assertThat(shrunk.failures().get(0).error().getMessage())
        .contains("would shrink partition year=2016 from 3 rows to 1 rows");
    assertThat(count("")).isEqualTo(5);

    y2016.set("id,kind\n3,c\n4,d\n");
    PipelineResult changed = pipeline().run();
    assertThat(changed.ingested()).extracting(f -> f.file().name()).containsExactly("events 2016");
    assertThat(count("")).isEqualTo(4);

    Path f2015 = Path.of(URI.create(firstFileOf("year=2015")));
    Files.delete(f2015);
    PipelineResult healed = pipeline().run();
    assertThat(healed.ingested()).extracting(f -> f.file().name()).containsExactly("events 2015");
    assertThat(count("")).isEqualTo(4);
  }

  private String firstFileOf(String folder) throws Exception {
    return parquetFiles().stream()
        .filter(f -> f.getParent().getFileName().toString().equals(folder))
        .findFirst()
        .orElseThrow()
        .toUri()
        .toString();
  }

  @Test
  void build_withAVersionedSink_failsSayingToReplaceInPlace() {
    assertThatThrownBy(() -> Pipeline.builder()
            .source(List::of)
            .converter(CsvToParquet.create())
            .sink(LocalWarehouse.at(lake))
            .catalog(Catalog.none())
            .table(TABLE)
            .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot build Pipeline: with Catalog.none() the files are the table")
        .hasMessageContaining("replaceInPlace()");
  }

  @Test
  void none_recordsNothing() {
    TableRegistration reg = TableRegistration.builder()
        .table(TABLE)
        .location("file:/x/")
        .schema(Schema.of(Column.of("id", ColumnType.INT)))
        .partitionKeys(List.of("year"))
        .addPartition(new Partition(List.of("2015"), "file:/x/year=2015/", Map.of()))
        .build();
    assertThat(Catalog.none().register(reg).schema()).isEqualTo(reg.schema());
    assertThat(Catalog.none().partitions(TABLE)).isEmpty();
    assertThat(Catalog.none().listTables("db")).isEmpty();
    assertThat(Catalog.none().needsInPlaceLayout()).isTrue();
    assertThat(Catalog.none()).hasToString("Catalog.none()");
  }
}
