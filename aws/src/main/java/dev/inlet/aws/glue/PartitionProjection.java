package dev.inlet.aws.glue;

import dev.inlet.internal.Names;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Athena partition projection on one integer partition key, e.g. {@code year} from 2011 to 2030: Athena computes
 * the partitions from the range and {@code storage.location.template} instead of listing them in Glue. Immutable.
 *
 * @param key the partition key (lower-case letters, digits, '_')
 * @param min the first value
 * @param max the last value, at least {@code min}
 */
public record PartitionProjection(String key, int min, int max) {

  /**
   * Checks the key and the range.
   *
   * @param key the partition key (lower-case letters, digits, '_')
   * @param min the first value
   * @param max the last value, at least {@code min}
   * @throws IllegalArgumentException if the key is not a Glue name or {@code min > max}
   */
  public PartitionProjection {
    if (!Names.isGlueName(key)) {
      throw new IllegalArgumentException("Invalid partition projection key '" + key
          + "': use lower-case letters, digits and '_' (at most 255)");
    }
    if (min > max) {
      throw new IllegalArgumentException("Invalid partition projection range " + min + "," + max
          + ": the first value must not exceed the last");
    }
  }

  /**
   * Projection of a {@code year} key over {@code first..last}.
   *
   * @param first the first year
   * @param last the last year, at least {@code first}
   * @return the PartitionProjection
   */
  public static PartitionProjection years(int first, int last) {
    return new PartitionProjection("year", first, last);
  }

  /**
   * The table parameters enabling the projection for a table at {@code location} (ending in {@code /}):
   * {@code projection.enabled}, {@code projection.<key>.type=integer}, {@code projection.<key>.range} and
   * {@code storage.location.template=<location><key>=${<key>}/}.
   *
   * @param location the S3 location ({@code s3://bucket/prefix/})
   * @return the table parameters to set
   */
  public Map<String, String> parameters(String location) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("projection.enabled", "true");
    p.put("projection." + key + ".type", "integer");
    p.put("projection." + key + ".range", min + "," + max);
    p.put("storage.location.template", location + key + "=${" + key + "}/");
    return p;
  }
}
