package dev.inlet;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one source file in a {@link Sink}, hidden until {@link #commit()}. Used by one thread at a time.
 *
 * <p>Lifecycle: {@link #newOutput} any number of times (closing each stream), then exactly one of
 * {@link #commit()} or {@link #abort()}; after a commit, once the catalog points at the new files,
 * {@link #removeReplaced(Collection)} with the locations the catalog pointed at before (or, if the catalog refused the
 * commit, {@link #removeCommitted()}). {@link #close()} without a commit aborts. After an abort, or a crash at any point
 * before commit completes, no new file is visible and files committed earlier are untouched.
 *
 * <p>Partitioned outputs of a commit go to a new version folder ({@link Layout#dataFilePath}); the files of the
 * previous commit of the same source stay where the catalog points until {@link #removeReplaced()} deletes them.
 *
 * <p>Implementations: each {@link Sink#stage} makes one; the stagings of {@link dev.inlet.local.LocalWarehouse} and
 * {@code dev.inlet.aws.s3.S3Sink} (inlet-aws) are those of {@link dev.inlet.storage.FileStoreSink}, over a {@link
 * dev.inlet.storage.FileStore}; {@link dev.inlet.csv.CsvToParquet#convertFile} stages into a single local file.
 */
public interface Staging extends Closeable {
  /**
   * Opens a new hidden output in {@code partition}. Names are deterministic (source file, partition, sequence), so
   * re-running the same input writes the same names.
   *
   * @param partition partition values in key order; keys must be the same for every output of a table
   * @return the output, which the converter writes one Parquet file to and closes
   * @throws IOException if the output cannot be created
   */
  OutputStream newOutput(Map<String, String> partition) throws IOException;

  /**
   * Makes every output visible, replacing the files this source file committed in those partitions before (a
   * rerun replaces, never duplicates). All outputs must be closed.
   *
   * @return the committed files, in the order they were opened
   * @throws IOException if an output cannot be made visible; what was staged is aborted by {@link #close()}
   */
  List<DataFile> commit() throws IOException;

  /**
   * After {@link #commit()}, once the catalog points at the committed files: deletes the files this source file
   * committed earlier in the partitions this commit wrote (older version folders, and files of the older in-place
   * layout). Idempotent. <b>Only for a single writer:</b> with overlapping runs it can delete the folder another run
   * committed and is about to register; {@link Pipeline} calls {@link #removeReplaced(Collection)} instead. A crash before it leaves the old files in place, invisible through the catalog; the next
   * successful commit of the same source removes them. The default does nothing, for sinks that replace in place.
   *
   * @throws IOException if a file cannot be deleted; the catalog already points at the new files, so this leaves
   *     only unreferenced files
   * @throws IllegalStateException if not committed
   */
  default void removeReplaced() throws IOException {}

  /**
   * After {@link #commit()}, once the catalog was repointed by compare-and-set from {@code replaced} (the partition
   * locations the writer read before committing, as URI strings) to the committed files: deletes exactly those
   * folders, and only this source's files in them (a version folder of this source; in a partition folder of the
   * in-place layout, this source's files other than the ones just committed). Deletes no other version folder that
   * an overlapping run may have committed and be about to register; a sink may also sweep this source's other
   * version folders in the partitions written that are older than a grace ({@link
   * dev.inlet.storage.FileStoreSink.Builder#orphanGrace}, an hour by default): leftovers of crashed runs, which is
   * safe because a run that committed before this commit's registration read the catalog before it, so its
   * compare-and-set can no longer succeed. Other leftovers are for {@code removeOrphans}-style maintenance. A location that is not this source's or
   * not under this sink is skipped. Idempotent. The default does nothing, for sinks that replace in place.
   *
   * @param replaced the partition locations (URI strings) the catalog pointed at before this commit
   * @throws IOException if a file cannot be deleted; it stays, unreferenced
   * @throws IllegalStateException if not committed
   */
  default void removeReplaced(Collection<String> replaced) throws IOException {}

  /**
   * After {@link #commit()}, when the catalog refused to point at the committed files (a {@link
   * CommitConflictException}): deletes this commit's own version folders, which nothing references. Files replaced in
   * place cannot be taken back and stay. Idempotent. The default does nothing.
   *
   * @throws IOException if a file cannot be deleted; it stays, unreferenced
   * @throws IllegalStateException if not committed
   */
  default void removeCommitted() throws IOException {}

  /**
   * Opens the output for rows the converter rejected (quarantined), committed and aborted with the data files.
   * Sinks place it under the table's {@code _rejects} folder, which query engines skip. At most one per staging.
   *
   * @return the output for the rejected rows
   * @throws IOException if the output cannot be created
   * @throws UnsupportedOperationException if this sink cannot store rejected rows (the default)
   */
  default OutputStream newRejectsOutput() throws IOException {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot store rejected rows; use"
            + " BadRowPolicy.SKIP or a sink that supports quarantine (LocalWarehouse, S3Sink)");
  }

  /** Deletes everything staged. Idempotent; never throws for a missing staged file. */
  void abort();

  /** Aborts unless committed. */
  @Override
  void close();
}
