package dev.inlet.aws.s3;

import dev.inlet.Sink;
import dev.inlet.contract.SinkContract;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The shared sink contract, on S3Proxy. */
class S3SinkContractTest extends SinkContract {
  static final String BUCKET = "contract";
  private static S3ProxyServer server;
  static S3Client client;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    client = server.client();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopServer() throws Exception {
    client.close();
    server.close();
  }

  @AfterEach
  void closeSink() {
    ((S3Sink) sink).close();
  }

  @Override
  protected Sink newSink() {
    return S3Sink.builder().client(client).bucket(BUCKET).prefix("lake").build();
  }

  @Override
  protected List<String> listObjects(String location) {
    String prefix = location.substring(("s3://" + BUCKET + "/").length());
    List<String> names = new ArrayList<>();
    for (S3Object o :
        client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()) {
      names.add(o.key().substring(prefix.length()));
    }
    client
        .listMultipartUploadsPaginator(b -> b.bucket(BUCKET).prefix(prefix))
        .uploads()
        .forEach(u -> names.add(".upload-in-progress/" + u.key().substring(prefix.length())));
    return names;
  }

  @Override
  protected byte[] read(String location) {
    String key = location.substring(("s3://" + BUCKET + "/").length());
    return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }
}
