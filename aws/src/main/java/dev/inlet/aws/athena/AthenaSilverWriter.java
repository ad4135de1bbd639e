package dev.inlet.aws.athena;

import dev.inlet.Catalog;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Layout;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.aws.s3.S3FileStore;
import dev.inlet.silver.SilverWriter;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlEngine;
import dev.inlet.storage.StoredFile;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes silver partitions with Athena into S3: {@code UNLOAD (SELECT ...) TO
 * 's3://.../silver/<database>/<table>/_staging/<version>/' WITH (format = 'PARQUET', compression = 'ZSTD',
 * partitioned_by = ARRAY[...])} (a staging prefix readers skip: it starts with {@code _}), then each partition's
 * objects are copied to its version prefix {@code .../<key>=<value>/v-<8 hex>-<version>/} and the staging objects
 * deleted. Inputs are read as Athena reads the Glue tables, {@code "database"."table"}. The data schema comes from
 * the result columns of a {@code SELECT ... LIMIT 0} of the same query.
 *
 * <p>The engine and the S3 client are the caller's and stay open. A failed {@code UNLOAD} may leave objects under
 * the staging prefix; this writer deletes them (and any copies made) before it throws.
 *
 * <p>The {@link SilverWriter} for S3 and Athena; {@code dev.inlet.duckdb.DuckDbSilverWriter} of inlet-duckdb is the
 * local one.
 */
public final class AthenaSilverWriter implements SilverWriter {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

  private final AthenaEngine engine;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final S3FileStore store;

  private AthenaSilverWriter(AthenaEngine engine, S3Client s3, URI root) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.s3 = Objects.requireNonNull(s3, "s3");
    if (!"s3".equals(root.getScheme()) || root.getHost() == null) {
      throw new IllegalArgumentException("Invalid lake root " + root + ": use s3://bucket/prefix");
    }
    this.bucket = root.getHost();
    String p = root.getPath() == null ? "" : root.getPath().replaceAll("^/+", "");
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    this.store = S3FileStore.of(s3, bucket, prefix);
  }

  /**
   * Writes under {@code root}/silver/ (e.g. {@code s3://bucket/lake/}) with {@code engine} and {@code s3}.
   *
   * @param engine the engine that runs the SQL
   * @param s3 the S3 client that copies the written files; not closed by the writer
   * @param root the S3 URI under which silver tables are written
   * @return the AthenaSilverWriter
   */
  public static AthenaSilverWriter of(AthenaEngine engine, S3Client s3, URI root) {
    return new AthenaSilverWriter(engine, s3, Objects.requireNonNull(root, "root"));
  }

  @Override
  public SqlEngine engine() {
    return engine;
  }

  @Override
  public String relation(TableId table) {
    return quote(table.database()) + "." + quote(table.table());
  }

  @Override
  public void prepare(Catalog catalog, List<TableId> inputs) {
    // Athena reads the Glue tables directly
  }

  private String tableKey(TableId table) {
    return prefix + "silver/" + table.database() + "/" + table.table() + "/";
  }

  @Override
  public String location(TableId table) {
    return "s3://" + bucket + "/" + tableKey(table);
  }

  @Override
  public Written write(
      TableId table,
      String select,
      List<String> partitionKeys,
      List<List<String>> partitions,
      String version) {
    String staging = tableKey(table) + "_staging/" + version + "/";
    List<String> copied = new ArrayList<>();
    try {
      Schema schema = schema(table, select, partitionKeys.size());
      engine.execute(
          "UNLOAD (" + select + ") TO '" + "s3://" + bucket + "/" + staging + "' WITH (format ="
              + " 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY["
              + String.join(", ", partitionKeys.stream().map(k -> "'" + k + "'").toList()) + "])");
      Map<String, List<String>> byPartition = new LinkedHashMap<>();
      for (String key : list(staging)) {
        String rest = key.substring(staging.length());
        int slash = rest.lastIndexOf('/');
        if (slash > 0) {
          byPartition
              .computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>())
              .add(key);
        }
      }
      Map<List<String>, String> locations = new LinkedHashMap<>();
      for (List<String> values : partitions) {
        Map<String, String> partition = new LinkedHashMap<>();
        for (int i = 0; i < partitionKeys.size(); i++) {
          partition.put(partitionKeys.get(i), values.get(i));
        }
        String path = Layout.partitionPath(partition);
        List<String> keys = byPartition.get(path);
        if (keys == null) {
          continue;
        }
        String target =
            tableKey(table) + path + "/" + Layout.versionDir("silver:" + table, version) + "/";
        for (String key : keys) {
          String to = target + key.substring(key.lastIndexOf('/') + 1);
          s3.copyObject(b ->
              b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(to));
          copied.add(to);
        }
        locations.put(values, "s3://" + bucket + "/" + target);
      }
      store.deleteFolder(staging.substring(prefix.length()));
      return new Written(schema, locations);
    } catch (SdkException | IOException e) {
      InletException failure = new InletException(
          "Cannot write " + table + " to s3://" + bucket + "/" + staging
              + ": " + e.getMessage()
              + "; check the S3 permissions (s3:ListBucket, s3:GetObject, s3:PutObject,"
              + " s3:DeleteObject) of the lake's prefix",
          e);
      cleanUp(staging, copied, failure);
      throw failure;
    } catch (RuntimeException e) {
      cleanUp(staging, copied, e);
      throw e;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Through the lake's {@link S3FileStore}: every object under the folder, in batches.
   */
  @Override
  public void delete(String location) {
    java.util.Optional<String> path = store.path(location);
    if (path.isEmpty() || !path.get().startsWith("silver/")) {
      throw new InletException("Cannot delete " + location + ": it is not under "
          + store.location("silver/") + ", where this writer writes");
    }
    try {
      store.deleteFolder(path.get().endsWith("/") ? path.get() : path.get() + "/");
    } catch (IOException e) {
      throw new InletException(
          "Cannot delete " + location + ": " + e.getMessage() + "; delete it by hand", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists the prefix through the lake's {@link S3FileStore} (one {@code ListObjectsV2} request per partition and
   * run): missing when no object is left under it. A location outside this writer's lake cannot be checked and is
   * trusted.
   *
   * @throws InletException if the prefix cannot be listed (check {@code s3:ListBucket} on the lake's prefix)
   */
  @Override
  public boolean isMissing(TableId table, String location) {
    java.util.Optional<String> path = store.path(location);
    if (path.isEmpty()) {
      return false;
    }
    String folder = path.get().endsWith("/") ? path.get() : path.get() + "/";
    try {
      return store.list(folder).isEmpty();
    } catch (SdkException | IOException e) {
      throw new InletException(
          "Cannot check the files of " + table + " at " + location + ": " + e.getMessage()
              + "; check the S3 permissions (s3:ListBucket) of the lake's prefix",
          e);
    }
  }

  private Schema schema(TableId table, String select, int keyCount) {
    Schema.Builder b = Schema.builder();
    try (QueryResult r = engine.query("SELECT * FROM (" + select + ") schema_probe LIMIT 0")) {
      List<ResultColumn> cols = r.columns();
      for (int i = 0; i < cols.size() - keyCount; i++) {
        b.column(cols.get(i).name(), hiveType(table, cols.get(i)));
      }
    }
    return b.build();
  }

  static ColumnType hiveType(TableId table, ResultColumn c) {
    String t = c.type().toLowerCase(Locale.ROOT).strip();
    Matcher m = DECIMAL.matcher(t);
    if (m.matches()) {
      return ColumnType.decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    if (t.startsWith("varchar") || t.startsWith("char")) {
      return ColumnType.STRING;
    }
    if (t.startsWith("timestamp")) {
      return ColumnType.TIMESTAMP;
    }
    switch (t) {
      case "boolean":
        return ColumnType.BOOLEAN;
      case "tinyint", "smallint", "integer", "int":
        return ColumnType.INT;
      case "bigint":
        return ColumnType.BIGINT;
      case "real", "float":
        return ColumnType.FLOAT;
      case "double":
        return ColumnType.DOUBLE;
      case "date":
        return ColumnType.DATE;
      case "varbinary":
        return ColumnType.BINARY;
      default:
        throw new InletException(
            "Cannot catalog column " + c.name() + " of " + table + ": Athena type " + c.type()
                + " has no Hive type Inlet maps; cast it in the SELECT (e.g. to varchar)");
    }
  }

  /** The keys below {@code keyPrefix} (a key prefix that starts with this writer's prefix), through the store. */
  private List<String> list(String keyPrefix) throws IOException {
    List<String> keys = new ArrayList<>();
    for (StoredFile f : store.list(keyPrefix.substring(prefix.length()))) {
      keys.add(prefix + f.path());
    }
    return keys;
  }

  private void deleteKeys(List<String> keys) throws IOException {
    List<String> paths = new ArrayList<>(keys.size());
    keys.forEach(k -> paths.add(k.substring(prefix.length())));
    store.delete(paths);
  }

  private void cleanUp(String staging, List<String> copied, RuntimeException failure) {
    try {
      deleteKeys(copied);
      store.deleteFolder(staging.substring(prefix.length()));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
