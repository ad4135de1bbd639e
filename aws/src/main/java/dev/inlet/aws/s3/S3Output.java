package dev.inlet.aws.s3;

import dev.inlet.storage.StagedOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One staged object of an {@link S3FileStore}: a multipart upload fed one part at a time, or, when it closes smaller
 * than a part and the store has room, bytes held for a single PutObject at commit. Used by one thread.
 */
final class S3Output extends StagedOutput {
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
        release();
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
      done = true;
    } catch (RuntimeException e) {
      throw abortAfter(sink.failure("upload", key, e, createOnly));
    }
    return size;
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
