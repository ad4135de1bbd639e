package dev.inlet.examples;

import dev.inlet.Catalog;
import dev.inlet.InletException;
import dev.inlet.Table;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.aws.s3.S3FileStore;
import dev.inlet.crawler.CrawlPlan;
import dev.inlet.crawler.Crawler;
import dev.inlet.crawler.DeletePolicy;
import dev.inlet.crawler.RecrawlPolicy;
import dev.inlet.crawler.SchemaChangePolicy;
import dev.inlet.local.LocalCatalog;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.LocalFileStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code crawl}: catalogs existing Parquet data (local folder or {@code s3://bucket/prefix}) like a Glue crawler,
 * printing the plan first; without {@code --dry-run} it applies it to the local catalog or, with {@code --glue},
 * to Glue. S3 and Glue clients come from the SDK's default credential and region chain.
 */
final class CrawlCommand {
  private CrawlCommand() {}

  static int run(String[] raw, PrintStream out, PrintStream err) {
    Args args = Args.parse(raw)
        .allow(
            "--path",
            "--warehouse",
            "--database",
            "--dry-run",
            "--glue",
            "--json",
            "--new-folders-only",
            "--table-depth",
            "--table-prefix",
            "--max-tables",
            "--schema-change",
            "--delete",
            "--s3-endpoint",
            "--glue-endpoint");
    if (!args.has("--path") || !args.has("--database")) {
      throw new IllegalArgumentException(
          "crawl needs --path DIR|s3://bucket/prefix and --database NAME");
    }
    if (!args.has("--glue") && !args.has("--warehouse")) {
      throw new IllegalArgumentException(
          "crawl needs --warehouse DIR for the local catalog (or --glue)");
    }
    String path = args.get("--path", null);
    S3Client s3 = null;
    GlueCatalog glue = null;
    try {
      FileStore storage;
      if (path.startsWith("s3://")) {
        var b = S3Client.builder();
        if (args.has("--s3-endpoint")) {
          b.endpointOverride(URI.create(args.get("--s3-endpoint", null))).forcePathStyle(true);
        }
        s3 = b.build();
        storage = S3FileStore.of(s3, URI.create(path));
      } else {
        Path folder = Path.of(path);
        if (!java.nio.file.Files.isDirectory(folder)) {
          throw new IllegalArgumentException(
              "Cannot crawl " + folder.toAbsolutePath().normalize() + ": not a directory");
        }
        storage = LocalFileStore.at(folder);
      }
      Crawler.Builder cb = Crawler.builder()
          .target(storage)
          .database(args.get("--database", null))
          .tableDepth(args.getInt("--table-depth", 0, 0))
          .tablePrefix(args.get("--table-prefix", ""))
          .schemaChangePolicy(SchemaChangePolicy.valueOf(
              args.get("--schema-change", "UPDATE_IN_DATABASE").toUpperCase(Locale.ROOT)))
          .deletePolicy(DeletePolicy.valueOf(
              args.get("--delete", "DEPRECATE_IN_DATABASE").toUpperCase(Locale.ROOT)))
          .recrawlPolicy(
              args.has("--new-folders-only")
                  ? RecrawlPolicy.CRAWL_NEW_FOLDERS_ONLY
                  : RecrawlPolicy.CRAWL_EVERYTHING);
      if (args.has("--max-tables")) {
        cb.maxTables(args.getInt("--max-tables", 0, 1));
      }
      Crawler crawler = cb.build();
      Catalog catalog;
      if (args.has("--glue")) {
        var g = GlueClient.builder();
        if (args.has("--glue-endpoint")) {
          g.endpointOverride(URI.create(args.get("--glue-endpoint", null)));
        }
        glue = GlueCatalog.builder().client(g.build()).build();
        catalog = glue;
      } else {
        catalog = LocalCatalog.at(Path.of(args.get("--warehouse", null)));
      }
      CrawlPlan plan = crawler.plan(catalog);
      // Column names and paths may come from a portal: one printable line each.
      (args.has("--json") ? plan.toJson() : plan.toText())
          .lines()
          .forEach(l -> out.println(Printable.of(l)));
      if (args.has("--dry-run")) {
        out.println(plan.hasChanges() ? "Dry run: nothing applied." : "");
        return 0;
      }
      if (plan.hasChanges()) {
        List<Table> tables = crawler.apply(plan, catalog);
        out.println("Applied: " + tables.size() + " table(s) created or updated.");
      }
      return plan.conflicts().isEmpty() ? 0 : 1;
    } catch (InletException e) {
      err.println(e.getMessage());
      return 1;
    } finally {
      if (glue != null) {
        glue.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
  }
}
