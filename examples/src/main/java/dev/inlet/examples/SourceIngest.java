package dev.inlet.examples;

import dev.inlet.Catalog;
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
import dev.inlet.csv.CsvToParquet;
import dev.inlet.http.HttpDownloader;
import dev.inlet.http.HttpSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ingest --url URL... | --ckan BASE --dataset ID} into one table of any name: the generic sources, with
 * what Boston 311 gets (incremental state, resume, guards, progress, summary, exit codes, catalog, S3 and Glue).
 * Types are inferred from the values; the table is not partitioned unless asked.
 */
final class SourceIngest {
  static final String DEFAULT_DATABASE = "default";

  /** The options of the generic ingest (the target options are shared with the Boston ingest). */
  private static final String[] OPTIONS = {"--url", "--ckan", "--dataset", "--table", "--database", "--warehouse",
      "--parallelism", "--s3", "--s3-endpoint", "--glue", "--glue-endpoint", "--crawler", "--crawler-role",
      "--full-refresh", "--allow-insecure-http", "--allow-shrink"};

  private SourceIngest() {}

  /** Whether {@code args} ask for a generic source rather than Boston 311. */
  static boolean applies(Args args) {
    return args.has("--url") || args.has("--ckan");
  }

  static int run(Args args, PrintStream out, PrintStream err) {
    for (String boston : List.of("--sample", "--portal", "--years", "--new-system")) {
      if (args.has(boston)) {
        throw new IllegalArgumentException(boston + " is for Boston 311 only; it does not go with --url or --ckan");
      }
    }
    args.allow(OPTIONS);
    Kind kind = kind(args);
    String tableName = args.get("--table", null);
    if (tableName == null) {
      throw new IllegalArgumentException("ingest " + kind.flag + " needs --table NAME (lower-case letters, digits"
          + " and '_'): the table the data goes to");
    }
    TableId table = TableId.of(args.get("--database", DEFAULT_DATABASE), tableName);
    Path warehouse = Path.of(args.get("--warehouse", "lake")).toAbsolutePath().normalize();
    int parallelism = Integer.parseInt(args.get("--parallelism",
        String.valueOf(Runtime.getRuntime().availableProcessors())));
    CsvToParquet converter = CsvToParquet.builder().build();

    try (AwsTargets targets = new AwsTargets(args, warehouse)) {
      Described source = source(kind, args);
      Sink sink = targets.sink();
      Catalog catalog = targets.catalog(table, false);
      out.println("Ingesting " + source.what() + " into " + table + " at " + sink.location(table)
          + (targets.usesGlue() ? ", cataloged in Glue" : ", cataloged in " + warehouse.resolve("_catalog")));
      if (!IngestCommand.readable(catalog, table, targets, warehouse, err)) {
        return 1;
      }
      ProgressPrinter progress = new ProgressPrinter(out, System.console() != null, "partition");
      PipelineResult result = IngestCommand.incremental(Pipeline.builder(), targets, warehouse, catalog,
              args.has("--full-refresh"), args.has("--allow-shrink"))
          .source(source.source())
          .converter(converter)
          .sink(sink)
          .catalog(catalog)
          .table(table)
          .listener(progress)
          .parallelism(parallelism)
          .build()
          .run();
      progress.printSummary(List.of(result));
      if (result.succeeded()) {
        printNextSteps(out, warehouse, targets, catalog, table);
      }
      return result.succeeded() ? 0 : 1;
    } catch (SourceUnavailableException e) {
      err.println(Printable.of(e.getMessage()));
      err.println("Is " + kind.what + " reachable from here? Check the URL" + (kind == Kind.URL ? "s" : "")
          + (kind == Kind.URL ? "" : " and the dataset id") + "; a file that failed is downloaded again (resuming"
          + " where possible) by the next run.");
      return 3;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      return 1;
    }
  }

  private enum Kind {
    URL("--url", "the server"), CKAN("--ckan", "the CKAN portal");

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
      throw new IllegalArgumentException("--dataset names a dataset of a portal (--ckan); --url takes the file's"
          + " URL itself");
    }
    if (kind != Kind.URL && !args.has("--dataset")) {
      throw new IllegalArgumentException("ingest " + kind.flag + " BASE_URL needs --dataset ID (the dataset's id"
          + " or name on the portal)");
    }
    if (kind != Kind.URL && args.all(kind.flag).size() > 1) {
      throw new IllegalArgumentException(kind.flag + " takes one portal; run one ingest per portal");
    }
    return kind;
  }

  /** A source and how to describe it to the user. */
  private record Described(Source source, String what) {}

  private static Described source(Kind kind, Args args) {
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
        return new Described(b.build(), urls.size() == 1 ? HttpDownloader.redact(urls.get(0)).toString()
            : urls.size() + " files from " + hosts(urls));
      }
      case CKAN: {
        URI portal = uri("--ckan", args.get("--ckan", null));
        String dataset = args.get("--dataset", null);
        Set<String> skipped = java.util.Collections.synchronizedSet(new TreeSet<>());
        CkanSource ckan;
        try {
          ckan = CkanSource.builder().portal(portal).dataset(dataset).downloader(downloader(args, List.of(portal)))
              .filter(r -> {
                boolean csv = isCsv(r);
                if (!csv) {
                  skipped.add(r.format().isBlank() ? "no format" : r.format());
                }
                return csv;
              })
              .build();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("Invalid --ckan " + HttpDownloader.redact(portal) + ": "
              + e.getMessage());
        }
        String where = "dataset " + dataset + " of the CKAN portal " + HttpDownloader.redact(portal);
        return new Described(nonEmpty(ckan, () -> "Cannot ingest " + where + ": it has no CSV resource"
            + (skipped.isEmpty() ? "" : " (only " + String.join(", ", skipped) + ")")
            + "; check the dataset id, or use --url with the file's URL"), "every CSV resource of " + where);
      }
      default:
        throw new IllegalStateException("Unknown source kind " + kind);
    }
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
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException("Invalid " + flag + " '" + HttpDownloader.redact(u)
            + "': use an absolute http or https URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid " + flag + " '" + Printable.of(value) + "': " + e.getReason()
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

  private static void printNextSteps(PrintStream out, Path warehouse, AwsTargets targets, Catalog catalog,
      TableId table) {
    String sql = "SELECT count(*) AS n FROM " + table;
    out.println();
    if (targets.usesGlue()) {
      out.println("Query it in Athena (the table is in the Glue Data Catalog):");
      out.println("  " + sql + ";");
    } else {
      out.println("Query it (DuckDB stands in for Athena):");
      out.println("  java -jar examples/target/inlet-examples.jar query --warehouse " + warehouse + " \"" + sql
          + "\"");
    }
    if (targets.usesS3()) {
      out.println();
      out.println("Athena DDL of what was registered:");
      out.println(catalog.ddl(table) + ";");
    }
  }
}
