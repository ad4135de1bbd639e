package dev.inlet.crawler;

import dev.inlet.Column;
import dev.inlet.Schema;
import dev.inlet.internal.parquet.ParquetTypes;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads the schema of a Parquet file from its footer alone, without Hadoop: through a {@link StorageInputFile}
 * stream, the last 8 bytes (footer length and magic), then the footer, parsed by parquet-hadoop's
 * {@link ParquetMetadataConverter} (row groups skipped). Thread-safe.
 */
final class Footers {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
  /** Parquet's converter, without Hadoop (ParquetReadOptions would load Hadoop's codec classes). */
  private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

  private Footers() {}

  /** What the crawler learned of one file: its {@link Footer}, or why it is {@link Unreadable}. */
  sealed interface Read permits Footer, Unreadable {}

  /** A readable file's data columns and row count (the sum of its row groups' rows). */
  record Footer(Schema schema, long rows) implements Read {}

  /** A file that could not be read as Parquet, and why. */
  record Unreadable(String reason) implements Read {}

  /** The footer of {@code file}, or why it is unreadable; never throws for a bad file. */
  static Read read(FileStore storage, StoredFile file) {
    try {
      return footer(storage, file);
    } catch (UnreadableException e) {
      return new Unreadable(e.getMessage());
    }
  }

  /** Why a file could not be read as Parquet. */
  static final class UnreadableException extends Exception {
    UnreadableException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /**
   * The data columns of {@code file}, names lower-cased as Glue records them.
   *
   * @throws UnreadableException if the file is not Parquet, is truncated, or has a column Inlet cannot type
   */
  static Schema schema(FileStore storage, StoredFile file) throws UnreadableException {
    return footer(storage, file).schema();
  }

  /**
   * The data columns (as {@link #schema}) and the row count of {@code file}.
   *
   * @throws UnreadableException if the file is not Parquet, is truncated, or has a column Inlet cannot type
   */
  static Footer footer(FileStore storage, StoredFile file) throws UnreadableException {
    if (file.size() < 12) {
      throw new UnreadableException(
          "not a Parquet file: " + file.size() + " bytes is too short to hold a footer", null);
    }
    StorageInputFile in = new StorageInputFile(storage, file);
    MessageType type;
    long rows = 0;
    try (SeekableInputStream stream = in.newStream()) {
      long size = in.getLength();
      byte[] tail = new byte[8];
      stream.seek(size - 8);
      stream.readFully(tail);
      if (Arrays.equals(Arrays.copyOfRange(tail, 4, 8), ENCRYPTED_MAGIC)) {
        throw new UnreadableException("encrypted Parquet footer: not supported", null);
      }
      if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        throw new UnreadableException(
            "not a Parquet file: no PAR1 magic in its last 4 bytes", null);
      }
      long footerLength =
          ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      if (footerLength < 1 || footerLength > size - 12) {
        throw new UnreadableException(
            "corrupt Parquet file: footer length " + footerLength + " does not fit its " + size
                + " bytes (truncated?)",
            null);
      }
      byte[] footer = new byte[(int) footerLength];
      stream.seek(size - 8 - footerLength);
      stream.readFully(footer);
      org.apache.parquet.hadoop.metadata.ParquetMetadata metadata = CONVERTER.readParquetMetadata(
          new ByteArrayInputStream(footer), ParquetMetadataConverter.NO_FILTER);
      type = metadata.getFileMetaData().getSchema();
      for (org.apache.parquet.hadoop.metadata.BlockMetaData block : metadata.getBlocks()) {
        rows += block.getRowCount();
      }
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new UnreadableException(
          msg.contains("magic") || msg.contains("is not a Parquet file")
              ? "not a Parquet file (" + msg + ")"
              : "unreadable footer: " + msg,
          e);
    }
    List<Column> columns = new ArrayList<>(type.getFieldCount());
    for (Type f : type.getFields()) {
      try {
        columns.add(Column.of(f.getName().toLowerCase(Locale.ROOT), ParquetTypes.toColumnType(f)));
      } catch (IllegalArgumentException e) {
        throw new UnreadableException("column " + f.getName() + ": " + e.getMessage(), e);
      }
    }
    try {
      return new Footer(Schema.of(columns), rows);
    } catch (IllegalArgumentException e) {
      throw new UnreadableException(e.getMessage() + " (names differing only in case)", e);
    }
  }
}
