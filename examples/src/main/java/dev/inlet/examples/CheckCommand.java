package dev.inlet.examples;

import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Checks;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.duckdb.QualityResultsTable;
import dev.inlet.local.LocalCatalog;
import dev.inlet.quality.Check;
import dev.inlet.quality.CheckFile;
import dev.inlet.quality.HtmlReport;
import dev.inlet.quality.QualityChecks;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code check}: runs data quality checks on the tables of the local catalog with DuckDB (the Boston 311 built-ins of
 * every Boston table present, or the checks of a file), prints a one-screen summary, optionally writes the HTML
 * report, stores the results in {@code <database>.quality_results} (the previous run that row-count and schema
 * changes compare with), and exits 1 when a fail-severity check fails: a gate for scripts and CI. With
 * {@code --athena} the same on AWS ({@link CheckAthenaCommand}): Athena runs the checks, Glue lists the tables, the
 * results go to S3.
 */
final class CheckCommand {
  /** The checks could not run at all (no tables, an unreadable lake): neither passed nor failed. */
  static final int CANNOT_RUN = 4;

  private CheckCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    args.allow(
        "--warehouse",
        "--database",
        "--checks",
        "--report",
        "--athena",
        "--workgroup",
        "--output",
        "--s3-endpoint",
        "--glue-endpoint",
        "--athena-endpoint");
    if (args.has("--athena")) {
      return CheckAthenaCommand.run(args, out, err);
    }
    for (String flag : List.of(
        "--workgroup", "--output", "--s3-endpoint", "--glue-endpoint", "--athena-endpoint")) {
      if (args.has(flag)) {
        throw new IllegalArgumentException(
            flag + " goes with --athena (check --athena --workgroup W --output"
                + " s3://bucket/prefix)");
      }
    }
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    String database = args.get("--database", Boston311.DATABASE);
    List<Check> fileChecks = checkFile(args);
    Path report = args.has("--report")
        ? Path.of(args.get("--report", null)).toAbsolutePath().normalize()
        : null;
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      int views = engine.createViews(catalog, catalog.listDatabases());
      if (views == 0) {
        err.println("No tables in the catalog at " + warehouse
            + ". Run `ingest` first (e.g. ingest --sample" + " --warehouse " + warehouse + ").");
        return CANNOT_RUN;
      }
      Set<TableId> present = new HashSet<>();
      for (String db : catalog.listDatabases()) {
        present.addAll(catalog.listTables(db));
      }
      List<Check> checks = checks(fileChecks, database, present);
      if (checks.isEmpty()) {
        err.println("No Boston 311 table of database " + database + " in the catalog at "
            + warehouse + "; pass --checks FILE to check other tables (see docs/quality.md).");
        return CANNOT_RUN;
      }
      QualityResultsTable stored = QualityResultsTable.of(engine, catalog, warehouse, database);
      QualityHistory history = stored.history();
      QualityResult result =
          QualityChecks.builder().engine(engine).history(history).build().run(checks);
      stored.save(result);
      out.print(result.summary());
      out.println("Results stored in " + stored.id() + " (query it: query --warehouse " + warehouse
          + " \"SELECT * FROM " + stored.id() + "\")");
      if (report != null) {
        writeReport(
            report,
            HtmlReport.builder()
                .result(result)
                .engine(engine)
                .history(history)
                .title("Data quality of " + warehouse.getFileName()),
            database,
            catalog);
        out.println("Report: " + report);
      }
      return result.blocks() ? 1 : 0;
    } catch (InletException | UncheckedIOException e) {
      err.println(Printable.of(e.getMessage()));
      return CANNOT_RUN;
    }
  }

  /**
   * The checks of a run: those of the file, or else the Boston 311 built-ins (bronze and silver) of the tables of
   * {@code database} that are {@code present}; empty when there are none.
   */
  static List<Check> checks(List<Check> fileChecks, String database, Set<TableId> present) {
    if (fileChecks != null) {
      return fileChecks;
    }
    List<Check> builtIn = new ArrayList<>(Boston311Checks.bronze(database));
    builtIn.addAll(Boston311Checks.silver(database));
    List<Check> checks = new ArrayList<>();
    for (Check c : builtIn) {
      if (present.contains(c.table())) {
        checks.add(c);
      }
    }
    return checks;
  }

  /**
   * Writes the report with the Boston 311 charts of the bronze tables present that have the charts' columns (a
   * table of another dataset under the same name gets none, rather than failing the report).
   */
  static void writeReport(
      Path file, HtmlReport.Builder html, String database, dev.inlet.Catalog catalog) {
    TableId legacy = TableId.of(database, Boston311.LEGACY_TABLE.table());
    TableId next = TableId.of(database, Boston311.NEW_SYSTEM_TABLE.table());
    if (hasColumns(catalog, legacy, "open_dt", "closed_dt")) {
      html.series("legacy system (" + legacy + ")", legacy, "open_dt")
          .timeToClose("legacy system (" + legacy + ")", legacy, "open_dt", "closed_dt");
    }
    if (hasColumns(catalog, next, "open_date", "close_date")) {
      html.series("new system (" + next + ")", next, "open_date")
          .timeToClose("new system (" + next + ")", next, "open_date", "close_date");
    }
    write(file, html.build().html());
  }

  private static boolean hasColumns(dev.inlet.Catalog catalog, TableId table, String... columns) {
    return catalog
        .loadTable(table)
        .map(t -> java.util.Arrays.stream(columns).allMatch(c -> t.schema().indexOf(c) >= 0))
        .orElse(false);
  }

  /**
   * The checks of {@code --checks FILE}, or null without it. A file that cannot be read is a usage error (exit 2),
   * like a mistake in it, not a check that failed.
   */
  static List<Check> checkFile(Args args) {
    if (!args.has("--checks")) {
      return null;
    }
    Path file = Path.of(args.get("--checks", null));
    try {
      return CheckFile.read(file);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(e.getMessage() + "; check the path given to --checks", e);
    }
  }

  private static void write(Path file, String html) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, html);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report " + file + ": " + e.getMessage(), e);
    }
  }
}
