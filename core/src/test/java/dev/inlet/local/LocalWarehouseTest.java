package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.Staging;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWarehouseTest extends LocalSinkContract {
  @Override
  protected Sink newSink() {
    return LocalWarehouse.at(warehouse);
  }

  @Test
  void newOutput_writesUnderHiddenStagingName_inVersionFolderOfPartition() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "x");
      Path versionDir;
      try (Stream<Path> dirs = Files.list(partitionDir())) {
        versionDir = dirs.collect(java.util.stream.Collectors.toList()).get(0);
      }
      assertThat(versionDir.getFileName().toString()).startsWith(Layout.versionDirPrefix("src-a"));
      try (Stream<Path> files = Files.list(versionDir)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .singleElement()
            .satisfies(n -> assertThat(Layout.isStagingName(n)).isTrue())
            .satisfies(n -> assertThat(n).startsWith("." + Layout.fileName("src-a", 0)));
      }
    }
    assertThat(partitionDir())
        .doesNotExist(); // the partition folder this staging created goes with it
  }

  @Test
  void commit_returnsFileUrisOfTheWarehouse() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "abc");
      List<DataFile> files = staging.commit();
      Path expected;
      try (Stream<Path> dirs = Files.list(partitionDir())) {
        expected = dirs.findFirst().orElseThrow().resolve(Layout.fileName("src-a", 0));
      }
      assertThat(files).singleElement().satisfies(f -> {
        assertThat(f.location()).isEqualTo(expected.toUri().toString()).startsWith("file:/");
        assertThat(f.sizeBytes()).isEqualTo(Files.size(expected));
      });
    }
    assertThat(sink.location(table))
        .isEqualTo(warehouse
                .toAbsolutePath()
                .resolve(dev.inlet.Layout.tablePath(table))
                .toUri() + "");
  }

  @Test
  void commit_whenAnOutputIsStillOpen_failsNamingTheFile() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      OutputStream open = staging.newOutput(Y2015);
      open.write(1);
      assertThatThrownBy(staging::commit)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Layout.fileName("src-a", 0))
          .hasMessageContaining("still open");
    }
    assertThat(listObjects(sink.location(table))).isEmpty();
  }

  @Test
  void newOutput_afterCommit_fails() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      staging.commit();
      assertThatThrownBy(() -> staging.newOutput(Y2015))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already committed");
    }
  }

  @Test
  void unpartitionedOutput_goesToTableFolder() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Map.of(), "x");
      assertThat(staging.commit())
          .singleElement()
          .satisfies(f -> assertThat(f.location())
              .isEqualTo(sink.location(table) + Layout.fileName("src-a", 0)));
    }
  }

  @Test
  void removeStaleStaging_deletesOnlyOldStagingFiles() throws Exception {
    Files.createDirectories(partitionDir());
    Path old = Files.writeString(
        partitionDir().resolve(Layout.stagingName(Layout.fileName("crashed", 0))), "x");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path fresh = Files.writeString(
        partitionDir().resolve(Layout.stagingName(Layout.fileName("running", 0))), "y");
    Path committed = Files.writeString(partitionDir().resolve(Layout.fileName("done", 0)), "z");
    Files.setLastModifiedTime(committed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    assertThat(LocalWarehouse.removeStaleStaging(warehouse, Duration.ofHours(1)))
        .isEqualTo(1);

    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
    assertThat(committed).exists();
  }

  @Test
  void removeStaleStaging_deletesTheHiddenFoldersAFailedDeleteLeft_onceOlderThanTheAge()
      throws Exception {
    // what LocalFileStore.deleteFolder leaves when deleting fails part-way: the folder under a
    // hidden name
    Path old = Files.createDirectories(partitionDir().resolve(".v-a-1.replaced-1b2c/sub"));
    Files.writeString(old.resolve("part-a-00001.parquet"), "x");
    Files.writeString(old.getParent().resolve("part-a-00000.parquet"), "y");
    Path fresh = Files.createDirectories(partitionDir().resolve(".v-a-2.replaced-3d4e"));
    Files.writeString(fresh.resolve("part-a-00000.parquet"), "z");
    Path foreign = Files.createDirectories(partitionDir().resolve(".snapshot"));
    Files.writeString(foreign.resolve("notes.txt"), "kept");
    Path data = Files.createDirectories(partitionDir().resolve("v-a-3"));
    Files.writeString(data.resolve("part-a-00000.parquet"), "d");
    FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    for (Path p : List.of(
        old.resolve("part-a-00001.parquet"),
        old,
        old.getParent().resolve("part-a-00000.parquet"),
        old.getParent(),
        foreign.resolve("notes.txt"),
        foreign,
        data.resolve("part-a-00000.parquet"),
        data)) {
      Files.setLastModifiedTime(p, twoHoursAgo);
    }

    assertThat(LocalWarehouse.removeStaleStaging(warehouse, Duration.ofHours(1)))
        .isEqualTo(1);

    assertThat(old.getParent()).doesNotExist();
    assertThat(fresh.resolve("part-a-00000.parquet")).exists();
    assertThat(foreign.resolve("notes.txt")).exists();
    assertThat(data.resolve("part-a-00000.parquet")).exists();
  }

  @Test
  void removeStaleStaging_keepsAHiddenFolderWithAFreshFileInside() throws Exception {
    Path left = Files.createDirectories(partitionDir().resolve(".v-a-1.replaced-1b2c/sub"));
    Files.writeString(left.resolve("recent.parquet"), "x");
    Files.setLastModifiedTime(
        left.getParent(), FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    assertThat(LocalWarehouse.removeStaleStaging(warehouse, Duration.ofHours(1)))
        .isZero();
    assertThat(left.resolve("recent.parquet")).exists();
  }

  @Test
  void removeReplaced_neverDeletesAFolderOutsideItsWarehouse_suchAsTheOriginalOfACopiedLake(
      @TempDir Path other) throws Exception {
    // A copied lake's catalog still names the original's absolute folders: replacing them must not
    // delete those.
    Path original = Files.createDirectories(other
        .resolve("bronze/db/t/year=2015")
        .resolve(Layout.versionDir("src-a", "20250101T000000000Z-00000000")));
    Files.writeString(original.resolve(Layout.fileName("src-a", 0)), "the original lake's data");
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "new");
      staging.commit();
      staging.removeReplaced(List.of(original.toUri().toString()));
    }
    assertThat(original.resolve(Layout.fileName("src-a", 0))).exists();
  }

  @Test
  void removeOrphans_deletesUnreferencedOldVersionFolders_butNeverOneOutsideItsWarehouse(
      @TempDir Path other) throws Exception {
    // A copied lake's catalog names a folder of the original for 2015; the warehouse's own 2016 has
    // an orphan.
    Path outside = other.resolve("bronze/contract/t/year=2015");
    Path outsideReferenced = version(outside, "20250101T000000000Z-00000001");
    Path outsideOrphan = version(outside, "20250101T000000000Z-00000000");
    Path inside = partitionDir().resolveSibling("year=2016");
    Path insideReferenced = version(inside, "20250101T000000000Z-00000001");
    Path insideOrphan = version(inside, "20250101T000000000Z-00000000");
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    catalog.register(dev.inlet.TableRegistration.builder()
        .table(table)
        .location(sink.location(table))
        .schema(
            dev.inlet.Schema.builder().column("a", dev.inlet.ColumnType.STRING).build())
        .partitionKeys(List.of("year"))
        .addPartition(new dev.inlet.Partition(
            List.of("2015"), outsideReferenced.toUri().toString(), Map.of()))
        .addPartition(
            new dev.inlet.Partition(List.of("2016"), insideReferenced.toUri().toString(), Map.of()))
        .build());

    assertThat(LocalWarehouse.removeOrphans(warehouse, catalog, Duration.ofMinutes(30)))
        .isEqualTo(1);

    assertThat(insideOrphan).doesNotExist();
    assertThat(insideReferenced).isDirectory();
    assertThat(outsideOrphan.resolve(Layout.fileName("src-a", 0))).exists();
    assertThat(outsideReferenced).isDirectory();
  }

  /** A version folder of src-a in {@code partition} holding one file last written two hours ago. */
  private static Path version(Path partition, String version) throws Exception {
    Path dir = Files.createDirectories(partition.resolve(Layout.versionDir("src-a", version)));
    Path file = Files.writeString(dir.resolve(Layout.fileName("src-a", 0)), version);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    return dir;
  }

  @Test
  void removeReplaced_deletesFilesOfTheOlderInPlaceLayout_ofThatSourceOnly() throws Exception {
    Files.createDirectories(partitionDir());
    Path legacy =
        Files.writeString(partitionDir().resolve(Layout.fileName("src-a", 0)), "old layout");
    Path other =
        Files.writeString(partitionDir().resolve(Layout.fileName("src-b", 0)), "other source");
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "new");
      staging.commit();
      assertThat(legacy).exists();
      staging.removeReplaced();
    }
    assertThat(legacy).doesNotExist();
    assertThat(other).exists();
  }

  @Test
  void removeReplaced_beforeCommit_fails() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "x");
      assertThatThrownBy(staging::removeReplaced)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not committed");
    }
  }

  @Test
  void removeStaleStaging_withoutBronzeFolder_removesNothing() throws Exception {
    assertThat(LocalWarehouse.removeStaleStaging(warehouse.resolve("missing"), Duration.ZERO))
        .isZero();
  }

  @Test
  void at_withNull_failsEarly() {
    assertThatThrownBy(() -> LocalWarehouse.at(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
