package dev.inlet.duckdb;

import dev.inlet.Catalog;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Layout;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.silver.SilverWriter;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.SqlEngine;
import dev.inlet.storage.LocalFileStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes silver partitions to a local lake with DuckDB: the inputs are views over the catalog's partition folders
 * ({@link DuckDbEngine#createView}); the rows go by {@code COPY (...) TO '<table>/_staging/<version>/' (FORMAT
 * PARQUET, PARTITION_BY (...))} to a staging folder that readers skip (it starts with {@code _}), and each partition's
 * folder is then moved (a rename on one file system) to its version folder
 * {@code silver/<database>/<table>/<key>=<value>/v-<8 hex>-<version>/}, which no catalog entry references until the
 * {@link dev.inlet.silver.Refinement} repoints the partition.
 *
 * <p>The local {@link SilverWriter}; {@code dev.inlet.aws.athena.AthenaSilverWriter} of inlet-aws writes to S3.
 */
public final class DuckDbSilverWriter implements SilverWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbSilverWriter.class);
  /** The zone silver tables are written under, next to {@link Layout#ZONE}. */
  public static final String ZONE = "silver";

  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

  private final DuckDbEngine engine;
  private final Path root;
  private final LocalFileStore store;

  private DuckDbSilverWriter(DuckDbEngine engine, Path warehouse) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.root = warehouse.toAbsolutePath().normalize();
    this.store = LocalFileStore.at(root);
  }

  /**
   * Writes under {@code warehouse}/silver/ with {@code engine}, which the caller keeps and closes.
   *
   * @param engine the engine that runs the SQL
   * @param warehouse the warehouse root folder
   * @return the DuckDbSilverWriter
   */
  public static DuckDbSilverWriter of(DuckDbEngine engine, Path warehouse) {
    return new DuckDbSilverWriter(engine, Objects.requireNonNull(warehouse, "warehouse"));
  }

  @Override
  public SqlEngine engine() {
    return engine;
  }

  @Override
  public String relation(TableId table) {
    return CatalogViews.quote(table.database()) + "." + CatalogViews.quote(table.table());
  }

  @Override
  public void prepare(Catalog catalog, List<TableId> inputs) {
    for (TableId in : inputs) {
      engine.createView(catalog, in);
    }
  }

  /**
   * {@code <warehouse>/silver/<database>/<table>}.
   *
   * @param table the table
   * @return the table's folder
   */
  public Path tableFolder(TableId table) {
    return root.resolve(ZONE).resolve(table.database()).resolve(table.table());
  }

  @Override
  public String location(TableId table) {
    return tableFolder(table).toUri().toString();
  }

  @Override
  public Written write(
      TableId table,
      String select,
      List<String> partitionKeys,
      List<List<String>> partitions,
      String version) {
    Path tableDir = tableFolder(table);
    Path staging = tableDir.resolve("_staging").resolve(version);
    Map<List<String>, String> locations = new LinkedHashMap<>();
    List<Path> moved = new ArrayList<>();
    try {
      Files.createDirectories(staging.getParent());
      engine.execute("COPY (" + select + ") TO " + CatalogViews.literal(staging.toString())
          + " (FORMAT PARQUET, COMPRESSION zstd, PARTITION_BY ("
          + String.join(", ", partitionKeys.stream().map(CatalogViews::quote).toList()) + "))");
      Schema schema = schema(staging, table);
      for (List<String> values : partitions) {
        Map<String, String> partition = new LinkedHashMap<>();
        for (int i = 0; i < partitionKeys.size(); i++) {
          partition.put(partitionKeys.get(i), values.get(i));
        }
        String path = Layout.partitionPath(partition);
        Path from = staging.resolve(path);
        if (!Files.isDirectory(from)) {
          continue;
        }
        Path to = tableDir.resolve(path).resolve(Layout.versionDir("silver:" + table, version));
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        moved.add(to);
        locations.put(values, to.toUri().toString());
      }
      deleteFolder(staging);
      return new Written(schema, locations);
    } catch (IOException | RuntimeException e) {
      RuntimeException failure = e instanceof RuntimeException r
          ? r
          : new InletException(
              "Cannot write " + table + " to " + staging + ": " + e.getMessage()
                  + "; check the folder's permissions and free space",
              e);
      for (Path p : moved) {
        cleanUp(p, failure);
      }
      cleanUp(staging, failure);
      throw failure;
    }
  }

  /**
   * Writes the rows once to a hidden Parquet file under the table's {@code _staging/} folder (snappy: it lives for one
   * run) and returns {@code read_parquet(..)} of it: the lineage query, the gate's checks and the partition writes
   * read it instead of computing the {@code SELECT} again (the Boston 311 silver: one evaluation instead of two,
   * plus one per check with a gate).
   */
  @Override
  public String materialize(TableId table, String select, String version) {
    Path file = materialized(table, version);
    try {
      Files.createDirectories(file.getParent());
      engine.execute("COPY (" + select + ") TO " + CatalogViews.literal(file.toString())
          + " (FORMAT PARQUET, COMPRESSION snappy)");
    } catch (IOException | RuntimeException e) {
      RuntimeException failure = e instanceof RuntimeException r
          ? r
          : new InletException(
              "Cannot write " + table + " to " + file + ": " + e.getMessage()
                  + "; check the folder's permissions and free space",
              e);
      cleanUp(file, failure);
      throw failure;
    }
    return "read_parquet(" + CatalogViews.literal(file.toString()) + ")";
  }

  @Override
  public void release(TableId table, String relation, String version) {
    try {
      store.delete(relative(materialized(table, version)));
    } catch (IOException e) {
      LOG.warn(
          "Cannot delete {}: {}; it is hidden from readers, delete it by hand",
          materialized(table, version),
          e.getMessage());
    }
  }

  private Path materialized(TableId table, String version) {
    return tableFolder(table).resolve("_staging").resolve(version + "-rows.parquet");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Through the lake's {@link LocalFileStore}: the folder is first hidden in one atomic rename, so a reader still
   * listing it finds nothing rather than a part of its files.
   */
  @Override
  public void delete(String location) {
    java.util.Optional<String> path = store.path(location);
    if (path.isEmpty() || !path.get().startsWith(ZONE + "/")) {
      throw new InletException("Cannot delete " + location + ": it is not under "
          + root.resolve(ZONE) + ", where this writer writes");
    }
    try {
      store.deleteFolder(path.get().endsWith("/") ? path.get() : path.get() + "/");
    } catch (IOException e) {
      throw new InletException(
          "Cannot delete " + location + ": " + e.getMessage() + "; delete it by hand", e);
    }
  }

  /** {@code p} (below the warehouse) as a path of the lake's store. */
  private String relative(Path p) {
    return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }

  /** Deletes the folder {@code dir} below the warehouse, or the file if {@code dir} is one, through the store. */
  private void deleteFolder(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      store.deleteFolder(relative(dir) + "/");
    } else {
      store.delete(relative(dir));
    }
  }

  private Schema schema(Path staging, TableId table) {
    Schema.Builder b = Schema.builder();
    try (QueryResult r = engine.query("DESCRIBE SELECT * FROM read_parquet("
        + CatalogViews.literal(staging.resolve("**").resolve("*.parquet").toString())
        + ", hive_partitioning = false)")) {
      while (r.next()) {
        b.column(r.string(0), hiveType(table, r.string(0), r.string(1)));
      }
    }
    return b.build();
  }

  static ColumnType hiveType(TableId table, String column, String duckType) {
    String t = duckType.toUpperCase(Locale.ROOT);
    Matcher m = DECIMAL.matcher(t);
    if (m.matches()) {
      return ColumnType.decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    switch (t) {
      case "VARCHAR":
        return ColumnType.STRING;
      case "BOOLEAN":
        return ColumnType.BOOLEAN;
      case "TINYINT", "SMALLINT", "INTEGER":
        return ColumnType.INT;
      case "BIGINT":
        return ColumnType.BIGINT;
      case "FLOAT":
        return ColumnType.FLOAT;
      case "DOUBLE":
        return ColumnType.DOUBLE;
      case "DATE":
        return ColumnType.DATE;
      case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S":
        return ColumnType.TIMESTAMP;
      case "BLOB":
        return ColumnType.BINARY;
      default:
        throw new InletException(
            "Cannot catalog column " + column + " of " + table + ": DuckDB type " + duckType
                + " has no Hive type Inlet maps; cast it in the SELECT (e.g. to VARCHAR)");
    }
  }

  private void cleanUp(Path p, RuntimeException failure) {
    try {
      deleteFolder(p);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
