package dev.inlet.aws.s3;

import dev.inlet.storage.FileStore;
import dev.inlet.storage.StagedOutput;
import dev.inlet.storage.StoredFile;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A {@link FileStore} over an S3 prefix: lists with {@code ListObjectsV2} (folder marker objects, keys ending in
 * {@code /}, are left out), reads byte ranges with {@code GetObject} and a {@code Range} header (crawling a Parquet
 * file costs two small GETs: its last 8 bytes, then its footer), deletes with {@code DeleteObjects} in batches of
 * 1000. A staged output streams a multipart upload, one part ({@link S3Sink#DEFAULT_PART_SIZE} unless the sink's
 * builder says) at a time; an output that closes smaller than a part is held in memory for one {@code PutObject} at
 * commit while the store holds less than one part's worth in all, else uploaded as a one-part upload. Nothing is
 * visible until commit; an abort aborts the upload, so no billed incomplete upload remains. Create-only commits send
 * {@code If-None-Match: *}. Thread-safe. The {@link S3Client} is the caller's: this store never closes it.
 */
public final class S3FileStore implements FileStore {
  private static final int DELETE_BATCH = 1000;

  enum Encryption {
    NONE,
    S3,
    KMS
  }

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final int partSize;
  private final Encryption encryption;
  private final String kmsKeyId;
  private final String expectedBucketOwner;
  private final AtomicLong held = new AtomicLong();

  S3FileStore(
      S3Client client,
      String bucket,
      String prefix,
      int partSize,
      Encryption encryption,
      String kmsKeyId,
      String expectedBucketOwner) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
    this.partSize = partSize;
    this.encryption = encryption;
    this.kmsKeyId = kmsKeyId;
    this.expectedBucketOwner = expectedBucketOwner;
  }

  /**
   * A store over {@code s3://bucket/prefix}, with the default part size and no encryption setting.
   *
   * @param client the SDK client to use; not closed by this object
   * @param location the S3 location ({@code s3://bucket/prefix/})
   * @return the store
   * @throws IllegalArgumentException if {@code location} is not an {@code s3://} URI with a bucket
   */
  public static S3FileStore of(S3Client client, URI location) {
    Objects.requireNonNull(client, "client");
    if (!"s3".equals(location.getScheme())
        || location.getHost() == null
        || location.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid S3 location '" + location + "': use s3://bucket/prefix");
    }
    String path = location.getPath() == null ? "" : location.getPath();
    return of(client, location.getHost(), path);
  }

  /**
   * A store over {@code prefix} (leading and trailing {@code /} dropped; empty for the whole bucket) of
   * {@code bucket}, with the default part size and no encryption setting.
   *
   * @param client the SDK client to use; not closed by this object
   * @param bucket the S3 bucket name
   * @param prefix the key prefix, empty for the whole bucket
   * @return the store
   * @throws IllegalArgumentException if the bucket is blank or has a {@code /}
   */
  public static S3FileStore of(S3Client client, String bucket, String prefix) {
    Objects.requireNonNull(client, "client");
    if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
      throw new IllegalArgumentException(
          "Invalid bucket '" + bucket + "': give the bucket name only");
    }
    return new S3FileStore(
        client,
        bucket,
        trim(Objects.requireNonNull(prefix, "prefix")),
        (int) S3Sink.DEFAULT_PART_SIZE,
        Encryption.NONE,
        null,
        null);
  }

  static String trim(String p) {
    String s = p;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private String keyPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + keyPrefix();
  }

  @Override
  public String location(String path) {
    return location() + path;
  }

  @Override
  public Optional<String> path(String location) {
    Objects.requireNonNull(location, "location");
    if (!location.startsWith(location())) {
      return Optional.empty();
    }
    String path = location.substring(location().length());
    return Arrays.stream(path.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))
        ? Optional.empty()
        : Optional.of(path);
  }

  @Override
  public List<StoredFile> list(String pathPrefix) throws IOException {
    List<StoredFile> files = new ArrayList<>();
    String p = keyPrefix();
    String listed = p + pathPrefix;
    try {
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(
          r -> r.bucket(bucket).prefix(listed).expectedBucketOwner(expectedBucketOwner))) {
        for (S3Object o : page.contents()) {
          if (!o.key().endsWith("/") && o.key().length() > p.length()) {
            files.add(new StoredFile(o.key().substring(p.length()), o.size(), o.lastModified()));
          }
        }
      }
    } catch (RuntimeException e) {
      throw failure("list", listed, e, false);
    }
    files.sort(Comparator.comparing(StoredFile::path));
    return files;
  }

  @Override
  public void read(String path, long position, ByteBuffer into) throws IOException {
    int n = into.remaining();
    if (n == 0) {
      return;
    }
    String key = key(path);
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = client.getObjectAsBytes(r -> r.bucket(bucket)
          .key(key)
          .expectedBucketOwner(expectedBucketOwner)
          .range("bytes=" + position + "-" + (position + n - 1)));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 416) {
        throw new EOFException("Cannot read " + uri(key) + " bytes " + position + "-"
            + (position + n - 1) + ": the object ends before");
      }
      throw failure("read bytes " + position + "-" + (position + n - 1) + " of", key, e, false);
    } catch (RuntimeException e) {
      throw failure("read bytes " + position + "-" + (position + n - 1) + " of", key, e, false);
    }
    ByteBuffer got = bytes.asByteBuffer();
    if (got.remaining() != n) {
      throw new EOFException("Cannot read " + uri(key) + ": asked for " + n + " bytes at "
          + position + " but got " + got.remaining() + " (did the object change while crawling?)");
    }
    into.put(got);
  }

  @Override
  public InputStream open(String path) throws IOException {
    String key = key(path);
    try {
      return client.getObject(
          r -> r.bucket(bucket).key(key).expectedBucketOwner(expectedBucketOwner));
    } catch (RuntimeException e) {
      throw failure("open", key, e, false);
    }
  }

  @Override
  public StagedOutput create(String path, WriteMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (path.endsWith("/")) {
      throw new IllegalArgumentException(
          "Cannot create " + path + ": it names a folder, not a file");
    }
    return new S3Output(this, path, key(path), mode == WriteMode.CREATE_ONLY);
  }

  @Override
  public void delete(Collection<String> paths) throws IOException {
    List<String> keys = new ArrayList<>(paths.size());
    paths.forEach(p -> keys.add(key(p)));
    deleteKeys(keys);
  }

  @Override
  public int deleteFolder(String folder) throws IOException {
    if (!folder.endsWith("/") || folder.equals("/")) {
      throw new IllegalArgumentException("Cannot delete folder '" + folder + "' of " + location()
          + ": give a folder below the root, ending in /");
    }
    String listed = key(folder.substring(0, folder.length() - 1)) + "/";
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object o : client
          .listObjectsV2Paginator(
              r -> r.bucket(bucket).prefix(listed).expectedBucketOwner(expectedBucketOwner))
          .contents()) {
        keys.add(o.key());
      }
    } catch (RuntimeException e) {
      throw failure("list", listed, e, false);
    }
    deleteKeys(keys);
    return keys.size();
  }

  @Override
  public String toString() {
    return location();
  }

  private void deleteKeys(List<String> keys) throws IOException {
    for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
      List<ObjectIdentifier> batch = new ArrayList<>();
      keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH))
          .forEach(k -> batch.add(ObjectIdentifier.builder().key(k).build()));
      DeleteObjectsResponse response;
      try {
        response = client.deleteObjects(r -> r.bucket(bucket)
            .expectedBucketOwner(expectedBucketOwner)
            .delete(Delete.builder().objects(batch).quiet(true).build()));
      } catch (RuntimeException e) {
        throw failure("delete", batch.get(0).key(), e, false);
      }
      if (response.hasErrors() && !response.errors().isEmpty()) {
        S3Error err = response.errors().get(0);
        throw new IOException("Cannot delete " + uri(err.key()) + " (and "
            + (response.errors().size() - 1) + " more): " + err.code() + " - " + err.message()
            + "; delete them by hand or rerun");
      }
    }
  }

  /** {@code path} below the prefix, refusing absolute paths and {@code .}/{@code ..} or empty segments. */
  private String key(String path) {
    Objects.requireNonNull(path, "path");
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty()
        || p.startsWith("/")
        || Arrays.stream(p.split("/", -1))
            .anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
      throw new IllegalArgumentException("Invalid path '" + path + "' in " + location()
          + ": use a relative path with / between folders, without empty, . or .. segments");
    }
    return keyPrefix() + path;
  }

  // ---- used by S3Output and S3Sink ----

  S3Client client() {
    return client;
  }

  String bucket() {
    return bucket;
  }

  int partSize() {
    return partSize;
  }

  String expectedBucketOwner() {
    return expectedBucketOwner;
  }

  String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** Whether an output may hold {@code bytes} in memory until commit: at most one part in all. */
  boolean reserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > partSize) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  CreateMultipartUploadRequest createMultipartUploadRequest(String key) {
    CreateMultipartUploadRequest.Builder r = CreateMultipartUploadRequest.builder()
        .bucket(bucket)
        .key(key)
        .expectedBucketOwner(expectedBucketOwner);
    if (encryption == Encryption.S3) {
      r.serverSideEncryption(ServerSideEncryption.AES256);
    } else if (encryption == Encryption.KMS) {
      r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
    }
    return r.build();
  }

  PutObjectRequest putObjectRequest(String key, long length, boolean createOnly) {
    PutObjectRequest.Builder r = PutObjectRequest.builder()
        .bucket(bucket)
        .key(key)
        .contentLength(length)
        .expectedBucketOwner(expectedBucketOwner);
    if (encryption == Encryption.S3) {
      r.serverSideEncryption(ServerSideEncryption.AES256);
    } else if (encryption == Encryption.KMS) {
      r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
    }
    if (createOnly) {
      r.ifNoneMatch("*");
    }
    return r.build();
  }

  /** Translates an SDK failure on {@code key} into an IOException that names the object and keeps the cause. */
  IOException failure(String verb, String key, RuntimeException e, boolean createOnly) {
    String uri = uri(key);
    if (e instanceof NoSuchKeyException) {
      NoSuchFileException missing = new NoSuchFileException(
          uri, null, "Cannot " + verb + " " + uri + ": there is no such object");
      missing.initCause(e);
      return missing;
    }
    if (e instanceof AwsServiceException ase) {
      int status = ase.statusCode();
      if (status == 412 && createOnly) {
        return new ObjectExistsException(
            uri,
            "Cannot " + verb + " " + uri + ": the object already exists and the sink is create-only"
                + " (If-None-Match: *); delete the object or build the sink without createOnly()",
            e);
      }
      if (status == 409 && createOnly) {
        return new IOException(
            "Cannot " + verb + " " + uri
                + ": another create-only write of the same key is in progress;"
                + " retry after it finishes",
            e);
      }
      if (status == 403) {
        return new IOException(
            "Cannot " + verb + " " + uri + ": access denied (" + reason(ase)
                + "); grant s3:PutObject,"
                + " s3:AbortMultipartUpload, s3:ListBucket and s3:DeleteObject on the prefix"
                + (expectedBucketOwner == null
                    ? ""
                    : " and check the bucket belongs to " + expectedBucketOwner),
            e);
      }
      return new IOException("Cannot " + verb + " " + uri + ": " + reason(ase), e);
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new IOException("Cannot " + verb + " " + uri + ": " + why, e);
  }

  private static String reason(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    StringBuilder sb = new StringBuilder().append("HTTP ").append(e.statusCode());
    if (code != null) {
      sb.append(' ').append(code);
    }
    if (message != null) {
      sb.append(" - ").append(message);
    }
    return sb.toString();
  }

  /**
   * The object already exists and the write is create-only. A {@link FileAlreadyExistsException} so callers can
   * tell it from other failures; {@link #getFile()} is the {@code s3://} URI.
   */
  static final class ObjectExistsException extends FileAlreadyExistsException {
    private static final long serialVersionUID = 1L;
    private final String message;

    ObjectExistsException(String uri, String message, Throwable cause) {
      super(uri);
      this.message = message;
      initCause(cause);
    }

    @Override
    public String getMessage() {
      return message;
    }
  }
}
