package dev.inlet.crawler;

import dev.inlet.Column;
import dev.inlet.Schema;
import dev.inlet.parquet.ParquetTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Reads the schema of a Parquet file from its footer alone, without Hadoop. Thread-safe. */
final class Footers {
  private static final ParquetReadOptions OPTIONS = ParquetReadOptions.builder(new PlainParquetConfiguration())
      .withMetadataFilter(ParquetMetadataConverter.SKIP_ROW_GROUPS)
      .build();

  private Footers() {}

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
  static Schema schema(Storage storage, StoredFile file) throws UnreadableException {
    if (file.size() < 12) {
      throw new UnreadableException("not a Parquet file: " + file.size() + " bytes is too short to hold a footer",
          null);
    }
    StorageInputFile in = new StorageInputFile(storage, file);
    MessageType type;
    try (SeekableInputStream stream = in.newStream()) {
      type = ParquetFileReader.readFooter(in, OPTIONS, stream).getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new UnreadableException(msg.contains("magic") || msg.contains("is not a Parquet file")
          ? "not a Parquet file (" + msg + ")" : "unreadable footer: " + msg, e);
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
      return Schema.of(columns);
    } catch (IllegalArgumentException e) {
      throw new UnreadableException(e.getMessage() + " (names differing only in case)", e);
    }
  }
}
