package dev.inlet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Converter} wrote for one source file.
 *
 * @param schema the schema of the rows written (columns of the Parquet files, partition columns excluded)
 * @param rowsIn data records read from the input (header excluded)
 * @param rowsOut rows written
 * @param rowsByPartition rows written per partition (partition values in key order)
 * @param invalidUtf8Replacements byte sequences of the input that were not UTF-8 and were replaced by U+FFFD
 *     (0 for a converter that does not decode text)
 */
public record ConversionResult(
    Schema schema,
    long rowsIn,
    long rowsOut,
    Map<Map<String, String>, Long> rowsByPartition,
    long invalidUtf8Replacements) {
  /**
   * Creates the record.
   *
   * @param schema the schema of the rows written (columns of the Parquet files, partition columns excluded)
   * @param rowsIn data records read from the input (header excluded)
   * @param rowsOut rows written
   * @param rowsByPartition rows written per partition (partition values in key order)
   * @param invalidUtf8Replacements byte sequences of the input that were not UTF-8 and were replaced by U+FFFD (0 for a
   *     converter that does not decode text)
   */
  public ConversionResult {
    Objects.requireNonNull(schema, "schema");
    rowsByPartition = Map.copyOf(rowsByPartition);
    if (invalidUtf8Replacements < 0) {
      throw new IllegalArgumentException(
          "invalidUtf8Replacements must not be negative: " + invalidUtf8Replacements);
    }
  }

  /**
   * A result without replaced bytes.
   *
   * @param schema the schema of the written files
   * @param rowsIn rows read
   * @param rowsOut rows written
   * @param rowsByPartition rows written per partition values
   */
  public ConversionResult(
      Schema schema, long rowsIn, long rowsOut, Map<Map<String, String>, Long> rowsByPartition) {
    this(schema, rowsIn, rowsOut, rowsByPartition, 0);
  }

  /** {@return the partitions written, in no particular order} */
  public List<Map<String, String>> partitions() {
    return List.copyOf(rowsByPartition.keySet());
  }
}
