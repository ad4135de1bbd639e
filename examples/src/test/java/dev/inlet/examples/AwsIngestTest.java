package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.PipelineResult;
import dev.inlet.boston311.Boston311;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.FakeGlue.CrawlScript;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The example's AWS path, offline: the bundled sample into S3 (S3Proxy in-process) and the Glue Data Catalog (a
 * fake speaking Glue's JSON protocol), through the real AWS SDK clients the example builds from the default chain.
 */
class AwsIngestTest {
  static final String BUCKET = "lake";
  static S3ProxyServer s3;
  static S3Client client;
  static final Map<String, String> saved = new HashMap<>();

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start();
    client = s3.client();
    client.createBucket(b -> b.bucket(BUCKET));
    // The default credential and region chain reads these system properties first.
    set("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    set("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    set("aws.region", "us-east-1");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    s3.close();
    saved.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }

  private static void set(String key, String value) {
    saved.put(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  static String[] cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InletCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      String.valueOf(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  private List<String> keys(String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  @Test
  void ingestSample_toS3AndGlue_registersEveryPartition_andPrintsAthenaDdl() throws Exception {
    try (FakeGlue glue = FakeGlue.start()) {
      String[] run = cli(
          "ingest",
          "--sample",
          "--warehouse",
          tmp.resolve("unused").toString(),
          "--s3",
          "s3://" + BUCKET + "/direct",
          "--s3-endpoint",
          s3.endpoint().toString(),
          "--glue",
          "--glue-endpoint",
          glue.endpoint().toString());

      assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
      assertThat(run[1])
          .contains("Query it in Athena")
          .contains("CREATE EXTERNAL TABLE `boston311`.`service_requests`")
          .contains("LOCATION 's3://lake/direct/bronze/boston311/service_requests/'");
      assertThat(keys("direct/"))
          .hasSize(4)
          .allMatch(k -> k.endsWith(".parquet"))
          .anyMatch(k ->
              k.matches("direct/bronze/boston311/service_requests/year=2015/v-[^/]+/part-[^/]+"))
          .anyMatch(k -> k.matches(
              "direct/bronze/boston311/service_requests_new_system/year=2026/v-[^/]+/part-[^/]+"));
      assertThat(glue.table("boston311", "service_requests")
              .at("/StorageDescriptor/Location")
              .asText())
          .isEqualTo("s3://lake/direct/bronze/boston311/service_requests/");
      assertThat(glue.partitions("boston311", "service_requests"))
          .extracting(p -> p.at("/Values/0").asText())
          .containsExactly("2015", "2022");
      assertThat(glue.partitions("boston311", "service_requests_new_system"))
          .extracting(p -> p.at("/StorageDescriptor/Location")
              .asText()
              .replaceAll("/v-[0-9a-f]{8}-[0-9A-Za-z-]+/$", "/v-<version>/"))
          .containsExactly(
              "s3://lake/direct/bronze/boston311/service_requests_new_system/year=2025/v-<version>/",
              "s3://lake/direct/bronze/boston311/service_requests_new_system/year=2026/v-<version>/");
      assertThat(tmp.resolve("unused")).doesNotExist();

      // The object in S3 is a complete Parquet file with every row of the 2015 sample.
      String key = keys("direct/bronze/boston311/service_requests/year=2015/").get(0);
      Path local = tmp.resolve("2015.parquet");
      client.getObject(b -> b.bucket(BUCKET).key(key), local);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + local + "')")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(6221);
      }
    }
  }

  @Test
  void ingestSample_throughACrawler_crawlsOncePerTable() throws Exception {
    try (FakeGlue glue = FakeGlue.start()) {
      // The crawl is over at the first poll: the example polls every 5 s, as suits a real crawler.
      glue.scriptCrawler(
          "inlet-sr",
          new CrawlScript(0, 0, null, 1, 0, f -> {})
              .then(f -> f.putTable(
                  "boston311",
                  crawledTable("s3://lake/crawled/bronze/boston311/service_requests/"))));

      String[] run = cli(
          "ingest",
          "--sample",
          "--years",
          "2015,2022",
          "--warehouse",
          tmp.toString(),
          "--s3",
          "s3://" + BUCKET + "/crawled",
          "--s3-endpoint",
          s3.endpoint().toString(),
          "--glue-endpoint",
          glue.endpoint().toString(),
          "--crawler",
          "inlet-sr",
          "--crawler-role",
          "arn:aws:iam::123456789012:role/inlet-crawler");

      assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
      assertThat(glue.calls("StartCrawler")).hasSize(1);
      assertThat(glue.calls("CreateCrawler")
              .get(0)
              .body()
              .at("/Targets/S3Targets/0/Path")
              .asText())
          .isEqualTo("s3://lake/crawled/bronze/boston311/service_requests/");
      // In place: the crawler must find the files directly in year=..., no version folder it would
      // take for a
      // second partition key.
      assertThat(keys("crawled/"))
          .hasSize(2)
          .allMatch(
              k -> k.matches(
                  "crawled/bronze/boston311/service_requests/year=(2015|2022)/part-[0-9a-f]{8}-\\d{5}\\.parquet"))
          .noneMatch(k -> k.contains("/v-"));
      assertThat(run[1]).contains("CREATE EXTERNAL TABLE `boston311`.`service_requests`");
    }
  }

  @Test
  void boston311ToS3AndGlue_example_registersTheYearsWithPartitionProjection() throws Exception {
    LocalCkanPortal.Builder portal = LocalCkanPortal.builder().dataset("311-service-requests");
    for (int year = 2015; year <= 2020; year++) {
      portal.resource(
          "res-" + year,
          "311 SERVICE REQUESTS - " + year,
          "tmp" + year + ".csv",
          ExampleMainsTest.sampleOfYear(tmp, year));
    }
    try (FakeGlue glue = FakeGlue.start();
        LocalCkanPortal running = portal.start();
        software.amazon.awssdk.services.glue.GlueClient glueClient = glue.client()) {
      PipelineResult result =
          Boston311ToS3AndGlue.run(client, glueClient, running.baseUri(), BUCKET, "example");

      assertThat(result.succeeded()).isTrue();
      assertThat(result.rowsOut()).isEqualTo(600);
      assertThat(glue.partitions("boston311", "service_requests")).hasSize(6);
      assertThat(glue.table("boston311", "service_requests")
              .at("/Parameters/projection.enabled")
              .asText())
          .isEqualTo("true");
      assertThat(keys("example/")).hasSize(6);
    }
  }

  @Test
  void crawl_ofS3Data_intoGlue_plansThenRegistersTheTables() throws Exception {
    // Data in S3 that Glue does not know yet: ingested with the local catalog.
    String[] ingest = cli(
        "ingest",
        "--sample",
        "--warehouse",
        tmp.toString(),
        "--s3",
        "s3://" + BUCKET + "/tocrawl",
        "--s3-endpoint",
        s3.endpoint().toString());
    assertThat(ingest[0]).as(ingest[1] + ingest[2]).isEqualTo("0");
    try (FakeGlue glue = FakeGlue.start()) {
      String[] common = {
        "crawl",
        "--path",
        "s3://" + BUCKET + "/tocrawl/bronze/boston311",
        "--table-depth",
        "1",
        "--database",
        "boston311",
        "--glue",
        "--glue-endpoint",
        glue.endpoint().toString(),
        "--s3-endpoint",
        s3.endpoint().toString()
      };
      String[] dryRun = cli(java.util.stream.Stream.concat(
              java.util.Arrays.stream(common), java.util.stream.Stream.of("--dry-run"))
          .toArray(String[]::new));
      assertThat(dryRun[0]).as(dryRun[1] + dryRun[2]).isEqualTo("0");
      assertThat(dryRun[1])
          .contains("+ table boston311.service_requests (new)")
          .contains("+ table boston311.service_requests_new_system (new)");
      assertThat(glue.writes()).isEmpty();

      String[] apply = cli(common);
      assertThat(apply[0]).as(apply[1] + apply[2]).isEqualTo("0");
      assertThat(glue.partitions("boston311", "service_requests"))
          .extracting(p -> p.at("/Values/0").asText())
          .containsExactly("2015", "2022");
      assertThat(glue.table("boston311", "service_requests_new_system")
              .at("/StorageDescriptor/Location")
              .asText())
          .isEqualTo("s3://lake/tocrawl/bronze/boston311/service_requests_new_system/");
    }
  }

  @Test
  void glueWithoutS3_isRefusedWithAHint() {
    String[] run = cli("ingest", "--sample", "--glue", "--warehouse", tmp.toString());
    assertThat(run[0]).isEqualTo("2");
    assertThat(run[2]).contains("add --s3 s3://bucket/prefix");
    assertThat(cli("ingest", "--sample", "--s3", "s3://b", "--crawler", "x")[2])
        .contains("--crawler-role");
    assertThat(Files.exists(tmp.resolve("bronze"))).isFalse();
  }

  private static ObjectNode crawledTable(String location) {
    ObjectNode input = new ObjectMapper().createObjectNode();
    input.put("Name", "service_requests");
    input.put("TableType", "EXTERNAL_TABLE");
    input.putObject("Parameters").put("classification", "parquet");
    ObjectNode sd = input.putObject("StorageDescriptor");
    sd.put("Location", location);
    var cols = sd.putArray("Columns");
    Boston311.LEGACY_SCHEMA
        .columns()
        .forEach(
            c -> cols.addObject().put("Name", c.name()).put("Type", c.type().hiveName()));
    input.putArray("PartitionKeys").addObject().put("Name", "year").put("Type", "string");
    return input;
  }

  @Test
  void ingestUrls_toS3AndGlue_partitionedByYear_rerunIsUnchangedFromTheGluePartitions()
      throws Exception {
    StringBuilder csv = new StringBuilder("id,opened,kind\n");
    for (int i = 0; i < 200; i++) {
      csv.append(i)
          .append(',')
          .append(2020 + i % 2)
          .append("-03-04 05:06:07,")
          .append(i % 3 == 0 ? "a" : "b")
          .append('\n');
    }
    try (FakeGlue glue = FakeGlue.start();
        dev.inlet.testing.TestHttpServer http = dev.inlet.testing.TestHttpServer.start()) {
      http.script(
          "/cases.csv",
          dev.inlet.testing.TestHttpServer.versioned(
              csv.toString().getBytes(StandardCharsets.UTF_8), "\"v1\""));
      String[] args = {
        "ingest",
        "--url",
        http.uri("/cases.csv").toString(),
        "--table",
        "cases",
        "--database",
        "city",
        "--partition-by",
        "year-of:opened",
        "--warehouse",
        tmp.resolve("unused").toString(),
        "--s3",
        "s3://" + BUCKET + "/generic",
        "--s3-endpoint",
        s3.endpoint().toString(),
        "--glue",
        "--glue-endpoint",
        glue.endpoint().toString()
      };

      String[] run = cli(args);

      assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
      assertThat(run[1])
          .contains("cataloged in Glue")
          .contains("CREATE EXTERNAL TABLE `city`.`cases`");
      assertThat(keys("generic/"))
          .hasSize(2)
          .allMatch(k ->
              k.matches("generic/bronze/city/cases/year=202[01]/v-[^/]+/part-[^/]+\\.parquet"));
      assertThat(glue.partitions("city", "cases"))
          .extracting(p -> p.at("/Values/0").asText())
          .containsExactly("2020", "2021");
      assertThat(tmp.resolve("unused")).doesNotExist();

      String[] again = cli(args);
      assertThat(again[0]).as(again[1] + again[2]).isEqualTo("0");
      assertThat(again[1]).contains("1 file(s) unchanged");
    }
  }
}
