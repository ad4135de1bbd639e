package dev.inlet.examples;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.aws.glue.PartitionProjection;
import dev.inlet.aws.s3.S3Sink;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import java.net.URI;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same pipeline as {@link MinimalLocalPipeline}, on AWS: Parquet into S3 under {@code bronze/}, tables in the
 * Glue Data Catalog with partition projection, ready for Athena. Credentials and region come from the default
 * chain.
 *
 * <p>Arguments: {@code <bucket> [prefix]}.
 */
public final class Boston311ToS3AndGlue {
  private Boston311ToS3AndGlue() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("Usage: Boston311ToS3AndGlue <bucket> [prefix]");
      System.exit(2);
    }
    try (S3Client s3 = S3Client.create();
        GlueClient glue = GlueClient.create()) {
      PipelineResult result = run(
          s3, glue, URI.create("https://data.boston.gov"), args[0], args.length > 1 ? args[1] : "");
      System.out.println(
          "Athena: SELECT year, count(*) FROM boston311.service_requests GROUP BY year ORDER BY year;");
      System.exit(result.succeeded() ? 0 : 1);
    }
  }

  /**
   * Ingests the legacy years 2015-2020 from {@code portal} into {@code s3://bucket/prefix/bronze/} and the Glue
   * Data Catalog, printing the Athena DDL of the table. The clients are not closed.
   */
  public static PipelineResult run(
      S3Client s3, GlueClient glue, URI portal, String bucket, String prefix) {
    try (GlueCatalog catalog = GlueCatalog.builder()
        .client(glue)
        .partitionProjection(PartitionProjection.years(2011, 2030))
        .build()) {
      PipelineResult result = Pipeline.builder()
          .source(Boston311Source.legacy().portal(portal).years(2015, 2020).build())
          .converter(Boston311.legacyConverter())
          .sink(S3Sink.builder().client(s3).bucket(bucket).prefix(prefix).build())
          .catalog(catalog)
          .table(Boston311.LEGACY_TABLE)
          .build()
          .run();
      if (catalog.loadTable(Boston311.LEGACY_TABLE).isPresent()) {
        System.out.println(catalog.ddl(Boston311.LEGACY_TABLE));
      }
      return result;
    }
  }
}
