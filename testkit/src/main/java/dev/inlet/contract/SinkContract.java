package dev.inlet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Sink} guarantees. Extend it with a sink on fresh storage and the two hooks that look at that
 * storage directly (not through the sink). Each test writes to its own table, so storage may be shared.
 *
 * <p>Two layouts differ in where partitioned files go and what a rerun's commit guarantees; override
 * {@link #replacesInPlace()} for a sink that replaces in place. Versioned: a new version folder per commit, the
 * previous one complete until {@link Staging#removeReplaced()}. In place: the same names in the partition folder,
 * overwritten at commit, stale files of the source gone at commit, old version folders gone after removeReplaced.
 */
public abstract class SinkContract {
  /**
   * {@return a sink on the storage {@link #listObjects} and {@link #read} look at}
   *
   * @throws Exception if the sink cannot be made; the test fails
   */
  protected abstract Sink newSink() throws Exception;

  /**
   * {@return every object under {@code location} (a URI string ending in {@code /}) as paths relative to it, e.g.
   * {@code year=2015/part-1a2b3c4d-00000.parquet}, including hidden ones (names starting with {@code .} or
   * {@code _}); empty if nothing is there}
   *
   * @param location the table's location, as {@link Sink#location} gives it
   * @throws Exception if the storage cannot be listed; the test fails
   */
  protected abstract List<String> listObjects(String location) throws Exception;

  /**
   * {@return the bytes of the object at {@code location} (a full URI string as in {@link DataFile#location()})}
   *
   * @param location the object's full URI
   * @throws Exception if the object cannot be read; the test fails
   */
  protected abstract byte[] read(String location) throws Exception;

  /**
   * {@return whether the sink under test writes partitioned files in place ({@link Layout#inPlaceFilePath}) rather
   * than in a version folder per commit ({@link Layout#dataFilePath}, the default)}
   */
  protected boolean replacesInPlace() {
    return false;
  }

  /** The sink under test, made by {@link #newSink()} before each test. */
  protected Sink sink;
  /** A table of its own for each test, in database {@code contract}. */
  protected TableId table;

  @BeforeEach
  void setUpSink() throws Exception {
    sink = newSink();
    table = TableId.of(
        "contract", "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  /** The partition {@code year=2015}. */
  protected static final Map<String, String> Y2015 = Map.of("year", "2015");
  /** The partition {@code year=2016}. */
  protected static final Map<String, String> Y2016 = Map.of("year", "2016");

  /**
   * {@return an empty source file with id {@code id}, to stage against}
   *
   * @param id the source file's id
   */
  protected static SourceFile source(String id) {
    return SourceFile.builder()
        .id(id)
        .opener(offset -> new ByteArrayInputStream(new byte[0]))
        .build();
  }

  /**
   * Writes {@code content} (UTF-8) as one new output of {@code staging} in {@code partition}.
   *
   * @param staging where to write
   * @param partition the output's partition values
   * @param content the bytes to write, as text
   * @throws IOException if the sink fails to write
   */
  protected static void write(Staging staging, Map<String, String> partition, String content)
      throws IOException {
    try (OutputStream out = staging.newOutput(partition)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * {@return the objects of the test's table a query engine would read (no path segment starts with {@code .} or
   * {@code _}), sorted}
   *
   * @throws Exception if the storage cannot be listed
   */
  protected List<String> visible() throws Exception {
    List<String> visible = new ArrayList<>();
    for (String name : listObjects(sink.location(table))) {
      boolean hidden = false;
      for (String segment : name.split("/")) {
        hidden |= segment.startsWith(".") || segment.startsWith("_");
      }
      if (!hidden) {
        visible.add(name);
      }
    }
    visible.sort(null);
    return visible;
  }

  /**
   * {@return {@link #visible()} with every version folder's version replaced by {@code *}}
   *
   * @throws Exception if the storage cannot be listed
   */
  protected List<String> visibleNormalized() throws Exception {
    List<String> out = new ArrayList<>();
    for (String name : visible()) {
      out.add(name.replaceAll("(^|/)(v-[0-9a-f]{8}-)[^/]+/", "$1$2*/"));
    }
    out.sort(null);
    return out;
  }

  /**
   * {@return the object at {@code location} as UTF-8 text}
   *
   * @param location the object's full URI
   * @throws Exception if the object cannot be read
   */
  protected String text(String location) throws Exception {
    return new String(read(location), StandardCharsets.UTF_8);
  }

  /**
   * {@return the path of a partitioned file as {@link #visibleNormalized()} shows it}
   *
   * @param partition the file's partition values
   * @param sourceId the id of the source file it came from
   * @param seq its sequence number among that source's files in the partition
   */
  protected String partitionFile(Map<String, String> partition, String sourceId, int seq) {
    if (replacesInPlace()) {
      return Layout.inPlaceFilePath(partition, sourceId, seq);
    }
    return Layout.partitionPath(partition) + "/" + Layout.versionDirPrefix(sourceId) + "*/"
        + Layout.fileName(sourceId, seq);
  }

  /**
   * Commits {@code contents} as one output each in {@code partition} for {@code sourceId}, then removes replaced.
   *
   * @param sourceId the source file's id
   * @param partition the outputs' partition values
   * @param contents one output's text each
   * @return the committed files
   * @throws IOException if the sink fails
   */
  protected List<DataFile> ingest(
      String sourceId, Map<String, String> partition, String... contents) throws IOException {
    try (Staging staging = sink.stage(table, source(sourceId))) {
      for (String c : contents) {
        write(staging, partition, c);
      }
      List<DataFile> files = staging.commit();
      staging.removeReplaced();
      return files;
    }
  }

  private static String folder(String location) {
    return location.substring(0, location.lastIndexOf('/') + 1);
  }

  @Test
  void sink_declaresTheLayoutItWrites() {
    // catalogs that derive partitions from folders need in place; Pipeline.build() asks the sink
    assertThat(sink.replacesInPlace()).as("Sink.replacesInPlace()").isEqualTo(replacesInPlace());
  }

  @Test
  void location_endsWithSlashAndTablePath() {
    assertThat(sink.location(table)).endsWith("/" + Layout.tablePath(table) + "/");
    assertThat(sink.location(table, Y2015)).isEqualTo(sink.location(table) + "year=2015/");
  }

  @Test
  void commit_makesStagedOutputsVisible_onlyThen() throws Exception {
    List<DataFile> files;
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "first");
      write(staging, Y2016, "second");
      assertThat(visible()).isEmpty();
      files = staging.commit();
    }
    assertThat(visibleNormalized())
        .containsExactly(partitionFile(Y2015, "src-a", 0), partitionFile(Y2016, "src-a", 0));
    assertThat(files).hasSize(2);
    assertThat(files.get(0).partition()).isEqualTo(Y2015);
    assertThat(files.get(0).location())
        .startsWith(sink.location(table, Y2015)
            + (replacesInPlace() ? "" : Layout.versionDirPrefix("src-a")))
        .endsWith("/" + Layout.fileName("src-a", 0));
    assertThat(files.get(0).sizeBytes()).isEqualTo(5);
    assertThat(text(files.get(0).location())).isEqualTo("first");
    assertThat(files.get(1).partition()).isEqualTo(Y2016);
    assertThat(text(files.get(1).location())).isEqualTo("second");
  }

  @Test
  void commit_namesFilesDeterministically_bySourceAndSequence() throws Exception {
    List<DataFile> files;
    try (Staging staging = sink.stage(table, source("https://example.org/a.csv"))) {
      write(staging, Y2015, "a");
      write(staging, Y2015, "b");
      write(staging, Y2016, "c");
      files = staging.commit();
    }
    String src = "https://example.org/a.csv";
    if (replacesInPlace()) {
      assertThat(files)
          .extracting(DataFile::location)
          .containsExactly(
              sink.location(table) + Layout.inPlaceFilePath(Y2015, src, 0),
              sink.location(table) + Layout.inPlaceFilePath(Y2015, src, 1),
              sink.location(table) + Layout.inPlaceFilePath(Y2016, src, 0));
      return;
    }
    String version2015 = folder(files.get(0).location());
    String version = version2015.substring(
        (sink.location(table, Y2015) + Layout.versionDirPrefix(src)).length(),
        version2015.length() - 1);
    assertThat(files)
        .extracting(DataFile::location)
        .containsExactly(
            sink.location(table, Y2015) + Layout.versionDir(src, version) + "/"
                + Layout.fileName(src, 0),
            sink.location(table, Y2015) + Layout.versionDir(src, version) + "/"
                + Layout.fileName(src, 1),
            sink.location(table, Y2016) + Layout.versionDir(src, version) + "/"
                + Layout.fileName(src, 0));
  }

  @Test
  void commit_ofUnpartitionedOutputs_writesDeterministicNamesInTheTableFolder() throws Exception {
    List<DataFile> files;
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Map.of(), "a");
      files = staging.commit();
    }
    assertThat(files)
        .extracting(DataFile::location)
        .containsExactly(sink.location(table) + Layout.fileName("src-a", 0));
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Map.of(), "a2");
      staging.commit();
      staging.removeReplaced();
    }
    assertThat(visible()).containsExactly(Layout.fileName("src-a", 0));
    assertThat(text(sink.location(table) + Layout.fileName("src-a", 0))).isEqualTo("a2");
  }

  @Test
  void commit_ofRerun_keepsThePreviousVersion_untilRemoveReplaced() throws Exception {
    assumeFalse(replacesInPlace(), "versioned layout only");
    List<DataFile> v1 = ingest("src-a", Y2015, "v1-0", "v1-1");
    List<DataFile> v2;
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "v2-0");
      v2 = staging.commit();
      // The catalog still points at v1's folder: it must be complete until the catalog is
      // repointed.
      assertThat(folder(v2.get(0).location())).isNotEqualTo(folder(v1.get(0).location()));
      assertThat(text(v1.get(0).location())).isEqualTo("v1-0");
      assertThat(text(v1.get(1).location())).isEqualTo("v1-1");
      assertThat(text(v2.get(0).location())).isEqualTo("v2-0");
      staging.removeReplaced();
      staging.removeReplaced();
    }
    assertThat(visibleNormalized()).containsExactly(partitionFile(Y2015, "src-a", 0));
    assertThat(listObjects(folder(v1.get(0).location()))).isEmpty();
    assertThat(text(v2.get(0).location())).isEqualTo("v2-0");
  }

  @Test
  void commit_ofRerun_inPlace_overwritesTheSameNames_andDropsStaleFilesOfTheSource()
      throws Exception {
    assumeTrue(replacesInPlace(), "in-place layout only");
    List<DataFile> v1 = ingest("src-a", Y2015, "v1-0", "v1-1", "v1-2");
    List<DataFile> b = ingest("src-b", Y2015, "b-0", "b-1");
    List<DataFile> v2;
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "v2-0");
      write(staging, Y2015, "v2-1");
      assertThat(text(v1.get(0).location())).isEqualTo("v1-0");
      v2 = staging.commit();
      // Visible at commit, before removeReplaced: same names, new bytes, the stale third file gone.
      assertThat(v2)
          .extracting(DataFile::location)
          .containsExactly(v1.get(0).location(), v1.get(1).location());
      assertThat(text(v2.get(0).location())).isEqualTo("v2-0");
      assertThat(text(v2.get(1).location())).isEqualTo("v2-1");
      assertThat(listObjects(sink.location(table)))
          .doesNotContain(Layout.inPlaceFilePath(Y2015, "src-a", 2));
      staging.removeReplaced();
      staging.removeReplaced();
    }
    assertThat(visible())
        .containsExactlyInAnyOrder(
            partitionFile(Y2015, "src-a", 0),
            partitionFile(Y2015, "src-a", 1),
            partitionFile(Y2015, "src-b", 0),
            partitionFile(Y2015, "src-b", 1));
    assertThat(listObjects(sink.location(table))).containsExactlyInAnyOrderElementsOf(visible());
    assertThat(text(b.get(1).location())).isEqualTo("b-1");
  }

  @Test
  void removeReplaced_keepsOtherPartitionsOfTheSource() throws Exception {
    ingest("src-a", Y2015, "a15");
    List<DataFile> y2016 = ingest("src-a", Y2016, "a16");
    ingest("src-a", Y2015, "a15-v2");
    assertThat(visibleNormalized())
        .containsExactly(partitionFile(Y2015, "src-a", 0), partitionFile(Y2016, "src-a", 0));
    assertThat(text(y2016.get(0).location())).isEqualTo("a16");
  }

  @Test
  void rejectsOutput_isCommittedUnderHiddenRejectsFolder_andAbortedWithTheStaging()
      throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      try (OutputStream out = staging.newRejectsOutput()) {
        out.write("bad".getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(listObjects(sink.location(table))).isEmpty();
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "good");
      try (OutputStream out = staging.newRejectsOutput()) {
        out.write("bad".getBytes(StandardCharsets.UTF_8));
      }
      staging.commit();
    }
    assertThat(listObjects(sink.location(table))).contains(Layout.rejectsPath("src-a"));
    assertThat(text(sink.location(table) + Layout.rejectsPath("src-a"))).isEqualTo("bad");
    assertThat(visibleNormalized()).containsExactly(partitionFile(Y2015, "src-a", 0));
  }

  @Test
  void abort_leavesNothing() throws Exception {
    Staging staging = sink.stage(table, source("src-a"));
    write(staging, Y2015, "never");
    staging.abort();
    staging.abort();
    staging.close();
    assertThat(listObjects(sink.location(table))).isEmpty();
  }

  @Test
  void abort_withOutputStillOpen_leavesNothing() throws Exception {
    Staging staging = sink.stage(table, source("src-a"));
    OutputStream out = staging.newOutput(Y2015);
    out.write(new byte[] {1, 2, 3});
    staging.abort();
    assertThat(listObjects(sink.location(table))).isEmpty();
  }

  @Test
  void close_withoutCommit_aborts() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "never");
    }
    assertThat(listObjects(sink.location(table))).isEmpty();
  }

  @Test
  void abort_afterCommit_keepsCommittedFiles() throws Exception {
    Staging staging = sink.stage(table, source("src-a"));
    write(staging, Y2015, "kept");
    staging.commit();
    staging.abort();
    staging.close();
    assertThat(visibleNormalized()).containsExactly(partitionFile(Y2015, "src-a", 0));
  }

  @Test
  void abort_ofRerun_keepsFilesOfEarlierCommit() throws Exception {
    List<DataFile> v1 = ingest("src-a", Y2015, "v1");
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "v2");
    }
    assertThat(visibleNormalized()).containsExactly(partitionFile(Y2015, "src-a", 0));
    assertThat(text(v1.get(0).location())).isEqualTo("v1");
  }

  @Test
  void rerun_ofSameSource_replacesFiles_withoutDuplicates() throws Exception {
    ingest("src-a", Y2015, "v1-0", "v1-1");
    List<DataFile> v2 = ingest("src-a", Y2015, "v2-0", "v2-1");
    assertThat(visibleNormalized())
        .containsExactly(partitionFile(Y2015, "src-a", 0), partitionFile(Y2015, "src-a", 1));
    assertThat(text(v2.get(0).location())).isEqualTo("v2-0");
    assertThat(text(v2.get(1).location())).isEqualTo("v2-1");
  }

  @Test
  void rerun_withFewerFiles_removesStaleFilesOfThatSource() throws Exception {
    ingest("src-a", Y2015, "v1-0", "v1-1", "v1-2");
    List<DataFile> v2 = ingest("src-a", Y2015, "v2-0");
    assertThat(visibleNormalized()).containsExactly(partitionFile(Y2015, "src-a", 0));
    assertThat(text(v2.get(0).location())).isEqualTo("v2-0");
  }

  @Test
  void twoSources_inOnePartition_coexist_andRerunOfOneKeepsTheOther() throws Exception {
    List<DataFile> b;
    try (Staging sa = sink.stage(table, source("src-a"));
        Staging sb = sink.stage(table, source("src-b"))) {
      write(sa, Y2015, "a");
      write(sb, Y2015, "b");
      write(sb, Y2015, "b1");
      sa.commit();
      b = sb.commit();
      sa.removeReplaced();
      sb.removeReplaced();
    }
    ingest("src-a", Y2015, "a2");
    List<String> expected = new ArrayList<>(List.of(
        partitionFile(Y2015, "src-a", 0),
        partitionFile(Y2015, "src-b", 0),
        partitionFile(Y2015, "src-b", 1)));
    expected.sort(null);
    assertThat(visibleNormalized()).containsExactlyElementsOf(expected);
    assertThat(text(b.get(1).location())).isEqualTo("b1");
  }

  @Test
  void commit_withNoOutputs_returnsNoFiles() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      assertThat(staging.commit()).isEmpty();
    }
    assertThat(visible()).isEmpty();
  }

  @Test
  void overlappingRuns_olderCommitLast_neverDeletesTheNewerVersion() throws Exception {
    assumeFalse(replacesInPlace(), "only versioned sinks keep one folder per commit");
    try (Staging older = sink.stage(table, source("r"))) {
      Thread.sleep(5); // version folder names sort by their UTC time, to the millisecond
      List<DataFile> newer;
      try (Staging newerRun = sink.stage(table, source("r"))) {
        write(newerRun, Y2015, "newer");
        newer = newerRun.commit();
        newerRun.removeReplaced();
      }
      write(older, Y2015, "older");
      List<DataFile> olderFiles = older.commit();
      older.removeReplaced();

      // Whichever the catalog points at now, its files are still there.
      assertThat(text(newer.get(0).location())).isEqualTo("newer");
      assertThat(text(olderFiles.get(0).location())).isEqualTo("older");
    }
  }

  @Test
  void removeReplaced_deletesOlderVersionsOfTheSource() throws Exception {
    assumeFalse(replacesInPlace(), "only versioned sinks keep one folder per commit");
    List<DataFile> first = ingest("r", Y2015, "one");
    Thread.sleep(5);
    List<DataFile> second = ingest("r", Y2015, "two");

    assertThat(visible()).hasSize(1);
    assertThat(text(second.get(0).location())).isEqualTo("two");
    assertThat(listObjects(sink.location(table)))
        .noneMatch(n ->
            first.get(0).location().endsWith(n) && !second.get(0).location().endsWith(n));
  }
}
