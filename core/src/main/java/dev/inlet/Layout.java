package dev.inlet;

import dev.inlet.internal.Names;
import dev.inlet.internal.PartitionValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that decides names and paths in the lake, shared by every sink. A partitioned output lives in a
 * version folder of its source file inside the partition:
 * {@code bronze/<database>/<table>/<key>=<value>/v-<source>-<version>/part-<source>-<seq>.parquet}; an
 * unpartitioned one directly in the table folder: {@code bronze/<database>/<table>/part-<source>-<seq>.parquet}. The
 * database is part of the path so that two tables never share a folder ({@code city_a.t} and {@code city_b.t} live
 * apart).
 * Every commit of a source file into a partition gets a new version folder, so the catalog can be repointed from the old folder to the new one in
 * one step and the old one deleted afterwards: a reader through the catalog never sees a mix of versions nor an
 * empty partition. Sinks built to replace in place instead write {@link #inPlaceFilePath} (no version folder), for
 * catalogs that derive partitions from folders. Partition values are escaped as Hive escapes them, so any value
 * maps to one safe folder name (never {@code ..}, never a {@code /}).
 *
 * <p><b>Older layout.</b> Earlier Inlet builds wrote tables to {@code bronze/<table>/} ({@link #legacyTablePath}),
 * which let two databases' tables of the same name overwrite each other. Such tables stay readable: catalogs record
 * absolute partition locations, so every partition keeps pointing at its folder. The next ingest of a partitioned table writes
 * its partitions under the new path and moves the table's location there; each old partition folder is deleted only
 * after its partition was repointed away from it (compare-and-set in the catalog), and partitions not re-ingested keep
 * serving from the old folders. An unpartitioned table cannot move file by file, so a catalog refuses (before any file
 * becomes visible) to register an unpartitioned table whose recorded location differs from the sink's.
 */
public final class Layout {
  /** The zone every table is written under. */
  public static final String ZONE = "bronze";

  /** The folder under a table holding quarantined rows. */
  public static final String REJECTS_DIR = "_rejects";

  private static final String STAGING_MARK = ".inprogress-";
  private static final String VERSION_PREFIX = "v-";
  private static final java.time.format.DateTimeFormatter VERSION_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private static final java.util.concurrent.atomic.AtomicLong LAST_VERSION_MILLIS =
      new java.util.concurrent.atomic.AtomicLong();

  private Layout() {}

  /**
   * {@code bronze/<database>/<table>}, relative to the warehouse root, without trailing slash.
   *
   * @param table the table
   * @return the table folder, relative to the warehouse root
   */
  public static String tablePath(TableId table) {
    return ZONE + "/" + table.database() + "/" + table.table();
  }

  /**
   * {@code bronze/<table>}: where Inlet wrote tables before the database became part of the path. Only for reading
   * and migrating such lakes; nothing writes there any more.
   *
   * @param table the table
   * @return the older table folder, relative to the warehouse root
   */
  public static String legacyTablePath(TableId table) {
    return ZONE + "/" + table.table();
  }

  /**
   * {@code key=value[/key=value...]} with Hive escaping of values; empty for no partition.
   *
   * @param partition the partition's key-value pairs, in partition-key order
   * @return the partition folder path, relative to the table folder
   */
  public static String partitionPath(Map<String, String> partition) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : partition.entrySet()) {
      Names.requireGlueName("partition key", e.getKey());
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(e.getKey()).append('=').append(PartitionValues.escape(e.getValue()));
    }
    return sb.toString();
  }

  /**
   * The deterministic name of the {@code seq}-th file written for {@code sourceId} in one partition:
   * {@code part-<8 hex of the source id's SHA-256>-<seq, 5 digits>.parquet}.
   *
   * @param sourceId the source file's id
   * @param seq the file's number within the commit
   * @return the file name
   */
  public static String fileName(String sourceId, int seq) {
    return filePrefix(sourceId) + String.format("%05d", seq) + ".parquet";
  }

  /**
   * A new version id for one commit: the UTC time to the millisecond, then 8 random hex digits
   * ({@code 20250102T030405678Z-1a2b3c4d}), so ids sort by creation time and never collide. Within one JVM the time
   * part strictly increases (a second id in the same millisecond takes the next one), so a later commit's id always
   * sorts after an earlier one's, which is how {@link Staging#removeReplaced()} tells older versions from newer.
   *
   * @return a new version id
   */
  public static String newVersion() {
    long now = System.currentTimeMillis();
    long millis = LAST_VERSION_MILLIS.updateAndGet(last -> Math.max(now, last + 1));
    return VERSION_TIME.format(java.time.Instant.ofEpochMilli(millis)) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The folder holding one commit of {@code sourceId} in a partition: {@code v-<8 hex of the source id>-<version>}.
   * Not hidden (readers that list the partition folder recursively find the data), and without {@code =}, so it is
   * not taken for a partition level by Hive-style readers.
   *
   * @param sourceId the source file's id
   * @param version a version id, e.g. from {@link #newVersion()}: letters, digits and {@code -} only
   * @return the version folder name
   * @throws IllegalArgumentException if {@code version} is empty or has other characters
   */
  public static String versionDir(String sourceId, String version) {
    if (version.isEmpty()
        || !version.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
      throw new IllegalArgumentException(
          "Invalid version '" + version + "': use letters, digits and '-' only");
    }
    return versionDirPrefix(sourceId) + version;
  }

  /**
   * Whether {@code name} (one path segment) is a version folder made by {@link #versionDir(String, String)}.
   *
   * @param name one path segment
   * @return true if {@code name} is a version folder
   */
  public static boolean isVersionDir(String name) {
    return name.matches("v-[0-9a-f]{8}-[A-Za-z0-9-]+");
  }

  /**
   * The name prefix shared by all version folders of {@code sourceId}: {@code v-<8 hex>-}.
   *
   * @param sourceId the source file's id
   * @return the prefix
   */
  public static String versionDirPrefix(String sourceId) {
    return VERSION_PREFIX + sourceKey(sourceId) + "-";
  }

  /**
   * Where the {@code seq}-th file of one commit ({@code version}) of {@code sourceId} lives, relative to the table
   * folder: {@code <partition path>/<version folder>/<file name>}, or just the file name when unpartitioned.
   *
   * @param partition the partition's key-value pairs; empty when unpartitioned
   * @param sourceId the source file's id
   * @param version the commit's version id
   * @param seq the file's number within the commit
   * @return the file path, relative to the table folder
   */
  public static String dataFilePath(
      Map<String, String> partition, String sourceId, String version, int seq) {
    if (partition.isEmpty()) {
      return inPlaceFilePath(partition, sourceId, seq);
    }
    return partitionPath(partition) + "/" + versionDir(sourceId, version) + "/"
        + fileName(sourceId, seq);
  }

  /**
   * Where the {@code seq}-th file of {@code sourceId} lives when a sink replaces in place (no version folder),
   * relative to the table folder: {@code <partition path>/<file name>}, or just the file name when unpartitioned.
   * The same source, partition and sequence always give the same path, so a rerun overwrites its files; this is the
   * layout for catalogs that derive partitions from folders (an AWS Glue crawler would take a version folder for a
   * second partition level).
   *
   * @param partition the partition's key-value pairs; empty when unpartitioned
   * @param sourceId the source file's id
   * @param seq the file's number within the commit
   * @return the file path, relative to the table folder
   */
  public static String inPlaceFilePath(Map<String, String> partition, String sourceId, int seq) {
    String path = partitionPath(partition);
    return path.isEmpty() ? fileName(sourceId, seq) : path + "/" + fileName(sourceId, seq);
  }

  /**
   * The sequence number of {@code name} (one path segment) if it is a committed file of {@code sourceId} made by
   * {@link #fileName(String, int)}, otherwise -1 (another source's file, a staging name, anything else).
   *
   * @param sourceId the source file's id
   * @param name one path segment
   * @return the file's sequence number, or -1
   */
  public static int fileSeq(String sourceId, String name) {
    String prefix = filePrefix(sourceId);
    if (!name.startsWith(prefix) || !name.endsWith(".parquet")) {
      return -1;
    }
    String seq = name.substring(prefix.length(), name.length() - ".parquet".length());
    if (seq.isEmpty() || seq.length() > 9 || !seq.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Integer.parseInt(seq);
  }

  /**
   * Where the rows of {@code sourceId} that a converter rejected are quarantined, relative to the table folder:
   * {@code _rejects/rejects-<8 hex of the source id>.csv} (query engines skip folders starting with {@code _}).
   *
   * @param sourceId the source file's id
   * @return the rejects file path, relative to the table folder
   */
  public static String rejectsPath(String sourceId) {
    return REJECTS_DIR + "/rejects-" + sourceKey(sourceId) + ".csv";
  }

  /**
   * The name prefix shared by all files of {@code sourceId}: {@code part-<8 hex>-}.
   *
   * @param sourceId the source file's id
   * @return the prefix
   */
  public static String filePrefix(String sourceId) {
    return "part-" + sourceKey(sourceId) + "-";
  }

  /**
   * A hidden name to stage {@code fileName} under: starts with a dot, which Hive, Athena, Spark and DuckDB's hive
   * listing skip, and carries a random part so concurrent writers never collide.
   *
   * @param fileName the final file name
   * @return the hidden staging name
   */
  public static String stagingName(String fileName) {
    return "." + fileName + STAGING_MARK + UUID.randomUUID();
  }

  /**
   * Whether {@code name} is a staging name made by {@link #stagingName(String)}.
   *
   * @param name one path segment
   * @return true if {@code name} is a staging name
   */
  public static boolean isStagingName(String name) {
    return name.startsWith(".") && name.contains(STAGING_MARK);
  }

  static String sourceKey(String sourceId) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(sourceId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
