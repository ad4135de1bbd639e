package dev.inlet.examples;

import dev.inlet.InletException;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.local.LocalCatalog;
import dev.inlet.sql.QueryResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code query}: SQL over the local catalog with {@link DuckDbEngine}, the local stand-in for Athena. Each catalog
 * table becomes a view {@code database.table} over exactly the partitions the catalog records, the way Athena reads a
 * Glue table.
 */
final class QueryCommand {
  static final int MAX_ROWS_PRINTED = 1000;

  private QueryCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    args.allowPositional("--warehouse");
    if (args.positional().size() != 1) {
      throw new IllegalArgumentException(
          "query takes one SQL statement in quotes, e.g. query --warehouse lake "
              + "\"SELECT year, count(*) FROM boston311.service_requests GROUP BY year\"");
    }
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      int views = engine.createViews(catalog, catalog.listDatabases());
      if (views == 0) {
        err.println("No tables in the catalog at " + warehouse
            + ". Run `ingest` first (e.g. ingest --sample"
            + " --warehouse " + warehouse
            + "); if the lake holds data but lost its catalog, `catalog rebuild"
            + " --warehouse " + warehouse + "` rebuilds it from the data files.");
        return 1;
      }
      try (QueryResult rs = engine.query(args.positional().get(0))) {
        print(rs, out);
      }
      return 0;
    } catch (InletException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private static void print(QueryResult rs, PrintStream out) {
    int n = rs.columns().size();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    for (int i = 0; i < n; i++) {
      header[i] = Printable.of(rs.columns().get(i).name());
    }
    int total = 0;
    while (rs.next()) {
      total++;
      if (rows.size() < MAX_ROWS_PRINTED) {
        String[] row = new String[n];
        for (int i = 0; i < n; i++) {
          Object v = rs.value(i);
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
      String c =
          cells[i].length() > width[i] ? cells[i].substring(0, width[i] - 1) + "…" : cells[i];
      sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", c));
    }
    return sb.toString().stripTrailing();
  }
}
