package dev.inlet.examples;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The Inlet command-line example: {@code ingest} Boston 311 (or any CSV URL, CKAN dataset or Socrata dataset) into a
 * local lake, {@code query} it with DuckDB,
 * {@code convert} one CSV file to Parquet, {@code crawl} existing Parquet files into a catalog, {@code catalog rebuild}
 * the local catalog from the data files of the lake.
 */
public final class InletCli {
  static final String USAGE = String.join(
      "\n",
      "Usage: java -jar examples/target/inlet-examples.jar <command> [options]",
      "",
      "  ingest [--sample | --portal URL] [--years 2015-2020|2015,2017] [--new-system]",
      "         [--warehouse DIR (default ./lake)] [--database boston311] [--parallelism N] [--converter-threads N]",
      "         [--s3 s3://bucket/prefix [--s3-endpoint URL]] [--glue [--glue-endpoint URL]]",
      "         [--crawler NAME --crawler-role ARN | --no-catalog] [--full-refresh] [--allow-shrink]",
      "         [--allow-year-mismatch] [--allow-insecure-http] [--max-field-bytes N] [--max-columns N]",
      "         [--max-partitions-per-file N] [--download-deadline 30m] [--ignore-listed-size] [--refine [--gate]]",
      "      Download Boston 311 from the open-data portal (or the bundled sample with --sample), convert it",
      "      to Parquet under DIR/bronze/<database>/<table>/year=YYYY/ (or in S3 with --s3) and register it in the local",
      "      catalog (or in the Glue Data Catalog with --glue, or through a Glue crawler with --crawler).",
      "      --parallelism N files at once (default: the cores) share --converter-threads N (default: the cores).",
      "      --no-catalog writes the Parquet files only (in place, no version folders; read them by listing the",
      "      folders, e.g. DuckDB's read_parquet with hive_partitioning); the state stays in DIR/_state.",
      "      AWS credentials and region come from the default chain (environment, profile, instance role).",
      "      Files that did not change since the last ingest are skipped (--full-refresh ingests them again).",
      "      A re-publication with less than half the rows of its partition (or none) fails unless --allow-shrink.",
      "      A yearly file whose rows are mostly (open_dt) of another year fails unless --allow-year-mismatch.",
      "      --refine runs `refine` after a successful ingest (local lake only), --gate as refine's.",
      "      Plain http:// portals other than localhost need --allow-insecure-http.",
      "      A file with a field longer than --max-field-bytes (default 1048576), more columns than --max-columns",
      "      (default 1000) or rows in more partitions than --max-partitions-per-file (default 100) fails.",
      "      A file's download, with every retry and resume, fails past --download-deadline (default 30m; also",
      "      90s, 2h, PT45M); a body shorter than the size the portal lists fails unless --ignore-listed-size.",
      "  ingest (--url URL [--url URL ...] | --ckan BASE_URL --dataset ID | --socrata BASE_URL --dataset 4x4-ID",
      "         [--app-token T]) --table NAME [--database NAME (default default)] [--warehouse DIR]",
      "         [--partition-by year-of:COLUMN | month-of:COLUMN | COLUMN] [--column NAME:TYPE ...] [--snake-case]",
      "         [--s3 ... --glue ... --no-catalog as above] [--full-refresh] [--allow-shrink]",
      "         [--allow-insecure-http]",
      "         [--max-field-bytes N] [--max-columns N] [--max-partitions-per-file N]",
      "         [--download-deadline 30m] [--ignore-listed-size]",
      "      Any open-data portal (see docs/sources.md): one file per --url; every CSV resource of a CKAN dataset",
      "      (package_show); a Socrata dataset's full export (the app token may come from INLET_SOCRATA_APP_TOKEN",
      "      instead; it is never printed). Types are inferred from the values (a Socrata dataset's non-number",
      "      columns are typed from its metadata); --column NAME:TYPE overrides one (string, bigint, int, double,",
      "      float, boolean, date, timestamp, decimal(P,S)); --snake-case makes names like 'Created Date'",
      "      created_date (NAME and COLUMN are the final names). No partitioning by default: year-of:COLUMN",
      "      partitions by the year of a timestamp column, month-of:COLUMN by year and month (year=/month=),",
      "      COLUMN by a column's values (Hive style).",
      "      Incremental, guarded and cataloged as above.",
      "  refine [--warehouse DIR] [--database boston311] [--full-refresh] [--gate] [--allow-shrink]",
      "      Build the silver table <database>.requests (one row per case, both systems, UTC; docs/silver.md) from",
      "      the bronze tables with DuckDB, under DIR/silver/<database>/requests/year=YYYY/. Only the years whose",
      "      bronze inputs changed are rebuilt (--full-refresh: all); each is committed as a new version folder.",
      "      --gate: the new version is checked first (the Boston 311 silver checks, docs/quality.md); when a",
      "      fail-severity check fails nothing is published, the previous version stays live, exit 1. A new",
      "      version with less than half of the live one's rows fails the same way unless --allow-shrink.",
      "  refine --athena --workgroup W --output s3://bucket/prefix [--database boston311] [--full-refresh] [--gate]",
      "         [--s3-endpoint URL] [--glue-endpoint URL] [--athena-endpoint URL]",
      "      The same on AWS: Athena UNLOADs the rebuilt years under s3://bucket/prefix/silver/, Glue records them",
      "      (the bronze tables must be in Glue: ingest --s3 s3://bucket/prefix --glue). See docs/silver-refine.md.",
      "  query [--warehouse DIR] \"SELECT ... FROM boston311.service_requests\"",
      "      Run SQL with DuckDB over the tables of the local catalog, bronze and silver (the local stand-in for",
      "      Athena).",
      "  check [--warehouse DIR] [--database boston311] [--checks FILE] [--report out.html]",
      "      Run data quality checks with DuckDB on the tables of the local catalog: the Boston 311 built-ins of",
      "      each Boston table present, or the checks of FILE (see docs/quality.md). Prints a summary, writes an",
      "      offline HTML report with --report. Exits 1 when a fail-severity check fails, 4 when none could run.",
      "      Results are stored in <database>.quality_results (the previous run that changes compare with).",
      "  check --athena --workgroup W --output s3://bucket/prefix [--database boston311] [--checks FILE]",
      "        [--report out.html] [--s3-endpoint URL --glue-endpoint URL --athena-endpoint URL]",
      "      The same on AWS: the tables Glue has, checked by Athena; results as Parquet under",
      "      s3://bucket/prefix/quality/<database>/quality_results/, registered in Glue, queryable in Athena.",
      "      Same summary and exit codes. See docs/quality.md (On AWS).",
      "  convert IN.csv OUT.parquet [--codec zstd|snappy|gzip|none] [--schema boston311|infer]",
      "      Convert one CSV file to one Parquet file.",
      "  crawl --path DIR|s3://bucket/prefix (--warehouse DIR | --glue) --database NAME [--dry-run] [--json]",
      "        [--table-depth N] [--max-tables N] [--new-folders-only] [--s3-endpoint URL] [--glue-endpoint URL]",
      "      Catalog existing Parquet files like a Glue crawler, reading only footers: prints the plan, then",
      "      applies it (unless --dry-run) to the local catalog in DIR or to Glue. See docs/crawler.md.",
      "  catalog rebuild --warehouse DIR [--database boston311] [--dry-run]",
      "      Rebuild the local catalog of DIR from its data files (e.g. after the catalog file was lost or damaged):",
      "      unreadable catalog files are set aside, every table folder under DIR/bronze/ is crawled.",
      "",
      "Exit codes: 0 done (unchanged files included), 1 a file failed or a query found broken data (the lake keeps",
      "its previous version), 2 a usage error (nothing started), 3 the source could not be listed (unreachable,",
      "not a portal's answer; nothing was written), 4 check: the checks could not run (no tables, unreadable lake).",
      "");

  private InletCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Args.wantsHelp(rest)) {
      out.print(USAGE);
      return 0;
    }
    try {
      switch (args[0]) {
        case "ingest":
          return IngestCommand.run(Args.parse(rest), out, err);
        case "refine":
          return RefineCommand.run(Args.parse(rest), out, err);
        case "query":
          return QueryCommand.run(Args.parse(rest), out, err);
        case "check":
          return CheckCommand.run(Args.parse(rest), out, err);
        case "convert":
          return ConvertCommand.run(Args.parse(rest), out, err);
        case "crawl":
          return CrawlCommand.run(rest, out, err);
        case "catalog":
          return CatalogCommand.run(rest, out, err);
        default:
          err.println("Unknown command '" + args[0] + "'.");
          err.print(USAGE);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      err.println(Printable.of(e.getMessage()));
      err.println("Run with --help for usage.");
      return 2;
    } catch (OutOfMemoryError e) {
      // the pipeline stops at a VM error (the next file would fail alike); what was committed
      // before stays
      err.println("Stopped: " + ProgressPrinter.outOfMemory(e, "in " + args[0])
          + ". Files committed before it"
          + " stay; the file being converted left nothing visible.");
      return 1;
    }
  }
}
