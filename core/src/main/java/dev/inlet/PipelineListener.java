package dev.inlet;

import java.util.List;

/**
 * Receives progress events of a {@link Pipeline#run()}. Every method defaults to doing nothing, so a listener
 * overrides only what it shows. Methods are called from the threads that process files, several at once: make
 * implementations thread-safe and quick. An exception thrown by a listener is logged once and
 * otherwise ignored: it never fails the ingestion.
 *
 * <p>Inlet core ships no listener of its own beyond this interface's do-nothing defaults; the examples module's
 * {@code ProgressPrinter} prints a run's progress.
 */
public interface PipelineListener {
  /**
   * The source was listed; {@code files} will be processed.
   *
   * @param table the table written
   * @param files the files listed, in the order they will run
   */
  default void runStarted(TableId table, List<SourceFile> files) {}

  /**
   * Work on {@code file} begins.
   *
   * @param file the source file
   */
  default void fileStarted(SourceFile file) {}

  /**
   * {@code bytesSoFar} bytes of {@code file} were read (called about every MiB, and at the end).
   *
   * @param file the source file
   * @param bytesSoFar bytes read so far
   */
  default void bytesRead(SourceFile file, long bytesSoFar) {}

  /**
   * {@code rowsSoFar} rows of {@code file} were converted.
   *
   * @param file the source file
   * @param rowsSoFar rows converted so far
   */
  default void rowsConverted(SourceFile file, long rowsSoFar) {}

  /**
   * {@code result.file()} was committed and registered.
   *
   * @param result the file's result
   */
  default void fileSucceeded(FileResult result) {}

  /**
   * {@code result.file()} had not changed since its last ingest; nothing was written (see {@link
   * FileResult#skipReason()}).
   *
   * @param result the file's result
   */
  default void fileSkipped(FileResult result) {}

  /**
   * {@code result.file()} failed; nothing of it is visible.
   *
   * @param result the file's result
   */
  default void fileFailed(FileResult result) {}

  /**
   * The run is over.
   *
   * @param result the run's result
   */
  default void runFinished(PipelineResult result) {}
}
