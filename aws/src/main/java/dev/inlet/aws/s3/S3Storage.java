package dev.inlet.aws.s3;

import dev.inlet.crawler.Storage;
import dev.inlet.crawler.StoredFile;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A crawler {@link Storage} over an S3 prefix: lists with {@code ListObjectsV2} and reads byte ranges with
 * {@code GetObject} and a {@code Range} header, so crawling a Parquet file costs two small GETs (its last 8 bytes,
 * then its footer). Folder marker objects (keys ending in {@code /}) are left out. Thread-safe. The
 * {@link S3Client} is the caller's: this storage never closes it.
 */
public final class S3Storage implements Storage {
  private final S3Client client;
  private final String bucket;
  private final String prefix;

  private S3Storage(S3Client client, String bucket, String prefix) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /**
   * A storage over {@code s3://bucket/prefix}.
   *
   * @param client the SDK client to use; not closed by this object
   * @param location the S3 location ({@code s3://bucket/prefix/})
   * @throws IllegalArgumentException if {@code location} is not an {@code s3://} URI with a bucket
   * @return the S3Storage
   */
  public static S3Storage of(S3Client client, URI location) {
    Objects.requireNonNull(client, "client");
    if (!"s3".equals(location.getScheme()) || location.getHost() == null || location.getHost().isEmpty()) {
      throw new IllegalArgumentException("Invalid S3 location '" + location + "': use s3://bucket/prefix");
    }
    String path = location.getPath() == null ? "" : location.getPath();
    return new S3Storage(client, location.getHost(), trim(path));
  }

  /**
   * A storage over {@code prefix} (no leading or trailing {@code /}; empty for the whole bucket) of {@code bucket}.
   *
   * @param client the SDK client to use; not closed by this object
   * @param bucket the S3 bucket name
   * @param prefix the key prefix, empty for the whole bucket
   * @return the S3Storage
   */
  public static S3Storage of(S3Client client, String bucket, String prefix) {
    Objects.requireNonNull(client, "client");
    if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
      throw new IllegalArgumentException("Invalid bucket '" + bucket + "'");
    }
    return new S3Storage(client, bucket, trim(Objects.requireNonNull(prefix, "prefix")));
  }

  private static String trim(String p) {
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
  public List<StoredFile> list() throws IOException {
    List<StoredFile> files = new ArrayList<>();
    String p = keyPrefix();
    try {
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(p))) {
        for (S3Object o : page.contents()) {
          if (!o.key().endsWith("/") && o.key().length() > p.length()) {
            files.add(new StoredFile(o.key().substring(p.length()), o.size(), o.lastModified()));
          }
        }
      }
    } catch (SdkException e) {
      throw new IOException("Cannot list " + location() + ": " + e.getMessage()
          + "; check the bucket, the region and s3:ListBucket permission", e);
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
    String key = keyPrefix() + path;
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = client.getObjectAsBytes(r -> r.bucket(bucket).key(key)
          .range("bytes=" + position + "-" + (position + n - 1)));
    } catch (SdkException e) {
      throw new IOException("Cannot read s3://" + bucket + "/" + key + " bytes " + position + "-"
          + (position + n - 1) + ": " + e.getMessage(), e);
    }
    ByteBuffer got = bytes.asByteBuffer();
    if (got.remaining() != n) {
      throw new EOFException("Cannot read s3://" + bucket + "/" + key + ": asked for " + n + " bytes at " + position
          + " but got " + got.remaining() + " (did the object change while crawling?)");
    }
    into.put(got);
  }

  @Override
  public String toString() {
    return location();
  }
}
