package dev.inlet.duckdb;

import dev.inlet.Column;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Table;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The DuckDB view of a catalog table: {@code read_parquet} over exactly its recorded partition folders. */
final class CatalogViews {
  private CatalogViews() {}

  /**
   * The {@code read_parquet(...)} over {@code partitions}' folders (or the table folder of an unpartitioned table),
   * or null when there is no file to read.
   *
   * @throws InletException naming the partition and folder if a partition's folder is missing or holds no Parquet
   */
  static String source(Table table, List<Partition> partitions) {
    List<String> globs = new ArrayList<>();
    for (Partition p : partitions) {
      Path dir = localFolder(table, p.location(), "partition " + partitionName(table, p));
      if (!hasParquet(dir)) {
        throw new InletException(
            "Cannot query " + table.id() + ": partition " + partitionName(table, p)
                + " points at " + dir + ", "
                + (Files.isDirectory(dir) ? "which holds no Parquet file" : "which does not exist")
                + "; its data is lost from the lake, re-ingest it (a full refresh; a silver table's"
                + " next refine rebuilds it) or remove the partition");
      }
      globs.add(literal(dir.resolve("*.parquet").toString()));
    }
    if (globs.isEmpty() && table.partitionKeys().isEmpty()) {
      Path dir = localFolder(table, table.location(), "the table location");
      if (hasParquet(dir)) {
        globs.add(literal(dir.resolve("*.parquet").toString()));
      }
    }
    // hive_types_autocast = false: partition values stay strings, as the catalog's partition keys
    // say, instead of
    // DuckDB guessing (year=2015 would become a BIGINT, zip=02135 a number without its zero)
    return globs.isEmpty()
        ? null
        : "read_parquet([" + String.join(", ", globs) + "], hive_partitioning = true,"
            + " hive_types_autocast = false, union_by_name = true)";
  }

  /**
   * {@code CREATE OR REPLACE VIEW} of {@code table} over {@code source} ({@link #source}, null for none), with the
   * catalog's columns: those no file holds ({@code present} lacks them, e.g. a column a later publication dropped)
   * are typed nulls, so the table stays queryable.
   */
  static String viewSql(Table table, String source, Set<String> present) {
    String name = quote(table.id().database()) + "." + quote(table.id().table());
    List<Column> all = new ArrayList<>(table.schema().columns());
    all.addAll(table.partitionKeys());
    String columns = all.stream()
        .map(c -> source != null && present.contains(c.name().toLowerCase(Locale.ROOT))
            ? quote(c.name())
            : "CAST(NULL AS " + duckType(c) + ") AS " + quote(c.name()))
        .collect(Collectors.joining(", "));
    return "CREATE OR REPLACE VIEW " + name + " AS SELECT " + columns
        + (source == null ? " WHERE false" : " FROM " + source);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static Path localFolder(Table table, String location, String what) {
    URI uri = URI.create(location);
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new InletException("Cannot query " + table.id() + ": " + what + " is at " + location
          + ", which DuckDbEngine cannot read (it reads local folders, file: URIs); query this table on Athena,"
          + " or copy the lake to a local folder and use its local catalog");
    }
    return Path.of(uri);
  }

  private static String partitionName(Table table, Partition p) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < p.values().size(); i++) {
      name.append(i == 0 ? "" : "/")
          .append(
              i < table.partitionKeys().size() ? table.partitionKeys().get(i).name() : "?")
          .append('=')
          .append(p.values().get(i));
    }
    return name.toString();
  }

  private static boolean hasParquet(Path dir) {
    try {
      return dev.inlet.internal.LocalLocations.holdsParquet(dir);
    } catch (java.io.IOException e) {
      throw new InletException(e.getMessage(), e);
    }
  }

  private static String duckType(Column c) {
    switch (c.type().kind()) {
      case STRING:
        return "VARCHAR";
      case BINARY:
        return "BLOB";
      case INT:
        return "INTEGER";
      default:
        return c.type().hiveName().toUpperCase(Locale.ROOT);
    }
  }
}
