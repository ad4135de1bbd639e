package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

class S3SinkTest {
  private static final long MIB = 1024 * 1024;
  private static final TableId TABLE = TableId.of("boston311", "service_requests");
  private static final Map<String, String> Y2015 = Map.of("year", "2015");
  private static final Map<String, String> Y2016 = Map.of("year", "2016");
  private static final SourceFile SOURCE = source("resource-2015");

  private static S3ProxyServer server;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final RequestRecorder recorder = new RequestRecorder();
  private S3Client client;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void createBucket() {
    client = server.client(recorder);
    bucket = "lake-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(bucket));
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void commit_ofOutputLargerThanOnePart_uploadsSeveralPartsAndReadsBackEqual() throws IOException {
    byte[] data = bytes(12 * MIB + 12345, 1);
    S3Sink sink = sink().partSize(5 * MIB).build();

    List<DataFile> files;
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      try (OutputStream out = staging.newOutput(Y2015)) {
        writeInUnevenChunks(out, data);
      }
      files = staging.commit();
    }

    assertThat(files).singleElement().satisfies(f -> {
      assertThat(f.partition()).isEqualTo(Y2015);
      assertThat(f.sizeBytes()).isEqualTo(data.length);
      assertThat(f.location())
          .matches(java.util.regex.Pattern.quote("s3://" + bucket + "/")
              + versionedKey("lake/bronze/boston311/service_requests/year=2015/", SOURCE, 0));
    });
    String key = files.get(0).location().substring(("s3://" + bucket + "/").length());
    assertThat(recorder.of("UploadPart")).hasSize(3);
    assertThat(recorder.of("PutObject")).isEmpty();
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
        .isEqualTo(data);
    assertThat(uploadsInProgress()).isEmpty();
  }

  @Test
  void output_beforeCommit_isNotVisibleAndItsUploadIsInProgress() throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      try (OutputStream out = staging.newOutput(Y2015)) {
        out.write(bytes(6 * MIB, 2));
      }

      assertThat(objects()).isEmpty();
      assertThat(uploadsInProgress())
          .extracting(MultipartUpload::key)
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .matches(versionedKey("lake/bronze/boston311/service_requests/year=2015/", SOURCE, 0));

      staging.commit();
    }
    assertThat(objects()).hasSize(1);
    assertThat(uploadsInProgress()).isEmpty();
  }

  @Test
  void smallOutput_beforeCommit_isNotVisibleAndIsPutAtCommit() throws IOException {
    S3Sink sink = sink().build();
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      try (OutputStream out = staging.newOutput(Y2015)) {
        out.write("small".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(objects()).isEmpty();
      assertThat(uploadsInProgress()).isEmpty();

      List<DataFile> files = staging.commit();

      assertThat(files).extracting(DataFile::sizeBytes).containsExactly(5L);
    }
    assertThat(recorder.of("PutObject")).hasSize(1);
    assertThat(recorder.of("CreateMultipartUpload")).isEmpty();
    assertThat(objects()).extracting(S3Object::size).containsExactly(5L);
  }

  @Test
  void smallOutputs_beyondOnePartInMemory_goAsSinglePartUploads() throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();
    byte[] a = bytes(3 * MIB, 12);
    byte[] b = bytes(3 * MIB, 13);
    List<DataFile> files;
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      try (OutputStream out = staging.newOutput(Y2015)) {
        out.write(a);
      }
      try (OutputStream out = staging.newOutput(Y2016)) {
        out.write(b);
      }
      assertThat(objects()).isEmpty();
      files = staging.commit();
    }

    assertThat(recorder.of("PutObject")).hasSize(1);
    assertThat(recorder.of("UploadPart")).hasSize(1);
    assertThat(read(files.get(0))).isEqualTo(a);
    assertThat(read(files.get(1))).isEqualTo(b);
  }

  @Test
  void smallOutputsHeldInMemory_areBoundedPerSink_acrossItsStagings_andReleasedAtCommit()
      throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();
    try (Staging first = sink.stage(TABLE, SOURCE);
        Staging second = sink.stage(TABLE, source("resource-2016"))) {
      try (OutputStream out = first.newOutput(Y2015)) {
        out.write(bytes(3 * MIB, 21));
      }
      try (OutputStream out = second.newOutput(Y2015)) {
        out.write(bytes(3 * MIB, 22));
      }
      assertThat(uploadsInProgress())
          .as("the second no longer fits beside the first")
          .hasSize(1);
      first.commit();
      second.commit();
    }
    try (Staging third = sink.stage(TABLE, source("resource-2017"))) {
      try (OutputStream out = third.newOutput(Y2016)) {
        out.write(bytes(3 * MIB, 23));
      }
      assertThat(uploadsInProgress())
          .as("held again: the first's bytes were released at its commit")
          .isEmpty();
      third.commit();
    }
    assertThat(recorder.of("PutObject")).hasSize(2);
  }

  @Test
  void commit_whenOneOutputFails_abortsTheOutputsNotYetCompleted() throws IOException {
    S3Sink sink = sink().createOnly().partSize(5 * MIB).build();
    // Unpartitioned outputs keep their names across runs (partitioned ones get a new version folder
    // each time).
    commit(sink, SOURCE, Map.of(), "first".getBytes(StandardCharsets.UTF_8));

    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      write(staging, Map.of(), "again");
      try (OutputStream out = staging.newOutput(Y2016)) {
        out.write(bytes(5 * MIB + 1, 14));
      }
      assertThat(uploadsInProgress()).hasSize(1);
      assertThatThrownBy(staging::commit).isInstanceOf(FileAlreadyExistsException.class);
    }

    assertThat(uploadsInProgress()).isEmpty();
    assertThat(objects())
        .extracting(S3Object::key)
        .containsExactly(
            "lake/bronze/boston311/service_requests/" + Layout.fileName(SOURCE.id(), 0));
  }

  @Test
  void commit_whenALaterOutputFailsToComplete_deletesTheOnesAlreadyCompletedIntoItsVersionFolder()
      throws IOException {
    S3Client failing = server.client(new FailComplete());
    try {
      S3Sink sink = sink().client(failing).partSize(5 * MIB).build();
      try (Staging staging = sink.stage(TABLE, SOURCE)) {
        write(staging, Y2015, "small, put at commit");
        try (OutputStream out = staging.newOutput(Y2016)) {
          out.write(bytes(5 * MIB + 1, 15));
        }
        assertThatThrownBy(staging::commit).isInstanceOf(IOException.class);
      }
      assertThat(objects()).isEmpty();
      assertThat(uploadsInProgress()).isEmpty();
    } finally {
      failing.close();
    }
  }

  /** Fails every CompleteMultipartUpload, as a lost connection at commit would. */
  private static final class FailComplete implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (context.request()
          instanceof software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest) {
        throw SdkClientException.create("injected: connection reset at CompleteMultipartUpload");
      }
    }
  }

  @Test
  void write_whenSecondPartFails_abortsUploadAndLeavesNoObjectAndNoUpload() throws IOException {
    S3Client failing = server.client(new FailPart(2));
    S3Sink sink = sink().client(failing).partSize(5 * MIB).build();
    String key = versionedKey("lake/bronze/boston311/service_requests/year=2015/", SOURCE, 0);

    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      OutputStream out = staging.newOutput(Y2015);
      assertThatThrownBy(() -> out.write(bytes(12 * MIB, 3)))
          .isInstanceOf(IOException.class)
          .hasMessageMatching(java.util.regex.Pattern.quote("Cannot upload s3://" + bucket + "/")
              + key + java.util.regex.Pattern.quote(": injected: connection reset on part 2")
              + "(?s).*")
          .hasCauseInstanceOf(SdkClientException.class);
      assertThat(uploadsInProgress()).as("aborted at the failure, before close").isEmpty();
      assertThatThrownBy(() -> out.write(1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("an earlier part failed and the upload was aborted");
      out.close();
      assertThatThrownBy(staging::commit)
          .isInstanceOf(IOException.class)
          .hasMessageMatching(java.util.regex.Pattern.quote("Cannot commit s3://" + bucket + "/")
              + key
              + java.util.regex.Pattern.quote(": writing it failed and it was aborted"));
    } finally {
      failing.close();
    }

    assertThat(objects()).isEmpty();
    assertThat(uploadsInProgress()).isEmpty();
  }

  @Test
  void close_withoutCommit_abortsEveryUploadAndDropsHeldOutputs() throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      try (OutputStream big = staging.newOutput(Y2015);
          OutputStream small = staging.newOutput(Y2016)) {
        big.write(bytes(11 * MIB, 4));
        small.write(1);
      }
      assertThat(uploadsInProgress()).hasSize(1);
    }

    assertThat(objects()).isEmpty();
    assertThat(uploadsInProgress()).isEmpty();
    assertThat(recorder.of("AbortMultipartUpload")).hasSize(1);
  }

  @Test
  void abort_isIdempotentAndCommitAfterAbortFails() throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();
    Staging staging = sink.stage(TABLE, SOURCE);
    try (OutputStream out = staging.newOutput(Y2015)) {
      out.write(bytes(5 * MIB + 1, 5));
    }

    staging.abort();
    staging.abort();
    staging.close();

    assertThat(recorder.of("AbortMultipartUpload")).hasSize(1);
    assertThat(uploadsInProgress()).isEmpty();
    assertThatThrownBy(staging::commit)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot commit resource-2015")
        .hasMessageContaining("already aborted");
  }

  @Test
  void write_afterAbort_failsAndStartsNoUpload() throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();
    Staging staging = sink.stage(TABLE, SOURCE);
    OutputStream out = staging.newOutput(Y2015);
    out.write(1);

    staging.abort();

    assertThatThrownBy(() -> out.write(bytes(6 * MIB, 11)))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("its staging was aborted");
    out.close();
    assertThat(recorder.of("CreateMultipartUpload")).isEmpty();
    assertThat(uploadsInProgress()).isEmpty();
  }

  @Test
  void commit_inCreateOnlyMode_whenObjectExists_failsAndKeepsTheOriginal() throws IOException {
    S3Sink sink = sink().createOnly().build();
    commit(sink, SOURCE, Map.of(), "first".getBytes(StandardCharsets.UTF_8));
    String key = "lake/bronze/boston311/service_requests/" + Layout.fileName(SOURCE.id(), 0);

    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      try (OutputStream out = staging.newOutput(Map.of())) {
        out.write("second".getBytes(StandardCharsets.UTF_8));
      }
      assertThatThrownBy(staging::commit)
          .isInstanceOf(FileAlreadyExistsException.class)
          .hasMessage(
              "Cannot upload s3://" + bucket + "/" + key
                  + ": the object already exists and the sink is"
                  + " create-only (If-None-Match: *); delete the object or build the sink without createOnly()")
          .satisfies(e -> assertThat(((FileAlreadyExistsException) e).getFile())
              .isEqualTo("s3://" + bucket + "/" + key))
          .cause()
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    assertThat(recorder.of("PutObject"))
        .extracting(s -> s.header("If-None-Match"))
        .containsExactly("*", "*");
    assertThat(new String(
            client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
            StandardCharsets.UTF_8))
        .isEqualTo("first");
  }

  @Test
  void commit_inCreateOnlyMode_sendsIfNoneMatchOnCompleteMultipartUpload() throws IOException {
    S3Sink sink = sink().createOnly().partSize(5 * MIB).build();

    commit(sink, SOURCE, Y2015, bytes(5 * MIB + 10, 6));

    assertThat(recorder.of("CompleteMultipartUpload"))
        .extracting(s -> s.header("If-None-Match"))
        .containsExactly("*");
  }

  @Test
  void commit_withoutCreateOnly_sendsNoCondition() throws IOException {
    S3Sink sink = sink().partSize(5 * MIB).build();

    commit(sink, SOURCE, Y2015, bytes(5 * MIB + 10, 7));
    commit(sink, SOURCE, Y2016, bytes(10, 7));

    assertThat(recorder.of("CompleteMultipartUpload"))
        .extracting(s -> s.header("If-None-Match"))
        .containsOnlyNulls();
    assertThat(recorder.of("PutObject"))
        .extracting(s -> s.header("If-None-Match"))
        .containsOnlyNulls();
  }

  @Test
  void commit_withSseS3_sendsAes256OnCreateAndPut() throws IOException {
    S3Sink sink = sink().serverSideEncryptionS3().partSize(5 * MIB).build();

    commit(sink, SOURCE, Y2015, bytes(5 * MIB + 10, 8));
    commit(sink, SOURCE, Y2016, bytes(10, 8));

    assertThat(recorder.of("CreateMultipartUpload"))
        .extracting(s -> s.header("x-amz-server-side-encryption"))
        .containsExactly("AES256");
    assertThat(recorder.of("PutObject"))
        .extracting(s -> s.header("x-amz-server-side-encryption"))
        .containsExactly("AES256");
  }

  @Test
  void commit_withSseKms_sendsKmsAndKeyIdOnCreateAndPut() throws IOException {
    String keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    S3Sink sink = sink().serverSideEncryptionKms(keyArn).partSize(5 * MIB).build();

    commit(sink, SOURCE, Y2015, bytes(5 * MIB + 10, 9));
    commit(sink, SOURCE, Y2016, bytes(10, 9));

    for (String op : List.of("CreateMultipartUpload", "PutObject")) {
      assertThat(recorder.of(op)).singleElement().satisfies(s -> {
        assertThat(s.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(s.header("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo(keyArn);
      });
    }
  }

  @Test
  void everyRequest_withExpectedBucketOwner_carriesIt() throws IOException {
    S3Sink sink = sink().expectedBucketOwner("111122223333").partSize(5 * MIB).build();

    commit(sink, SOURCE, Y2015, bytes(5 * MIB + 10, 10));
    commit(sink, SOURCE, Y2016, bytes(10, 10));

    for (String op : List.of(
        "CreateMultipartUpload",
        "UploadPart",
        "CompleteMultipartUpload",
        "PutObject",
        "ListObjectsV2")) {
      assertThat(recorder.of(op))
          .as(op)
          .isNotEmpty()
          .allSatisfy(
              s -> assertThat(s.header("x-amz-expected-bucket-owner")).isEqualTo("111122223333"));
    }
  }

  @Test
  void commit_ofRerun_replacesFilesAndDeletesStaleOnesOfThatSourceOnly() throws IOException {
    S3Sink sink = sink().build();
    SourceFile other = source("resource-2016");
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      write(staging, Y2015, "a0");
      write(staging, Y2015, "a1");
      write(staging, Y2016, "b0");
      staging.commit();
      staging.removeReplaced();
    }
    commit(sink, other, Y2015, "other".getBytes(StandardCharsets.UTF_8));
    String olderLayout =
        "lake/bronze/boston311/service_requests/year=2015/" + Layout.fileName(SOURCE.id(), 7);
    client.putObject(
        b -> b.bucket(bucket).key(olderLayout),
        software.amazon.awssdk.core.sync.RequestBody.fromString("in place"));

    List<DataFile> rerun;
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      write(staging, Y2015, "new0");
      rerun = staging.commit();
      assertThat(objects()).hasSize(6);
      staging.removeReplaced();
    }

    String dir = "lake/bronze/boston311/service_requests/";
    String newKey = rerun.get(0).location().substring(("s3://" + bucket + "/").length());
    assertThat(newKey).matches(versionedKey(dir + "year=2015/", SOURCE, 0));
    assertThat(objects())
        .extracting(S3Object::key)
        .hasSize(3)
        .contains(newKey)
        .anySatisfy(k -> assertThat(k).matches(versionedKey(dir + "year=2015/", other, 0)))
        .anySatisfy(k -> assertThat(k).matches(versionedKey(dir + "year=2016/", SOURCE, 0)));
    assertThat(read(newKey)).isEqualTo("new0");
  }

  @Test
  void stage_fromSeveralThreadsAtOnce_commitsEveryFile() throws Exception {
    S3Sink sink = sink().partSize(5 * MIB).build();
    int threads = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<DataFile>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        SourceFile source = source("resource-" + i);
        byte[] data = bytes(5 * MIB + i, i);
        results.add(pool.submit(() -> {
          try (Staging staging = sink.stage(TABLE, source)) {
            try (OutputStream out = staging.newOutput(Y2015)) {
              writeInUnevenChunks(out, data);
            }
            return staging.commit();
          }
        }));
      }
      for (int i = 0; i < threads; i++) {
        DataFile file = results.get(i).get(30, TimeUnit.SECONDS).get(0);
        String key = file.location().substring(("s3://" + bucket + "/").length());
        assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
            .isEqualTo(bytes(5 * MIB + i, i));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(objects()).hasSize(threads);
    assertThat(uploadsInProgress()).isEmpty();
  }

  @Test
  void close_ofSinkWithProvidedClient_leavesTheClientOpen() {
    S3Sink sink = sink().build();

    sink.close();

    assertThat(client.listBuckets().buckets()).isNotEmpty();
    assertThatThrownBy(() -> sink.stage(TABLE, SOURCE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the sink is closed");
  }

  @Test
  void location_usesLayoutUnderNormalisedPrefix() {
    assertThat(S3Sink.builder()
            .client(client)
            .bucket("my-lake")
            .prefix("/lake/dev/")
            .build()
            .location(TABLE))
        .isEqualTo("s3://my-lake/lake/dev/bronze/boston311/service_requests/");
    assertThat(S3Sink.builder().client(client).bucket("my-lake").build().location(TABLE, Y2015))
        .isEqualTo("s3://my-lake/bronze/boston311/service_requests/year=2015/");
  }

  @Test
  void build_withoutBucket_failsNamingIt() {
    assertThatThrownBy(() -> S3Sink.builder().client(client).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot build S3Sink: bucket is missing; call bucket(\"my-bucket\")");
  }

  @Test
  void setters_rejectBadValues() {
    S3Sink.Builder b = S3Sink.builder();
    assertThatThrownBy(() -> b.bucket("s3://lake/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid bucket 's3://lake/x'");
    assertThatThrownBy(() -> b.prefix("s3://lake/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid prefix 's3://lake/x'");
    assertThatThrownBy(() -> b.partSize(5 * MIB - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid partSize 5242879");
    assertThatThrownBy(() -> b.expectedBucketOwner("me"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12-digit");
    assertThatThrownBy(() -> b.serverSideEncryptionKms(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A catalog may name a folder outside this sink's prefix (a catalog copied from another environment, a table
   * registered by hand): removeReplaced never deletes there, even a version folder of the same source.
   */
  @Test
  void removeReplaced_neverDeletesOutsideItsPrefix_evenAVersionFolderOfTheSameSource()
      throws IOException {
    S3Sink other =
        S3Sink.builder().client(client).bucket(bucket).prefix("lake-staging").build();
    String foreign = folderOf(commitOne(other, SOURCE, Y2015, "theirs"));
    S3Sink sink = sink().build();
    try (Staging staging = sink.stage(TABLE, SOURCE)) {
      write(staging, Y2015, "ours");
      staging.commit();
      staging.removeReplaced(List.of(
          foreign,
          "s3://" + bucket + "/lake/../lake-staging/"
              + foreign.substring(("s3://" + bucket + "/lake-staging/").length())));
    }
    assertThat(keysUnder(foreign)).hasSize(1);
    assertThat(objects()).hasSize(1);
  }

  /**
   * Version folders no partition references (a run that stopped between commit and registration) are listed by
   * orphans and deleted by removeOrphans once older than the age given; referenced ones, fresh ones and anything
   * outside the sink's prefix stay.
   */
  @Test
  void orphans_areTheUnreferencedVersionFoldersOlderThanTheAge_andRemoveOrphansDeletesOnlyThem(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    S3Sink sink = sink().build();
    dev.inlet.local.LocalCatalog catalog = dev.inlet.local.LocalCatalog.at(dir);
    String served2015 = folderOf(commitOne(sink, SOURCE, Y2015, "v1"));
    String orphan = folderOf(commitOne(sink, SOURCE, Y2015, "v2")); // committed, never registered
    String served2016 = folderOf(commitOne(sink, SOURCE, Y2016, "v1"));
    S3Sink elsewhere =
        S3Sink.builder().client(client).bucket(bucket).prefix("lake-staging").build();
    String foreignOrphan = folderOf(commitOne(elsewhere, SOURCE, Y2015, "x"));
    catalog.register(dev.inlet.TableRegistration.builder()
        .table(TABLE)
        .location(sink.location(TABLE))
        .schema(dev.inlet.Schema.of(dev.inlet.Column.of("a", dev.inlet.ColumnType.STRING)))
        .partitionKeys(List.of("year"))
        .addPartition(new dev.inlet.Partition(List.of("2015"), served2015, Map.of()))
        .addPartition(new dev.inlet.Partition(List.of("2016"), served2016, Map.of()))
        // a partition folder outside the sink's prefix, holding an unreferenced version folder: not
        // swept
        .addPartition(new dev.inlet.Partition(List.of("2017"), parentOf(foreignOrphan), Map.of()))
        .build());

    assertThat(sink.orphans(catalog, "boston311", java.time.Duration.ofHours(1)))
        .as("all fresh")
        .isEmpty();
    assertThat(sink.orphans(catalog, "boston311", java.time.Duration.ZERO)).containsExactly(orphan);
    int before = objects().size();

    assertThat(sink.removeOrphans(catalog, "boston311", java.time.Duration.ZERO))
        .isEqualTo(1);

    assertThat(objects()).hasSize(before - 1);
    assertThat(keysUnder(orphan)).isEmpty();
    assertThat(keysUnder(served2015)).hasSize(1);
    assertThat(keysUnder(served2016)).hasSize(1);
    assertThat(keysUnder(foreignOrphan)).hasSize(1);
    assertThat(sink.orphans(catalog, "boston311", java.time.Duration.ZERO)).isEmpty();
  }

  // ---- helpers ----

  private static DataFile commitOne(
      S3Sink sink, SourceFile source, Map<String, String> partition, String text)
      throws IOException {
    try (Staging staging = sink.stage(TABLE, source)) {
      write(staging, partition, text);
      return staging.commit().get(0);
    }
  }

  private List<String> keysUnder(String folder) {
    String prefix = folder.substring(("s3://" + bucket + "/").length());
    return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  private static String parentOf(String folder) {
    return folder.substring(0, folder.lastIndexOf('/', folder.length() - 2) + 1);
  }

  private static String folderOf(DataFile file) {
    return file.location().substring(0, file.location().lastIndexOf('/') + 1);
  }

  private S3Sink.Builder sink() {
    return S3Sink.builder().client(client).bucket(bucket).prefix("lake");
  }

  private static SourceFile source(String id) {
    return SourceFile.builder()
        .id(id)
        .opener(offset -> InputStream.nullInputStream())
        .build();
  }

  private static void commit(
      S3Sink sink, SourceFile source, Map<String, String> partition, byte[] data)
      throws IOException {
    try (Staging staging = sink.stage(TABLE, source)) {
      try (OutputStream out = staging.newOutput(partition)) {
        out.write(data);
      }
      staging.commit();
      staging.removeReplaced();
    }
  }

  /** The key of the {@code seq}-th file of {@code source} in {@code partitionDir} of any version, as a regex. */
  private static String versionedKey(String partitionDir, SourceFile source, int seq) {
    return java.util.regex.Pattern.quote(partitionDir) + "v-[0-9a-f]{8}-[^/]+/"
        + java.util.regex.Pattern.quote(Layout.fileName(source.id(), seq));
  }

  private static void write(Staging staging, Map<String, String> partition, String text)
      throws IOException {
    try (OutputStream out = staging.newOutput(partition)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private String read(String key) {
    return new String(
        client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
        StandardCharsets.UTF_8);
  }

  private byte[] read(DataFile file) {
    String key = file.location().substring(("s3://" + bucket + "/").length());
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  private List<S3Object> objects() {
    return client.listObjectsV2(b -> b.bucket(bucket).prefix("lake/")).contents();
  }

  private List<MultipartUpload> uploadsInProgress() {
    return client.listMultipartUploads(b -> b.bucket(bucket)).uploads();
  }

  private static byte[] bytes(long n, long seed) {
    byte[] b = new byte[Math.toIntExact(n)];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void writeInUnevenChunks(OutputStream out, byte[] data) throws IOException {
    Random r = new Random(42);
    int off = 0;
    while (off < data.length) {
      if (r.nextInt(10) == 0) {
        out.write(data[off++]);
        continue;
      }
      int n = Math.min(data.length - off, 1 + r.nextInt(3 * 1024 * 1024));
      out.write(data, off, n);
      off += n;
    }
  }

  /** Fails every attempt to send UploadPart number {@code part}, as a dropped connection would. */
  private static final class FailPart implements ExecutionInterceptor {
    private final int part;

    FailPart(int part) {
      this.part = part;
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (context.request() instanceof UploadPartRequest r && r.partNumber() == part) {
        throw SdkClientException.create("injected: connection reset on part " + part);
      }
    }
  }
}
