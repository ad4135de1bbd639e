package dev.inlet.examples;

import dev.inlet.Catalog;
import dev.inlet.InletException;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.SourceUnavailableException;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.csv.LimitExceededException;
import dev.inlet.http.HttpDownloader;
import dev.inlet.local.LocalStateStore;
import dev.inlet.state.CatalogStateStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code ingest}: Boston 311 from the portal (or the bundled sample) into a local lake. */
final class IngestCommand {
  static final URI DEFAULT_PORTAL = URI.create("https://data.boston.gov");

  private IngestCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    if (SourceIngest.applies(args)) {
      return SourceIngest.run(args, out, err);
    }
    args.allow(
        "--portal",
        "--years",
        "--new-system",
        "--warehouse",
        "--database",
        "--sample",
        "--parallelism",
        "--converter-threads",
        "--s3",
        "--s3-endpoint",
        "--glue",
        "--glue-endpoint",
        "--crawler",
        "--crawler-role",
        "--no-catalog",
        "--full-refresh",
        "--allow-insecure-http",
        "--allow-shrink",
        "--allow-year-mismatch",
        "--max-field-bytes",
        "--max-columns",
        "--max-partitions-per-file",
        "--download-deadline",
        "--ignore-listed-size",
        "--refine",
        "--gate");
    if (args.has("--refine") && args.has("--no-catalog")) {
      throw new IllegalArgumentException(
          "--refine reads the bronze tables from the catalog: it does not go with"
              + " --no-catalog");
    }
    if (args.has("--refine") && (args.has("--s3") || args.has("--glue") || args.has("--crawler"))) {
      throw new IllegalArgumentException(
          "--refine refines a local lake; with --s3/--glue run `refine --athena`"
              + " after the ingest");
    }
    if (args.has("--gate") && !args.has("--refine")) {
      throw new IllegalArgumentException("--gate goes with --refine (it gates the silver version)");
    }
    if (args.has("--sample") && args.has("--portal")) {
      throw new IllegalArgumentException("Use either --sample or --portal, not both");
    }
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    String database = args.get("--database", Boston311.DATABASE);
    int parallelism = args.getInt("--parallelism", Runtime.getRuntime().availableProcessors(), 1);
    int converterThreads =
        args.getInt("--converter-threads", Runtime.getRuntime().availableProcessors(), 1);
    limits(CsvToParquet.builder(), args); // a bad limit is a usage error before anything starts
    downloadLimits(HttpDownloader.builder(), args);
    boolean sample = args.has("--sample");
    List<Integer> years =
        parseYears(args.get("--years", sample ? SamplePortal.YEARS : "2015-2020"));
    boolean newSystem = args.has("--new-system") || (sample && !args.has("--years"));

    SamplePortal samplePortal = sample ? SamplePortal.start() : null;
    try (AwsTargets targets = new AwsTargets(args, warehouse)) {
      URI portal = sample
          ? samplePortal.baseUri()
          : URI.create(args.get("--portal", DEFAULT_PORTAL.toString()));
      HttpDownloader downloader = downloader(args, portal);
      boolean fullRefresh = args.has("--full-refresh");
      boolean allowShrink = args.has("--allow-shrink");
      Sink sink = targets.sink();
      TableId legacyTable = TableId.of(database, Boston311.LEGACY_TABLE.table());
      TableId newSystemTable = TableId.of(database, Boston311.NEW_SYSTEM_TABLE.table());
      out.println("Ingesting Boston 311 " + (years.isEmpty() ? "" : "years " + describe(years))
          + (newSystem ? (years.isEmpty() ? "" : " and ") + "the new-system file" : "")
          + " from " + (sample ? "the bundled sample (" + portal + ")" : portal)
          + " into " + sink.location(legacyTable).replaceAll("bronze/.*", "")
          + targets.cataloged());
      ProgressPrinter progress = new ProgressPrinter(out, System.console() != null);
      List<PipelineResult> results = new ArrayList<>();
      List<Catalog> catalogs = new ArrayList<>();
      if (!years.isEmpty()) {
        Catalog catalog = targets.catalog(legacyTable, false);
        catalogs.add(catalog);
        if (!readable(catalog, legacyTable, targets, warehouse, err)) {
          return 1;
        }
        results.add(incremental(
                Pipeline.builder(), targets, warehouse, catalog, fullRefresh, allowShrink)
            .source(Boston311Source.legacy()
                .portal(portal)
                .years(years)
                .downloader(downloader)
                .build())
            .converter(limits(
                    args.has("--allow-year-mismatch")
                        ? Boston311.legacyConverterBuilder().noYearGuard()
                        : Boston311.legacyConverterBuilder(),
                    args)
                .build())
            .sink(sink)
            .catalog(catalog)
            .table(legacyTable)
            .listener(progress)
            .parallelism(parallelism)
            .converterThreads(converterThreads)
            .build()
            .run());
      }
      if (newSystem) {
        Catalog catalog = targets.catalog(newSystemTable, !years.isEmpty());
        catalogs.add(catalog);
        if (!readable(catalog, newSystemTable, targets, warehouse, err)) {
          return 1;
        }
        results.add(
            incremental(Pipeline.builder(), targets, warehouse, catalog, fullRefresh, allowShrink)
                .source(Boston311Source.newSystem()
                    .portal(portal)
                    .downloader(downloader)
                    .build())
                .converter(limits(Boston311.newSystemConverterBuilder(), args).build())
                .sink(sink)
                .catalog(catalog)
                .table(newSystemTable)
                .listener(progress)
                .parallelism(parallelism)
                .converterThreads(converterThreads)
                .build()
                .run());
      }
      progress.printSummary(results);
      boolean ok = results.stream().allMatch(PipelineResult::succeeded);
      if (ok && args.has("--refine")) {
        out.println();
        return RefineCommand.refine(
            warehouse, database, fullRefresh, args.has("--gate"), allowShrink, out, err);
      }
      if (ok) {
        printNextSteps(out, warehouse, targets, results, catalogs);
      }
      return ok ? 0 : 1;
    } catch (SourceUnavailableException e) {
      err.println(Printable.of(e.getMessage()));
      if (!sample) {
        err.println(
            "Is the portal reachable from here? Run with --sample to ingest the real Boston 311 rows"
                + " bundled in this jar (no network needed), or with --portal URL to use a mirror of the portal.");
      }
      return 3;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      return 1;
    } finally {
      if (samplePortal != null) {
        samplePortal.close();
      }
    }
  }

  /** Refuses plain HTTP to a remote portal unless {@code --allow-insecure-http} says otherwise. */
  static HttpDownloader downloader(Args args, URI portal) {
    HttpDownloader.Builder http = downloadLimits(HttpDownloader.builder(), args);
    if (args.has("--allow-insecure-http")) {
      http.allowInsecureHttp();
    } else if ("http".equalsIgnoreCase(portal.getScheme())
        && portal.getHost() != null
        && !HttpDownloader.isLoopbackHost(portal.getHost())) {
      throw new IllegalArgumentException(
          "Refusing plain HTTP to " + HttpDownloader.redact(portal) + ": use https,"
              + " or add --allow-insecure-http if you trust the network (loopback hosts are always allowed)");
    }
    return http.build();
  }

  /**
   * Skips files unchanged since the last ingest (state in the warehouse, or in the Glue partitions), unless
   * {@code --full-refresh} was given.
   */
  static Pipeline.Builder incremental(
      Pipeline.Builder b,
      AwsTargets targets,
      Path warehouse,
      Catalog catalog,
      boolean fullRefresh,
      boolean allowShrink) {
    b.stateStore(
        targets.usesGlue() ? CatalogStateStore.of(catalog) : LocalStateStore.at(warehouse));
    if (allowShrink) {
      b.allowShrink();
    }
    return fullRefresh ? b.fullRefresh() : b;
  }

  /**
   * Whether {@code catalog} can read {@code table}; if not (a damaged local catalog file), prints why and how to
   * repair it before any file is downloaded.
   */
  static boolean readable(
      Catalog catalog, TableId table, AwsTargets targets, Path warehouse, PrintStream err) {
    if (targets.usesGlue() || !targets.usesCatalog()) {
      return true; // Glue answers per call (a failure fails the files, as before); no catalog:
      // nothing to read
    }
    try {
      catalog.loadTable(table);
      return true;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      err.println("To rebuild the catalog from the data files in the lake, run:");
      err.println("  java -jar examples/target/inlet-examples.jar catalog rebuild --warehouse "
          + warehouse);
      err.println(
          "or delete the file: the next ingest then downloads and registers every file again.");
      return false;
    }
  }

  private static void printNextSteps(
      PrintStream out,
      Path warehouse,
      AwsTargets targets,
      List<PipelineResult> results,
      List<Catalog> catalogs) {
    TableId first = results.get(0).table();
    String sql = "SELECT year, count(*) AS requests FROM " + first + " GROUP BY year ORDER BY year";
    out.println();
    if (!targets.usesCatalog()) {
      out.println("Read the Parquet files (no catalog was written), e.g. with DuckDB:");
      for (PipelineResult r : results) {
        out.println("  " + AwsTargets.folderQuery(r.location(), "SELECT year, count(*) AS requests")
            + " GROUP BY year ORDER BY year");
      }
      return;
    }
    if (targets.usesGlue()) {
      out.println("Query it in Athena (the tables are in the Glue Data Catalog):");
      out.println("  " + sql + ";");
    } else {
      out.println("Query it (DuckDB stands in for Athena):");
      out.println("  java -jar examples/target/inlet-examples.jar query --warehouse " + warehouse
          + " \"" + sql + "\"");
    }
    if (targets.usesS3()) {
      out.println();
      out.println("Athena DDL of what was registered:");
      for (int i = 0; i < results.size(); i++) {
        out.println(catalogs.get(i).ddl(results.get(i).table()) + ";");
      }
    }
  }

  /** Parses {@code 2015-2020}, {@code 2015,2017} or a mix such as {@code 2011-2013,2015}. */
  static List<Integer> parseYears(String spec) {
    TreeSet<Integer> years = new TreeSet<>();
    if (spec.isBlank() || spec.equals("none")) {
      return List.of();
    }
    for (String part : spec.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-');
        if (dash > 0) {
          int from = Integer.parseInt(p.substring(0, dash).trim());
          int to = Integer.parseInt(p.substring(dash + 1).trim());
          if (to < from) {
            throw new IllegalArgumentException(
                "Invalid --years range '" + p + "': the end is before the start");
          }
          for (int y = from; y <= to; y++) {
            years.add(y);
          }
        } else {
          years.add(Integer.parseInt(p));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Invalid --years '" + spec + "': use a range like 2015-2020 or a list like 2015,2017");
      }
    }
    return List.copyOf(years);
  }

  private static String describe(List<Integer> years) {
    int first = years.get(0);
    int last = years.get(years.size() - 1);
    return years.size() == last - first + 1 && years.size() > 2
        ? first + "-" + last
        : years.toString().replaceAll("[\\[\\] ]", "");
  }

  /**
   * The flags of the downloader's limits on {@code b}: {@code --download-deadline D} (one file's download with
   * every retry, resume and attempt; default 30m) and {@code --ignore-listed-size} (a portal known to list stale
   * sizes).
   */
  static HttpDownloader.Builder downloadLimits(HttpDownloader.Builder b, Args args) {
    if (args.has("--download-deadline")) {
      b.downloadTimeout(args.getDuration("--download-deadline", null));
    }
    if (args.has("--ignore-listed-size")) {
      b.ignoreListedSize();
    }
    return b;
  }

  /**
   * The flag that sets the converter's limit {@code limit} (a {@link LimitExceededException#limit()} such as
   * {@code maxFieldBytes}), or null for one the CLI has no flag for; the inverse of {@link #limits}.
   */
  static String limitFlag(String limit) {
    switch (limit) {
      case "maxFieldBytes":
        return "--max-field-bytes";
      case "maxColumns":
        return "--max-columns";
      case "maxPartitionsPerFile":
        return "--max-partitions-per-file";
      default:
        return null;
    }
  }

  /** The flags of the converter's limits ({@code --max-field-bytes}, {@code --max-columns}, ...) on {@code b}. */
  static CsvToParquet.Builder limits(CsvToParquet.Builder b, Args args) {
    if (args.has("--max-field-bytes")) {
      b.maxFieldBytes(args.getInt("--max-field-bytes", 0, 1));
    }
    if (args.has("--max-columns")) {
      b.maxColumns(args.getInt("--max-columns", 0, 1));
    }
    if (args.has("--max-partitions-per-file")) {
      b.maxPartitionsPerFile(args.getInt("--max-partitions-per-file", 0, 1));
    }
    return b;
  }
}
