package dev.inlet.examples;

import dev.inlet.Column;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.local.LocalCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code query}: SQL over the local catalog with DuckDB, the local stand-in for Athena. Each catalog table becomes
 * a view {@code database.table} over exactly the partitions the catalog records, the way Athena reads a Glue table.
 */
final class QueryCommand {
  static final int MAX_ROWS_PRINTED = 1000;

  private QueryCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    args.allow("--warehouse");
    if (args.positional().size() != 1) {
      throw new IllegalArgumentException("query takes one SQL statement in quotes, e.g. query --warehouse lake "
          + "\"SELECT year, count(*) FROM boston311.service_requests GROUP BY year\"");
    }
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      int views = 0;
      for (String database : catalog.listDatabases()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS " + quote(database));
        for (TableId id : catalog.listTables(database)) {
          Table table = catalog.loadTable(id).orElseThrow();
          st.execute(viewSql(table, catalog.partitions(id)));
          views++;
        }
      }
      if (views == 0) {
        err.println("No tables in the catalog at " + warehouse + ". Run `ingest` first (e.g. ingest --sample"
            + " --warehouse " + warehouse + "); if the lake holds data but lost its catalog, `catalog rebuild"
            + " --warehouse " + warehouse + "` rebuilds it from the data files.");
        return 1;
      }
      try (ResultSet rs = st.executeQuery(args.positional().get(0))) {
        print(rs, out);
      }
      return 0;
    } catch (SQLException e) {
      err.println("Cannot run the query: " + e.getMessage());
      return 1;
    } catch (InletException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  /** A DuckDB view over the registered partitions of {@code table}, columns typed as the catalog says. */
  static String viewSql(Table table, List<Partition> partitions) {
    List<String> globs = new ArrayList<>();
    for (Partition p : partitions) {
      Path dir = Path.of(URI.create(p.location()));
      if (!hasParquet(dir)) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < p.values().size(); i++) {
          name.append(i == 0 ? "" : "/").append(i < table.partitionKeys().size()
              ? table.partitionKeys().get(i).name() : "?").append('=').append(p.values().get(i));
        }
        throw new InletException("Cannot query " + table.id() + ": partition " + name + " points at " + dir + ", "
            + (Files.isDirectory(dir) ? "which holds no Parquet file" : "which does not exist")
            + "; its data is lost from the lake, re-ingest it (ingest --full-refresh) or remove the partition");
      }
      globs.add("'" + dir.resolve("*.parquet").toString().replace("'", "''") + "'");
    }
    String name = quote(table.id().database()) + "." + quote(table.id().table());
    if (globs.isEmpty() && table.partitionKeys().isEmpty()) {
      Path dir = Path.of(URI.create(table.location()));
      if (hasParquet(dir)) {
        globs.add("'" + dir.resolve("*.parquet").toString().replace("'", "''") + "'");
      }
    }
    List<Column> all = new ArrayList<>(table.schema().columns());
    all.addAll(table.partitionKeys());
    if (globs.isEmpty()) {
      return "CREATE VIEW " + name + " AS SELECT "
          + all.stream().map(c -> "CAST(NULL AS " + duckType(c) + ") AS " + quote(c.name()))
              .collect(Collectors.joining(", "))
          + " WHERE false";
    }
    return "CREATE VIEW " + name + " AS SELECT "
        + all.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
        + " FROM read_parquet([" + String.join(", ", globs) + "], hive_partitioning = true,"
        + " hive_types_autocast = false, union_by_name = true)";
  }

  private static boolean hasParquet(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.parquet")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return false;
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

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static void print(ResultSet rs, PrintStream out) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    for (int i = 0; i < n; i++) {
      header[i] = Printable.of(md.getColumnLabel(i + 1));
    }
    int total = 0;
    while (rs.next()) {
      total++;
      if (rows.size() < MAX_ROWS_PRINTED) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          Object v = rs.getObject(i + 1);
          row[i] = v == null ? "NULL" : Printable.of(v.toString()); // values come from the portal
        }
        rows.add(row);
      }
    }
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = header[i].length();
      for (String[] r : rows) {
        width[i] = Math.min(60, Math.max(width[i], r[i].length()));
      }
    }
    out.println(format(header, width));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (String[] r : rows) {
      out.println(format(r, width));
    }
    out.println("(" + total + " row" + (total == 1 ? "" : "s")
        + (total > rows.size() ? ", first " + rows.size() + " shown" : "") + ")");
  }

  private static String format(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i].length() > width[i] ? cells[i].substring(0, width[i] - 1) + "…" : cells[i];
      sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", c));
    }
    return sb.toString().stripTrailing();
  }
}
