package dev.inlet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that decides names and paths in the lake, shared by every sink:
 * {@code bronze/<table>/<key>=<value>/part-<source>-<seq>.parquet}. Partition values are escaped as Hive escapes
 * them, so any value maps to one safe folder name.
 */
public final class Layout {
  /** The zone every table is written under. */
  public static final String ZONE = "bronze";

  private static final String STAGING_MARK = ".inprogress-";

  private Layout() {}

  /** {@code bronze/<table>}, relative to the warehouse root, without trailing slash. */
  public static String tablePath(TableId table) {
    return ZONE + "/" + table.table();
  }

  /** {@code key=value[/key=value...]} with Hive escaping of values; empty for no partition. */
  public static String partitionPath(Map<String, String> partition) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : partition.entrySet()) {
      TableId.requireName("partition key", e.getKey());
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(e.getKey()).append('=').append(escape(e.getValue()));
    }
    return sb.toString();
  }

  /**
   * The deterministic name of the {@code seq}-th file written for {@code sourceId} in one partition:
   * {@code part-<8 hex of the source id's SHA-256>-<seq, 5 digits>.parquet}.
   */
  public static String fileName(String sourceId, int seq) {
    return filePrefix(sourceId) + String.format("%05d", seq) + ".parquet";
  }

  /** The name prefix shared by all files of {@code sourceId}: {@code part-<8 hex>-}. */
  public static String filePrefix(String sourceId) {
    return "part-" + sourceKey(sourceId) + "-";
  }

  /**
   * A hidden name to stage {@code fileName} under: starts with a dot, which Hive, Athena, Spark and DuckDB's hive
   * listing skip, and carries a random part so concurrent writers never collide.
   */
  public static String stagingName(String fileName) {
    return "." + fileName + STAGING_MARK + UUID.randomUUID();
  }

  /** Whether {@code name} is a staging name made by {@link #stagingName(String)}. */
  public static boolean isStagingName(String name) {
    return name.startsWith(".") && name.contains(STAGING_MARK);
  }

  static String sourceKey(String sourceId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sourceId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Hive's partition value escaping ({@code FileUtils.escapePathName}); empty becomes the Hive default. */
  static String escape(String value) {
    if (value.isEmpty()) {
      return "__HIVE_DEFAULT_PARTITION__";
    }
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0 || (i == 0 && c == '.')) {
        sb.append('%').append(String.format("%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
