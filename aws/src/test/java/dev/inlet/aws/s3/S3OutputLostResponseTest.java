package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.aws.testing.FaultProxy;
import dev.inlet.aws.testing.FaultProxy.Fault;
import dev.inlet.storage.FileStore.WriteMode;
import dev.inlet.storage.StagedOutput;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A commit whose response is lost after S3 acted on it (a dropped connection, a 500, garbage; the SDK's retry then
 * meets {@code NoSuchUpload} or, create-only, {@code 412}): the output reports success exactly when the object at
 * the key is this upload, and a "Cannot commit" failure otherwise. Through {@link FaultProxy} in front of S3Proxy.
 */
class S3OutputLostResponseTest {
  private static final int PART = 5 * 1024 * 1024;
  private static final String BUCKET = "lost-response";
  private static S3ProxyServer server;
  private static FaultProxy proxy;
  private static S3Client direct;

  private S3Client client;
  private S3FileStore store;
  private String dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    proxy = FaultProxy.in(server.endpoint());
    direct = server.client();
    direct.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopServer() throws Exception {
    direct.close();
    proxy.close();
    server.close();
  }

  @BeforeEach
  void setUp() {
    client = server.client(proxy.endpoint());
    store = new S3FileStore(client, BUCKET, "lake", PART, S3FileStore.Encryption.NONE, null, null);
    dir = "t-" + System.nanoTime() + "/";
  }

  @AfterEach
  void tearDown() {
    proxy.fail(r -> false, Fault.DROP, 0);
    client.close();
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private StagedOutput written(String path, byte[] content, WriteMode mode) throws IOException {
    StagedOutput out = store.create(path, mode);
    out.write(content);
    out.close();
    return out;
  }

  private byte[] read(String path) throws IOException {
    try (InputStream in = store.open(path)) {
      return in.readAllBytes();
    }
  }

  private boolean uploadsInProgress() {
    return !direct
        .listMultipartUploads(b -> b.bucket(BUCKET).prefix("lake/" + dir))
        .uploads()
        .isEmpty();
  }

  @Test
  void s3Proxy_givesAMultipartObjectTheMd5OfItsContentAsETag_notS3sMultipartETag() {
    // why S3Output also accepts the content's MD5 as proof: S3Proxy 2.9 (and other S3-compatible
    // stores) do this
    byte[] content = bytes(PART + 100, 1);
    try {
      written(dir + "a.bin", content, WriteMode.REPLACE).commit();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    String etag =
        direct.headObject(b -> b.bucket(BUCKET).key("lake/" + dir + "a.bin")).eTag();
    assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(md5(content)) + "\"");
  }

  /** Dropped once, a 500 once (the SDK's retry then meets NoSuchUpload), garbled at every attempt. */
  @ParameterizedTest
  @CsvSource({"DROP, 1", "SERVER_ERROR, 1", "GARBLE, 10"})
  void multipart_whoseCompleteResponseIsLostAfterItCompleted_commits(Fault fault, int times)
      throws IOException {
    byte[] content = bytes(PART + 100, fault.ordinal());
    StagedOutput out = written(dir + "a.bin", content, WriteMode.REPLACE);
    proxy.fail(FaultProxy.Request::isCompleteMultipartUpload, fault, times);

    assertThat(out.commit()).isEqualTo(content.length);

    assertThat(read(dir + "a.bin")).isEqualTo(content);
    assertThat(uploadsInProgress()).isFalse();
  }

  @Test
  void multipart_whoseCompleteNeverArrives_failsLoudly_keepsTheOldObject_andAbortsTheUpload()
      throws IOException {
    byte[] old = bytes(PART + 100, 5);
    written(dir + "a.bin", old, WriteMode.REPLACE).commit();
    StagedOutput out = written(dir + "a.bin", bytes(PART + 100, 6), WriteMode.REPLACE);
    proxy.fail(FaultProxy.Request::isCompleteMultipartUpload, Fault.LOST_REQUEST, 10);

    assertThatThrownBy(out::commit)
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot commit s3://" + BUCKET + "/lake/" + dir + "a.bin: ")
        .hasMessageContaining("is not this upload");

    assertThat(read(dir + "a.bin")).isEqualTo(old);
    assertThat(uploadsInProgress()).isFalse();
  }

  @Test
  void multipart_whoseCompleteNeverArrives_overAnEqualObject_commits_andLeavesNoUploadOpen()
      throws IOException {
    byte[] content = bytes(PART + 100, 11);
    written(dir + "a.bin", content, WriteMode.REPLACE).commit();
    StagedOutput out = written(dir + "a.bin", content, WriteMode.REPLACE);
    proxy.fail(FaultProxy.Request::isCompleteMultipartUpload, Fault.LOST_REQUEST, 10);

    assertThat(out.commit()).isEqualTo(content.length);

    assertThat(read(dir + "a.bin")).isEqualTo(content);
    assertThat(uploadsInProgress()).isFalse();
  }

  @Test
  void
      createOnlyMultipart_whoseCompleteResponseIsDropped_commits_ratherThanCallingItsOwnObjectAConflict()
          throws IOException {
    byte[] content = bytes(PART + 100, 7);
    StagedOutput out = written(dir + "a.bin", content, WriteMode.CREATE_ONLY);
    proxy.fail(FaultProxy.Request::isCompleteMultipartUpload, Fault.DROP, 1);

    assertThat(out.commit()).isEqualTo(content.length);

    assertThat(read(dir + "a.bin")).isEqualTo(content);
  }

  @Test
  void createOnlyPut_whoseResponseIsDropped_commits_ratherThanCallingItsOwnObjectAConflict()
      throws IOException {
    byte[] content = bytes(1000, 8);
    StagedOutput out = written(dir + "small.bin", content, WriteMode.CREATE_ONLY);
    proxy.fail(FaultProxy.Request::isPutObject, Fault.DROP, 1);

    assertThat(out.commit()).isEqualTo(content.length);

    assertThat(read(dir + "small.bin")).isEqualTo(content);
  }

  @Test
  void createOnlyMultipart_answered412_whenAnotherObjectIsThere_stillFailsAsAConflict()
      throws IOException {
    // S3Proxy 2.9 ignores If-None-Match on CompleteMultipartUpload: the proxy answers as S3 does
    written(dir + "a.bin", bytes(PART + 100, 9), WriteMode.REPLACE).commit();
    StagedOutput out = written(dir + "a.bin", bytes(PART + 100, 10), WriteMode.CREATE_ONLY);
    proxy.fail(FaultProxy.Request::isCompleteMultipartUpload, Fault.PRECONDITION_FAILED, 10);

    assertThatThrownBy(out::commit)
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("the object already exists and the sink is create-only");
    assertThat(read(dir + "a.bin")).isEqualTo(bytes(PART + 100, 9));
    assertThat(uploadsInProgress()).isFalse();
  }

  @Test
  void multipartETag_isTheMd5OfThePartsMd5s_thenTheirNumber() {
    // the example of a two-part object whose parts are "a" and "b"
    assertThat(S3Output.multipartETag(java.util.List.of(
            "\"0cc175b9c0f1b6a831c399e269772661\"", "92eb5ffee6ae2fec3ad71c777531578f")))
        .isEqualTo(HexFormat.of()
                .formatHex(md5(HexFormat.of()
                    .parseHex("0cc175b9c0f1b6a831c399e26977266192eb5ffee6ae2fec3ad71c777531578f")))
            + "-2");
  }

  private static byte[] md5(byte[] b) {
    try {
      return MessageDigest.getInstance("MD5").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
