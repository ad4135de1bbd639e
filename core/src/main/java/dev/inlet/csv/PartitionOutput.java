package dev.inlet.csv;

import dev.inlet.Schema;
import dev.inlet.Staging;
import dev.inlet.internal.parquet.ParquetRowWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The Parquet file being written for one partition into a staging: opened on first use, closed (and the next one
 * started on the following use) once it passes the converter's maxFileBytes. Single-threaded.
 */
final class PartitionOutput {
  private final Staging staging;
  private final Map<String, String> partition;
  private final Schema schema;
  private final CsvToParquet config;
  private OutputStream stream;
  private ParquetRowWriter writer;

  PartitionOutput(
      Staging staging, Map<String, String> partition, Schema schema, CsvToParquet config) {
    this.staging = staging;
    this.partition = partition;
    this.schema = schema;
    this.config = config;
  }

  Map<String, String> partition() {
    return partition;
  }

  /** The open file's writer, opening a new file in the staging if none is open. */
  ParquetRowWriter writer() throws IOException {
    if (writer == null) {
      stream = staging.newOutput(partition);
      writer = ParquetRowWriter.open(stream, schema, config.codec(), config.rowGroupRows());
    }
    return writer;
  }

  /** Bytes of this partition's rows held in memory (its open row group), 0 with no file open. */
  long bufferedBytes() {
    return writer == null ? 0 : writer.bufferedBytes();
  }

  /** Writes the open row group to the file, freeing its memory. */
  void flushRowGroup() throws IOException {
    if (writer != null) {
      writer.flushRowGroup();
    }
  }

  /** Closes the open file if it has passed maxFileBytes, so that the next write starts another one. */
  void rollOverIfFull() throws IOException {
    if (writer != null && writer.approximateBytes() >= config.maxFileBytes()) {
      finish();
    }
  }

  /** Writes the open file's footer and closes its stream. */
  void finish() throws IOException {
    if (writer == null) {
      return;
    }
    try (OutputStream s = stream) {
      writer.close();
    } finally {
      writer = null;
      stream = null;
    }
  }

  /** Gives the open file up (the staging is aborted by its owner); never throws. */
  void abandon() {
    if (writer != null) {
      writer.abandon();
    }
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException | RuntimeException ignored) {
        // the primary failure is already propagating
      }
    }
    writer = null;
    stream = null;
  }
}
