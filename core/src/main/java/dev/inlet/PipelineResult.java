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
public record PipelineResult(TableId table, String location, List<FileResult> files, Duration duration) {
  public PipelineResult {
    files = List.copyOf(files);
  }

  /** Whether every file succeeded (true for an empty run). */
  public boolean succeeded() {
    return files.stream().allMatch(FileResult::succeeded);
  }

  public List<FileResult> failures() {
    return files.stream().filter(f -> !f.succeeded()).toList();
  }

  public long rowsIn() {
    return files.stream().mapToLong(FileResult::rowsIn).sum();
  }

  public long rowsOut() {
    return files.stream().mapToLong(FileResult::rowsOut).sum();
  }

  public long bytesIn() {
    return files.stream().mapToLong(FileResult::bytesIn).sum();
  }

  /** The files skipped because they had not changed since their last ingest. */
  public List<FileResult> skipped() {
    return files.stream().filter(FileResult::skipped).toList();
  }

  /** Records rejected by the converter's bad-rows policy (skipped or quarantined) in all files. */
  public long rowsRejected() {
    return files.stream().mapToLong(FileResult::rowsRejected).sum();
  }

  public long bytesOut() {
    return files.stream().mapToLong(FileResult::bytesOut).sum();
  }
}
