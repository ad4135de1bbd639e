package dev.inlet.examples;

import dev.inlet.Catalog;
import dev.inlet.Sink;
import dev.inlet.TableId;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.aws.glue.GlueCrawlerCatalog;
import dev.inlet.aws.s3.S3Sink;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Where {@code ingest} writes and catalogs: the local warehouse and catalog by default; S3 with {@code --s3}, Glue
 * with {@code --glue} or a Glue crawler with {@code --crawler}; none with {@code --no-catalog} (the Parquet folders,
 * written in place, are the table; the state stays in the local warehouse). AWS clients use the default credential and region
 * chain; an endpoint override (an S3-compatible store, a Glue stand-in) switches S3 to path-style addressing and
 * checksums only where required, which S3-compatible stores need. With {@code --crawler} the S3 sink replaces files in
 * place (no version folder, which a crawler would take for a partition level). Closes the clients it made.
 */
final class AwsTargets implements AutoCloseable {
  private final Path warehouse;
  private final String s3;
  private final URI s3Endpoint;
  private final boolean glue;
  private final String crawler;
  private final String crawlerRole;
  private final boolean noCatalog;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private GlueClient glueClient;

  AwsTargets(Args args, Path warehouse) {
    this.warehouse = warehouse;
    this.s3 = args.get("--s3", null);
    this.s3Endpoint = uri(args.get("--s3-endpoint", null));
    this.crawler = args.get("--crawler", null);
    this.crawlerRole = args.get("--crawler-role", null);
    this.glue = args.has("--glue") || crawler != null;
    this.noCatalog = args.has("--no-catalog");
    if (noCatalog && glue) {
      throw new IllegalArgumentException(
          "--no-catalog writes Parquet without a catalog: it does not go with --glue"
              + " or --crawler");
    }
    URI glueEndpoint = uri(args.get("--glue-endpoint", null));
    if (s3 != null && !s3.startsWith("s3://")) {
      throw new IllegalArgumentException("Invalid --s3 '" + s3 + "': use s3://bucket/prefix");
    }
    if (glue && s3 == null) {
      throw new IllegalArgumentException(
          "--glue and --crawler catalog data in S3: add --s3 s3://bucket/prefix");
    }
    if (crawler != null && crawlerRole == null) {
      throw new IllegalArgumentException(
          "--crawler needs --crawler-role ARN (the IAM role the crawler runs as)");
    }
    if (glue) {
      GlueClientBuilder b = GlueClient.builder();
      if (glueEndpoint != null) {
        b.endpointOverride(glueEndpoint);
      }
      glueClient = b.build();
      opened.add(glueClient);
    }
  }

  boolean usesS3() {
    return s3 != null;
  }

  boolean usesGlue() {
    return glue;
  }

  /** Whether a catalog records the tables ({@code --no-catalog}: no, the Parquet folders are the table). */
  boolean usesCatalog() {
    return !noCatalog;
  }

  /** Where the tables are cataloged, for the first line of {@code ingest}. */
  String cataloged() {
    return glue
        ? ", cataloged in Glue"
        : noCatalog
            ? ", not cataloged (--no-catalog; the state is kept in " + warehouse.resolve("_state")
                + ")"
            : ", cataloged in " + warehouse.resolve("_catalog");
  }

  /**
   * How to read {@code table} at {@code location} without a catalog: a DuckDB query over its Parquet files with
   * Hive partitioning.
   */
  static String folderQuery(String location, String select) {
    String dir =
        location.startsWith("file:") ? Path.of(URI.create(location)).toString() + "/" : location;
    return select + " FROM read_parquet('" + dir.replace("'", "''")
        + "**/*.parquet', hive_partitioning = true)";
  }

  Sink sink() {
    if (s3 == null) {
      return noCatalog
          ? LocalWarehouse.builder().root(warehouse).replaceInPlace().build()
          : LocalWarehouse.at(warehouse);
    }
    String rest = s3.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    S3ClientBuilder b = S3Client.builder();
    if (s3Endpoint != null) {
      b.endpointOverride(s3Endpoint)
          .forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    S3Client client = b.build();
    opened.add(client);
    S3Sink.Builder sink = S3Sink.builder().client(client).bucket(bucket).prefix(prefix);
    if (crawler != null || noCatalog) {
      sink.replaceInPlace(); // a crawler, or a reader listing folders, would take version folders
      // for a partition key
    }
    return sink.build();
  }

  /** The catalog for {@code table}; a crawler catalog gets one crawler per table. */
  Catalog catalog(TableId table, boolean secondTable) {
    if (crawler != null) {
      return GlueCrawlerCatalog.builder()
          .client(glueClient)
          .role(crawlerRole)
          .crawlerName(secondTable ? crawler + "-" + table.table().replace('_', '-') : crawler)
          .build();
    }
    if (glue) {
      return GlueCatalog.builder().client(glueClient).build();
    }
    return noCatalog ? Catalog.none() : LocalCatalog.at(warehouse);
  }

  private static URI uri(String value) {
    return value == null ? null : URI.create(value);
  }

  @Override
  public void close() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing an SDK client only releases connections; nothing to report to the user.
      }
    }
  }
}
