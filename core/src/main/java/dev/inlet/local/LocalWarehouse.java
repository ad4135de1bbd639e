package dev.inlet.local;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sink} writing to a local folder (the warehouse), laid out by {@link Layout}:
 * {@code <warehouse>/bronze/<database>/<table>/<key>=<value>/v-<source>-<version>/part-<source>-<seq>.parquet}, or
 * {@code <warehouse>/bronze/<database>/<table>/part-<source>-<seq>.parquet} for unpartitioned outputs. Tables of the
 * older layout {@code bronze/<table>/} stay readable and move on their next ingest (see {@link Layout}).
 *
 * <p>Outputs are written under hidden staging names ({@link Layout#stagingName(String)}), which Hive, Athena, Spark
 * and DuckDB skip, and become visible on {@link Staging#commit()}: each file is synced, then atomically renamed to
 * its final name. Partitioned outputs go to a new version folder; the previous version stays until
 * {@link Staging#removeReplaced()} (called by the pipeline once the catalog points at the new folder) deletes it.
 * Unpartitioned outputs replace the file of the same name in place, and the source's files with a higher sequence
 * number are deleted at commit. A crash before the renames leaves only hidden staging files, which
 * {@link #removeStaleStaging(Path, Duration)} cleans up. Rejected rows ({@link Staging#newRejectsOutput()}) go to
 * {@code <table>/_rejects/}. Thread-safe: stagings of different source files may run at once.
 *
 * <p>Overlapping runs (threads or processes) of the same source: {@link Staging#removeReplaced(java.util.Collection)}
 * deletes only the folder the catalog's compare-and-set swapped out, and {@link Staging#removeCommitted()} the
 * loser's own folder, so no run ever deletes a folder the catalog references or another run is about to register.
 * Version folders of runs that crashed between commit and registration are unreferenced leftovers;
 * {@link #removeOrphans(Path, dev.inlet.Catalog, Duration)} deletes them.
 *
 * <p>Two ways to replace a source's files in a partition, chosen when the sink is built:
 * <ul>
 *   <li><b>Versioned</b> (the default, {@link #at(Path)}): a new version folder per commit, as above. A catalog
 *       that records partition locations ({@link LocalCatalog}, AWS Glue written directly) is repointed in one
 *       step, so readers through the catalog never see a mix of old and new files nor an empty partition.
 *   <li><b>In place</b> ({@link Builder#replaceInPlace()}): files directly in the partition folder under their
 *       deterministic names ({@link Layout#inPlaceFilePath}), for catalogs that derive partitions from folders (a
 *       crawler, which would take a version folder for a second partition level). Commit renames each hidden file
 *       over the file of the same name (atomic per file), then deletes the source's files in those partitions with
 *       a higher sequence number; {@link Staging#removeReplaced()} deletes the source's version folders left by the
 *       versioned layout. Trade-off: while a commit runs (and after a crash in it, until the next successful run),
 *       a reader listing the partition may see a mix of old and new files of that source; each file is always
 *       complete.
 * </ul>
 */
public final class LocalWarehouse implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(LocalWarehouse.class);

  /** How old an unreferenced version folder must be before a later run sweeps it, unless the builder says. */
  public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(1);

  private final Path root;
  private final boolean inPlace;
  private final Duration orphanGrace;

  private LocalWarehouse(Path root, boolean inPlace, Duration orphanGrace) {
    this.root = root.toAbsolutePath().normalize();
    this.inPlace = inPlace;
    this.orphanGrace = orphanGrace;
  }

  /** A sink writing under {@code warehouse} (created when first written to), versioned layout. */
  public static LocalWarehouse at(Path warehouse) {
    return builder().root(warehouse).build();
  }

  /** A builder, for the in-place layout ({@link Builder#replaceInPlace()}). */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this sink replaces in place ({@link Builder#replaceInPlace()}) rather than in version folders. */
  @Override
  public boolean replacesInPlace() {
    return inPlace;
  }

  /** The warehouse root, absolute. */
  public Path root() {
    return root;
  }

  @Override
  public Staging stage(TableId table, SourceFile file) throws IOException {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(file, "file");
    return new LocalStaging(tableDir(table), file.id(), inPlace, orphanGrace);
  }

  @Override
  public String location(TableId table) {
    return directoryUri(tableDir(table));
  }

  /**
   * Deletes the staging files under {@code warehouse}'s {@code bronze} folder last modified more than
   * {@code olderThan} ago: leftovers of writers that crashed. Pick an age longer than any write can take, so that
   * files of running writers are kept.
   *
   * @return how many files were deleted
   */
  public static int removeStaleStaging(Path warehouse, Duration olderThan) throws IOException {
    Path zone = warehouse.toAbsolutePath().normalize().resolve(Layout.ZONE);
    if (!Files.isDirectory(zone)) {
      return 0;
    }
    Instant cutoff = Instant.now().minus(olderThan);
    int[] removed = {0};
    Files.walkFileTree(zone, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (Layout.isStagingName(f.getFileName().toString())
            && attrs.lastModifiedTime().toInstant().isBefore(cutoff) && Files.deleteIfExists(f)) {
          removed[0]++;
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (removed[0] > 0) {
      LOG.info("Removed {} stale staging files under {}", removed[0], zone);
    }
    return removed[0];
  }

  /**
   * Deletes the version folders under {@code warehouse}'s {@code bronze} folder that no partition of {@code catalog}
   * references and that were last modified more than {@code olderThan} ago: leftovers of runs that crashed between
   * commit and registration. Only the partition folders of partitions {@code catalog} records (in every database it
   * lists) are searched; a partition whose only commit crashed before it was ever registered is not.
   * Pick an age longer than any commit-to-registration step can take, so that a running writer's new folder is kept;
   * {@link Duration#ZERO} is safe only when no run is active.
   *
   * @return how many version folders were deleted
   */
  public static int removeOrphans(Path warehouse, dev.inlet.Catalog catalog, Duration olderThan) throws IOException {
    Path zone = warehouse.toAbsolutePath().normalize().resolve(Layout.ZONE);
    if (!Files.isDirectory(zone)) {
      return 0;
    }
    java.util.Set<Path> referenced = new java.util.HashSet<>();
    java.util.Set<Path> partitionDirs = new java.util.HashSet<>();
    List<String> databases = catalog instanceof LocalCatalog local ? local.listDatabases() : List.of();
    for (String db : databases) {
      for (TableId t : catalog.listTables(db)) {
        for (dev.inlet.Partition p : catalog.partitions(t)) {
          if (p.location().startsWith("file:")) {
            Path dir = Path.of(java.net.URI.create(p.location())).normalize();
            referenced.add(dir);
            partitionDirs.add(Layout.isVersionDir(dir.getFileName().toString()) ? dir.getParent() : dir);
          }
        }
      }
    }
    Instant cutoff = Instant.now().minus(olderThan);
    int removed = 0;
    for (Path partitionDir : partitionDirs) {
      if (!Files.isDirectory(partitionDir)) {
        continue;
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(partitionDir)) {
        for (Path child : children) {
          if (Layout.isVersionDir(child.getFileName().toString()) && Files.isDirectory(child)
              && !referenced.contains(child)
              && Files.getLastModifiedTime(child).toInstant().isBefore(cutoff)) {
            LocalStaging.hideAndDelete(partitionDir, child);
            removed++;
          }
        }
      }
    }
    if (removed > 0) {
      LOG.info("Removed {} orphan version folders under {}", removed, zone);
    }
    return removed;
  }

  private Path tableDir(TableId table) {
    return root.resolve(Layout.tablePath(table));
  }

  static String directoryUri(Path dir) {
    String uri = dir.toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  /**
   * Builds a {@link LocalWarehouse}. {@link #root(Path)} is required; the layout is versioned unless
   * {@link #replaceInPlace()} is called.
   */
  public static final class Builder {
    private Path root;
    private boolean inPlace;
    private Duration orphanGrace = DEFAULT_ORPHAN_GRACE;

    private Builder() {}

    /**
     * How long before the end of a commit another version folder of the same source in the same partition must have
     * been last modified for {@link Staging#removeReplaced(java.util.Collection)} to sweep it (a leftover of a run
     * that crashed between commit and registration, or before deleting what it replaced); default
     * {@link #DEFAULT_ORPHAN_GRACE}. Safe for any age above the file system's timestamp granularity and the clock
     * skew between writers: a run that committed before this commit's registration read the catalog before it too,
     * so its compare-and-set can no longer succeed and its folder will never be referenced. Folders whose files are
     * still being written stay (the newest time of the folder and its files counts). The one window left: a writer
     * paused for longer than the grace between its last write and its registration's catalog read (a suspended
     * process) could have its folder swept under it.
     */
    public Builder orphanGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("orphanGrace must be zero or more: " + grace);
      }
      this.orphanGrace = grace;
      return this;
    }

    /** The warehouse folder (created when first written to). */
    public Builder root(Path warehouse) {
      if (warehouse == null) {
        throw new IllegalArgumentException("warehouse must not be null");
      }
      this.root = warehouse;
      return this;
    }

    /**
     * Writes partitioned files directly in the partition folder under deterministic names and replaces them there,
     * instead of in a new version folder per commit: for catalogs that derive partitions from folders. Readers
     * listing a partition may briefly see a mix of old and new files of one source during a commit; see the class
     * documentation.
     */
    public Builder replaceInPlace() {
      this.inPlace = true;
      return this;
    }

    /** @throws IllegalStateException if the root is missing */
    public LocalWarehouse build() {
      if (root == null) {
        throw new IllegalStateException("Cannot build LocalWarehouse: the warehouse folder is missing; call"
            + " root(Path.of(\"warehouse\"))");
      }
      return new LocalWarehouse(root, inPlace, orphanGrace);
    }
  }

  /** The outputs of one source file. Used by one thread at a time. */
  private static final class LocalStaging implements Staging {
    private final Path tableDir;
    private final String sourceId;
    private final boolean inPlace;
    private final String version = Layout.newVersion();
    private final List<Output> outputs = new ArrayList<>();
    private final java.util.Set<Path> versionDirs = new java.util.LinkedHashSet<>();
    private final java.util.Set<Path> committedFiles = new java.util.HashSet<>();
    /** Partition folders this staging created, removed by abort when empty. */
    private final java.util.Set<Path> createdPartitionDirs = new java.util.LinkedHashSet<>();
    private Output rejects;
    private final Map<Path, Integer> nextSeq = new LinkedHashMap<>();
    private final Duration orphanGrace;
    private boolean committed;
    private boolean aborted;
    private Instant committedAt;

    LocalStaging(Path tableDir, String sourceId, boolean inPlace, Duration orphanGrace) {
      this.tableDir = tableDir;
      this.sourceId = sourceId;
      this.inPlace = inPlace;
      this.orphanGrace = orphanGrace;
    }

    @Override
    public OutputStream newOutput(Map<String, String> partition) throws IOException {
      requireOpen("open an output");
      String partitionPath = Layout.partitionPath(partition);
      Path partitionDir = partitionPath.isEmpty() ? tableDir : tableDir.resolve(partitionPath);
      int seq = nextSeq.merge(partitionDir, 1, Integer::sum) - 1;
      Path file = tableDir.resolve(inPlace ? Layout.inPlaceFilePath(partition, sourceId, seq)
          : Layout.dataFilePath(partition, sourceId, version, seq));
      Path dir = file.getParent();
      if (!dir.equals(partitionDir)) {
        versionDirs.add(dir);
      }
      if (!partitionDir.equals(tableDir) && !Files.isDirectory(partitionDir)) {
        createdPartitionDirs.add(partitionDir);
      }
      Files.createDirectories(dir);
      String name = file.getFileName().toString();
      Path staged = dir.resolve(Layout.stagingName(name));
      Output out = new Output(partition, staged, dir.resolve(name),
          Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      outputs.add(out);
      return out;
    }

    @Override
    public OutputStream newRejectsOutput() throws IOException {
      requireOpen("open the rejects output");
      if (rejects != null) {
        throw new IllegalStateException("Cannot open a second rejects output for source " + sourceId);
      }
      Path file = tableDir.resolve(Layout.rejectsPath(sourceId));
      Files.createDirectories(file.getParent());
      Path staged = file.resolveSibling(Layout.stagingName(file.getFileName().toString()));
      rejects = new Output(Map.of(), staged, file,
          Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      return rejects;
    }

    @Override
    public List<DataFile> commit() throws IOException {
      requireOpen("commit");
      if (rejects != null && !rejects.closed) {
        throw new IllegalStateException("Cannot commit the rejected rows of source " + sourceId
            + ": the rejects output is still open; close it before commit");
      }
      for (Output o : outputs) {
        if (!o.closed) {
          throw new IllegalStateException("Cannot commit " + o.finalPath.getFileName() + " of source " + sourceId
              + ": its output stream is still open; close every output before commit");
        }
      }
      try {
        for (Output o : outputs) {
          LocalFiles.sync(o.staged);
        }
        List<DataFile> files = new ArrayList<>(outputs.size());
        for (Output o : outputs) {
          Files.move(o.staged, o.finalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          files.add(new DataFile(o.partition, o.finalPath.toUri().toString(), Files.size(o.finalPath)));
          committedFiles.add(o.finalPath);
        }
        if (rejects != null) {
          LocalFiles.sync(rejects.staged);
          Files.move(rejects.staged, rejects.finalPath, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        committedAt = Instant.now();
        for (Path dir : versionDirs) {
          LocalFiles.syncDirectory(dir);
        }
        // Outputs replaced in place (all in that mode, else unpartitioned ones): drop the source's files past the
        // new ones now.
        for (Map.Entry<Path, Integer> e : nextSeq.entrySet()) {
          if (inPlace || e.getKey().equals(tableDir)) {
            deleteOlderFiles(e.getKey(), e.getValue());
            LocalFiles.syncDirectory(e.getKey());
          }
        }
        return files;
      } finally {
        if (!committed) {
          abort();
        }
      }
    }

    @Override
    public void removeReplaced() throws IOException {
      if (!committed) {
        throw new IllegalStateException("Cannot remove the files replaced by source " + sourceId
            + ": the staging is not committed");
      }
      String prefix = Layout.versionDirPrefix(sourceId);
      String own = Layout.versionDir(sourceId, version);
      for (Path partitionDir : nextSeq.keySet()) {
        if (partitionDir.equals(tableDir)) {
          continue;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(partitionDir)) {
          for (Path child : children) {
            String name = child.getFileName().toString();
            // Only older versions (names sort by their UTC time): a newer one belongs to a run that overlapped
            // this one and may already be what the catalog points at.
            if (name.startsWith(prefix) && name.compareTo(own) < 0 && Files.isDirectory(child)
                && !versionDirs.contains(child)) {
              // Hide it in one atomic rename first: a reader that still lists the old folder then finds nothing
              // (its query fails) instead of a subset of the files half-way through their deletion.
              Path hidden = partitionDir.resolve("." + name + ".replaced-" + java.util.UUID.randomUUID());
              Files.move(child, hidden, StandardCopyOption.ATOMIC_MOVE);
              deleteTree(hidden);
            }
          }
        }
        if (!inPlace) {
          deleteOlderFiles(partitionDir, 0); // files of the in-place layout
        }
        LocalFiles.syncDirectory(partitionDir);
      }
    }

    @Override
    public void removeReplaced(java.util.Collection<String> replaced) throws IOException {
      if (!committed) {
        throw new IllegalStateException("Cannot remove the files replaced by source " + sourceId
            + ": the staging is not committed");
      }
      String prefix = Layout.versionDirPrefix(sourceId);
      for (String location : replaced) {
        Path dir;
        try {
          dir = Path.of(java.net.URI.create(location)).normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
          LOG.warn("Not removing replaced {}: not a local folder", location);
          continue;
        }
        if (versionDirs.contains(dir)) {
          continue; // our own folder
        }
        Path zone = tableDir.getParent() == null ? null : tableDir.getParent().getParent();
        if (zone == null || !dir.startsWith(zone)) {
          // E.g. a copied lake whose catalog still names the original's absolute folders: never delete those.
          LOG.warn("Not removing replaced {}: it is outside this warehouse ({})", location, zone);
          continue;
        }
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (name.startsWith(prefix) && Layout.isVersionDir(name)) {
          if (Files.isDirectory(dir)) {
            hideAndDelete(dir.getParent(), dir);
            LocalFiles.syncDirectory(dir.getParent());
          }
          if (!dir.startsWith(tableDir)) {
            removeEmptyFolders(dir.getParent(), zone); // a partition moved from the older layout bronze/<table>/
          }
        } else if (Files.isDirectory(dir) && !dir.equals(tableDir)) {
          // A partition folder of the in-place layout: this source's files there, but not the ones just committed.
          try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Layout.filePrefix(sourceId) + "*.parquet")) {
            for (Path f : files) {
              if (!committedFiles.contains(f)) {
                Files.deleteIfExists(f);
              }
            }
          }
          LocalFiles.syncDirectory(dir);
        } else {
          LOG.warn("Not removing replaced {}: not a folder of source {}", location, sourceId);
        }
      }
      sweepOrphans(prefix);
    }

    /**
     * Deletes {@code dir} and then its parents while they are empty, up to {@code zone} (kept): the partition and
     * table folders of the older layout ({@code bronze/<table>/}) once their last partition has moved to
     * {@code bronze/<database>/<table>/}. A folder that is not empty (another partition, a file being written) stays.
     */
    private static void removeEmptyFolders(Path dir, Path zone) throws IOException {
      for (Path d = dir; d != null && d.startsWith(zone) && !d.equals(zone); d = d.getParent()) {
        try {
          Files.delete(d);
        } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
          return;
        }
        LocalFiles.syncDirectory(d.getParent());
      }
    }

    /** Deletes this source's other version folders in the partitions written, last modified before the grace. */
    private void sweepOrphans(String prefix) throws IOException {
      Instant cutoff = committedAt.minus(orphanGrace);
      for (Path partitionDir : nextSeq.keySet()) {
        if (partitionDir.equals(tableDir) || !Files.isDirectory(partitionDir)) {
          continue;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(partitionDir, prefix + "*")) {
          for (Path child : children) {
            if (!versionDirs.contains(child) && Layout.isVersionDir(child.getFileName().toString())
                && Files.isDirectory(child) && lastTouched(child).isBefore(cutoff)) {
              LOG.debug("Sweeping {}: an unreferenced version folder older than {}", child, orphanGrace);
              hideAndDelete(partitionDir, child);
            }
          }
        } catch (NoSuchFileException gone) {
          // Nothing to sweep.
        }
      }
    }

    @Override
    public void removeCommitted() throws IOException {
      if (!committed) {
        throw new IllegalStateException("Cannot remove the files committed by source " + sourceId
            + ": the staging is not committed");
      }
      for (Path dir : versionDirs) {
        if (Files.isDirectory(dir)) {
          hideAndDelete(dir.getParent(), dir);
          LocalFiles.syncDirectory(dir.getParent());
        }
      }
    }

    /** The newest modification time of {@code dir} and its entries (a writer still writing a file keeps it new). */
    private static Instant lastTouched(Path dir) throws IOException {
      Instant newest = Files.getLastModifiedTime(dir).toInstant();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path e : entries) {
          Instant t = Files.getLastModifiedTime(e).toInstant();
          newest = t.isAfter(newest) ? t : newest;
        }
      } catch (NoSuchFileException gone) {
        return Instant.MAX;
      }
      return newest;
    }

    /**
     * Hides {@code dir} in one atomic rename, then deletes it: a reader that still lists the old folder then finds
     * nothing (its query fails) instead of a subset of the files half-way through their deletion.
     */
    static void hideAndDelete(Path parent, Path dir) throws IOException {
      Path hidden = parent.resolve("." + dir.getFileName() + ".replaced-" + java.util.UUID.randomUUID());
      try {
        Files.move(dir, hidden, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException gone) {
        return;
      }
      deleteTree(hidden);
    }

    private static void deleteTree(Path dir) throws IOException {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    }

    /** Deletes this source's committed files in {@code dir} with a sequence number of {@code firstStale} or more. */
    private void deleteOlderFiles(Path dir, int firstStale) throws IOException {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Layout.filePrefix(sourceId) + "*.parquet")) {
        for (Path f : files) {
          if (Layout.fileSeq(sourceId, f.getFileName().toString()) >= firstStale) {
            Files.deleteIfExists(f);
          }
        }
      }
    }

    @Override
    public void abort() {
      if (committed || aborted) {
        return;
      }
      aborted = true;
      List<Output> all = new ArrayList<>(outputs);
      if (rejects != null) {
        all.add(rejects);
      }
      for (Output o : all) {
        try {
          o.close();
        } catch (IOException e) {
          LOG.debug("Closing staged {} failed while aborting: {}", o.staged, e.toString());
        }
        try {
          Files.deleteIfExists(o.staged);
          if (versionDirs.contains(o.finalPath.getParent())) {
            // Renamed before a later step of commit failed: its version folder is this staging's own, nothing
            // points at it yet, so it can go.
            Files.deleteIfExists(o.finalPath);
          }
        } catch (NoSuchFileException e) {
          // Already gone.
        } catch (IOException e) {
          LOG.warn("Cannot delete staged file {}: {}; it stays hidden, removeStaleStaging cleans it up", o.staged,
              e.toString());
        }
      }
      for (Path dir : versionDirs) {
        try {
          Files.deleteIfExists(dir); // only if empty: the new version folder of this staging
        } catch (IOException e) {
          LOG.debug("Cannot delete version folder {}: {}", dir, e.toString());
        }
      }
      for (Path dir : createdPartitionDirs) {
        try {
          Files.deleteIfExists(dir); // only if empty: another run may have written into it since
        } catch (IOException e) {
          LOG.debug("Cannot delete partition folder {}: {}", dir, e.toString());
        }
      }
    }

    @Override
    public void close() {
      abort();
    }

    private void requireOpen(String what) {
      if (committed || aborted) {
        throw new IllegalStateException("Cannot " + what + " for source " + sourceId + ": the staging is already "
            + (committed ? "committed" : "aborted"));
      }
    }
  }

  /** A staged output stream that remembers whether it was closed. */
  private static final class Output extends FilterOutputStream {
    final Map<String, String> partition;
    final Path staged;
    final Path finalPath;
    boolean closed;

    Output(Map<String, String> partition, Path staged, Path finalPath, OutputStream out) {
      super(out);
      this.partition = partition;
      this.staged = staged;
      this.finalPath = finalPath;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        super.close();
      }
    }
  }
}
