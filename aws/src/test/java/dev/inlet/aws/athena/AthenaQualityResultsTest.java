package dev.inlet.aws.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.TableId;
import dev.inlet.aws.athena.fake.DuckDbAnswers;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.quality.Check;
import dev.inlet.quality.CheckResult;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.QualityResultsLayout;
import dev.inlet.quality.Severity;
import dev.inlet.testkit.aws.FakeAthena;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * quality_results on AWS: Inlet's Parquet in S3 (S3Proxy), the partition in Glue (FakeGlue), the history read back
 * with a SELECT through {@link AthenaEngine} (FakeAthena answering from DuckDB over the S3 objects Glue points at).
 */
class AthenaQualityResultsTest {
  static final TableId T = TableId.of("boston311", "service_requests");
  static S3ProxyServer server;

  @TempDir
  Path tmp;

  S3Client s3;
  FakeGlue glue;
  GlueClient glueClient;
  GlueCatalog catalog;
  FakeAthena athena;
  AthenaClient athenaClient;
  AthenaEngine engine;
  DuckDbAnswers answers;

  @BeforeAll
  static void startS3() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    server.close();
  }

  @BeforeEach
  void start() {
    s3 = server.client();
    s3.createBucket(b -> b.bucket("lake"));
    glue = FakeGlue.start();
    glueClient = glue.client();
    catalog = GlueCatalog.builder()
        .client(glueClient)
        .retryBackoff(Duration.ofMillis(1))
        .build();
    answers = DuckDbAnswers.of(glue, s3, tmp);
    athena = FakeAthena.start().workGroup("inlet", "s3://lake/athena-results/").answer(answers);
    athenaClient = athena.client();
    engine = AthenaEngine.builder()
        .client(athenaClient)
        .workGroup("inlet")
        .pollInterval(Duration.ofMillis(2), Duration.ofMillis(10))
        .build();
  }

  @AfterEach
  void stop() {
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket("lake")).contents()) {
      s3.deleteObject(b -> b.bucket("lake").key(o.key()));
    }
    s3.deleteBucket(b -> b.bucket("lake"));
    answers.close();
    catalog.close();
    glueClient.close();
    glue.close();
    athenaClient.close();
    athena.close();
    s3.close();
  }

  static QualityResult run(String at, long rows) {
    Instant runAt = Instant.parse(at);
    Check change =
        Check.rowCountChange(T, 0.5).partitionBy("year").severity(Severity.WARN).build();
    Check unique = Check.unique(T, "case_enquiry_id").build();
    return new QualityResult(
        runAt,
        List.of(
            new CheckResult(
                change,
                "year=2015",
                0,
                Outcome.PASSED,
                rows + " rows",
                Long.toString(rows),
                List.of(),
                runAt,
                Duration.ofMillis(3)),
            new CheckResult(
                unique,
                "",
                Double.NaN,
                Outcome.ERROR,
                "Could not run: it's broken",
                "",
                List.of("case_enquiry_id=1 (2 rows)", "case_enquiry_id=2 (2 rows)"),
                runAt,
                Duration.ofMillis(40))));
  }

  @Test
  void
      save_putsOneParquetObjectPerRun_registersItsRunDateInGlue_andHistoryReadsItBackThroughAthena() {
    AthenaQualityResults results =
        AthenaQualityResults.of(engine, s3, catalog, URI.create("s3://lake/lake"), "boston311");
    assertThat(results.history().results()).isEmpty();
    assertThat(athena.sqlLog()).as("no table yet: no query").isEmpty();
    QualityResult first = run("2026-12-02T23:00:00Z", 6221);
    QualityResult second = run("2026-12-03T01:00:00.250Z", 6843);

    results.save(first);
    results.save(second);

    assertThat(results.location()).isEqualTo("s3://lake/lake/quality/boston311/quality_results/");
    assertThat(s3.listObjectsV2Paginator(b -> b.bucket("lake").prefix("lake/")).contents().stream()
            .map(S3Object::key)
            .sorted())
        .containsExactly(
            "lake/quality/boston311/quality_results/run_date=2026-12-02/"
                + QualityResultsLayout.fileName(first),
            "lake/quality/boston311/quality_results/run_date=2026-12-03/"
                + QualityResultsLayout.fileName(second));
    assertThat(glue.table("boston311", "quality_results")
            .at("/StorageDescriptor/Location")
            .asText())
        .isEqualTo("s3://lake/lake/quality/boston311/quality_results/");
    assertThat(glue.partitions("boston311", "quality_results"))
        .extracting(p -> p.at("/Values/0").asText())
        .containsExactly("2026-12-02", "2026-12-03");

    QualityHistory history = results.history();

    assertThat(athena.sqlLog()).containsExactly(QualityResultsLayout.select(results.id()));
    List<CheckResult> all = history.results();
    assertThat(all).hasSize(4);
    CheckResult previous =
        history.previous(first.results().get(0).check().name(), "year=2015").orElseThrow();
    assertThat(previous.details()).isEqualTo("6843");
    assertThat(previous.runAt()).isEqualTo(second.runAt());
    assertThat(previous.check().kind()).isEqualTo(Check.Kind.ROW_COUNT_CHANGE);
    CheckResult error = all.get(3);
    assertThat(error.metric()).isNaN();
    assertThat(error.message()).isEqualTo("Could not run: it's broken");
    assertThat(error.samples())
        .containsExactly("case_enquiry_id=1 (2 rows)", "case_enquiry_id=2 (2 rows)");
    assertThat(error.took()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void aFailedUpload_namesTheObject_andRegistersNothing() {
    AthenaQualityResults results = AthenaQualityResults.of(
        engine, s3, catalog, URI.create("s3://missing-bucket/p"), "boston311");

    assertThatThrownBy(() -> results.save(run("2026-12-03T00:00:00Z", 1)))
        .hasMessageStartingWith("Cannot write the results of the run at 2026-12-03T00:00:00Z to"
            + " s3://missing-bucket/p/quality/boston311/quality_results/run_date=2026-12-03/run-")
        .hasMessageContaining("s3:PutObject");
    assertThat(glue.table("boston311", "quality_results")).isNull();
  }

  @Test
  void aRootThatIsNotS3_failsEarly() {
    assertThatThrownBy(
            () -> AthenaQualityResults.of(engine, s3, catalog, URI.create("file:///tmp/lake"), "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/prefix");
  }
}
