package dev.inlet.examples;

import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.duckdb.DuckDbSilverWriter;
import dev.inlet.local.LocalCatalog;
import dev.inlet.silver.Refinement;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code refine}: builds the silver table {@code <database>.requests} from the bronze tables of a local lake with
 * DuckDB, rebuilding only the partitions whose bronze inputs changed ({@code --full-refresh}: all).
 */
final class RefineCommand {
  private RefineCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    args.allow("--warehouse", "--database", "--full-refresh");
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    return refine(warehouse, args.get("--database", Boston311.DATABASE), args.has("--full-refresh"), out, err);
  }

  /** Refines {@code database}'s silver tables in the local lake at {@code warehouse}; returns the exit code. */
  static int refine(Path warehouse, String database, boolean fullRefresh, PrintStream out, PrintStream err) {
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    TableId silver = TableId.of(database, Boston311Silver.REQUESTS.table());
    out.println("Refining " + silver + " in " + warehouse + " with DuckDB" + (fullRefresh ? " (full refresh)" : ""));
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      List<Refinement.TableResult> results = Refinement.builder()
          .writer(DuckDbSilverWriter.of(engine, warehouse))
          .catalog(catalog)
          .table(Boston311Silver.requests(database))
          .fullRefresh(fullRefresh)
          .build()
          .run();
      for (Refinement.TableResult r : results) {
        out.println(summary(r));
      }
      out.println();
      out.println("Query it (DuckDB stands in for Athena):");
      out.println("  java -jar examples/target/inlet-examples.jar query --warehouse " + warehouse + " \"SELECT"
          + " strftime(opened_at, '%Y-%m') AS month, source_system, count(*) AS requests FROM " + silver
          + " GROUP BY ALL ORDER BY ALL\"");
      return 0;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      err.println("The previous version of " + silver + " is unchanged.");
      return 1;
    }
  }

  static String summary(Refinement.TableResult r) {
    return String.format(java.util.Locale.ROOT, "Refined %s: %d partition(s) rebuilt%s, %d unchanged, %d removed;"
        + " %d rows written in %.1f s", r.table(), r.rebuilt().size(), r.rebuilt().isEmpty() ? "" : " ("
        + r.rebuilt().stream().map(v -> String.join("/", v)).collect(Collectors.joining(", ")) + ")",
        r.unchanged(), r.removed().size(), r.rows(), r.seconds());
  }
}
