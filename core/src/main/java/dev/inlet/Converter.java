package dev.inlet;

import java.io.IOException;
import java.io.InputStream;

/**
 * Turns one source file's bytes into Parquet files. One call per file; implementations are stateless,
 * immutable and thread-safe, so one converter serves all files of a run in parallel.
 *
 * <p>The converter writes through {@link Staging#newOutput(java.util.Map)}, one output per partition it finds
 * (a file whose rows span years yields one output per year), rolling over to a new output at a size limit. It
 * closes every output it opened before returning. It neither commits nor aborts: the pipeline does, so a
 * converter that throws leaves nothing visible.
 *
 * <p>Implementation: {@link dev.inlet.csv.CsvToParquet}.
 */
public interface Converter {
  /**
   * Converts {@code in}, the bytes of {@code file}, into outputs of {@code staging}.
   *
   * @param file the source file (name for messages, partition values known up front)
   * @param in its bytes; the caller closes it
   * @param staging where to write; not committed by the converter
   * @param progress told the running count of converted rows from time to time
   * @return what was written
   * @throws IOException if reading or writing fails
   * @throws MalformedInputException if the input cannot be converted (with file, line and column)
   */
  ConversionResult convert(
      SourceFile file, InputStream in, Staging staging, ConversionProgress progress)
      throws IOException;

  /**
   * Identifies this converter's code version and configuration: two converters with the same fingerprint turn the
   * same bytes into the same rows. The pipeline re-ingests an unchanged source file when the fingerprint changed.
   * The default, the class name, suits a converter without settings; override it when settings change the output.
   *
   * @return the fingerprint, compared with the one recorded at the file's last ingest
   */
  default String fingerprint() {
    return getClass().getName();
  }

  /**
   * This converter converting one file on at most {@code threads} threads (1: on the calling thread alone). A
   * {@link Pipeline} calls it with its files' share of {@link Pipeline.Builder#converterThreads}, so that files
   * running at once do not multiply the converter's threads. The rows written must not depend on it. The default
   * returns this converter, for converters that convert on the calling thread.
   *
   * @param threads the most threads one conversion may use, 1 or more
   * @return a converter using at most {@code threads} threads per file (this one if it already does)
   */
  default Converter withThreads(int threads) {
    return this;
  }

  /** Receives the running count of rows converted; called from the converting thread. */
  @FunctionalInterface
  interface ConversionProgress {
    /** Progress that is not reported. */
    ConversionProgress NONE = rows -> {};

    /**
     * Called as rows are converted.
     *
     * @param rowsSoFar rows converted so far
     */
    void rowsConverted(long rowsSoFar);
  }
}
