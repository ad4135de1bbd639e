package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.TableId;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.testing.AfterCommitSink;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Concurrent writers into S3 (S3Proxy) and Glue (the fake), each with its own sink, catalog and clients as separate
 * workers would have: 4 writers start at once per trial, three on the same year and one on another, with a random
 * pause between commit and registration. After each trial every partition Glue records points at objects that exist
 * and hold all the rows of one version (read back with DuckDB), and every writer either succeeded or failed with the
 * conflict message. Unreferenced version folders are counted: Glue has no conditional partition write, so the narrow
 * window {@link GlueCatalog} documents can leave one (never a partition pointing at a deleted folder).
 */
class S3GlueConcurrentWritersTest {
  static final TableId TABLE = TableId.of("rel", "events");
  static final int ROWS = 300;
  static final int TRIALS = 5;
  static final int[] YEARS = {2015, 2015, 2015, 2016};
  static final String CONFLICT = "another run replaced it; rerun";
  static S3ProxyServer server;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startS3() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    server.close();
  }

  static byte[] csv(int year, int version) {
    StringBuilder sb = new StringBuilder("id,value\n");
    for (int i = 0; i < ROWS; i++) {
      sb.append(year * 1_000_000L + version * 1_000 + i)
          .append(",v")
          .append(version)
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fourConcurrentWriters_overFiveTrials_neverLeaveAPartitionPointingAtMissingOrPartialData()
      throws Exception {
    String bucket = "lake-concurrent-" + System.nanoTime();
    int ok = 0;
    int conflicts = 0;
    int orphans = 0;
    try (FakeGlue glue = FakeGlue.start();
        S3Client admin = server.client()) {
      admin.createBucket(b -> b.bucket(bucket));
      for (int trial = 0; trial < TRIALS; trial++) {
        ExecutorService pool = Executors.newFixedThreadPool(YEARS.length);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<PipelineResult>> runs = new ArrayList<>();
        for (int w = 0; w < YEARS.length; w++) {
          int year = YEARS[w];
          int version = trial * 10 + w;
          runs.add(pool.submit(() -> {
            try (GlueClient glueClient = glue.client();
                S3Client s3 = server.client();
                GlueCatalog catalog = GlueCatalog.builder()
                    .client(glueClient)
                    .retryBackoff(Duration.ofMillis(5))
                    .build()) {
              byte[] bytes = csv(year, version);
              SourceFile file = SourceFile.builder()
                  .id("mem:" + year)
                  .name("events " + year)
                  .partition("year", String.valueOf(year))
                  .version(
                      new SourceVersion("\"v" + version + "\"", null, (long) bytes.length, null))
                  .opener(offset -> new ByteArrayInputStream(bytes))
                  .build();
              start.await();
              return Pipeline.builder()
                  .source(() -> List.of(file))
                  .converter(CsvToParquet.builder()
                      .schema(Schema.of(List.of(
                          Column.of("id", ColumnType.BIGINT),
                          Column.of("value", ColumnType.STRING))))
                      .build())
                  .sink(AfterCommitSink.jittered(
                      S3Sink.builder().client(s3).bucket(bucket).prefix("lake").build(), 200))
                  .catalog(catalog)
                  .table(TABLE)
                  .attempts(1)
                  .build()
                  .run();
            }
          }));
        }
        start.countDown();
        for (Future<PipelineResult> f : runs) {
          PipelineResult r = f.get(120, TimeUnit.SECONDS);
          if (r.succeeded()) {
            ok++;
          } else {
            assertThat(r.failures())
                .singleElement()
                .satisfies(x -> assertThat(x.error()).hasMessageContaining(CONFLICT));
            conflicts++;
          }
        }
        pool.shutdownNow();
        orphans += assertIntact(glue, admin, bucket, trial);
      }
    }
    System.out.println(
        "[scale-out s3+glue] " + TRIALS + " trials x " + YEARS.length + " concurrent writers: " + ok
            + " succeeded, " + conflicts
            + " failed with the conflict message (rerun), 0 other outcomes; "
            + orphans
            + " unreferenced version folders seen over all trials; no partition ever dangling or partial");
    assertThat(ok + conflicts).isEqualTo(TRIALS * YEARS.length);
  }

  /** Checks every partition's objects; returns how many version folders nothing references. */
  private int assertIntact(FakeGlue glue, S3Client s3, String bucket, int trial) throws Exception {
    List<Partition> partitions;
    try (GlueClient c = glue.client();
        GlueCatalog catalog = GlueCatalog.builder().client(c).build()) {
      partitions = catalog.partitions(TABLE);
    }
    assertThat(partitions)
        .extracting(p -> p.values().get(0))
        .as("partitions after trial %d", trial)
        .containsExactly("2015", "2016");
    Set<String> referenced = new HashSet<>();
    for (Partition p : partitions) {
      String prefix = p.location().substring(("s3://" + bucket + "/").length());
      referenced.add(prefix);
      List<S3Object> objects =
          s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents();
      assertThat(objects).as("objects of %s after trial %d", p.values(), trial).isNotEmpty();
      Path dir =
          Files.createDirectories(tmp.resolve("t" + trial + "-" + p.values().get(0)));
      for (S3Object o : objects) {
        Files.write(
            dir.resolve(Path.of(o.key()).getFileName()),
            s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray());
      }
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT count(*), count(DISTINCT value) FROM read_parquet('" + dir
                  + "/*.parquet')")) {
        rs.next();
        assertThat(rs.getLong(1))
            .as("rows of %s after trial %d", p.values(), trial)
            .isEqualTo(ROWS);
        assertThat(rs.getLong(2))
            .as("versions in %s after trial %d", p.values(), trial)
            .isEqualTo(1);
      }
    }
    Set<String> versionDirs = new HashSet<>();
    for (S3Object o :
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("lake/")).contents()) {
      String key = o.key();
      versionDirs.add(key.substring(0, key.lastIndexOf('/') + 1));
    }
    versionDirs.removeAll(referenced);
    return versionDirs.size();
  }
}
