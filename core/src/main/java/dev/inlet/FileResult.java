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
    Throwable error) {

  public FileResult {
    Objects.requireNonNull(file, "file");
    partitions = List.copyOf(partitions);
    dataFiles = List.copyOf(dataFiles);
    Objects.requireNonNull(duration, "duration");
  }

  static FileResult failed(SourceFile file, long bytesIn, Duration duration, Throwable error) {
    return new FileResult(file, 0, 0, bytesIn, 0, List.of(), List.of(), duration, error);
  }

  public boolean succeeded() {
    return error == null;
  }

  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }
}
