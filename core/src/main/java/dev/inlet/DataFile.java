package dev.inlet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A committed, visible data file.
 *
 * @param partition its partition values, in key order
 * @param location full URI of the file ({@code file:/...} or {@code s3://...})
 * @param sizeBytes its size
 */
public record DataFile(Map<String, String> partition, String location, long sizeBytes) {
  /**
   * Creates the record.
   *
   * @param partition its partition values, in key order
   * @param location full URI of the file ({@code file:/...} or {@code s3://...})
   * @param sizeBytes its size
   */
  public DataFile {
    partition = Collections.unmodifiableMap(new LinkedHashMap<>(partition));
    Objects.requireNonNull(location, "location");
  }
}
