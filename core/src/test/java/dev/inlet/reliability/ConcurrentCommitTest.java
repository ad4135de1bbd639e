package dev.inlet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.CommitConflictException;
import dev.inlet.InletException;
import dev.inlet.Layout;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Schema;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.AfterCommitSink;
import dev.inlet.testing.Lake;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlapping runs and tables of the same name in two databases, in one JVM with the steps ordered by latches: the
 * exact interleavings that lost data before commits were compare-and-set and the layout included the database.
 */
class ConcurrentCommitTest {
  static final int ROWS = 20;

  @TempDir
  Path lake;

  static SourceFile file(int year, int version) {
    byte[] bytes = Synthetic.csv(year, version, ROWS);
    return SourceFile.builder()
        .id("mem:" + year)
        .name("events " + year)
        .partition("year", String.valueOf(year))
        .version(
            new SourceVersion("\"" + year + "-" + version + "\"", null, (long) bytes.length, null))
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  private Pipeline.Builder pipeline(TableId table, Sink sink, SourceFile... files) {
    return Pipeline.builder()
        .source(() -> List.of(files))
        .converter(Synthetic.converter())
        .sink(sink)
        .catalog(LocalCatalog.at(lake))
        .table(table)
        .attempts(1)
        .parallelism(1);
  }

  /** Every partition folder the catalog records exists and holds files; version folders nobody references: none. */
  static void assertNoDanglingNorOrphan(Path lake, TableId... tables) throws Exception {
    List<Path> referenced = new ArrayList<>();
    for (Partition p : Stream.of(tables)
        .flatMap(t -> LocalCatalog.at(lake).partitions(t).stream())
        .toList()) {
      Path dir = Path.of(URI.create(p.location()));
      assertThat(dir).as("folder of partition " + p.values()).isDirectory();
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet")))
            .as("files of " + dir)
            .isNotEmpty();
      }
      referenced.add(dir);
    }
    List<Path> versionDirs;
    try (Stream<Path> all = Files.walk(lake.resolve(Layout.ZONE))) {
      versionDirs =
          all.filter(d -> Layout.isVersionDir(d.getFileName().toString())).toList();
    }
    assertThat(versionDirs)
        .as("version folders on disk")
        .containsExactlyInAnyOrderElementsOf(referenced);
  }

  @Test
  void overlappingRuns_olderRepointsLast_loserFailsWithTheConflict_andTheCatalogServesTheWinner()
      throws Exception {
    assertThat(pipeline(Synthetic.TABLE, LocalWarehouse.at(lake), file(2015, 1))
            .build()
            .run()
            .succeeded())
        .isTrue();
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // The older run: stages first (older version folder), commits, then stalls before repointing.
      Future<PipelineResult> older = pool.submit(() -> pipeline(
              Synthetic.TABLE,
              pausedAfterCommit(LocalWarehouse.at(lake), committed, gate),
              file(2015, 2))
          .build()
          .run());
      assertThat(committed.await(30, TimeUnit.SECONDS)).isTrue();
      // The newer run goes through entirely meanwhile.
      PipelineResult newer = pipeline(Synthetic.TABLE, LocalWarehouse.at(lake), file(2015, 3))
          .build()
          .run();
      // The newer run deleted only the folder it swapped out: the older run's new folder, committed
      // and about to
      // be registered, is still there (the default orphan grace keeps fresh folders).
      try (Stream<Path> dirs =
          Files.list(lake.resolve(Layout.tablePath(Synthetic.TABLE)).resolve("year=2015"))) {
        assertThat(dirs.filter(d -> Layout.isVersionDir(d.getFileName().toString())))
            .hasSize(2);
      }
      gate.countDown();
      PipelineResult lost = older.get(30, TimeUnit.SECONDS);

      assertThat(newer.succeeded()).as(String.valueOf(newer.failures())).isTrue();
      assertThat(lost.succeeded()).isFalse();
      assertThat(lost.failures().get(0).error())
          .isInstanceOf(CommitConflictException.class)
          .hasMessageContaining("Cannot repoint partition year=2015 of " + Synthetic.TABLE)
          .hasMessageContaining("another run replaced it; rerun");
      assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
          .isEqualTo(Map.of("2015", Synthetic.ids(2015, 3, ROWS)));
      assertNoDanglingNorOrphan(lake, Synthetic.TABLE);
    } finally {
      gate.countDown();
      pool.shutdownNow();
    }
  }

  /**
   * Both overlapping runs lose: each read the partition, committed and stalled before repointing, and a third run
   * repointed it meanwhile. Both fail with the conflict, and each message says once that nothing of it is visible
   * (the catalog's conflict used to say it, then the pipeline's and the CLI's summaries again: a doubled suffix).
   */
  @Test
  void
      overlappingRuns_bothLosingToAThirdRun_bothFailWithTheConflictOnce_andTheCatalogServesTheThird()
          throws Exception {
    assertThat(pipeline(Synthetic.TABLE, LocalWarehouse.at(lake), file(2015, 1))
            .build()
            .run()
            .succeeded())
        .isTrue();
    CountDownLatch committed = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<PipelineResult>> losers = new ArrayList<>();
      for (int version : new int[] {2, 3}) {
        losers.add(pool.submit(() -> pipeline(
                Synthetic.TABLE,
                pausedAfterCommit(LocalWarehouse.at(lake), committed, gate),
                file(2015, version))
            .build()
            .run()));
      }
      assertThat(committed.await(30, TimeUnit.SECONDS)).as("both committed").isTrue();
      PipelineResult third = pipeline(Synthetic.TABLE, LocalWarehouse.at(lake), file(2015, 4))
          .build()
          .run();
      gate.countDown();

      assertThat(third.succeeded()).as(String.valueOf(third.failures())).isTrue();
      for (Future<PipelineResult> f : losers) {
        PipelineResult lost = f.get(30, TimeUnit.SECONDS);
        assertThat(lost.succeeded()).isFalse();
        Throwable error = lost.failures().get(0).error();
        assertThat(error)
            .isInstanceOf(CommitConflictException.class)
            .hasMessageContaining("another run replaced it; rerun")
            .hasMessageNotContaining("visible");
        assertThatThrownBy(lost::throwIfFailed)
            .hasMessageEndingWith(
                "another run replaced it; rerun to ingest over the newer data (nothing of the failed files is visible;"
                    + " no file ingested, 0 unchanged)");
      }
      assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
          .isEqualTo(Map.of("2015", Synthetic.ids(2015, 4, ROWS)));
      assertNoDanglingNorOrphan(lake, Synthetic.TABLE);
    } finally {
      gate.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void sameTableNameInTwoDatabases_keepsBothTablesData() throws Exception {
    TableId a = TableId.of("city_a", "t");
    TableId b = TableId.of("city_b", "t");

    assertThat(pipeline(a, LocalWarehouse.at(lake), file(2015, 1)).build().run().succeeded())
        .isTrue();
    assertThat(pipeline(b, LocalWarehouse.at(lake), file(2015, 2)).build().run().succeeded())
        .isTrue();

    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), a, "id"))
        .isEqualTo(Map.of("2015", Synthetic.ids(2015, 1, ROWS)));
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), b, "id"))
        .isEqualTo(Map.of("2015", Synthetic.ids(2015, 2, ROWS)));
    assertThat(LocalCatalog.at(lake).loadTable(a).orElseThrow().location())
        .isEqualTo(lake.toAbsolutePath().resolve("bronze/city_a/t").toUri().toString());
    assertNoDanglingNorOrphan(lake, a, b);
  }

  @Test
  void tableOfTheOlderLayout_staysReadable_andMovesPartitionByPartitionOnReingest()
      throws Exception {
    TableId t = Synthetic.TABLE;
    assertThat(pipeline(t, LocalWarehouse.at(lake), file(2015, 1), file(2016, 1))
            .build()
            .run()
            .succeeded())
        .isTrue();
    // Make it a lake of the older layout: files under bronze/<table>/, the catalog pointing there.
    Path now = lake.resolve(Layout.tablePath(t));
    Path old = lake.resolve(Layout.legacyTablePath(t));
    Files.move(now, old);
    Path json = LocalCatalog.at(lake).tableFile(t);
    String nowUri = LocalWarehouse.at(lake).location(t);
    String oldUri =
        nowUri.replace("/" + Layout.tablePath(t) + "/", "/" + Layout.legacyTablePath(t) + "/");
    Files.writeString(json, Files.readString(json).replace(nowUri, oldUri));
    Path old2015 = Path.of(URI.create(LocalCatalog.at(lake).partitions(t).get(0).location()));
    assertThat(old2015).startsWith(old.toAbsolutePath());
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), t, "id").get("2015"))
        .isEqualTo(Synthetic.ids(2015, 1, ROWS));

    PipelineResult reingest =
        pipeline(t, LocalWarehouse.at(lake), file(2015, 2)).build().run();

    assertThat(reingest.succeeded()).as(String.valueOf(reingest.failures())).isTrue();
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), t, "id"))
        .isEqualTo(
            Map.of("2015", Synthetic.ids(2015, 2, ROWS), "2016", Synthetic.ids(2016, 1, ROWS)));
    List<Partition> parts = LocalCatalog.at(lake).partitions(t);
    assertThat(parts.get(0).location()).startsWith(nowUri + "year=2015/v-");
    assertThat(parts.get(1).location()).startsWith(oldUri + "year=2016/v-");
    assertThat(old2015).as("the old 2015 folder, deleted once repointed").doesNotExist();
    assertThat(old2015.getParent()).as("its partition folder, left empty").doesNotExist();
    assertThat(old.resolve("year=2016")).isDirectory();
    assertThat(LocalCatalog.at(lake).loadTable(t).orElseThrow().location()).isEqualTo(nowUri);

    // the last partition moves: the older layout's table folder goes too, the new one and bronze/
    // stay
    assertThat(pipeline(t, LocalWarehouse.at(lake), file(2016, 2)).build().run().succeeded())
        .isTrue();
    assertThat(old).doesNotExist();
    assertThat(now.resolve("year=2016")).isDirectory();
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), t, "id"))
        .isEqualTo(
            Map.of("2015", Synthetic.ids(2015, 2, ROWS), "2016", Synthetic.ids(2016, 2, ROWS)));
  }

  @Test
  void unpartitionedTableOfTheOlderLayout_isRefusedBeforeAnythingIsVisible() {
    LocalCatalog catalog = LocalCatalog.at(lake);
    TableId t = TableId.of("db", "flat");
    Schema schema = Synthetic.SCHEMA;
    catalog.register(TableRegistration.builder()
        .table(t)
        .schema(schema)
        .location("file:/lake/bronze/flat/")
        .build());

    assertThatThrownBy(() -> catalog.check(TableRegistration.builder()
            .table(t)
            .schema(schema)
            .location("file:/lake/bronze/db/flat/")
            .build()))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot register db.flat: the unpartitioned table is recorded at file:/lake/bronze/flat/ (an"
                + " older layout) but would now be written to file:/lake/bronze/db/flat/; move its files there and"
                + " repoint the table, or register into a new table");
  }

  @Test
  void aNewTableAtTheLocationOfAnother_isRefused_andTheOtherKeepsItsData() {
    LocalCatalog catalog = LocalCatalog.at(lake);
    catalog.register(TableRegistration.builder()
        .table(TableId.of("city_a", "t"))
        .schema(Synthetic.SCHEMA)
        .location("file:/lake/bronze/t/")
        .build());

    assertThatThrownBy(() -> catalog.register(TableRegistration.builder()
            .table(TableId.of("city_b", "t"))
            .schema(Synthetic.SCHEMA)
            .location("file:/lake/bronze/t/")
            .build()))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot register city_b.t: its location file:/lake/bronze/t/ belongs to table city_a.t; two"
                + " tables in one folder would replace each other's files, give city_b.t its own location (sinks lay"
                + " tables out as bronze/<database>/<table>/)");
    assertThat(catalog.loadTable(TableId.of("city_b", "t"))).isEmpty();
  }

  @Test
  void tableLock_isOneLockForTwoCatalogsReachingTheFolderThroughALink() throws Exception {
    Path real = Files.createDirectories(lake.resolve("real"));
    Path link = Files.createSymbolicLink(lake.resolve("link"), real);
    TableId t = TableId.of("db", "locked");
    int writers = 8;
    int each = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        LocalCatalog catalog = LocalCatalog.at(w % 2 == 0 ? real : link);
        int writer = w;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            String value = writer + "-" + i;
            catalog.register(TableRegistration.builder()
                .table(t)
                .schema(Synthetic.SCHEMA)
                .location("file:/x/")
                .partitionKeys(List.of("k"))
                .addPartition(new Partition(List.of(value), "file:/x/k=" + value + "/", Map.of()))
                .expectAbsent(List.of(value))
                .build());
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(LocalCatalog.at(real).partitions(t)).hasSize(writers * each);
    assertThat(new String(
            Files.readAllBytes(LocalCatalog.at(real).tableFile(t)), StandardCharsets.UTF_8))
        .contains("\"VersionId\" : \"" + (writers * each - 1) + "\"");
  }

  /** A sink whose stagings, once committed, count down {@code committed} and wait on {@code gate} before registering. */
  private static Sink pausedAfterCommit(
      Sink delegate, CountDownLatch committed, CountDownLatch gate) {
    return new AfterCommitSink(delegate, () -> {
      committed.countDown();
      try {
        assertThat(gate.await(30, TimeUnit.SECONDS)).as("gate opened").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
