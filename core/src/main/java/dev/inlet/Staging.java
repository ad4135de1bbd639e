package dev.inlet;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one source file in a {@link Sink}, hidden until {@link #commit()}. Used by one thread at a time.
 *
 * <p>Lifecycle: {@link #newOutput} any number of times (closing each stream), then exactly one of
 * {@link #commit()} or {@link #abort()}. {@link #close()} without a commit aborts. After an abort, or a crash at
 * any point before commit completes, no new file is visible and files committed earlier are untouched.
 */
public interface Staging extends Closeable {
  /**
   * Opens a new hidden output in {@code partition}. Names are deterministic (source file, partition, sequence), so
   * re-running the same input writes the same names.
   *
   * @param partition partition values in key order; keys must be the same for every output of a table
   */
  OutputStream newOutput(Map<String, String> partition) throws IOException;

  /**
   * Makes every output visible, replacing the files this source file committed in those partitions before (a
   * rerun replaces, never duplicates). All outputs must be closed.
   *
   * @return the committed files, in the order they were opened
   */
  List<DataFile> commit() throws IOException;

  /** Deletes everything staged. Idempotent; never throws for a missing staged file. */
  void abort();

  /** Aborts unless committed. */
  @Override
  void close();
}
