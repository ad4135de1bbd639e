package dev.inlet.examples;

import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.aws.athena.AthenaEngine;
import dev.inlet.aws.athena.AthenaQualityResults;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.boston311.Boston311;
import dev.inlet.quality.Check;
import dev.inlet.quality.HtmlReport;
import dev.inlet.quality.QualityChecks;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code check --athena}: the checks of {@code check} on AWS. Glue lists the tables, Athena runs the checks (Trino's
 * SQL), the results are stored as {@code <database>.quality_results} in S3 under the lake root's {@code quality/} and
 * registered in Glue (Parquet written by Inlet: saving scans nothing), and the previous run is read back from that
 * table through Athena. Same summary, report and exit codes as the local {@code check}.
 */
final class CheckAthenaCommand {
  private CheckAthenaCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    if (args.has("--warehouse")) {
      throw new IllegalArgumentException(
          "--warehouse is the local lake; with --athena the lake is --output"
              + " s3://bucket/prefix");
    }
    String output = args.get("--output", null);
    String workGroup = args.get("--workgroup", null);
    if (output == null
        || !output.startsWith("s3://")
        || output.length() <= "s3://".length()
        || workGroup == null) {
      throw new IllegalArgumentException(
          "check --athena needs --workgroup NAME and --output s3://bucket/prefix"
              + " (the lake root the tables were ingested to with --s3 and registered with --glue)");
    }
    String root = output.endsWith("/") ? output : output + "/";
    String database = args.get("--database", Boston311.DATABASE);
    List<Check> fileChecks = CheckCommand.checkFile(args);
    Path report = args.has("--report")
        ? Path.of(args.get("--report", null)).toAbsolutePath().normalize()
        : null;
    S3ClientBuilder s3b = S3Client.builder();
    GlueClientBuilder glueb = GlueClient.builder();
    AthenaClientBuilder athenab = AthenaClient.builder();
    if (args.has("--s3-endpoint")) {
      // an S3-compatible store (as ingest's --s3-endpoint): path-style, checksums only where
      // required
      s3b.endpointOverride(URI.create(args.get("--s3-endpoint", null)))
          .forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    if (args.has("--glue-endpoint")) {
      glueb.endpointOverride(URI.create(args.get("--glue-endpoint", null)));
    }
    if (args.has("--athena-endpoint")) {
      athenab.endpointOverride(URI.create(args.get("--athena-endpoint", null)));
    }
    out.println("Checking the tables of " + database + " in Glue with Athena (workgroup "
        + workGroup + ")");
    try (S3Client s3 = s3b.build();
        GlueClient glue = glueb.build();
        AthenaClient athena = athenab.build();
        GlueCatalog catalog = GlueCatalog.builder().client(glue).build();
        // checks are many short aggregates run one after another: poll from 50 ms (doubling to 5 s)
        // rather than
        // the engine's 200 ms, so a sub-second query is not charged a fifth of a second of waiting
        AthenaEngine engine = AthenaEngine.builder()
            .client(athena)
            .workGroup(workGroup)
            .outputLocation(URI.create(root + "_athena-results/"))
            .pollInterval(Duration.ofMillis(50), Duration.ofSeconds(5))
            .build()) {
      Set<TableId> present = new HashSet<>(catalog.listTables(database));
      List<Check> checks = CheckCommand.checks(fileChecks, database, present);
      if (checks.isEmpty()) {
        err.println("No Boston 311 table of database " + database
            + " in Glue; ingest first (ingest --s3 " + root
            + " --glue), or pass --checks FILE to check other tables (see docs/quality.md).");
        return CheckCommand.CANNOT_RUN;
      }
      AthenaQualityResults stored =
          AthenaQualityResults.of(engine, s3, catalog, URI.create(root), database);
      QualityHistory history = stored.history();
      QualityResult result =
          QualityChecks.builder().engine(engine).history(history).build().run(checks);
      stored.save(result);
      out.print(result.summary());
      out.println("Results stored in " + stored.id() + " at " + stored.location()
          + " (query it in Athena:" + " SELECT * FROM \"" + stored.id().database() + "\".\""
          + stored.id().table() + "\")");
      if (report != null) {
        CheckCommand.writeReport(
            report,
            HtmlReport.builder()
                .result(result)
                .engine(engine)
                .history(history)
                .title("Data quality of " + database + " (Athena, " + root + ")"),
            database,
            catalog);
        out.println("Report: " + report);
      }
      return result.blocks() ? 1 : 0;
    } catch (InletException | UncheckedIOException | SdkException e) {
      err.println(Printable.of(e.getMessage()));
      return CheckCommand.CANNOT_RUN;
    }
  }
}
