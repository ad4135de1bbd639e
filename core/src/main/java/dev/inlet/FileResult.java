package dev.inlet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one source file in a pipeline run.
 *
 * @param file the source file
 * @param rowsIn records read
 * @param rowsOut rows written
 * @param bytesIn bytes read from the source
 * @param bytesOut bytes of Parquet committed
 * @param partitions the partitions written, in key order of their values
 * @param dataFiles the committed files
 * @param duration wall time spent on this file
 * @param error why it failed, or null if it succeeded
 * @param rowsRejected records the converter rejected under its bad-rows policy (skipped or quarantined)
 * @param skipReason why the file was skipped as unchanged (nothing downloaded or written), or null if it was not
 * @see #status()
 */
public record FileResult(
    SourceFile file,
    long rowsIn,
    long rowsOut,
    long bytesIn,
    long bytesOut,
    List<Map<String, String>> partitions,
    List<DataFile> dataFiles,
    Duration duration,
    Throwable error,
    long rowsRejected,
    String skipReason) {

  public FileResult {
    Objects.requireNonNull(file, "file");
    partitions = List.copyOf(partitions);
    dataFiles = List.copyOf(dataFiles);
    Objects.requireNonNull(duration, "duration");
  }

  /** A file ingested (or failed) without rejected rows; the constructor before rejects and skips existed. */
  public FileResult(SourceFile file, long rowsIn, long rowsOut, long bytesIn, long bytesOut,
      List<Map<String, String>> partitions, List<DataFile> dataFiles, Duration duration, Throwable error) {
    this(file, rowsIn, rowsOut, bytesIn, bytesOut, partitions, dataFiles, duration, error, 0, null);
  }

  static FileResult failed(SourceFile file, long bytesIn, Duration duration, Throwable error) {
    return new FileResult(file, 0, 0, bytesIn, 0, List.of(), List.of(), duration, error);
  }

  static FileResult skipped(SourceFile file, long bytesIn, Duration duration, String reason) {
    return new FileResult(file, 0, 0, bytesIn, 0, List.of(), List.of(), duration, null, 0, reason);
  }

  /** What became of a source file in a run; see {@link #status()}. */
  public enum Status {
    /** Committed and registered: the catalog serves its rows now ({@code rowsOut} may be 0 for an empty file). */
    INGESTED,
    /**
     * Skipped because it had not changed since its last ingest and the catalog still serves that ingest; nothing
     * was written. The only reason Inlet skips a file: {@link #skipped()} is the same as this status.
     */
    UNCHANGED,
    /** Failed: nothing of it is visible, the catalog serves what it served before; see {@link #error()}. */
    FAILED
  }

  /** Whether the file was ingested or failed, or whether it was skipped as unchanged. */
  public Status status() {
    if (error != null) {
      return Status.FAILED;
    }
    return skipReason != null ? Status.UNCHANGED : Status.INGESTED;
  }

  /**
   * Whether the file was ingested <em>or skipped as unchanged</em>: nothing went wrong. Use {@link #status()} to
   * tell the two apart, or {@link #ingested()}.
   */
  public boolean succeeded() {
    return error == null;
  }

  /** Whether the file was committed and registered in this run (not skipped, not failed). */
  public boolean ingested() {
    return status() == Status.INGESTED;
  }

  /** Whether the file was skipped because it had not changed since it was last ingested. */
  public boolean skipped() {
    return skipReason != null;
  }

  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }
}
