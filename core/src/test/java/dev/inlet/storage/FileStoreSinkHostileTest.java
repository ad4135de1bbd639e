package dev.inlet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.DataFile;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of FileStoreSink (hostile): a sink over stores that misbehave. Each test says what a careful sink would do.
 */
class FileStoreSinkHostileTest {
  private static final TableId TABLE = TableId.of("mem", "events");
  private static final Map<String, String> Y2023 = Map.of("year", "2023");
  private static final Map<String, String> Y2024 = Map.of("year", "2024");

  /** A store delegating to {@link MemoryFileStore}, with knobs that break one promise of the SPI each. */
  static class Hostile implements FileStore {
    final MemoryFileStore mem = new MemoryFileStore("lake");
    /** The root URI the store claims; the memory store's paths are below it. */
    String root = "mem://lake/";
    /** Whether location(folder/) drops the trailing slash. */
    boolean dropFolderSlash;
    /** Commit this many outputs, then throw; -1 for never. */
    int failCommitAfter = -1;
    /** Commit all outputs, then return an array of this length; -1 for the right one. */
    int sizesLength = -1;
    /** Whether list returns its files in reverse order. */
    boolean reverseList;
    /** Whether list(prefix) ignores the name part after the last '/' (lists the whole folder). */
    boolean listByFolderOnly;
    /** Whether list(prefix) takes a name prefix for a folder (lists prefix + "/"), so name prefixes list nothing. */
    boolean listPrefixAsFolder;
    /** Whether path(location) knows no location (does not round-trip location(path)). */
    boolean pathKnowsNothing;
    /** Files look this much older than they are. */
    Duration age = Duration.ZERO;

    @Override
    public String location() {
      return root;
    }

    @Override
    public String location(String path) {
      String loc = root + path;
      return dropFolderSlash && loc.endsWith("/") ? loc.substring(0, loc.length() - 1) : loc;
    }

    @Override
    public Optional<String> path(String location) {
      if (pathKnowsNothing) {
        return Optional.empty();
      }
      return location.startsWith(root)
          ? Optional.of(location.substring(root.length()))
          : Optional.empty();
    }

    @Override
    public List<StoredFile> list(String prefix) {
      String p = listByFolderOnly ? prefix.substring(0, prefix.lastIndexOf('/') + 1) : prefix;
      if (listPrefixAsFolder && !p.isEmpty() && !p.endsWith("/")) {
        p = p + "/";
      }
      List<StoredFile> out = new ArrayList<>();
      for (StoredFile f : mem.list(p)) {
        out.add(new StoredFile(f.path(), f.size(), f.lastModified().minus(age)));
      }
      if (reverseList) {
        Collections.reverse(out);
      }
      return out;
    }

    @Override
    public void read(String path, long position, ByteBuffer into) throws IOException {
      mem.read(path, position, into);
    }

    @Override
    public InputStream open(String path) throws IOException {
      return mem.open(path);
    }

    @Override
    public StagedOutput create(String path, WriteMode mode) {
      return mem.create(path, mode);
    }

    @Override
    public long[] commit(List<StagedOutput> outputs) throws IOException {
      long[] sizes = new long[outputs.size()];
      for (int i = 0; i < outputs.size(); i++) {
        if (i == failCommitAfter) {
          outputs.get(i).abort();
          throw new IOException("injected: cannot commit " + outputs.get(i).path());
        }
        sizes[i] = outputs.get(i).commit();
      }
      return sizesLength < 0 ? sizes : new long[sizesLength];
    }

    @Override
    public void delete(Collection<String> paths) {
      mem.delete(paths);
    }

    @Override
    public int deleteFolder(String folder) {
      return mem.deleteFolder(folder);
    }

    String text(String path) {
      byte[] b = mem.bytes(path);
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
  }

  private static SourceFile file(String id) {
    byte[] none = new byte[0];
    return SourceFile.builder()
        .id(id)
        .name(id)
        .opener(offset -> new ByteArrayInputStream(none))
        .build();
  }

  /** Stages one output per partition with the given text, commits. */
  private static Staging commit(
      FileStoreSink sink, String source, String text, Map<String, String>... parts)
      throws IOException {
    Staging s = sink.stage(TABLE, file(source));
    for (Map<String, String> p : parts) {
      try (OutputStream out = s.newOutput(p)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    s.commit();
    return s;
  }

  private static Staging staged(
      FileStoreSink sink, String source, String text, Map<String, String>... parts)
      throws IOException {
    Staging s = sink.stage(TABLE, file(source));
    for (Map<String, String> p : parts) {
      try (OutputStream out = s.newOutput(p)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    return s;
  }

  @Test
  void build_withoutStore_failsEarly_namingTheFix() {
    assertThatThrownBy(() -> FileStoreSink.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot build FileStoreSink: the store is missing");
    assertThatThrownBy(() -> FileStoreSink.builder().orphanGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A root without its trailing slash: every URI the sink hands the catalog is wrong, and nothing says so. */
  @Test
  void storeWhoseRootLacksTheTrailingSlash_isRefusedAtBuild() {
    Hostile store = new Hostile();
    store.root = "mem://lake"; // location("bronze/...") is then "mem://lakebronze/..."
    assertThatThrownBy(() -> FileStoreSink.builder().store(store).build())
        .as(
            "a sink over a store whose location() does not end in / (FileStore#location promises it)")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("its location() mem://lake does not end in /")
        .hasMessageContaining("FileStoreContract");
  }

  /** Sink.location promises a trailing slash; a store that drops it makes location(table, partition) wrong. */
  @Test
  void storeWhoseFolderLocationsLackTheSlash_isRefusedAtBuild() {
    Hostile store = new Hostile();
    store.dropFolderSlash = true;
    assertThatThrownBy(() -> FileStoreSink.builder().store(store).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a folder below mem://lake/");
    assertThat(FileStoreSink.builder().store(new Hostile()).build().location(TABLE, Y2024))
        .isEqualTo("mem://lake/bronze/mem/events/year=2024/");
  }

  @Test
  void commitThatFailsPartWay_versioned_leavesNothingNewVisible() throws IOException {
    Hostile store = new Hostile();
    FileStoreSink sink = FileStoreSink.builder().store(store).build();
    commit(sink, "a.csv", "old", Y2023, Y2024);
    List<String> before = store.mem.paths();

    store.failCommitAfter = 1;
    try (Staging s = staged(sink, "a.csv", "new", Y2023, Y2024)) {
      assertThatThrownBy(s::commit)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("injected");
    }
    assertThat(store.mem.paths()).isEqualTo(before);
    assertThat(store.mem.inProgress()).isEmpty();
  }

  /**
   * In place, a commit failing after the first output cannot be taken back (the class documents it): the failure
   * is loud, no file is left half-written or in progress, and the next successful commit replaces them all.
   */
  @Test
  void commitThatFailsPartWay_inPlace_failsLoudly_andLeavesEveryFileWhole() throws IOException {
    Hostile store = new Hostile();
    FileStoreSink sink = FileStoreSink.builder().store(store).replaceInPlace().build();
    commit(sink, "a.csv", "old", Y2023, Y2024);
    List<String> paths = store.mem.paths();

    store.failCommitAfter = 1;
    try (Staging s = staged(sink, "a.csv", "new", Y2023, Y2024)) {
      assertThatThrownBy(s::commit)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("injected");
    }
    assertThat(store.mem.paths()).isEqualTo(paths);
    assertThat(store.mem.inProgress()).isEmpty();
    assertThat(paths).allSatisfy(p -> assertThat(store.text(p)).as(p).isIn("old", "new"));
    store.failCommitAfter = -1;
    commit(sink, "a.csv", "newer", Y2023, Y2024).close();
    assertThat(store.mem.paths()).isEqualTo(paths);
    assertThat(paths).allSatisfy(p -> assertThat(store.text(p)).as(p).isEqualTo("newer"));
  }

  /** A store whose batched commit returns too few sizes: the sink should fail as a commit failure and take back. */
  @Test
  void commitReturningTooFewSizes_failsAsACommitFailure_andTakesBack() throws IOException {
    Hostile store = new Hostile();
    store.sizesLength = 0;
    FileStoreSink sink = FileStoreSink.builder().store(store).build();
    Throwable thrown;
    try (Staging s = staged(sink, "a.csv", "new", Y2024)) {
      thrown = org.assertj.core.api.Assertions.catchThrowable(s::commit);
    }
    List<String> left = store.mem.paths();
    org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
      soft.assertThat(thrown).isNotNull().isNotInstanceOf(ArrayIndexOutOfBoundsException.class);
      soft.assertThat(left).as("files of a failed commit").isEmpty();
    });
  }

  /** Nothing in the sink depends on the listing's order. */
  @Test
  void unsortedListing_changesNothing() throws IOException {
    for (boolean inPlace : new boolean[] {false, true}) {
      Hostile sorted = new Hostile();
      Hostile reversed = new Hostile();
      reversed.reverseList = true;
      List<List<String>> results = new ArrayList<>();
      for (Hostile store : List.of(sorted, reversed)) {
        FileStoreSink.Builder b = FileStoreSink.builder().store(store).orphanGrace(Duration.ZERO);
        FileStoreSink sink = (inPlace ? b.replaceInPlace() : b).build();
        commit(sink, "a.csv", "v1", Y2023, Y2024, Y2024, Y2024).close();
        commit(sink, "b.csv", "b1", Y2024).close();
        List<String> v1 = new ArrayList<>();
        for (String p : store.mem.paths()) {
          v1.add(store.location(p.substring(0, p.lastIndexOf('/') + 1)));
        }
        Staging s = commit(sink, "a.csv", "v2", Y2024);
        s.removeReplaced(v1);
        s.close();
        Staging t = commit(sink, "a.csv", "v3", Y2024);
        t.removeReplaced();
        t.close();
        List<String> names = new ArrayList<>();
        for (String p : store.mem.paths()) {
          names.add(p.replaceAll("v-([0-9a-f]{8})-[A-Za-z0-9-]+", "v-$1-X") + "=" + store.text(p));
        }
        results.add(names);
      }
      assertThat(results.get(1)).as("in place: " + inPlace).isEqualTo(results.get(0));
    }
  }

  /**
   * A store whose list(prefix) treats a name prefix as its folder (a contract violation FileStoreContract catches,
   * but FileStoreSink is public over "any FileStore"): source a's sweep after removeReplaced(Collection) then deletes
   * source b's current version folder, the one the catalog points at. The sweep lacks the startsWith(prefix) check
   * that removeReplaced() has.
   */
  @Test
  void sweep_neverDeletesAnotherSourcesFolder_evenIfTheListingIsTooWide() throws IOException {
    Hostile store = new Hostile();
    store.listByFolderOnly = true;
    sweepScenario(store);
  }

  private static void sweepScenario(Hostile store) throws IOException {
    FileStoreSink sink = FileStoreSink.builder().store(store).build(); // default grace: 1 hour
    commit(sink, "b.csv", "b-current", Y2024).close();
    store.age = Duration.ofHours(2); // b committed two hours ago; the catalog points at it
    List<String> bFiles = store.mem.paths();

    Staging a = commit(sink, "a.csv", "a1", Y2024);
    a.removeReplaced(List.of());
    a.close();
    assertThat(store.mem.paths()).as("source b's current files").containsAll(bFiles);
  }

  /**
   * Staging#removeReplaced(Collection) deletes no version folder an overlapping run may have committed and be about
   * to register: with the default grace (an hour) or no sweep, run 2's fresh folder stays when run 1 cleans up. (A
   * grace of zero would sweep it, which is safe only under a catalog's compare-and-set: Builder#orphanGrace says so.)
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void removeReplacedOfCollection_neverDeletesAnOverlappingRunsFolder(boolean sweep)
      throws Exception {
    Hostile store = new Hostile();
    FileStoreSink.Builder b = FileStoreSink.builder().store(store);
    FileStoreSink sink = (sweep ? b : b.noOrphanSweep()).build();
    Staging run1 = staged(sink, "a.csv", "run1", Y2024); // older version id
    Thread.sleep(2);
    Staging run2 = staged(sink, "a.csv", "run2", Y2024);
    List<DataFile> run2Files = run2.commit(); // not yet registered
    Thread.sleep(2);
    run1.commit();
    run1.removeReplaced(List.of()); // the catalog pointed at nothing before
    String run2File = store.path(run2Files.get(0).location()).orElseThrow();
    assertThat(store.mem.paths()).as("the folder run 2 is about to register").contains(run2File);
  }

  /**
   * In place, a source that shrinks from 3 files to 1 in a partition: the sink deletes its files past the new ones
   * by listing the name prefix part-<key>-. Over a store that lists a name prefix as a folder (nothing), the two
   * stale files stay and readers of the partition folder see old rows beside the new ones; the sink could notice,
   * since the listing does not even show the file it has just committed.
   */
  @Test
  void inPlace_shrinkingSource_leavesNoStaleFile_orFailsLoudly() throws IOException {
    Hostile store = new Hostile();
    store.listPrefixAsFolder = true;
    shrinkScenario(store);
  }

  private static void shrinkScenario(Hostile store) throws IOException {
    FileStoreSink sink = FileStoreSink.builder().store(store).replaceInPlace().build();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
      commit(sink, "a.csv", "v1", Y2024, Y2024, Y2024).close();
      try (Staging s = staged(sink, "a.csv", "v2", Y2024)) {
        s.commit();
        s.removeReplaced(List.of(store.location("bronze/mem/events/year=2024/")));
      }
    });
    List<String> left = store.mem.paths();
    if (store.listPrefixAsFolder) {
      assertThat(thrown)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("the store's listing does not show")
          .hasMessageContaining("breaks the FileStore contract (list(prefix))");
    } else if (thrown != null) {
      throw new AssertionError("a well-behaved store failed", thrown);
    }
    if (thrown == null) {
      assertThat(left)
          .as("no failure, so no file of the older commit may be left")
          .allSatisfy(p -> assertThat(store.text(p)).isEqualTo("v2"));
    }
  }

  /**
   * A store whose path(location) does not invert location(path): removeReplaced(Collection) skips every location
   * with a WARN, so each commit leaks the previous version folder, for ever, and orphans() finds none of them.
   */
  @Test
  void storeWhosePathDoesNotInvertLocation_isRefusedAtBuild() throws IOException {
    Hostile store = new Hostile();
    store.pathKnowsNothing = true;
    pathScenario(store);
  }

  private static void pathScenario(Hostile store) throws IOException {
    Throwable atBuild = org.assertj.core.api.Assertions.catchThrowable(
        () -> FileStoreSink.builder().store(store).build());
    if (atBuild == null) {
      FileStoreSink sink = FileStoreSink.builder().store(store).build();
      Staging one = staged(sink, "a.csv", "v1", Y2024);
      String v1Folder = one.commit().get(0).location().replaceAll("[^/]*$", "");
      one.close();
      Staging two = staged(sink, "a.csv", "v2", Y2024);
      two.commit();
      two.removeReplaced(List.of(v1Folder));
      two.close();
      assertThat(store.mem.paths())
          .as("the replaced folder " + v1Folder + " is gone")
          .hasSize(1);
    }
  }

  /** Controls: the same scenarios over a store that keeps the SPI's promises pass. */
  @Test
  void controls_overAWellBehavedStore_theScenariosPass() throws IOException {
    sweepScenario(new Hostile());
    shrinkScenario(new Hostile());
    pathScenario(new Hostile());
  }
}
