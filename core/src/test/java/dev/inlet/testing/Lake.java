package dev.inlet.testing;

import dev.inlet.Catalog;
import dev.inlet.Partition;
import dev.inlet.TableId;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads a local lake back with DuckDB, the way a query engine would: through the catalog, or by listing folders. */
public final class Lake {
  private Lake() {}

  /**
   * The sorted values of {@code column} in every partition, read from the partition locations the catalog records
   * (partition values joined with '/').
   */
  public static Map<String, List<String>> throughCatalog(
      Catalog catalog, TableId table, String column) throws SQLException {
    Map<String, List<String>> out = new TreeMap<>();
    for (Partition p : catalog.partitions(table)) {
      Path dir = Path.of(URI.create(p.location()));
      out.put(
          String.join("/", p.values()), values("read_parquet('" + dir + "/*.parquet')", column));
    }
    return out;
  }

  /** The sorted values of {@code column} in every Parquet file under {@code dir}, recursively (a folder lister). */
  public static List<String> inFolders(Path dir, String column) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      if (files.noneMatch(f -> f.getFileName().toString().endsWith(".parquet")
          && !f.getFileName().toString().startsWith("."))) {
        return List.of();
      }
    }
    return values("read_parquet('" + dir + "/**/*.parquet')", column);
  }

  private static List<String> values(String from, String column) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT CAST(\"" + column + "\" AS VARCHAR) FROM " + from + " ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
