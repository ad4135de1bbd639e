package dev.inlet;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a {@link Pipeline#run()}: one {@link FileResult} per source file, in listing order.
 *
 * @param table the table written
 * @param location where its files live
 * @param files per-file results
 * @param duration wall time of the run
 */
public record PipelineResult(
    TableId table, String location, List<FileResult> files, Duration duration) {
  /**
   * Creates the record.
   *
   * @param table the table written
   * @param location where its files live
   * @param files per-file results
   * @param duration wall time of the run
   */
  public PipelineResult {
    files = List.copyOf(files);
  }

  /**
   * {@return whether no file failed (true for an empty run): every file was ingested or skipped as unchanged} See
   * {@link #throwIfFailed()} to make a failure an exception.
   */
  public boolean succeeded() {
    return files.stream().allMatch(FileResult::succeeded);
  }

  /** {@return the files that failed ({@link FileResult.Status#FAILED}), in listing order} */
  public List<FileResult> failures() {
    return files.stream().filter(f -> !f.succeeded()).toList();
  }

  /** {@return the files committed and registered in this run ({@link FileResult.Status#INGESTED}), in listing order} */
  public List<FileResult> ingested() {
    return files.stream().filter(FileResult::ingested).toList();
  }

  /**
   * Returns this result if no file failed, else throws, so that a program cannot mistake a failed run for a
   * successful one: {@code pipeline.run().throwIfFailed();}.
   *
   * @return this result
   * @throws PipelineFailedException naming every failed file and why, with the first failure as its cause
   */
  public PipelineResult throwIfFailed() {
    List<FileResult> failed = failures();
    if (failed.isEmpty()) {
      return this;
    }
    throw new PipelineFailedException(this);
  }

  /** {@return one line: how many files were ingested, unchanged and failed, with the rows written} */
  public String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "%d of %d file(s) ingested into %s, %d unchanged, %d failed:"
            + " %d rows written, %d rejected",
        ingested().size(),
        files.size(),
        table,
        skipped().size(),
        failures().size(),
        rowsOut(),
        rowsRejected());
  }

  /** {@return rows read from the sources in all files} */
  public long rowsIn() {
    return files.stream().mapToLong(FileResult::rowsIn).sum();
  }

  /** {@return rows written in all files} */
  public long rowsOut() {
    return files.stream().mapToLong(FileResult::rowsOut).sum();
  }

  /** {@return bytes read from the sources in all files} */
  public long bytesIn() {
    return files.stream().mapToLong(FileResult::bytesIn).sum();
  }

  /**
   * {@return the files skipped because they had not changed since their last ingest ({@link
   * FileResult.Status#UNCHANGED})}
   */
  public List<FileResult> skipped() {
    return files.stream().filter(FileResult::skipped).toList();
  }

  /**
   * Records rejected by the converter's bad-rows policy (skipped or quarantined) in all files.
   *
   * @return rows rejected by the converter's bad-rows policy (skipped or quarantined) in all files
   */
  public long rowsRejected() {
    return files.stream().mapToLong(FileResult::rowsRejected).sum();
  }

  /** {@return bytes of Parquet committed in all files} */
  public long bytesOut() {
    return files.stream().mapToLong(FileResult::bytesOut).sum();
  }
}
