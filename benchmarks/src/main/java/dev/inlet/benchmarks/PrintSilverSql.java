package dev.inlet.benchmarks;

import dev.inlet.Column;
import dev.inlet.Partition;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.local.LocalCatalog;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.SqlDialect;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints, for a local lake, the DuckDB statements that build {@code boston311.requests} by hand (no Inlet planning
 * or commit): a view per input table over its cataloged partition folders, then {@code COPY (<the silver SELECT>)
 * TO '<out>' (FORMAT PARQUET, PARTITION_BY (year))}. Used by {@code benchmarks/compare.sh silver}.
 * Arguments: warehouse folder, output folder.
 */
public final class PrintSilverSql {
  private PrintSilverSql() {}

  public static void main(String[] args) {
    LocalCatalog catalog = LocalCatalog.at(Path.of(args[0]));
    SilverTable t = Boston311Silver.requests();
    List<SilverInputs.InputPartition> ps = new ArrayList<>();
    StringBuilder sql = new StringBuilder("CREATE SCHEMA IF NOT EXISTS boston311;\n");
    for (TableId in : t.inputs()) {
      Table table = catalog.loadTable(in).orElseThrow();
      List<String> keys = table.partitionKeys().stream().map(Column::name).toList();
      List<String> globs = new ArrayList<>();
      for (Partition p : catalog.partitions(in)) {
        ps.add(new SilverInputs.InputPartition(in, keys, p));
        globs.add("'" + Path.of(URI.create(p.location())).resolve("*.parquet") + "'");
      }
      List<Column> all = new ArrayList<>(table.schema().columns());
      all.addAll(table.partitionKeys());
      String view = "CREATE VIEW \"" + in.database() + "\".\"" + in.table() + "\" AS ";
      if (globs.isEmpty()) {
        view += "SELECT "
            + all.stream()
                .map(c -> "CAST(NULL AS " + duck(c) + ") AS \"" + c.name() + "\"")
                .collect(Collectors.joining(", "))
            + " WHERE false";
      } else {
        view += "SELECT * FROM read_parquet([" + String.join(", ", globs)
            + "], hive_partitioning = true,"
            + " hive_types_autocast = false, union_by_name = true)";
      }
      sql.append(view).append(";\n");
    }
    String select = t.select(
        SqlDialect.DUCKDB,
        SilverInputs.of(
            SqlDialect.DUCKDB, id -> "\"" + id.database() + "\".\"" + id.table() + "\"", ps));
    sql.append("COPY (")
        .append(select)
        .append(") TO '")
        .append(args[1])
        .append(
            "' (FORMAT PARQUET, COMPRESSION zstd, PARTITION_BY (year), OVERWRITE_OR_IGNORE);\n");
    System.out.print(sql);
  }

  private static String duck(Column c) {
    switch (c.type().kind()) {
      case STRING:
        return "VARCHAR";
      case INT:
        return "INTEGER";
      case BINARY:
        return "BLOB";
      default:
        return c.type().hiveName().toUpperCase(Locale.ROOT);
    }
  }
}
