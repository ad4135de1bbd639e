package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.boston311.Boston311Silver;
import dev.inlet.testkit.aws.FakeAthena;
import dev.inlet.testkit.aws.FakeAthena.Col;
import dev.inlet.testkit.aws.FakeAthena.Script;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code refine --athena} after {@code ingest --s3 --glue}: S3Proxy, FakeGlue and FakeAthena on 127.0.0.1. FakeAthena
 * runs no SQL: the lineage and schema answers are scripted, and the UNLOAD's one file is written by the test.
 */
class RefineAthenaCliTest {
  static final String BUCKET = "lake";
  static S3ProxyServer s3;
  static software.amazon.awssdk.services.s3.S3Client client;

  @TempDir
  java.nio.file.Path tmp;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start();
    client = s3.client();
    client.createBucket(b -> b.bucket(BUCKET));
    // the default credential and region chain reads these system properties first
    set("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    set("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    set("aws.region", "us-east-1");
  }

  static final java.util.Map<String, String> saved = new java.util.HashMap<>();

  static void set(String key, String value) {
    saved.put(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  @AfterAll
  static void stop() throws Exception {
    saved.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
    client.close();
    s3.close();
  }

  @Test
  void refineAthena_unloadsTheYearsAndRegistersThemInGlue_thenAnUnchangedRerunSendsNoQuery() {
    try (FakeGlue glue = FakeGlue.start();
        FakeAthena athena = FakeAthena.start().workGroup("inlet", null)) {
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
      List<Col> columns = new ArrayList<>();
      for (String c : Boston311Silver.COLUMNS) {
        columns.add(new Col(c, c.endsWith("_at") ? "timestamp(3)" : "varchar"));
      }
      athena.script(
          Script.succeeding(
              List.of(
                  new Col("year", "varchar"),
                  new Col("input_table", "varchar"),
                  new Col("input_partition", "varchar"),
                  new Col("row_count", "bigint")),
              List.of(List.of("2015", "boston311.service_requests", "year=2015", "6221"))),
          Script.succeeding(columns, List.of()),
          Script.succeeding(List.of(), List.of()));
      athena.onStart(sql -> {
        Matcher to = Pattern.compile("TO 's3://lake/([^']+)'").matcher(sql);
        if (sql.startsWith("UNLOAD") && to.find()) {
          client.putObject(
              b -> b.bucket(BUCKET).key(to.group(1) + "year=2015/part-0"),
              RequestBody.fromString("stands in for Athena's Parquet"));
        }
      });
      String[] args = {
        "refine",
        "--athena",
        "--workgroup",
        "inlet",
        "--output",
        "s3://" + BUCKET + "/lake",
        "--s3-endpoint",
        s3.endpoint().toString(),
        "--glue-endpoint",
        glue.endpoint().toString(),
        "--athena-endpoint",
        athena.endpoint().toString()
      };

      String[] run = AwsIngestTest.cli(args);

      assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
      assertThat(run[1])
          .contains("Refined boston311.requests: 1 partition(s) rebuilt (2015), 0 unchanged,"
              + " 0 removed; 6221 rows");
      assertThat(athena.sqlLog()).hasSize(3);
      assertThat(athena
              .calls("StartQueryExecution")
              .get(0)
              .body()
              .at("/ResultConfiguration/OutputLocation")
              .asText())
          .isEqualTo("s3://lake/lake/_athena-results/");
      assertThat(glue.table("boston311", "requests")
              .at("/StorageDescriptor/Location")
              .asText())
          .isEqualTo("s3://lake/lake/silver/boston311/requests/");

      String[] again = AwsIngestTest.cli(args);
      assertThat(again[0]).as(again[1] + again[2]).isEqualTo("0");
      assertThat(again[1]).contains("0 partition(s) rebuilt, 1 unchanged");
      assertThat(athena.sqlLog()).hasSize(3);
    }
  }

  @Test
  void refineAthenaWithoutWorkgroupIsAUsageError() {
    assertThat(AwsIngestTest.cli("refine", "--athena", "--output", "s3://lake/x")[0])
        .isEqualTo("2");
  }
}
