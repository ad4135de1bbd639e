package dev.inlet.examples;

import dev.inlet.Catalog;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.SourceUnavailableException;
import dev.inlet.TableId;
import dev.inlet.ckan.CkanResource;
import dev.inlet.ckan.CkanSource;
import dev.inlet.csv.ColumnNames;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.csv.PartitionSpec;
import dev.inlet.http.HttpDownloader;
import dev.inlet.http.HttpSource;
import dev.inlet.socrata.SocrataDataset;
import dev.inlet.socrata.SocrataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ingest --url URL... | --ckan BASE --dataset ID | --socrata BASE --dataset 4x4} into one table of any name:
 * the generic sources, with what Boston 311 gets (incremental state, resume, guards, progress, summary, exit codes,
 * catalog, S3 and Glue). Types are inferred from the values, except a Socrata dataset's non-number columns (typed
 * from its metadata) and {@code --column NAME:TYPE} overrides; {@code --snake-case} makes header names snake_case;
 * the table is not partitioned unless {@code --partition-by year-of:COLUMN}, {@code month-of:COLUMN} or
 * {@code --partition-by COLUMN}.
 */
final class SourceIngest {
  static final String DEFAULT_DATABASE = "default";
  /** Environment variable holding the Socrata app token when {@code --app-token} is not given. */
  static final String APP_TOKEN_ENV = "INLET_SOCRATA_APP_TOKEN";

  /** The options of the generic ingest (the target options are shared with the Boston ingest). */
  private static final String[] OPTIONS = {
    "--url",
    "--ckan",
    "--socrata",
    "--dataset",
    "--app-token",
    "--table",
    "--database",
    "--warehouse",
    "--partition-by",
    "--column",
    "--snake-case",
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
    "--max-field-bytes",
    "--max-columns",
    "--max-partitions-per-file",
    "--download-deadline",
    "--ignore-listed-size"
  };

  private SourceIngest() {}

  /** Whether {@code args} ask for a generic source rather than Boston 311. */
  static boolean applies(Args args) {
    return args.has("--url") || args.has("--ckan") || args.has("--socrata");
  }

  static int run(Args args, PrintStream out, PrintStream err) {
    return run(args, out, err, System.getenv());
  }

  /** Runs with {@code env} as the environment (where the Socrata app token may come from). */
  static int run(Args args, PrintStream out, PrintStream err, Map<String, String> env) {
    for (String boston : List.of("--sample", "--portal", "--years", "--new-system")) {
      if (args.has(boston)) {
        throw new IllegalArgumentException(boston
            + " is for Boston 311 only; it does not go with --url, --ckan" + " or --socrata");
      }
    }
    args.allow(OPTIONS);
    Kind kind = kind(args);
    if (args.has("--app-token") && kind != Kind.SOCRATA) {
      throw new IllegalArgumentException(
          "--app-token is a Socrata app token: it goes with --socrata only");
    }
    String tableName = args.get("--table", null);
    if (tableName == null) {
      throw new IllegalArgumentException(
          "ingest " + kind.flag + " needs --table NAME (lower-case letters, digits"
              + " and '_'): the table the data goes to");
    }
    TableId table = TableId.of(args.get("--database", DEFAULT_DATABASE), tableName);
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    int parallelism = args.getInt("--parallelism", Runtime.getRuntime().availableProcessors(), 1);
    int converterThreads =
        args.getInt("--converter-threads", Runtime.getRuntime().availableProcessors(), 1);
    CsvToParquet.Builder converter = CsvToParquet.builder();
    PartitionSpec partitioning = partitionSpec(args.get("--partition-by", null));
    if (partitioning != null) {
      converter.partitionBy(partitioning);
    }
    boolean snakeCase = args.has("--snake-case");
    if (snakeCase) {
      converter.snakeCaseColumns();
    }
    Map<String, ColumnType> overrides = columnTypes(args.all("--column"));
    IngestCommand.limits(converter, args);
    IngestCommand.downloadLimits(
        HttpDownloader.builder(), args); // a bad value is a usage error before anything

    try (AwsTargets targets = new AwsTargets(args, warehouse)) {
      Described source = source(kind, args, env);
      if (source.socrata() != null) {
        // Types the portal declares (every column but numbers, which inference types); --column
        // wins over them.
        source
            .socrata()
            .columnTypes()
            .forEach((header, type) ->
                converter.columnType(snakeCase ? ColumnNames.snakeCase(header) : header, type));
      }
      overrides.forEach(converter::columnType);
      Sink sink = targets.sink();
      Catalog catalog = targets.catalog(table, false);
      out.println("Ingesting " + source.what() + " into " + table + " at " + sink.location(table)
          + targets.cataloged());
      if (!IngestCommand.readable(catalog, table, targets, warehouse, err)) {
        return 1;
      }
      ProgressPrinter progress = new ProgressPrinter(out, System.console() != null, "partition");
      PipelineResult result = IngestCommand.incremental(
              Pipeline.builder(),
              targets,
              warehouse,
              catalog,
              args.has("--full-refresh"),
              args.has("--allow-shrink"))
          .source(source.source())
          .converter(converter.build())
          .sink(sink)
          .catalog(catalog)
          .table(table)
          .listener(progress)
          .parallelism(parallelism)
          .converterThreads(converterThreads)
          .build()
          .run();
      progress.printSummary(List.of(result));
      if (result.succeeded()) {
        printNextSteps(out, warehouse, targets, catalog, table, result.location());
      }
      return result.succeeded() ? 0 : 1;
    } catch (SourceUnavailableException e) {
      err.println(Printable.of(e.getMessage()));
      err.println(
          "Is " + kind.what + " reachable from here? Check the URL" + (kind == Kind.URL ? "s" : "")
              + (kind == Kind.URL ? "" : " and the dataset id")
              + (kind == Kind.SOCRATA ? " (and the app token, if the" + " portal refused it)" : "")
              + "; a file that failed is downloaded again (resuming where possible) by"
              + " the next run.");
      return 3;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      return 1;
    }
  }

  private enum Kind {
    URL("--url", "the server"),
    CKAN("--ckan", "the CKAN portal"),
    SOCRATA("--socrata", "the Socrata portal");

    final String flag;
    final String what;

    Kind(String flag, String what) {
      this.flag = flag;
      this.what = what;
    }
  }

  private static Kind kind(Args args) {
    List<Kind> given = new ArrayList<>();
    for (Kind k : Kind.values()) {
      if (args.has(k.flag)) {
        given.add(k);
      }
    }
    if (given.size() > 1) {
      throw new IllegalArgumentException("Use one source per ingest: " + given.get(0).flag + " or "
          + given.get(1).flag + ", not both");
    }
    Kind kind = given.get(0);
    if (kind == Kind.URL && args.has("--dataset")) {
      throw new IllegalArgumentException(
          "--dataset names a dataset of a portal (--ckan, --socrata); --url takes"
              + " the file's URL itself");
    }
    if (kind != Kind.URL && !args.has("--dataset")) {
      throw new IllegalArgumentException("ingest " + kind.flag
          + " BASE_URL needs --dataset ID (the dataset's id" + " or name on the portal)");
    }
    if (kind != Kind.URL && args.all(kind.flag).size() > 1) {
      throw new IllegalArgumentException(
          kind.flag + " takes one portal; run one ingest per portal");
    }
    return kind;
  }

  /** A source, how to describe it to the user, and the Socrata dataset's metadata (null for other kinds). */
  private record Described(Source source, String what, SocrataDataset socrata) {
    Described(Source source, String what) {
      this(source, what, null);
    }
  }

  private static Described source(Kind kind, Args args, Map<String, String> env) {
    switch (kind) {
      case URL: {
        List<URI> urls = new ArrayList<>();
        for (String u : args.all("--url")) {
          urls.add(uri("--url", u));
        }
        HttpSource.Builder b = HttpSource.builder().downloader(downloader(args, urls));
        for (URI u : urls) {
          try {
            b.file(u, fileName(u));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid --url " + HttpDownloader.redact(u) + ": "
                + e.getMessage().replaceFirst("^Cannot add [^:]*: ", ""));
          }
        }
        return new Described(
            b.build(),
            urls.size() == 1
                ? HttpDownloader.redact(urls.get(0)).toString()
                : urls.size() + " files from " + hosts(urls));
      }
      case CKAN: {
        URI portal = uri("--ckan", args.get("--ckan", null));
        String dataset = args.get("--dataset", null);
        Set<String> skipped = java.util.Collections.synchronizedSet(new TreeSet<>());
        CkanSource ckan;
        try {
          ckan = CkanSource.builder()
              .portal(portal)
              .dataset(dataset)
              .downloader(downloader(args, List.of(portal)))
              .filter(r -> {
                boolean csv = isCsv(r);
                if (!csv) {
                  skipped.add(r.format().isBlank() ? "no format" : r.format());
                }
                return csv;
              })
              .build();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "Invalid --ckan " + HttpDownloader.redact(portal) + ": " + e.getMessage());
        }
        String where =
            "dataset " + dataset + " of the CKAN portal " + HttpDownloader.redact(portal);
        return new Described(
            nonEmpty(
                ckan,
                () -> "Cannot ingest " + where + ": it has no CSV resource"
                    + (skipped.isEmpty() ? "" : " (only " + String.join(", ", skipped) + ")")
                    + "; check the dataset id, or use --url with the file's URL"),
            "every CSV resource of " + where);
      }
      case SOCRATA: {
        URI portal = uri("--socrata", args.get("--socrata", null));
        String dataset = args.get("--dataset", null);
        String token = args.get("--app-token", env.get(APP_TOKEN_ENV));
        SocrataSource.Builder b =
            SocrataSource.builder().downloader(downloader(args, List.of(portal)));
        try {
          b.baseUrl(portal).dataset(dataset);
          if (token != null && !token.isEmpty()) {
            b.appToken(token);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(e.getMessage()); // never holds the token
        }
        SocrataSource socrata = b.build();
        SocrataDataset meta;
        try {
          meta = socrata.metadata();
        } catch (IOException e) {
          throw new SourceUnavailableException(
              "Cannot read the metadata of dataset " + dataset + " on "
                  + HttpDownloader.redact(portal) + ": " + e.getMessage(),
              e);
        }
        return new Described(
            socrata,
            "dataset " + dataset + " ('" + Printable.of(meta.name()) + "', "
                + meta.columns().size() + " columns) of the Socrata portal "
                + HttpDownloader.redact(portal)
                + (token == null || token.isEmpty() ? "" : " with an app token"),
            meta);
      }
      default:
        throw new IllegalStateException("Unknown source kind " + kind);
    }
  }

  /** {@code year-of:COLUMN}, {@code month-of:COLUMN} or {@code COLUMN}; null for none. */
  static PartitionSpec partitionSpec(String spec) {
    if (spec == null) {
      return null;
    }
    String s = spec.trim();
    try {
      if (s.regionMatches(true, 0, "year-of:", 0, 8)) {
        return PartitionSpec.yearOf(s.substring(8).trim());
      }
      if (s.regionMatches(true, 0, "month-of:", 0, 9)) {
        return PartitionSpec.monthOf(s.substring(9).trim());
      }
      if (s.contains(":")) {
        throw new IllegalArgumentException(
            "unknown partitioning '" + s.substring(0, s.indexOf(':')) + "'");
      }
      return PartitionSpec.byColumn(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid --partition-by '" + Printable.of(spec) + "': " + e.getMessage()
              + "; use year-of:COLUMN or month-of:COLUMN (a timestamp or date column) or COLUMN (a value column, e.g."
              + " borough)");
    }
  }

  /** {@code NAME:TYPE} overrides, in order (a later one for the same name wins). */
  static Map<String, ColumnType> columnTypes(List<String> specs) {
    Map<String, ColumnType> out = new java.util.LinkedHashMap<>();
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      String name = colon < 0 ? "" : spec.substring(0, colon).trim();
      String typeName = colon < 0 ? "" : spec.substring(colon + 1).trim();
      if (name.isEmpty() || typeName.isEmpty()) {
        throw new IllegalArgumentException("Invalid --column '" + Printable.of(spec)
            + "': use NAME:TYPE, e.g." + " --column incident_zip:string");
      }
      ColumnType type;
      try {
        type = ColumnType.parse(typeName);
      } catch (IllegalArgumentException e) {
        type = null;
      }
      if (type == null
          || type.kind() == ColumnType.Kind.NESTED
          || type.kind() == ColumnType.Kind.BINARY) {
        throw new IllegalArgumentException(
            "Invalid --column '" + Printable.of(spec) + "': unknown type '"
                + Printable.of(typeName)
                + "'; use string, bigint, int, double, float, boolean, date, timestamp or"
                + " decimal(P,S)");
      }
      out.put(name.toLowerCase(Locale.ROOT), type);
    }
    return out;
  }

  /** Whether a CKAN resource is a CSV file: declared CSV, or without format and named {@code *.csv}. */
  static boolean isCsv(CkanResource r) {
    String format = r.format().trim().toLowerCase(Locale.ROOT);
    if (format.startsWith(".")) {
      format = format.substring(1);
    }
    if (format.equals("csv") || format.equals("text/csv")) {
      return true;
    }
    String file = r.fileName();
    return format.isEmpty() && file != null && file.toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  /** {@code source}, failing the run (before anything is written) if it lists no file. */
  private static Source nonEmpty(Source source, java.util.function.Supplier<String> why) {
    return new Source() {
      @Override
      public List<SourceFile> list() throws IOException {
        List<SourceFile> files = source.list();
        if (files.isEmpty()) {
          throw new InletException(why.get());
        }
        return files;
      }

      @Override
      public String toString() {
        return source.toString();
      }
    };
  }

  private static HttpDownloader downloader(Args args, List<URI> targets) {
    HttpDownloader d = null;
    for (URI u : targets) {
      d = IngestCommand.downloader(args, u); // refuses plain http to a remote host unless allowed
    }
    return d;
  }

  private static URI uri(String flag, String value) {
    try {
      URI u = new URI(value.trim());
      String scheme = u.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException("Invalid " + flag + " '" + HttpDownloader.redact(u)
            + "': use an absolute http or https URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid " + flag + " '" + Printable.of(value) + "': " + e.getReason()
              + "; use an absolute http or https URL (percent-encode spaces and special characters)");
    }
  }

  private static String fileName(URI u) {
    String path = u.getPath();
    if (path != null && !path.isEmpty() && !path.endsWith("/")) {
      return path.substring(path.lastIndexOf('/') + 1);
    }
    return HttpDownloader.redact(u).toString();
  }

  private static String hosts(List<URI> urls) {
    return String.join(", ", new TreeSet<>(urls.stream().map(URI::getHost).toList()));
  }

  private static void printNextSteps(
      PrintStream out,
      Path warehouse,
      AwsTargets targets,
      Catalog catalog,
      TableId table,
      String location) {
    // "default" is a reserved word in DuckDB's SQL (the local stand-in for Athena): quote it, which
    // Athena accepts
    String sql = "SELECT count(*) AS n FROM "
        + (table.database().equals(DEFAULT_DATABASE)
            ? "\"default\"." + table.table()
            : table.toString());
    out.println();
    if (!targets.usesCatalog()) {
      out.println("Read the Parquet files (no catalog was written), e.g. with DuckDB:");
      out.println("  " + AwsTargets.folderQuery(location, "SELECT count(*) AS n"));
      return;
    }
    if (targets.usesGlue()) {
      out.println("Query it in Athena (the table is in the Glue Data Catalog):");
      out.println("  " + sql + ";");
    } else {
      out.println("Query it (DuckDB stands in for Athena):");
      out.println("  java -jar examples/target/inlet-examples.jar query --warehouse " + warehouse
          + " \"" + sql.replace("\"", "\\\"") + "\"");
    }
    if (targets.usesS3()) {
      out.println();
      out.println("Athena DDL of what was registered:");
      out.println(catalog.ddl(table) + ";");
    }
  }
}
