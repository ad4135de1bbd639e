package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.CommitConflictException;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.TableId;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.state.CatalogStateStore;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The pipeline into S3 (S3Proxy) and Glue (the fake) under injected faults; the rows read back with DuckDB. */
class S3GlueFaultTest {
  static final TableId TABLE = TableId.of("rel", "events");
  static final int ROWS = 500;
  static S3ProxyServer server;

  @TempDir
  Path tmp;

  FakeGlue glue;
  GlueClient glueClient;
  S3Client s3;
  final AtomicInteger putFailures = new AtomicInteger();
  String bucket = "lake-fault";

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
    glue = FakeGlue.start();
    // Throttling is retried by the client's strategy alone (the catalog does not retry it again): 5
    // attempts, no wait.
    glueClient = glue.client(b -> b.overrideConfiguration(o -> o.retryStrategy(
        software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(5)
            .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(
                software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())
            .build())));
    s3 = server.client(new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(
          Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutObjectRequest && putFailures.getAndDecrement() > 0) {
          throw SdkClientException.create("injected: connection reset while uploading");
        }
      }
    });
    bucket = "lake-" + System.nanoTime();
    s3.createBucket(b -> b.bucket(bucket));
  }

  @AfterEach
  void stop() {
    s3.close();
    glueClient.close();
    glue.close();
  }

  private static byte[] csv(int version) {
    StringBuilder sb = new StringBuilder("id,value\n");
    for (int i = 0; i < ROWS; i++) {
      sb.append(version * 100_000 + i).append(",v").append(version).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Pipeline.Builder pipeline(int version, GlueCatalog catalog) {
    byte[] bytes = csv(version);
    SourceFile file = SourceFile.builder()
        .id("mem:2015")
        .name("events 2015")
        .partition("year", "2015")
        .version(new SourceVersion("\"v" + version + "\"", null, (long) bytes.length, null))
        .opener(offset -> new ByteArrayInputStream(bytes))
        .build();
    return Pipeline.builder()
        .source(() -> List.of(file))
        .converter(CsvToParquet.builder()
            .schema(Schema.of(
                List.of(Column.of("id", ColumnType.BIGINT), Column.of("value", ColumnType.STRING))))
            .build())
        .sink(S3Sink.builder().client(s3).bucket(bucket).prefix("lake").build())
        .catalog(catalog)
        .table(TABLE)
        .stateStore(CatalogStateStore.of(catalog));
  }

  /** Rows of the partition location Glue records, downloaded and read with DuckDB; and every object of the bucket. */
  private void assertLakeHolds(GlueCatalog catalog, int version) throws Exception {
    List<Partition> partitions = catalog.partitions(TABLE);
    assertThat(partitions).hasSize(1);
    String location = partitions.get(0).location();
    String prefix = location.substring(("s3://" + bucket + "/").length());
    List<S3Object> objects =
        s3.listObjectsV2(b -> b.bucket(bucket).prefix("lake/")).contents();
    assertThat(objects).extracting(S3Object::key).allMatch(k -> k.startsWith(prefix));
    Path dir = Files.createDirectories(tmp.resolve("v" + System.nanoTime()));
    for (S3Object o : objects) {
      Files.write(
          dir.resolve(Path.of(o.key()).getFileName()),
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT count(*), min(id), max(id) FROM read_parquet('" + dir + "/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(ROWS);
      assertThat(rs.getLong(2)).isEqualTo(version * 100_000L);
      assertThat(rs.getLong(3)).isEqualTo(version * 100_000L + ROWS - 1);
    }
    assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void s3FailingMidUpload_abortsAndRetriesTheFile_andGlueAndS3HoldExactlyOneVersion()
      throws Exception {
    try (GlueCatalog catalog = GlueCatalog.builder()
        .client(glueClient)
        .retryBackoff(Duration.ofMillis(1))
        .build()) {
      assertThat(pipeline(1, catalog).build().run().succeeded()).isTrue();
      putFailures.set(1); // fails the upload at commit; the pipeline aborts and retries the file

      PipelineResult result = pipeline(2, catalog).build().run();

      assertThat(result.succeeded()).as(String.valueOf(result.failures())).isTrue();
      assertLakeHolds(catalog, 2);
      // A rerun of the unchanged file reads the state from Glue's partition parameters and writes
      // nothing.
      assertThat(pipeline(2, catalog).build().run().skipped()).hasSize(1);
    }
  }

  @Test
  void glueThrottlingAndConcurrentWriters_areRetried_andTheRunSucceeds() throws Exception {
    try (GlueCatalog catalog = GlueCatalog.builder()
        .client(glueClient)
        .retryBackoff(Duration.ofMillis(1))
        .build()) {
      pipeline(1, catalog).build().run();
      glue.failNext("GetPartitions", 4, "ThrottlingException");
      glue.failNext("UpdateTable", 2, "ConcurrentModificationException");

      PipelineResult result = pipeline(2, catalog).build().run();

      assertThat(result.succeeded()).as(String.valueOf(result.failures())).isTrue();
      assertLakeHolds(catalog, 2);
    }
  }

  @Test
  void concurrentWritersWinningEveryTime_failClearly_andTheCatalogKeepsTheOldVersion()
      throws Exception {
    try (GlueCatalog catalog = GlueCatalog.builder()
        .client(glueClient)
        .maxRetries(2)
        .retryBackoff(Duration.ofMillis(1))
        .build()) {
      pipeline(1, catalog).build().run();
      String before = catalog.partitions(TABLE).get(0).location();
      glue.failNext("UpdateTable", 20, "ConcurrentModificationException");

      PipelineResult result = pipeline(2, catalog).attempts(1).build().run();

      assertThat(result.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.error())
              .isInstanceOf(CommitConflictException.class)
              .hasMessageContaining("another writer changed the table at each of 3 attempts"));
      assertThat(catalog.partitions(TABLE).get(0).location()).isEqualTo(before);
    }
  }
}
