package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.contract.FileStoreContract;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.StagedOutput;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The file store contract on S3Proxy, plus the requests only an object store makes. */
class S3FileStoreContractTest extends FileStoreContract {
  private static final String BUCKET = "store-contract";
  private static S3ProxyServer server;
  private static final RequestRecorder RECORDER = new RequestRecorder();
  private static S3Client client;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    client = server.client(RECORDER);
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopServer() throws Exception {
    client.close();
    server.close();
  }

  @Override
  protected FileStore newStore() {
    return S3FileStore.of(client, BUCKET, "lake/");
  }

  @Test
  void location_isTheS3UriOfTheKey() {
    assertThat(store.location()).isEqualTo("s3://" + BUCKET + "/lake/");
    assertThat(store.location(dir + "a.bin"))
        .isEqualTo("s3://" + BUCKET + "/lake/" + dir + "a.bin");
    assertThat(store.path("s3://" + BUCKET + "/other/a.bin")).isEmpty();
    assertThat(store.path("s3://" + BUCKET + "/lake/" + dir + "../a.bin")).isEmpty();
  }

  @Test
  void abort_ofALargeOutput_abortsItsUpload_andLeavesNoneInProgress() throws IOException {
    StagedOutput out = store.create(dir + "large.bin", FileStore.WriteMode.REPLACE);
    out.write(new byte[(int) S3Sink.DEFAULT_PART_SIZE + 1]);
    assertThat(client
            .listMultipartUploads(b -> b.bucket(BUCKET).prefix("lake/" + dir))
            .uploads())
        .hasSize(1);
    out.abort();
    assertThat(client
            .listMultipartUploads(b -> b.bucket(BUCKET).prefix("lake/" + dir))
            .uploads())
        .isEmpty();
    assertThat(RECORDER.of("AbortMultipartUpload")).isNotEmpty();
  }
}
