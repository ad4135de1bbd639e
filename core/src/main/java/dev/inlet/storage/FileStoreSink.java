package dev.inlet.storage;

import dev.inlet.Catalog;
import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.storage.FileStore.WriteMode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sink} over any {@link FileStore}: the one implementation of staging, laid out by {@link Layout} below the
 * store's root. {@link dev.inlet.local.LocalWarehouse} (over a {@link LocalFileStore}) and {@code
 * dev.inlet.aws.s3.S3Sink} in inlet-aws (over S3) are front doors to it, and a store of one's own (Azure, GCS, HDFS,
 * memory) becomes a sink with {@code FileStoreSink.builder().store(myStore).build()}. The rules live here once:
 * names and version folders ({@link Layout#dataFilePath}) or the in-place layout ({@link Layout#inPlaceFilePath});
 * commit, and what a failed commit takes back; which files {@link Staging#removeReplaced()}, {@link
 * Staging#removeReplaced(Collection)} and {@link Staging#removeCommitted()} delete; and the sweep of a source's orphan
 * version folders.
 *
 * <p>Outputs are staged with {@link FileStore#create} and become visible when the staging commits; a failed commit
 * aborts what it had not yet committed. Partitioned outputs go to a new version folder per commit (the default), or,
 * with {@link Builder#replaceInPlace()}, replace the source's files in the partition folder under deterministic names
 * (for catalogs that derive partitions from folders, see {@link dev.inlet.Catalog#needsInPlaceLayout()}). Rejected
 * rows ({@link Staging#newRejectsOutput()}) go to {@code <table>/_rejects/}.
 *
 * <p>Thread-safe: stagings of different source files may run at once; each staging is used by one thread. The sink
 * does not close its store.
 */
public final class FileStoreSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(FileStoreSink.class);

  private final FileStore store;
  private final boolean inPlace;
  private final WriteMode mode;
  private final Duration orphanGrace;

  /** How old an unreferenced version folder must be before a later commit sweeps it, unless the builder says. */
  public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(1);

  private FileStoreSink(Builder b) {
    this.store = b.store;
    this.inPlace = b.inPlace;
    this.mode = b.mode;
    this.orphanGrace = b.orphanGrace;
  }

  /**
   * A builder; {@link Builder#store(FileStore)} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The store written to.
   *
   * @return the store
   */
  public FileStore store() {
    return store;
  }

  /** Whether partitioned files are replaced in place ({@link Builder#replaceInPlace()}), not in version folders. */
  @Override
  public boolean replacesInPlace() {
    return inPlace;
  }

  /** The URI of {@code table}'s folder, {@code <store root>/bronze/<database>/<table>/}. */
  @Override
  public String location(TableId table) {
    return store.location(Layout.tablePath(table) + "/");
  }

  /** Starts staging the outputs of {@code file} into {@code table}; creates nothing in the store yet. */
  @Override
  public Staging stage(TableId table, SourceFile file) {
    return new StoreStaging(
        Objects.requireNonNull(table, "table"),
        Objects.requireNonNull(file, "file").id());
  }

  /**
   * The version folders below {@code bronze/} that no partition of {@code catalog}'s tables in {@code databases}
   * references and whose newest file is older than {@code olderThan}: leftovers of runs that stopped between commit
   * and registration. Only the partition folders of the partitions the catalog records are listed; partitions
   * outside this store's {@code bronze/} are ignored (a catalog may name folders of another lake).
   *
   * @param catalog the catalog whose partitions are the referenced folders
   * @param databases the databases whose tables are looked at
   * @param olderThan the least age of a folder's newest file for it to count
   * @return the orphaned folders, as paths ending in {@code /}, sorted
   * @throws IOException if listing fails
   */
  public List<String> orphans(Catalog catalog, Collection<String> databases, Duration olderThan)
      throws IOException {
    Objects.requireNonNull(catalog, "catalog");
    Instant cutoff = Instant.now().minus(Objects.requireNonNull(olderThan, "olderThan"));
    Set<String> referenced = new HashSet<>();
    Set<String> partitionDirs = new java.util.TreeSet<>();
    for (String database : databases) {
      for (TableId t : catalog.listTables(database)) {
        for (dev.inlet.Partition p : catalog.partitions(t)) {
          Optional<String> path = store.path(p.location());
          if (path.isEmpty() || !path.get().startsWith(Layout.ZONE + "/")) {
            continue;
          }
          String dir = path.get().endsWith("/") ? path.get() : path.get() + "/";
          referenced.add(dir);
          String name = dir.substring(dir.lastIndexOf('/', dir.length() - 2) + 1, dir.length() - 1);
          partitionDirs.add(
              Layout.isVersionDir(name) ? dir.substring(0, dir.length() - name.length() - 1) : dir);
        }
      }
    }
    Map<String, Instant> newest = new TreeMap<>();
    for (String dir : partitionDirs) {
      for (StoredFile f : store.list(dir)) {
        int slash = f.path().indexOf('/', dir.length());
        String child = slash < 0 ? null : f.path().substring(0, slash + 1);
        if (child != null
            && Layout.isVersionDir(child.substring(dir.length(), child.length() - 1))
            && !referenced.contains(child)) {
          newest.merge(child, f.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    List<String> orphans = new ArrayList<>();
    newest.forEach((dir, time) -> {
      if (time.isBefore(cutoff)) {
        orphans.add(dir);
      }
    });
    return orphans;
  }

  /**
   * Deletes the {@link #orphans} of {@code catalog}'s tables in {@code databases}: every file under each.
   *
   * @param catalog the catalog whose partitions are the referenced folders
   * @param databases the databases whose tables are looked at
   * @param olderThan the least age of a folder's newest file for it to count
   * @return how many version folders were deleted
   * @throws IOException if listing or a delete fails (the folders before it are deleted)
   */
  public int removeOrphans(Catalog catalog, Collection<String> databases, Duration olderThan)
      throws IOException {
    List<String> orphans = orphans(catalog, databases, olderThan);
    for (String folder : orphans) {
      store.deleteFolder(folder);
      LOG.debug("Removed the orphan version folder {}", store.location(folder));
    }
    return orphans.size();
  }

  private enum State {
    OPEN,
    COMMITTED,
    ABORTED
  }

  private record Output(Map<String, String> partition, StagedOutput out) {}

  /** The outputs of one source file. Used by one thread at a time. */
  private final class StoreStaging implements Staging {
    private final TableId table;
    private final String tableDir;
    private final String sourceId;
    private final String version = Layout.newVersion();
    private final List<Output> outputs = new ArrayList<>();
    /** Per folder written (a partition folder, or the table folder), how many files this staging put there. */
    private final Map<String, Integer> nextSeq = new LinkedHashMap<>();
    /** This staging's own version folders, ending in {@code /}. */
    private final Set<String> versionDirs = new LinkedHashSet<>();

    private StagedOutput rejects;
    private State state = State.OPEN;
    private Instant committedAt;

    StoreStaging(TableId table, String sourceId) {
      this.table = table;
      this.tableDir = Layout.tablePath(table) + "/";
      this.sourceId = sourceId;
    }

    @Override
    public OutputStream newOutput(Map<String, String> partition) throws IOException {
      Objects.requireNonNull(partition, "partition");
      requireOpen("open an output for");
      Map<String, String> values = new LinkedHashMap<>(partition);
      String partitionPath = Layout.partitionPath(values);
      String dir = partitionPath.isEmpty() ? tableDir : tableDir + partitionPath + "/";
      int seq = nextSeq.merge(dir, 1, Integer::sum) - 1;
      String path = tableDir
          + (inPlace
              ? Layout.inPlaceFilePath(values, sourceId, seq)
              : Layout.dataFilePath(values, sourceId, version, seq));
      if (!inPlace && !values.isEmpty()) {
        versionDirs.add(dir + Layout.versionDir(sourceId, version) + "/");
      }
      StagedOutput out = store.create(path, mode);
      outputs.add(new Output(values, out));
      return out;
    }

    @Override
    public OutputStream newRejectsOutput() throws IOException {
      requireOpen("open the rejects output for");
      if (rejects != null) {
        throw new IllegalStateException(
            "Cannot open a second rejects output for source " + sourceId);
      }
      rejects = store.create(tableDir + Layout.rejectsPath(sourceId), mode);
      return rejects;
    }

    @Override
    public List<DataFile> commit() throws IOException {
      requireOpen("commit");
      if (rejects != null && !rejects.isClosed()) {
        throw new IllegalStateException("Cannot commit the rejected rows of source " + sourceId
            + ": the rejects output is still open; close it before commit");
      }
      for (Output o : outputs) {
        if (!o.out().isClosed()) {
          throw new IllegalStateException(
              "Cannot commit " + store.location(o.out().path()) + " of source " + sourceId
                  + ": its output stream is still open; close every output before commit");
        }
      }
      List<StagedOutput> all = new ArrayList<>(outputs.size() + 1);
      outputs.forEach(o -> all.add(o.out()));
      if (rejects != null) {
        all.add(rejects);
      }
      long[] sizes;
      try {
        sizes = store.commit(all);
        if (sizes == null || sizes.length != all.size()) {
          throw new IOException("Cannot commit the outputs of source " + sourceId + " to "
              + location(table) + ": the store's commit returned "
              + (sizes == null ? "no sizes" : sizes.length + " sizes") + " for " + all.size()
              + " outputs; " + store.getClass().getName() + " breaks the FileStore contract");
        }
      } catch (IOException | RuntimeException e) {
        takeBack(e);
        throw e;
      }
      List<DataFile> files = new ArrayList<>(outputs.size());
      for (int i = 0; i < outputs.size(); i++) {
        Output o = outputs.get(i);
        files.add(new DataFile(o.partition(), store.location(o.out().path()), sizes[i]));
      }
      state = State.COMMITTED;
      committedAt = Instant.now();
      // Outputs replaced in place (all in that mode, else unpartitioned ones): drop the source's
      // files past the new
      // ones now.
      for (Map.Entry<String, Integer> e : nextSeq.entrySet()) {
        if (inPlace || e.getKey().equals(tableDir)) {
          store.delete(sourceFilesIn(e.getKey(), e.getValue(), Set.of(), committedPaths()));
        }
      }
      LOG.debug("Committed {} files of {} to {}", files.size(), sourceId, location(table));
      return files;
    }

    /**
     * After a commit failed part-way: aborts the outputs not committed, deletes the ones already committed into this
     * staging's own version folders (nothing points at them yet) and the folders left empty. Files replaced in place
     * cannot be taken back.
     */
    private void takeBack(Exception failure) {
      try {
        abort();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
      List<String> own = new ArrayList<>();
      for (Output o : outputs) {
        if (versionDirs.stream().anyMatch(o.out().path()::startsWith)) {
          own.add(o.out().path());
        }
      }
      try {
        store.delete(own);
        for (String dir : versionDirs) {
          store.deleteEmptyFolders(dir);
        }
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }

    @Override
    public void removeReplaced() throws IOException {
      requireCommitted("remove the files replaced by");
      String prefix = Layout.versionDirPrefix(sourceId);
      String own = Layout.versionDir(sourceId, version);
      for (String dir : nextSeq.keySet()) {
        if (dir.equals(tableDir)) {
          continue;
        }
        Set<String> older = new LinkedHashSet<>();
        List<String> inPlaceFiles = new ArrayList<>();
        for (StoredFile f : store.list(dir)) {
          String rest = f.path().substring(dir.length());
          int slash = rest.indexOf('/');
          if (slash < 0) {
            if (!inPlace && Layout.fileSeq(sourceId, rest) >= 0) {
              inPlaceFiles.add(f.path()); // files of the in-place layout
            }
          } else {
            String name = rest.substring(0, slash);
            // Only older versions (names sort by their UTC time): a newer one belongs to a run that
            // overlapped
            // this one and may already be what the catalog points at.
            if (name.startsWith(prefix) && Layout.isVersionDir(name) && name.compareTo(own) < 0) {
              older.add(dir + name + "/");
            }
          }
        }
        for (String folder : older) {
          store.deleteFolder(folder);
        }
        store.delete(inPlaceFiles);
      }
    }

    @Override
    public void removeReplaced(Collection<String> replaced) throws IOException {
      requireCommitted("remove the files replaced by");
      String prefix = Layout.versionDirPrefix(sourceId);
      Set<String> written = committedPaths();
      String zone = Layout.ZONE + "/";
      for (String location : replaced) {
        Optional<String> path = store.path(location);
        if (path.isEmpty() || !path.get().startsWith(zone)) {
          // E.g. a catalog copied from another lake still naming its folders: never delete those.
          LOG.warn(
              "Not removing replaced {}: it is outside this sink ({})",
              location,
              store.location(zone));
          continue;
        }
        String dir = path.get().endsWith("/") ? path.get() : path.get() + "/";
        if (versionDirs.contains(dir)) {
          continue; // our own folder
        }
        String name = dir.substring(dir.lastIndexOf('/', dir.length() - 2) + 1, dir.length() - 1);
        if (name.startsWith(prefix) && Layout.isVersionDir(name)) {
          store.deleteFolder(dir);
          if (!dir.startsWith(tableDir)) {
            // A partition moved from the older layout bronze/<table>/: its folders go once empty.
            store.deleteEmptyFolders(dir.substring(0, dir.length() - name.length() - 1));
          }
        } else if (!Layout.isVersionDir(name) && !dir.equals(tableDir)) {
          // A partition folder of the in-place layout: this source's files there, but not the ones
          // just committed.
          store.delete(sourceFilesIn(dir, 0, written, written));
        } else {
          LOG.warn("Not removing replaced {}: not a folder of source {}", location, sourceId);
        }
      }
      if (orphanGrace != null) {
        sweepOrphans(prefix);
      }
    }

    /** Deletes this source's other version folders in the partitions written, last modified before the grace. */
    private void sweepOrphans(String prefix) throws IOException {
      Instant cutoff = committedAt.minus(orphanGrace);
      for (String dir : nextSeq.keySet()) {
        if (dir.equals(tableDir)) {
          continue;
        }
        Map<String, Instant> newest = new TreeMap<>();
        for (StoredFile f : store.list(dir + prefix)) {
          // only what the prefix names, even from a store whose listing is too wide
          int slash = f.path().startsWith(dir + prefix) ? f.path().indexOf('/', dir.length()) : -1;
          if (slash > 0) {
            newest.merge(
                f.path().substring(0, slash + 1), f.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
          }
        }
        for (Map.Entry<String, Instant> e : newest.entrySet()) {
          String folder = e.getKey();
          String name = folder.substring(dir.length(), folder.length() - 1);
          if (!versionDirs.contains(folder)
              && name.startsWith(prefix)
              && Layout.isVersionDir(name)
              && e.getValue().isBefore(cutoff)) {
            LOG.debug(
                "Sweeping {}: an unreferenced version folder older than {}", folder, orphanGrace);
            store.deleteFolder(folder);
          }
        }
      }
    }

    @Override
    public void removeCommitted() throws IOException {
      requireCommitted("remove the files committed by");
      for (String dir : versionDirs) {
        store.deleteFolder(dir);
      }
    }

    /** The paths of this staging's committed outputs. */
    private Set<String> committedPaths() {
      Set<String> paths = new HashSet<>();
      outputs.forEach(o -> paths.add(o.out().path()));
      return paths;
    }

    /**
     * This source's files directly in {@code dir} with a sequence number of {@code firstStale} or more, except
     * {@code keep}. The listing must show the files of {@code committed} that lie directly in {@code dir}: a store
     * whose listing misses them would leave the source's stale files beside the new ones unnoticed, so that fails.
     */
    private List<String> sourceFilesIn(
        String dir, int firstStale, Set<String> keep, Set<String> committed) throws IOException {
      List<String> stale = new ArrayList<>();
      Set<String> unseen = new java.util.TreeSet<>();
      for (String c : committed) {
        if (c.startsWith(dir) && c.indexOf('/', dir.length()) < 0) {
          unseen.add(c);
        }
      }
      for (StoredFile f : store.list(dir + Layout.filePrefix(sourceId))) {
        unseen.remove(f.path());
        if (!f.path().startsWith(dir)) {
          continue;
        }
        String name = f.path().substring(dir.length());
        if (name.indexOf('/') < 0
            && Layout.fileSeq(sourceId, name) >= firstStale
            && !keep.contains(f.path())) {
          stale.add(f.path());
        }
      }
      if (!unseen.isEmpty()) {
        throw new IOException("Cannot replace the files of source " + sourceId + " in "
            + store.location(dir) + ": the store's listing does not show " + unseen
            + ", just committed, so stale files of the source may be left beside them; "
            + store.getClass().getName() + " breaks the FileStore contract (list(prefix))");
      }
      return stale;
    }

    @Override
    public void abort() {
      if (state != State.OPEN) {
        return;
      }
      state = State.ABORTED;
      List<StagedOutput> all = new ArrayList<>();
      outputs.forEach(o -> all.add(o.out()));
      if (rejects != null) {
        all.add(rejects);
      }
      RuntimeException first = null;
      // Newest first: a folder made for an earlier output is then empty when that output goes, and
      // goes with it.
      for (int i = all.size() - 1; i >= 0; i--) {
        try {
          all.get(i).abort();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public void close() {
      abort();
    }

    private void requireOpen(String verb) {
      if (state != State.OPEN) {
        throw new IllegalStateException("Cannot " + verb + " " + sourceId + " in " + location(table)
            + ": the staging is already " + state.name().toLowerCase(Locale.ROOT));
      }
    }

    private void requireCommitted(String verb) {
      if (state != State.COMMITTED) {
        throw new IllegalStateException("Cannot " + verb + " " + sourceId + " in " + location(table)
            + ": the staging is not committed");
      }
    }
  }

  @Override
  public String toString() {
    return "FileStoreSink[" + store.location() + (inPlace ? ", in place" : ", versioned") + ", "
        + mode + (orphanGrace == null ? ", no orphan sweep" : ", orphan grace " + orphanGrace)
        + "]";
  }

  /**
   * Builds a {@link FileStoreSink}. {@link #store(FileStore)} is required; the layout is versioned, commits replace
   * files of the same name, and orphan version folders are swept after {@link #DEFAULT_ORPHAN_GRACE}, unless set.
   */
  public static final class Builder {
    private FileStore store;
    private boolean inPlace;
    private WriteMode mode = WriteMode.REPLACE;
    private Duration orphanGrace = DEFAULT_ORPHAN_GRACE;

    private Builder() {}

    /**
     * The store the lake lives in; {@code bronze/} is below its root.
     *
     * @param store the store
     * @return this builder
     * @throws IllegalArgumentException if {@code store} is null
     */
    public Builder store(FileStore store) {
      if (store == null) {
        throw new IllegalArgumentException("Cannot set the store of a FileStoreSink: it is null");
      }
      this.store = store;
      return this;
    }

    /**
     * Writes partitioned files directly in the partition folder under deterministic names and replaces them there,
     * instead of in a new version folder per commit: for catalogs that derive partitions from folders. Readers
     * listing a partition may briefly see a mix of old and new files of one source during a commit, and a commit
     * that fails part-way cannot take back the files it already replaced: the failure is reported (the pipeline then
     * registers nothing), every file is whole, and the next successful commit of the source replaces them all.
     * Unpartitioned outputs are always replaced in place.
     *
     * @return this builder
     */
    public Builder replaceInPlace() {
      this.inPlace = true;
      return this;
    }

    /**
     * Whether a commit may replace a file of the same name ({@link WriteMode#REPLACE}, the default) or fails
     * instead ({@link WriteMode#CREATE_ONLY}).
     *
     * @param mode the write mode
     * @return this builder
     * @throws IllegalArgumentException if {@code mode} is null
     */
    public Builder writeMode(WriteMode mode) {
      if (mode == null) {
        throw new IllegalArgumentException(
            "Cannot set the write mode of a FileStoreSink: it is null; use REPLACE or CREATE_ONLY");
      }
      this.mode = mode;
      return this;
    }

    /**
     * How long before a commit another version folder of the same source in a partition written must have been last
     * modified for {@link Staging#removeReplaced(Collection)} to sweep it (a leftover of a run that crashed between
     * commit and registration); default {@link #DEFAULT_ORPHAN_GRACE}. Safe for any age above the store's timestamp
     * granularity and the clock skew between writers: a run that committed before this commit's registration read
     * the catalog before it too, so its compare-and-set can no longer succeed and its folder will never be
     * referenced. The one window left: a writer paused for longer than the grace between its last write and its
     * registration's catalog read (a suspended process) could have its folder swept under it; pick a grace longer
     * than any pause. This holds for a {@link dev.inlet.Pipeline} over a catalog that guards partitions by
     * compare-and-set; a writer of its own without one should call {@link #noOrphanSweep()}.
     *
     * @param grace zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code grace} is null or negative
     */
    public Builder orphanGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException(
            "Cannot set the orphan grace of a FileStoreSink: it must be zero or more, not " + grace
                + "; call noOrphanSweep() to never sweep");
      }
      this.orphanGrace = grace;
      return this;
    }

    /**
     * Never sweeps a source's other version folders at {@link Staging#removeReplaced(Collection)}; leftovers of
     * crashed runs then stay until {@link FileStoreSink#removeOrphans} is run.
     *
     * @return this builder
     */
    public Builder noOrphanSweep() {
      this.orphanGrace = null;
      return this;
    }

    /**
     * Builds the sink, checking the store's locations as the sink relies on them (the first rules of {@code
     * FileStoreContract}): {@code location()} ends in {@code /}, a folder's location ends in {@code /}, and {@code
     * path(location(p))} gives {@code p} back. A store that breaks them would have the catalog record wrong
     * locations, or replaced files never deleted.
     *
     * @return the sink
     * @throws IllegalStateException if the store is missing or its locations break those rules
     */
    public FileStoreSink build() {
      if (store == null) {
        throw new IllegalStateException(
            "Cannot build FileStoreSink: the store is missing; call store(LocalFileStore.at(Path.of(\"lake\")))"
                + " or store(yourFileStore)");
      }
      String root = store.location();
      String folder = Layout.ZONE + "/db/t/";
      String file = folder + "part-x-00000.parquet";
      String why = null;
      if (root == null || !root.endsWith("/")) {
        why = "its location() " + root + " does not end in /";
      } else if (!store.location(folder).endsWith("/")
          || !store.location(folder).startsWith(root)) {
        why = "the location of folder " + folder + " is " + store.location(folder)
            + ", not a folder below " + root;
      } else if (!store.path(store.location(file)).equals(Optional.of(file))
          || !store.path(store.location(folder)).equals(Optional.of(folder))) {
        why = "path(location(p)) does not give p back for " + file + " or " + folder + " (got "
            + store.path(store.location(file)) + ", " + store.path(store.location(folder)) + ")";
      }
      if (why != null) {
        throw new IllegalStateException(
            "Cannot build FileStoreSink over " + store.getClass().getName()
                + ": " + why
                + "; the store breaks the FileStore contract (run FileStoreContract of inlet-testkit"
                + " against it)");
      }
      return new FileStoreSink(this);
    }
  }
}
