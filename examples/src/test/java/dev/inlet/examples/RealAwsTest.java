package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opt-in, against real AWS: runs the example end to end into S3 and Glue, then counts rows per year in Athena.
 * Skipped unless {@code INLET_IT_BUCKET} names a bucket you may write to; {@code INLET_IT_DATABASE} (default
 * {@code inlet_it}) is the Glue database to use, {@code INLET_IT_ATHENA_OUTPUT} (default
 * {@code s3://<bucket>/inlet-it-athena/}) where Athena writes results. Credentials and region: the default chain.
 * It deletes what it created (objects under its prefix, its two tables).
 */
@EnabledIfEnvironmentVariable(named = "INLET_IT_BUCKET", matches = ".+")
class RealAwsTest {
  @TempDir
  Path tmp;

  @Test
  void ingestSample_toS3AndGlue_isQueryableInAthena() throws Exception {
    String bucket = System.getenv("INLET_IT_BUCKET");
    String database = System.getenv().getOrDefault("INLET_IT_DATABASE", "inlet_it");
    String output = System.getenv()
        .getOrDefault("INLET_IT_ATHENA_OUTPUT", "s3://" + bucket + "/inlet-it-athena/");
    String prefix = "inlet-it-" + System.currentTimeMillis();
    try (S3Client s3 = S3Client.create();
        GlueClient glue = GlueClient.create();
        AthenaClient athena = AthenaClient.create()) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = InletCli.run(
            new String[] {
              "ingest",
              "--sample",
              "--warehouse",
              tmp.toString(),
              "--database",
              database,
              "--s3",
              "s3://" + bucket + "/" + prefix,
              "--glue"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();

        String id = athena
            .startQueryExecution(b -> b.queryString("SELECT year, count(*) FROM " + database
                    + ".service_requests GROUP BY year ORDER BY year")
                .resultConfiguration(r -> r.outputLocation(output)))
            .queryExecutionId();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        QueryExecutionState state;
        do {
          Thread.sleep(1000);
          state = athena
              .getQueryExecution(b -> b.queryExecutionId(id))
              .queryExecution()
              .status()
              .state();
        } while ((state == QueryExecutionState.QUEUED || state == QueryExecutionState.RUNNING)
            && System.nanoTime() < deadline);
        assertThat(state).isEqualTo(QueryExecutionState.SUCCEEDED);
        Map<String, String> counts = new LinkedHashMap<>();
        for (Row row : athena
            .getQueryResults(b -> b.queryExecutionId(id))
            .resultSet()
            .rows()
            .subList(1, 3)) {
          counts.put(row.data().get(0).varCharValue(), row.data().get(1).varCharValue());
        }
        assertThat(counts).containsExactly(Map.entry("2015", "6221"), Map.entry("2022", "100"));
      } finally {
        for (String table : new String[] {"service_requests", "service_requests_new_system"}) {
          try {
            glue.deleteTable(b -> b.databaseName(database).name(table));
          } catch (RuntimeException e) {
            // Already gone.
          }
        }
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/"))
            .contents()
            .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
      }
    }
  }
}
