package dev.inlet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one source file in a pipeline run. Immutable. A class with a builder, not a record, so that it can
 * grow without breaking callers; {@link #status()} says what became of the file.
 */
public final class FileResult {
  private final SourceFile file;
  private final long rowsIn;
  private final long rowsOut;
  private final long bytesIn;
  private final long bytesOut;
  private final List<Map<String, String>> partitions;
  private final List<DataFile> dataFiles;
  private final Duration duration;
  private final Throwable error;
  private final long rowsRejected;
  private final String skipReason;

  private FileResult(Builder b) {
    this.file = b.file;
    this.rowsIn = b.rowsIn;
    this.rowsOut = b.rowsOut;
    this.bytesIn = b.bytesIn;
    this.bytesOut = b.bytesOut;
    this.partitions = List.copyOf(b.partitions);
    this.dataFiles = List.copyOf(b.dataFiles);
    this.duration = b.duration;
    this.error = b.error;
    this.rowsRejected = b.rowsRejected;
    this.skipReason = b.skipReason;
  }

  /**
   * {@return a result for {@code file}: ingested, with nothing counted, until the builder says otherwise}
   *
   * @param file the source file
   */
  public static Builder builder(SourceFile file) {
    return new Builder(file);
  }

  static FileResult failed(SourceFile file, long bytesIn, Duration duration, Throwable error) {
    return builder(file).bytesIn(bytesIn).duration(duration).error(error).build();
  }

  static FileResult skipped(SourceFile file, long bytesIn, Duration duration, String reason) {
    return builder(file).bytesIn(bytesIn).duration(duration).skipReason(reason).build();
  }

  /** {@return the source file} */
  public SourceFile file() {
    return file;
  }

  /**
   * Records read.
   *
   * @return rows read from the source
   */
  public long rowsIn() {
    return rowsIn;
  }

  /** {@return rows written} */
  public long rowsOut() {
    return rowsOut;
  }

  /** {@return bytes read from the source} */
  public long bytesIn() {
    return bytesIn;
  }

  /** {@return bytes of Parquet committed} */
  public long bytesOut() {
    return bytesOut;
  }

  /** {@return the partitions written, in key order of their values} */
  public List<Map<String, String>> partitions() {
    return partitions;
  }

  /** {@return the committed files} */
  public List<DataFile> dataFiles() {
    return dataFiles;
  }

  /**
   * Wall time spent on this file.
   *
   * @return how long the file took, from download to registration
   */
  public Duration duration() {
    return duration;
  }

  /** {@return why it failed, or null if it did not; see {@link #failure()}} */
  public Throwable error() {
    return error;
  }

  /**
   * Records the converter rejected under its bad-rows policy (skipped or quarantined).
   *
   * @return rows rejected by the converter's bad-rows policy (skipped or quarantined)
   */
  public long rowsRejected() {
    return rowsRejected;
  }

  /** {@return why the file was skipped as unchanged (nothing downloaded or written), or null if it was not} */
  public String skipReason() {
    return skipReason;
  }

  @Override
  public String toString() {
    return "FileResult[" + file.name() + ": " + status() + ", rows " + rowsIn + " in, " + rowsOut
        + " out"
        + (rowsRejected > 0 ? ", " + rowsRejected + " rejected" : "") + ", " + dataFiles.size()
        + " files"
        + (error != null ? ", " + error : "") + (skipReason != null ? ", " + skipReason : "") + "]";
  }

  /** Builds a {@link FileResult}; counts must not be negative. */
  public static final class Builder {
    private final SourceFile file;
    private long rowsIn;
    private long rowsOut;
    private long bytesIn;
    private long bytesOut;
    private List<Map<String, String>> partitions = List.of();
    private List<DataFile> dataFiles = List.of();
    private Duration duration = Duration.ZERO;
    private Throwable error;
    private long rowsRejected;
    private String skipReason;

    private Builder(SourceFile file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Records read and rows written.
     *
     * @param in rows read from the source
     * @param out where to write
     * @return this builder
     */
    public Builder rows(long in, long out) {
      this.rowsIn = count(in, "rowsIn");
      this.rowsOut = count(out, "rowsOut");
      return this;
    }

    /**
     * Sets the bytes read from the source.
     *
     * @param bytes the count
     * @return this builder
     */
    public Builder bytesIn(long bytes) {
      this.bytesIn = count(bytes, "bytesIn");
      return this;
    }

    /**
     * Sets the bytes of Parquet committed.
     *
     * @param bytes the count
     * @return this builder
     */
    public Builder bytesOut(long bytes) {
      this.bytesOut = count(bytes, "bytesOut");
      return this;
    }

    /**
     * Sets the partitions written.
     *
     * @param partitions their values, by key
     * @return this builder
     */
    public Builder partitions(List<Map<String, String>> partitions) {
      this.partitions = List.copyOf(partitions);
      return this;
    }

    /**
     * Sets the committed files.
     *
     * @param dataFiles the files
     * @return this builder
     */
    public Builder dataFiles(List<DataFile> dataFiles) {
      this.dataFiles = List.copyOf(dataFiles);
      return this;
    }

    /**
     * Sets how long the file took.
     *
     * @param duration the time
     * @return this builder
     */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /**
     * Marks the file as failed with {@code error}.
     *
     * @param error why the file failed
     * @return this builder
     */
    public Builder error(Throwable error) {
      this.error = Objects.requireNonNull(error, "error");
      return this;
    }

    /**
     * Sets the rows rejected by the converter's bad-rows policy.
     *
     * @param rows the count
     * @return this builder
     */
    public Builder rowsRejected(long rows) {
      this.rowsRejected = count(rows, "rowsRejected");
      return this;
    }

    /**
     * Marks the file as skipped as unchanged, for {@code reason}.
     *
     * @param reason why it was skipped (nothing downloaded or written)
     * @return this builder
     */
    public Builder skipReason(String reason) {
      this.skipReason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /**
     * @return the result
     * @throws IllegalStateException if both an error and a skip reason are set
     */
    public FileResult build() {
      if (error != null && skipReason != null) {
        throw new IllegalStateException("Cannot build the FileResult of " + file.name()
            + ": it failed and was" + " skipped; set one of error and skipReason");
      }
      return new FileResult(this);
    }

    private static long count(long n, String what) {
      if (n < 0) {
        throw new IllegalArgumentException(what + " must be >= 0: " + n);
      }
      return n;
    }
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

  /** {@return whether the file was ingested or failed, or whether it was skipped as unchanged} */
  public Status status() {
    if (error != null) {
      return Status.FAILED;
    }
    return skipReason != null ? Status.UNCHANGED : Status.INGESTED;
  }

  /**
   * {@return whether the file was ingested <em>or skipped as unchanged</em>: nothing went wrong} Use {@link #status()}
   * to
   * tell the two apart, or {@link #ingested()}.
   */
  public boolean succeeded() {
    return error == null;
  }

  /** {@return whether the file was committed and registered in this run (not skipped, not failed)} */
  public boolean ingested() {
    return status() == Status.INGESTED;
  }

  /** {@return whether the file was skipped because it had not changed since it was last ingested} */
  public boolean skipped() {
    return skipReason != null;
  }

  /** {@return why the file failed, if it did} */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(error);
  }
}
