package dev.inlet.testkit.aws;

import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy in-process on 127.0.0.1 over an in-memory blob store, and SDK clients configured to talk to it. */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "inlet-test-access";
  public static final String SECRET_KEY = "inlet-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyServer(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public static S3ProxyServer start() throws Exception {
    BlobStoreContext context = ContextBuilder.newBuilder("transient-nio2")
        .credentials("identity", "credential")
        .overrides(new Properties())
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    return new S3ProxyServer(context, proxy);
  }

  /** A client for this server; S3Proxy cannot verify the SDK's default CRC trailers, so checksums only when required. */
  public S3Client client(ExecutionInterceptor... interceptors) {
    return client(endpoint, interceptors);
  }

  /** A client as {@link #client} but sending to {@code via} (a proxy in front of this server). */
  public S3Client client(URI via, ExecutionInterceptor... interceptors) {
    return S3Client.builder()
        .endpointOverride(via)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> List.of(interceptors).forEach(o::addExecutionInterceptor))
        .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
