package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.aws.athena.fake.DuckDbAnswers;
import dev.inlet.quality.QualityResultsLayout;
import dev.inlet.testkit.aws.FakeAthena;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code check --athena} after {@code ingest --s3 --glue}: S3Proxy, FakeGlue and FakeAthena on 127.0.0.1. FakeAthena
 * answers each check's SELECT from DuckDB over the Parquet objects the Glue tables point at ({@link DuckDbAnswers}),
 * so the second run reads the first run's results back from the Parquet Inlet wrote to S3.
 */
class CheckAthenaCliTest {
  static final String BUCKET = "lake";
  static S3ProxyServer s3;
  static software.amazon.awssdk.services.s3.S3Client client;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start();
    client = s3.client();
    client.createBucket(b -> b.bucket(BUCKET));
    RefineAthenaCliTest.set("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    RefineAthenaCliTest.set("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    RefineAthenaCliTest.set("aws.region", "us-east-1");
  }

  @AfterAll
  static void stop() throws Exception {
    RefineAthenaCliTest.saved.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
    RefineAthenaCliTest.saved.clear();
    client.close();
    s3.close();
  }

  private List<String> keys(String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  @Test
  void
      checkAthena_runsTheBuiltInsOnTheGlueTables_storesResultsInS3AndGlue_andTheSecondRunComparesWithTheFirst()
          throws Exception {
    try (FakeGlue glue = FakeGlue.start();
        FakeAthena athena = FakeAthena.start().workGroup("inlet", null);
        DuckDbAnswers answers = DuckDbAnswers.of(glue, client, tmp.resolve("athena"))) {
      athena.answer(answers);
      String[] ingest = AwsIngestTest.cli(
          "ingest",
          "--sample",
          "--warehouse",
          tmp.resolve("unused").toString(),
          "--s3",
          "s3://" + BUCKET + "/lake",
          "--s3-endpoint",
          s3.endpoint().toString(),
          "--glue",
          "--glue-endpoint",
          glue.endpoint().toString());
      assertThat(ingest[0]).as(ingest[1] + ingest[2]).isEqualTo("0");
      Path report = tmp.resolve("out/report.html");
      String[] args = {
        "check",
        "--athena",
        "--workgroup",
        "inlet",
        "--output",
        "s3://" + BUCKET + "/lake",
        "--report",
        report.toString(),
        "--s3-endpoint",
        s3.endpoint().toString(),
        "--glue-endpoint",
        glue.endpoint().toString(),
        "--athena-endpoint",
        athena.endpoint().toString()
      };

      String[] run = AwsIngestTest.cli(args);

      // the same verdicts as the local check on the same sample (CheckCommandTest)
      assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
      assertThat(run[1])
          .contains("boston311.service_requests:", "boston311.service_requests_new_system:")
          .contains("WARN  zip format of boston311.service_requests")
          .contains("e.g. 2124.0 (520 rows)")
          .contains("OK: no fail-severity check failed")
          .doesNotContain("ERROR")
          .contains(
              "Results stored in boston311.quality_results at s3://lake/lake/quality/boston311/quality_results/")
          .contains("Report: " + report);
      assertThat(athena.sqlLog())
          .as("no results table yet: no history query")
          .noneMatch(sql -> sql.contains("quality_results"));
      assertThat(athena
              .calls("StartQueryExecution")
              .get(0)
              .body()
              .at("/ResultConfiguration/OutputLocation")
              .asText())
          .isEqualTo("s3://lake/lake/_athena-results/");
      assertThat(keys("lake/quality/"))
          .singleElement()
          .asString()
          .matches(
              "lake/quality/boston311/quality_results/run_date=\\d{4}-\\d{2}-\\d{2}/run-\\d+\\.parquet");
      assertThat(glue.table("boston311", "quality_results")
              .at("/StorageDescriptor/Location")
              .asText())
          .isEqualTo("s3://lake/lake/quality/boston311/quality_results/");
      assertThat(glue.partitions("boston311", "quality_results")).hasSize(1);
      String html = Files.readString(report);
      assertThat(html)
          .contains(
              "<svg id=\"rows-per-month\"",
              "class=\"null-percent\"",
              "class=\"time-to-close\"",
              "legacy system",
              "new system")
          .doesNotContain("http://", "https://", "No null chart");

      int before = athena.sqlLog().size();
      String[] again = AwsIngestTest.cli(args);

      assertThat(again[0]).as(again[1] + again[2]).isEqualTo("0");
      List<String> second = athena.sqlLog().subList(before, athena.sqlLog().size());
      assertThat(second.get(0))
          .isEqualTo(QualityResultsLayout.select(QualityResultsLayout.table("boston311")));
      assertThat(keys("lake/quality/")).hasSize(2);
      // row-count change and schema change compared with the first run, read back through Athena
      // from S3
      String history = answers
          .apply("SELECT count(DISTINCT run_at), count(*) FILTER (WHERE message LIKE"
              + " '%in the previous run%'), count(*) FILTER (WHERE message LIKE 'no column changed since the previous"
              + " run') FROM \"boston311\".\"quality_results\"")
          .rows()
          .toString();
      assertThat(history).isEqualTo("[[2, 4, 2]]");
      assertThat(Files.readString(report)).contains("Trends over past runs", "class=\"trend\"");

      // the gate on AWS: a failing fail-severity check of a file exits 1
      Path fail = tmp.resolve("fail.dq");
      Files.writeString(fail, "table boston311.service_requests\nIsComplete \"closed_dt\" fail\n");
      String[] gate = AwsIngestTest.cli(
          "check",
          "--athena",
          "--workgroup",
          "inlet",
          "--output",
          "s3://" + BUCKET + "/lake",
          "--checks",
          fail.toString(),
          "--s3-endpoint",
          s3.endpoint().toString(),
          "--glue-endpoint",
          glue.endpoint().toString(),
          "--athena-endpoint",
          athena.endpoint().toString());
      assertThat(gate[0]).as(gate[1] + gate[2]).isEqualTo("1");
      assertThat(gate[1])
          .contains("FAIL  completeness(closed_dt) on boston311.service_requests")
          .contains("FAILED: a fail-severity check did not pass");
    }
  }

  @Test
  void noBostonTableInGlue_cannotRun() {
    try (FakeGlue glue = FakeGlue.start();
        FakeAthena athena = FakeAthena.start().workGroup("inlet", null)) {
      String[] run = AwsIngestTest.cli(
          "check",
          "--athena",
          "--workgroup",
          "inlet",
          "--output",
          "s3://" + BUCKET + "/empty",
          "--s3-endpoint",
          s3.endpoint().toString(),
          "--glue-endpoint",
          glue.endpoint().toString(),
          "--athena-endpoint",
          athena.endpoint().toString());
      assertThat(run[0]).as(run[1] + run[2]).isEqualTo(String.valueOf(CheckCommand.CANNOT_RUN));
      assertThat(athena.sqlLog()).isEmpty();
    }
  }

  @Test
  void usageErrors() {
    assertThat(AwsIngestTest.cli("check", "--athena", "--output", "s3://lake/x")[0])
        .isEqualTo("2");
    assertThat(AwsIngestTest.cli("check", "--athena", "--workgroup", "w", "--output", "/tmp/x")[0])
        .isEqualTo("2");
    assertThat(
            AwsIngestTest.cli(
                "check",
                "--athena",
                "--workgroup",
                "w",
                "--output",
                "s3://lake/x",
                "--warehouse",
                "lake")[0])
        .isEqualTo("2");
    assertThat(AwsIngestTest.cli("check", "--workgroup", "w")[0]).isEqualTo("2");
  }
}
