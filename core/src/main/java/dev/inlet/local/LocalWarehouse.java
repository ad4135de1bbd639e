package dev.inlet.local;

import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.internal.HiddenFolders;
import dev.inlet.storage.FileStoreSink;
import dev.inlet.storage.LocalFileStore;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
  public static final Duration DEFAULT_ORPHAN_GRACE = FileStoreSink.DEFAULT_ORPHAN_GRACE;

  private final Path root;
  private final FileStoreSink sink;

  private LocalWarehouse(Path root, boolean inPlace, Duration orphanGrace) {
    this.root = root.toAbsolutePath().normalize();
    FileStoreSink.Builder b =
        FileStoreSink.builder().store(LocalFileStore.at(this.root)).orphanGrace(orphanGrace);
    this.sink = (inPlace ? b.replaceInPlace() : b).build();
  }

  /**
   * A sink writing under {@code warehouse} (created when first written to), versioned layout.
   *
   * @param warehouse the warehouse folder
   * @return the sink
   * @throws IllegalArgumentException if {@code warehouse} is null
   */
  public static LocalWarehouse at(Path warehouse) {
    return builder().root(warehouse).build();
  }

  /**
   * A builder, for the in-place layout ({@link Builder#replaceInPlace()}) or another orphan grace.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this sink replaces in place ({@link Builder#replaceInPlace()}) rather than in version folders. */
  @Override
  public boolean replacesInPlace() {
    return sink.replacesInPlace();
  }

  /**
   * The warehouse root.
   *
   * @return the root, absolute and normalised
   */
  public Path root() {
    return root;
  }

  @Override
  public Staging stage(TableId table, SourceFile file) throws IOException {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(file, "file");
    return sink.stage(table, file);
  }

  @Override
  public String location(TableId table) {
    return sink.location(table);
  }

  /**
   * Deletes the staging files under {@code warehouse}'s {@code bronze} folder last modified more than
   * {@code olderThan} ago: leftovers of writers that crashed. Also deletes the hidden folders
   * ({@code .<name>.replaced-<uuid>}) that a replaced folder's delete left when it failed part-way, once nothing in
   * one was modified for {@code olderThan}. Pick an age longer than any write can take, so that files of running
   * writers are kept.
   *
   * @param warehouse the warehouse folder
   * @param olderThan the least age of a staging file or a left hidden folder for it to be deleted
   * @return how many staging files and hidden folders were deleted
   * @throws IOException if the folder cannot be walked or a file cannot be deleted
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
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
          throws IOException {
        if (!HiddenFolders.isReplacedName(d.getFileName().toString())) {
          return FileVisitResult.CONTINUE;
        }
        if (HiddenFolders.newest(d).isBefore(cutoff)) {
          int files = HiddenFolders.deleteTree(d);
          removed[0]++;
          LOG.info("Removed the hidden folder {} a failed delete left ({} files)", d, files);
        }
        return FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (Layout.isStagingName(f.getFileName().toString())
            && attrs.lastModifiedTime().toInstant().isBefore(cutoff)
            && Files.deleteIfExists(f)) {
          removed[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        if (e instanceof java.nio.file.NoSuchFileException) {
          return FileVisitResult.CONTINUE; // deleted meanwhile
        }
        throw e;
      }
    });
    if (removed[0] > 0) {
      LOG.info("Removed {} stale staging files and hidden folders under {}", removed[0], zone);
    }
    return removed[0];
  }

  /**
   * Deletes the version folders under {@code warehouse}'s {@code bronze} folder that no partition of {@code catalog}
   * references and that were last modified more than {@code olderThan} ago: leftovers of runs that crashed between
   * commit and registration; a folder's age is that of its newest file. Only the partition folders of partitions
   * {@code catalog} records (in every database it lists) below {@code warehouse} are searched; a partition whose only
   * commit crashed before it was ever registered is not.
   * Pick an age longer than any commit-to-registration step can take, so that a running writer's new folder is kept;
   * {@link Duration#ZERO} is safe only when no run is active.
   *
   * @param warehouse the warehouse folder
   * @param catalog the catalog whose partitions are the referenced folders (a {@link LocalCatalog} lists its
   *     databases; another catalog's tables are not looked at)
   * @param olderThan the least age of a folder's newest file for it to count
   * @return how many version folders were deleted
   * @throws IOException if listing or a delete fails (the folders before it are deleted)
   */
  public static int removeOrphans(Path warehouse, dev.inlet.Catalog catalog, Duration olderThan)
      throws IOException {
    Path zone = warehouse.toAbsolutePath().normalize().resolve(Layout.ZONE);
    if (!Files.isDirectory(zone)) {
      return 0;
    }
    List<String> databases =
        catalog instanceof LocalCatalog local ? local.listDatabases() : List.of();
    int removed = at(warehouse).sink.removeOrphans(catalog, databases, olderThan);
    if (removed > 0) {
      LOG.info("Removed {} orphan version folders under {}", removed, zone);
    }
    return removed;
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
     * still being written stay (the newest time of its committed files counts; files still staged are hidden and
     * keep a folder of only such files out of the sweep). The one window left: a writer paused for longer than the
     * grace between its last write and its registration's catalog read (a suspended process) could have its folder
     * swept under it.
     *
     * @param grace zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code grace} is null or negative
     */
    public Builder orphanGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("orphanGrace must be zero or more: " + grace);
      }
      this.orphanGrace = grace;
      return this;
    }

    /**
     * The warehouse folder (created when first written to).
     *
     * @param warehouse the folder
     * @return this builder
     * @throws IllegalArgumentException if {@code warehouse} is null
     */
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
     *
     * @return this builder
     */
    public Builder replaceInPlace() {
      this.inPlace = true;
      return this;
    }

    /**
     * Builds the sink.
     *
     * @return the sink
     * @throws IllegalStateException if the root is missing
     */
    public LocalWarehouse build() {
      if (root == null) {
        throw new IllegalStateException(
            "Cannot build LocalWarehouse: the warehouse folder is missing; call"
                + " root(Path.of(\"warehouse\"))");
      }
      return new LocalWarehouse(root, inPlace, orphanGrace);
    }
  }
}
