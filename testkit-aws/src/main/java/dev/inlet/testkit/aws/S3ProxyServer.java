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

/**
 * S3Proxy in-process on 127.0.0.1 over an in-memory blob store, and SDK clients configured to talk to it.
 *
 * <p>S3Proxy (<a href="https://github.com/gaul/s3proxy">github.com/gaul/s3proxy</a>) serves the S3 REST API over
 * jclouds' transient blob store: each {@link #start()} begins with no bucket and keeps everything in memory. It
 * serves buckets, objects (put, get, head, copy, delete), listings, multipart uploads and create-only puts
 * ({@code If-None-Match: *}, answered 412 when the object exists) with S3's answers and errors; S3Proxy's own
 * documentation says which parts of the S3 API it does not implement. It checks every request's signature (AWS
 * signature V2 or V4) against {@link #ACCESS_KEY} and {@link #SECRET_KEY}, and ignores headers it does not know.
 *
 * <p>{@link #client} builds an {@link S3Client} for it. To build one yourself (or to point a program at it through
 * its own configuration), use:
 *
 * <ul>
 *   <li>the endpoint {@link #endpoint()} ({@code http://127.0.0.1:<port>});
 *   <li>path-style addressing ({@code forcePathStyle(true)}): the bucket is in the path, not in a host name;
 *   <li>a region (the clients built here use {@code us-east-1});
 *   <li>the static credentials {@link #ACCESS_KEY} and {@link #SECRET_KEY};
 *   <li>request checksums and response checksum validation only when required
 *       ({@code RequestChecksumCalculation.WHEN_REQUIRED}, {@code ResponseChecksumValidation.WHEN_REQUIRED}):
 *       S3Proxy cannot verify the CRC trailers the SDK sends by default.
 * </ul>
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start();
 *     S3Client client = s3.client()) {
 *   client.createBucket(b -> b.bucket("lake"));
 *   // ... the code under test, given the client and the bucket
 * }
 * }</pre>
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The access key id S3Proxy accepts (e.g. for the {@code aws.accessKeyId} system property). */
  public static final String ACCESS_KEY = "inlet-test-access";

  /** The secret access key S3Proxy accepts (e.g. for the {@code aws.secretAccessKey} system property). */
  public static final String SECRET_KEY = "inlet-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyServer(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /**
   * Starts S3Proxy on 127.0.0.1 at a free port over a new, empty in-memory blob store.
   *
   * @return the running server; close it to stop it
   * @throws Exception if S3Proxy or its blob store cannot start, or the thread is interrupted while it starts
   */
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

  /**
   * A new client for this server (path style, {@code us-east-1}, the keys above); S3Proxy cannot verify the SDK's
   * default CRC trailers, so checksums only when required. The caller closes it.
   *
   * @param interceptors added to the client's configuration (e.g. one recording or altering requests)
   * @return the client
   */
  public S3Client client(ExecutionInterceptor... interceptors) {
    return client(endpoint, interceptors);
  }

  /**
   * A client as {@link #client(ExecutionInterceptor...)} but sending to {@code via} (a proxy in front of this
   * server, e.g. one injecting faults). The caller closes it.
   *
   * @param via the endpoint the client sends to
   * @param interceptors added to the client's configuration
   * @return the client
   */
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

  /**
   * Where S3Proxy listens, for a client's {@code endpointOverride}.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Stops S3Proxy and closes its blob store; the stored objects are gone.
   *
   * @throws Exception if S3Proxy fails to stop
   */
  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
