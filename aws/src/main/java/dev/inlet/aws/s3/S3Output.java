package dev.inlet.aws.s3;

import dev.inlet.storage.StagedOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One staged object of an {@link S3FileStore}: a multipart upload fed one part at a time, or, when it closes smaller
 * than a part and the store has room, bytes held for a single PutObject at commit. Used by one thread.
 */
final class S3Output extends StagedOutput {
  private static final Logger LOG = LoggerFactory.getLogger(S3Output.class);
  private static final int MAX_PARTS = 10_000;
  private static final String CONTENT_TYPE = "application/octet-stream";

  /** A ByteArrayOutputStream whose array never grows past one part and can be sent without a copy. */
  private static final class Buffer extends ByteArrayOutputStream {
    private final int limit;

    Buffer(int limit) {
      super(Math.min(64 * 1024, limit));
      this.limit = limit;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      reserve(len);
      super.write(b, off, len);
    }

    @Override
    public void write(int b) {
      reserve(1);
      super.write(b);
    }

    private void reserve(int len) {
      int needed = count + len;
      if (needed > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(needed, Math.min(limit, buf.length * 2)));
      }
    }

    void digestInto(MessageDigest md5) {
      md5.update(buf, 0, count);
    }

    RequestBody body() {
      byte[] b = buf;
      int n = count;
      return RequestBody.fromContentProvider(
          () -> new ByteArrayInputStream(b, 0, n), n, CONTENT_TYPE);
    }
  }

  private final S3FileStore sink;
  private final String path;
  private final String key;
  private final boolean createOnly;
  private Buffer buffer;
  private final List<CompletedPart> parts = new ArrayList<>();
  /** The MD5 of the bytes uploaded as parts so far: the ETag some S3-compatible stores give a multipart object. */
  private final MessageDigest md5 = md5();

  private String uploadId;
  private long size;
  private boolean closed;
  private boolean held;
  private boolean failed;
  private boolean done;
  private boolean aborted;

  S3Output(S3FileStore store, String path, String key, boolean createOnly) {
    this.sink = store;
    this.path = path;
    this.key = key;
    this.createOnly = createOnly;
    this.buffer = new Buffer(store.partSize());
  }

  @Override
  public String path() {
    return path;
  }

  String key() {
    return key;
  }

  @Override
  public boolean isClosed() {
    return closed || aborted;
  }

  @Override
  public void write(int b) throws IOException {
    ensureWritable();
    buffer.write(b);
    size++;
    if (buffer.size() >= sink.partSize()) {
      uploadPart();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureWritable();
    while (len > 0) {
      int n = Math.min(len, sink.partSize() - buffer.size());
      buffer.write(b, off, n);
      size += n;
      off += n;
      len -= n;
      if (buffer.size() >= sink.partSize()) {
        uploadPart();
      }
    }
  }

  /** Does nothing: S3 takes whole parts only, and nothing is visible before commit anyway. */
  @Override
  public void flush() {}

  /**
   * Uploads what is left as the last part, or holds it for a PutObject at commit if no part was uploaded yet and
   * the staging has room. The upload stays open until commit or abort.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (failed || aborted) {
      buffer = null;
      return;
    }
    if (uploadId == null && sink.reserve(buffer.size())) {
      held = true;
      return;
    }
    if (buffer.size() > 0 || parts.isEmpty()) {
      uploadPart();
    }
    buffer = null;
  }

  /** Makes the object visible. On failure the upload is aborted. */
  @Override
  public long commit() throws IOException {
    if (failed) {
      abort();
      throw new IOException(
          "Cannot commit " + sink.uri(key) + ": writing it failed and it was aborted");
    }
    if (done || aborted) {
      throw new IllegalStateException(
          "Cannot commit " + sink.uri(key) + ": it is already " + (done ? "committed" : "aborted"));
    }
    if (!closed) {
      throw new IllegalStateException("Cannot commit " + sink.uri(key)
          + ": its output stream is still open; close every output first");
    }
    S3Client client = sink.client();
    try {
      if (held) {
        client.putObject(sink.putObjectRequest(key, buffer.size(), createOnly), buffer.body());
      } else {
        CompleteMultipartUploadRequest.Builder r = CompleteMultipartUploadRequest.builder()
            .bucket(sink.bucket())
            .key(key)
            .uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
            .expectedBucketOwner(sink.expectedBucketOwner());
        if (createOnly) {
          r.ifNoneMatch("*");
        }
        client.completeMultipartUpload(r.build());
      }
    } catch (RuntimeException e) {
      if (!outcomeUnknown(e)) {
        throw abortAfter(sink.failure("upload", key, e, createOnly));
      }
      checkItIsThisUpload(e);
    }
    done = true;
    release();
    return size;
  }

  /**
   * Whether the failed request may have made the object visible all the same: its response was lost (an I/O error,
   * a timeout, garbage), S3 answered 5xx, or the SDK's retry of a request that did complete met the completed state
   * ({@code NoSuchUpload}, or {@code 412} create-only, as the object now exists).
   */
  private boolean outcomeUnknown(RuntimeException e) {
    if (!(e instanceof AwsServiceException ase)) {
      return e instanceof SdkClientException;
    }
    int status = ase.statusCode();
    return status >= 500 || (status == 404 && !held) || (status == 412 && createOnly);
  }

  /**
   * After an outcome-unknown commit failure: returns if the object at the key is this upload (its ETag is this
   * upload's: S3's multipart ETag from the parts' ETags, or the MD5 of the content, as a single PutObject and some
   * S3-compatible stores have it), else aborts and throws a "Cannot commit" failure (for a create-only {@code 412},
   * the usual "already exists" one).
   */
  private void checkItIsThisUpload(RuntimeException e) throws IOException {
    String found;
    try {
      found = sink.client()
          .headObject(HeadObjectRequest.builder()
              .bucket(sink.bucket())
              .key(key)
              .expectedBucketOwner(sink.expectedBucketOwner())
              .build())
          .eTag();
    } catch (NoSuchKeyException missing) {
      found = null;
    } catch (RuntimeException headFailed) {
      IOException f = new IOException(
          "Cannot commit " + sink.uri(key) + ": " + reason(e)
              + "; whether S3 made it visible is unknown and checking failed (" + reason(headFailed)
              + "); the upload was aborted; check the object or rerun",
          e);
      f.addSuppressed(headFailed);
      throw abortAfter(f);
    }
    List<String> expected = expectedETags();
    if (found != null && expected.contains(unquote(found))) {
      LOG.info(
          "Committed {} although its commit failed ({}): the object there is this upload (ETag {})",
          sink.uri(key),
          reason(e),
          found);
      endUpload(); // in case an equal object was there already and this upload is still open
      return;
    }
    if (createOnly
        && e instanceof AwsServiceException ase
        && ase.statusCode() == 412
        && found != null) {
      throw abortAfter(sink.failure("upload", key, e, true));
    }
    throw abortAfter(new IOException(
        "Cannot commit " + sink.uri(key) + ": " + reason(e)
            + "; the object at the key is not this upload ("
            + (found == null ? "there is none" : "its ETag is " + found)
            + ", this upload's would be " + String.join(" or ", expected)
            + "), so it is not committed; rerun",
        e));
  }

  /** The ETags the object has if it is this upload. */
  private List<String> expectedETags() {
    List<String> etags = new ArrayList<>();
    if (held) {
      MessageDigest d = md5();
      buffer.digestInto(d);
      etags.add(HexFormat.of().formatHex(d.digest()));
      return etags;
    }
    try {
      etags.add(multipartETag(parts.stream().map(CompletedPart::eTag).toList()));
    } catch (IllegalArgumentException notMd5) {
      // a part ETag that is not an MD5 (some stores): only the content's MD5 can prove it
    }
    try {
      etags.add(HexFormat.of().formatHex(((MessageDigest) md5.clone()).digest()));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
    return etags;
  }

  /**
   * S3's ETag of a multipart object: the hex MD5 of the concatenated binary MD5s of the parts (their ETags), then
   * {@code -} and the number of parts.
   *
   * @throws IllegalArgumentException if a part's ETag is not a hex MD5
   */
  static String multipartETag(List<String> partETags) {
    MessageDigest d = md5();
    for (String etag : partETags) {
      String hex = unquote(etag);
      if (hex.length() != 32) {
        throw new IllegalArgumentException("not an MD5: " + etag);
      }
      d.update(HexFormat.of().parseHex(hex));
    }
    return HexFormat.of().formatHex(d.digest()) + "-" + partETags.size();
  }

  private static String unquote(String etag) {
    String s = etag.strip();
    if (s.startsWith("W/")) {
      s = s.substring(2);
    }
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1).toLowerCase(Locale.ROOT)
        : s.toLowerCase(Locale.ROOT);
  }

  private static String reason(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot check uploads: this JVM has no MD5", e);
    }
  }

  private void release() {
    if (held) {
      sink.release(buffer.size());
      held = false;
    }
    buffer = null;
  }

  /** Aborts the multipart upload if one is open and drops held bytes. Idempotent; a missing upload is fine. */
  @Override
  public void abort() {
    if (done) {
      return;
    }
    aborted = true;
    release();
    abortUpload();
  }

  /** Aborts the upload, if any, without failing: after its object is proven there, a left upload is only cost. */
  private void endUpload() {
    try {
      abortUpload();
    } catch (IllegalStateException e) {
      LOG.warn("{}", e.getMessage());
    }
  }

  /** Aborts the multipart upload if one is open; a missing upload is fine. */
  private void abortUpload() {
    if (uploadId == null) {
      return;
    }
    String id = uploadId;
    uploadId = null;
    try {
      sink.client()
          .abortMultipartUpload(AbortMultipartUploadRequest.builder()
              .bucket(sink.bucket())
              .key(key)
              .uploadId(id)
              .expectedBucketOwner(sink.expectedBucketOwner())
              .build());
    } catch (AwsServiceException e) {
      if (e.statusCode() != 404) {
        throw abortFailure(id, e);
      }
    } catch (RuntimeException e) {
      throw abortFailure(id, e);
    }
  }

  private IllegalStateException abortFailure(String id, RuntimeException e) {
    return new IllegalStateException(
        "Cannot abort the multipart upload " + id + " of " + sink.uri(key) + ": " + e.getMessage()
            + "; it is not visible but is billed until removed (an AbortIncompleteMultipartUpload lifecycle rule"
            + " removes it)",
        e);
  }

  private void ensureWritable() throws IOException {
    if (closed) {
      throw new IOException("Cannot write " + sink.uri(key) + ": the output is closed");
    }
    if (failed) {
      throw new IOException(
          "Cannot write " + sink.uri(key) + ": an earlier part failed and the upload was aborted");
    }
    if (aborted) {
      throw new IOException("Cannot write " + sink.uri(key) + ": its staging was aborted");
    }
  }

  private void uploadPart() throws IOException {
    S3Client client = sink.client();
    try {
      if (uploadId == null) {
        uploadId =
            client.createMultipartUpload(sink.createMultipartUploadRequest(key)).uploadId();
      }
      int partNumber = parts.size() + 1;
      if (partNumber > MAX_PARTS) {
        failed = true;
        throw abortAfter(new IOException("Cannot upload " + sink.uri(key) + ": it needs more than "
            + MAX_PARTS + " parts of " + sink.partSize() + " bytes; raise partSize"));
      }
      UploadPartResponse response = client.uploadPart(
          UploadPartRequest.builder()
              .bucket(sink.bucket())
              .key(key)
              .uploadId(uploadId)
              .partNumber(partNumber)
              .contentLength((long) buffer.size())
              .expectedBucketOwner(sink.expectedBucketOwner())
              .build(),
          buffer.body());
      parts.add(
          CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
      buffer.digestInto(md5);
      buffer.reset();
    } catch (RuntimeException e) {
      failed = true;
      throw abortAfter(sink.failure("upload", key, e, createOnly));
    }
  }

  /** Aborts after a failure; an abort failure is added to {@code failure} rather than hiding it. */
  private <T extends Exception> T abortAfter(T failure) {
    try {
      abort();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }
}
