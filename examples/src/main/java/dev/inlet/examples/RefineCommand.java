package dev.inlet.examples;

import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Checks;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.duckdb.DuckDbSilverWriter;
import dev.inlet.duckdb.QualityResultsTable;
import dev.inlet.local.LocalCatalog;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.PublishGate;
import dev.inlet.quality.QualityResult;
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
    args.allow(
        "--warehouse",
        "--database",
        "--full-refresh",
        "--gate",
        "--allow-shrink",
        "--athena",
        "--workgroup",
        "--output",
        "--s3-endpoint",
        "--glue-endpoint",
        "--athena-endpoint");
    if (args.has("--athena")) {
      return athena(args, out, err);
    }
    if (args.has("--workgroup") || args.has("--output")) {
      throw new IllegalArgumentException("--workgroup and --output go with --athena");
    }
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    return refine(
        warehouse,
        args.get("--database", Boston311.DATABASE),
        args.has("--full-refresh"),
        args.has("--gate"),
        args.has("--allow-shrink"),
        out,
        err);
  }

  /**
   * Refines {@code database}'s silver tables in the local lake at {@code warehouse}; with {@code gate}, a new version
   * failing a fail-severity Boston 311 silver check is not published. Returns the exit code.
   */
  static int refine(
      Path warehouse,
      String database,
      boolean fullRefresh,
      boolean gate,
      boolean allowShrink,
      PrintStream out,
      PrintStream err) {
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    TableId silver = TableId.of(database, Boston311Silver.REQUESTS.table());
    out.println("Refining " + silver + " in " + warehouse + " with DuckDB"
        + (fullRefresh ? " (full refresh)" : "") + (gate ? ", gated by its quality checks" : ""));
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      registerEmptyInputs(catalog, database, dev.inlet.local.LocalWarehouse.at(warehouse), out);
      Refinement.Builder refinement = Refinement.builder()
          .writer(DuckDbSilverWriter.of(engine, warehouse))
          .catalog(catalog)
          .table(Boston311Silver.requests(database))
          .fullRefresh(fullRefresh)
          .allowShrink(allowShrink)
          .listener(gateListener(out));
      if (gate) {
        // the previous runs of `check` (stored in <database>.quality_results) are what row-count
        // and schema
        // changes compare with
        engine.createViews(catalog, catalog.listDatabases());
        refinement.gate(PublishGate.of(
            Boston311Checks.silver(database),
            QualityResultsTable.of(engine, catalog, warehouse, database).history()));
      }
      List<Refinement.TableResult> results = refinement.build().run();
      for (Refinement.TableResult r : results) {
        out.println(summary(r));
      }
      out.println();
      out.println("Query it (DuckDB stands in for Athena):");
      out.println("  java -jar examples/target/inlet-examples.jar query --warehouse " + warehouse
          + " \"SELECT"
          + " strftime(opened_at, '%Y-%m') AS month, source_system, count(*) AS requests FROM "
          + silver
          + " GROUP BY ALL ORDER BY ALL\"");
      return 0;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      err.println("The previous version of " + silver + " is unchanged.");
      return 1;
    }
  }

  /** {@code refine --athena}: Athena computes, S3 holds the files, Glue the catalog. */
  static int athena(Args args, PrintStream out, PrintStream err) {
    String output = args.get("--output", null);
    String workGroup = args.get("--workgroup", null);
    if (output == null || !output.startsWith("s3://") || workGroup == null) {
      throw new IllegalArgumentException(
          "refine --athena needs --workgroup NAME and --output s3://bucket/prefix"
              + " (the lake root the bronze tables were ingested to with --s3)");
    }
    String root = output.endsWith("/") ? output : output + "/";
    String database = args.get("--database", Boston311.DATABASE);
    TableId silver = TableId.of(database, Boston311Silver.REQUESTS.table());
    software.amazon.awssdk.services.s3.S3ClientBuilder s3b =
        software.amazon.awssdk.services.s3.S3Client.builder();
    software.amazon.awssdk.services.glue.GlueClientBuilder glueb =
        software.amazon.awssdk.services.glue.GlueClient.builder();
    software.amazon.awssdk.services.athena.AthenaClientBuilder athenab =
        software.amazon.awssdk.services.athena.AthenaClient.builder();
    if (args.has("--s3-endpoint")) {
      s3b.endpointOverride(java.net.URI.create(args.get("--s3-endpoint", null)))
          .forcePathStyle(true);
    }
    if (args.has("--glue-endpoint")) {
      glueb.endpointOverride(java.net.URI.create(args.get("--glue-endpoint", null)));
    }
    if (args.has("--athena-endpoint")) {
      athenab.endpointOverride(java.net.URI.create(args.get("--athena-endpoint", null)));
    }
    out.println("Refining " + silver + " with Athena (workgroup " + workGroup + ") into " + root
        + "silver/," + " cataloged in Glue"
        + (args.has("--full-refresh") ? " (full refresh)" : ""));
    try (software.amazon.awssdk.services.s3.S3Client s3 = s3b.build();
        software.amazon.awssdk.services.glue.GlueClient glue = glueb.build();
        software.amazon.awssdk.services.athena.AthenaClient athena = athenab.build();
        dev.inlet.aws.glue.GlueCatalog catalog =
            dev.inlet.aws.glue.GlueCatalog.builder().client(glue).build();
        dev.inlet.aws.athena.AthenaEngine engine = dev.inlet.aws.athena.AthenaEngine.builder()
            .client(athena)
            .workGroup(workGroup)
            .outputLocation(java.net.URI.create(root + "_athena-results/"))
            .build()) {
      for (Refinement.TableResult r : Refinement.builder()
          .writer(dev.inlet.aws.athena.AthenaSilverWriter.of(engine, s3, java.net.URI.create(root)))
          .catalog(catalog)
          .table(Boston311Silver.requests(database))
          .fullRefresh(args.has("--full-refresh"))
          .allowShrink(args.has("--allow-shrink"))
          .listener(gateListener(out))
          // the history: the results `check --athena` stored in <database>.quality_results
          .gate(
              args.has("--gate")
                  ? PublishGate.of(
                      Boston311Checks.silver(database),
                      dev.inlet.aws.athena.AthenaQualityResults.of(
                              engine, s3, catalog, java.net.URI.create(root), database)
                          .history())
                  : PublishGate.none())
          .build()
          .run()) {
        out.println(summary(r));
      }
      return 0;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      err.println("The previous version of " + silver + " is unchanged.");
      return 1;
    }
  }

  /**
   * Registers an empty new-system table when only the legacy years were ingested (the default of a real-portal
   * ingest), so the silver SELECT, which reads both, runs; a later {@code ingest --new-system} fills it.
   */
  static void registerEmptyInputs(
      dev.inlet.Catalog catalog, String database, dev.inlet.Sink sink, PrintStream out) {
    TableId legacy = TableId.of(database, Boston311.LEGACY_TABLE.table());
    TableId newSystem = TableId.of(database, Boston311.NEW_SYSTEM_TABLE.table());
    if (catalog.loadTable(legacy).isEmpty()) {
      return; // nothing ingested: the refinement says so
    }
    if (catalog.loadTable(newSystem).isEmpty()) {
      catalog.register(dev.inlet.TableRegistration.builder()
          .table(newSystem)
          .location(sink.location(newSystem))
          .schema(Boston311.NEW_SYSTEM_SCHEMA)
          .partitionKeys(List.of("year"))
          .build());
      out.println("No " + newSystem
          + " in the catalog (ingest --new-system adds it): registered it empty.");
    }
  }

  /**
   * Prints the partitions rebuilt because their files are gone, and the gate's verdict on a new version (a refused
   * one is printed by the caller, from the exception).
   */
  private static Refinement.Listener gateListener(PrintStream out) {
    return new Refinement.Listener() {
      @Override
      public void missing(TableId table, List<String> partition, String location) {
        List<String> keys = Boston311Silver.requests().partitionKeys();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < partition.size(); i++) {
          path.append(i == 0 ? "" : "/")
              .append(i < keys.size() ? keys.get(i) : "?")
              .append('=');
          path.append(partition.get(i));
        }
        out.println("Silver partition " + path + " of " + table + " is missing its files at "
            + location + "; rebuilding it");
      }

      @Override
      public void checked(TableId table, QualityResult result) {
        if (!result.blocks()) {
          out.println("Quality gate on the new version of " + table + ": "
              + result.count(Outcome.PASSED) + " passed, " + result.count(Outcome.WARNED)
              + " warned, none failed; publishing it");
        }
      }
    };
  }

  static String summary(Refinement.TableResult r) {
    return String.format(
        java.util.Locale.ROOT,
        "Refined %s: %d partition(s) rebuilt%s, %d unchanged, %d removed;"
            + " %d rows written in %.1f s",
        r.table(),
        r.rebuilt().size(),
        r.rebuilt().isEmpty()
            ? ""
            : " ("
                + r.rebuilt().stream()
                    .map(v -> String.join("/", v))
                    .collect(Collectors.joining(", "))
                + ")",
        r.unchanged(),
        r.removed().size(),
        r.rows(),
        r.seconds());
  }
}
