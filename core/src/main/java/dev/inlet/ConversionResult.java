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
 */
public record ConversionResult(
    Schema schema, long rowsIn, long rowsOut, Map<Map<String, String>, Long> rowsByPartition) {
  public ConversionResult {
    Objects.requireNonNull(schema, "schema");
    rowsByPartition = Map.copyOf(rowsByPartition);
  }

  /** The partitions written, in no particular order. */
  public List<Map<String, String>> partitions() {
    return List.copyOf(rowsByPartition.keySet());
  }
}
