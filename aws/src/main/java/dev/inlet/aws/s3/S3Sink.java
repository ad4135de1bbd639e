package dev.inlet.aws.s3;

import dev.inlet.InletException;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.FileStoreSink;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A {@link Sink} writing to Amazon S3 or an S3-compatible store, with the same layout and the same staging code as the
 * local warehouse (an {@link S3FileStore} under the shared staging of {@link FileStoreSink}):
 * {@code s3://<bucket>/<prefix>/bronze/<database>/<table>/<key>=<value>/v-<source>-<version>/part-<source>-<seq>.parquet}
 * (a new version folder per commit, see {@link Layout}), or
 * {@code .../bronze/<database>/<table>/part-<source>-<seq>.parquet} for unpartitioned outputs. Tables of the older
 * layout {@code bronze/<table>/} stay readable and move partition by partition on their next ingest.
 *
 * <p>Each output streams a multipart upload: at most one part ({@link Builder#partSize(long)}) per open output is
 * held in memory, and each full part is uploaded as soon as it fills. Nothing is visible until
 * {@link Staging#commit()} completes the uploads; an output smaller than one part is kept in memory (at most one
 * part's worth per sink, shared by its stagings) and written with a single {@code PutObject} at commit. A failure while writing, an
 * {@link Staging#abort()}, or closing a staging without committing aborts every multipart upload it started, so no
 * object and no billed incomplete upload remain. A crash of the JVM can leave incomplete uploads (never visible
 * objects); an {@code AbortIncompleteMultipartUpload} lifecycle rule on the bucket cleans them up.
 *
 * <p>Commit completes outputs one after the other: S3 has no multi-object transaction, so if commit fails midway
 * the outputs completed before the failure stay visible (in a new version folder no catalog points at yet) and the
 * rest are aborted. {@link Staging#removeReplaced(java.util.Collection)}, called once the catalog was repointed by
 * compare-and-set, deletes exactly the folders it swapped out, so reruns replace and overlapping runs never delete a
 * folder the catalog references; {@link Staging#removeCommitted()} deletes a losing run's own new folder.
 * Unpartitioned outputs are replaced in place at commit. Rejected rows ({@link Staging#newRejectsOutput()}) go to {@code <table>/_rejects/}.
 *
 * <p>Two ways to replace a source's files in a partition, chosen when the sink is built:
 * <ul>
 *   <li><b>Versioned</b> (the default): a new version folder per commit, as above. A catalog that records
 *       partition locations (AWS Glue written directly with {@code GlueCatalog}) is repointed in one step, so
 *       readers through the catalog never see a mix of old and new files nor an empty partition.
 *   <li><b>In place</b> ({@link Builder#replaceInPlace()}): objects directly in the partition folder under their
 *       deterministic keys ({@link Layout#inPlaceFilePath}), for catalogs that derive partitions from folders (an
 *       AWS Glue crawler, which would take a version folder for a second partition key {@code partition_1}). Commit
 *       completes each upload over the object of the same key (atomic per object), then deletes the source's
 *       objects in those partitions with a higher sequence number; {@link Staging#removeReplaced()} deletes the
 *       source's version folders left by the versioned layout. Trade-off: while a commit runs (and after a failure
 *       in it, until the next successful run), a reader listing the partition may see a mix of old and new objects
 *       of that source; each object is always complete.
 * </ul>
 *
 * <p>Thread-safe: one sink is shared by the pipeline's threads; each {@link Staging} is used by one thread. A
 * client given to {@link Builder#client(S3Client)} is not closed by this sink; a client the sink creates itself is
 * closed by {@link #close()}.
 */
public final class S3Sink implements Sink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3Sink.class);

  /** Smallest part S3 accepts (except the last part of an upload). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** Largest part this sink buffers. */
  public static final long MAX_PART_SIZE = 1024L * 1024 * 1024;
  /** Part size used unless {@link Builder#partSize(long)} says otherwise. */
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-_]{2,254}");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

  private final S3Client client;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final S3FileStore store;
  private final FileStoreSink sink;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3Sink(Builder b, S3Client client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.store = new S3FileStore(
        client,
        b.bucket,
        b.prefix,
        (int) b.partSize,
        b.encryption,
        b.kmsKeyId,
        b.expectedBucketOwner);
    FileStoreSink.Builder sb = FileStoreSink.builder()
        .store(store)
        .writeMode(b.createOnly ? FileStore.WriteMode.CREATE_ONLY : FileStore.WriteMode.REPLACE)
        .noOrphanSweep();
    this.sink = (b.inPlace ? sb.replaceInPlace() : sb).build();
  }

  /**
   * A new builder of a {@link S3Sink}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts staging; makes no request until the first part fills or commit. */
  @Override
  public Staging stage(TableId table, SourceFile file) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(file, "file");
    if (closed.get()) {
      throw new IllegalStateException(
          "Cannot stage " + file.name() + " in " + location(table) + ": the sink is closed");
    }
    return sink.stage(table, file);
  }

  /** {@code s3://<bucket>/<prefix>/bronze/<database>/<table>/}. */
  @Override
  public String location(TableId table) {
    return sink.location(table);
  }

  /** Closes the S3 client if this sink created it; a client given to the builder stays open. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "S3Sink[s3://" + bucket + "/" + prefix + "]";
  }

  /**
   * Whether this sink replaces in place ({@link Builder#replaceInPlace()}) rather than in version folders.
   *
   * @return true if outputs replace files in place, without version folders
   */
  @Override
  public boolean replacesInPlace() {
    return sink.replacesInPlace();
  }

  /**
   * The store this sink writes through: {@code s3://<bucket>/<prefix>/}, with this sink's part size, encryption and
   * expected bucket owner.
   *
   * @return the store, open as long as the sink's client is
   */
  public S3FileStore store() {
    return store;
  }

  /**
   * The version folders ({@code s3://.../v-.../}) under this sink's {@code <prefix>/bronze/} that no partition of
   * the tables {@code catalog} lists in {@code database} references, and whose newest object is older than
   * {@code olderThan}: leftovers of runs that stopped between commit and registration (a crash, a cleanup that
   * failed). Only the partition folders of the partitions {@code catalog} records are listed (one
   * {@code ListObjectsV2} each); partitions outside this sink are ignored. Pick an age longer than any run takes
   * between commit and registration, so a running writer's new folder is kept ({@link java.time.Duration#ZERO}
   * only when no run is active). Sorted.
   *
   * @param catalog the catalog whose partitions are the referenced folders
   * @param database the database whose tables are looked at
   * @param olderThan the least age of a folder's newest object for it to count
   * @return the orphaned folders, as {@code s3://bucket/key/} URIs
   * @throws IOException if listing fails; nothing is deleted
   */
  public java.util.List<String> orphans(
      dev.inlet.Catalog catalog, String database, java.time.Duration olderThan) throws IOException {
    Objects.requireNonNull(database, "database");
    java.util.List<String> orphans = new java.util.ArrayList<>();
    sink.orphans(catalog, java.util.List.of(database), olderThan)
        .forEach(p -> orphans.add(store.location(p)));
    return orphans;
  }

  /**
   * Deletes the {@link #orphans} of {@code catalog}'s tables in {@code database}: every object under each.
   *
   * @param catalog the catalog whose partitions are the referenced folders
   * @param database the database whose tables are looked at
   * @param olderThan the least age of a folder's newest object for it to count
   * @return how many version folders were deleted
   * @throws IOException if listing or a delete fails (the folders before it are deleted)
   */
  public int removeOrphans(dev.inlet.Catalog catalog, String database, java.time.Duration olderThan)
      throws IOException {
    Objects.requireNonNull(database, "database");
    int removed = sink.removeOrphans(catalog, java.util.List.of(database), olderThan);
    if (removed > 0) {
      LOG.info(
          "Removed {} orphan version folders under {}", removed, store.location(Layout.ZONE + "/"));
    }
    return removed;
  }

  /**
   * Builds an {@link S3Sink}. {@link #bucket(String)} is required. Setters reject bad values with
   * {@link IllegalArgumentException}; {@link #build()} reports missing settings with {@link IllegalStateException}.
   */
  public static final class Builder {
    private S3Client client;
    private String bucket;
    private String prefix = "";
    private long partSize = DEFAULT_PART_SIZE;
    private S3FileStore.Encryption encryption = S3FileStore.Encryption.NONE;
    private String kmsKeyId;
    private String expectedBucketOwner;
    private boolean createOnly;
    private boolean inPlace;

    private Builder() {}

    /**
     * The client to use, configured as the caller needs (region, credentials, endpoint override, path style). The
     * sink does not close it. Without this, {@link #build()} creates a client from the default region and
     * credential chains and the sink closes it.
     *
     * @param client the SDK client to use; not closed by this object
     * @return this builder
     */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The bucket name only, e.g. {@code my-lake}; the path inside it goes to {@link #prefix(String)}.
     *
     * @param bucket the S3 bucket name
     * @return this builder
     */
    public Builder bucket(String bucket) {
      Objects.requireNonNull(bucket, "bucket");
      if (!BUCKET.matcher(bucket).matches()) {
        throw new IllegalArgumentException("Invalid bucket '" + bucket
            + "': give the bucket name only (e.g. my-lake, without s3:// or a path);"
            + " put the path in prefix(..)");
      }
      this.bucket = bucket;
      return this;
    }

    /**
     * The folder inside the bucket the lake lives under, e.g. {@code lake/dev}; leading/trailing slashes dropped.
     *
     * @param prefix the key prefix, empty for the whole bucket
     * @return this builder
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      String p = prefix;
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      if (p.contains("//") || prefix.startsWith("s3:")) {
        throw new IllegalArgumentException("Invalid prefix '" + prefix
            + "': give a path inside the bucket like lake/dev, without s3:// or empty"
            + " segments");
      }
      this.prefix = p;
      return this;
    }

    /**
     * Size of each uploaded part and the most bytes one open output holds in memory; from {@link #MIN_PART_SIZE}
     * (5 MiB) to {@link #MAX_PART_SIZE} (1 GiB), default {@link #DEFAULT_PART_SIZE} (8 MiB). S3 allows 10,000
     * parts, so one file can reach 10,000 times this size.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
        throw new IllegalArgumentException("Invalid partSize " + bytes + ": use " + MIN_PART_SIZE
            + " (5 MiB, S3's minimum) to " + MAX_PART_SIZE + " (1 GiB)");
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Asks S3 to encrypt objects with S3-managed keys (SSE-S3, {@code AES256}).
     *
     * @return this builder
     */
    public Builder serverSideEncryptionS3() {
      this.encryption = S3FileStore.Encryption.S3;
      this.kmsKeyId = null;
      return this;
    }

    /**
     * Asks S3 to encrypt objects with the account's AWS-managed KMS key for S3 (SSE-KMS, {@code aws/s3}).
     *
     * @return this builder
     */
    public Builder serverSideEncryptionKms() {
      this.encryption = S3FileStore.Encryption.KMS;
      this.kmsKeyId = null;
      return this;
    }

    /**
     * Asks S3 to encrypt objects with the given KMS key (SSE-KMS): a key id, key ARN or alias ARN.
     *
     * @param kmsKeyId the KMS key id, alias or ARN
     * @return this builder
     */
    public Builder serverSideEncryptionKms(String kmsKeyId) {
      Objects.requireNonNull(kmsKeyId, "kmsKeyId");
      if (kmsKeyId.isBlank()) {
        throw new IllegalArgumentException(
            "Invalid KMS key id '': give a key id, key ARN or alias ARN, or call serverSideEncryptionKms()"
                + " for the AWS-managed key");
      }
      this.encryption = S3FileStore.Encryption.KMS;
      this.kmsKeyId = kmsKeyId;
      return this;
    }

    /**
     * Makes every request fail (HTTP 403) unless the bucket belongs to this 12-digit AWS account id.
     *
     * @param accountId the 12-digit AWS account id that must own the bucket
     * @return this builder
     */
    public Builder expectedBucketOwner(String accountId) {
      Objects.requireNonNull(accountId, "accountId");
      if (!ACCOUNT_ID.matcher(accountId).matches()) {
        throw new IllegalArgumentException(
            "Invalid expected bucket owner '" + accountId + "': give the 12-digit AWS account id");
      }
      this.expectedBucketOwner = accountId;
      return this;
    }

    /**
     * Never overwrites an object: commit sends {@code If-None-Match: *}, and fails with a
     * {@link FileAlreadyExistsException} naming the object when it already exists (the existing object is kept).
     * Reruns of the same source file then fail instead of replacing.
     *
     * @return this builder
     */
    public Builder createOnly() {
      this.createOnly = true;
      return this;
    }

    /**
     * Writes partitioned objects directly in the partition folder under deterministic keys and replaces them there,
     * instead of in a new version folder per commit: for an AWS Glue crawler or anything deriving partitions from
     * folders. Readers listing a partition may briefly see a mix of old and new objects of one source during a
     * commit; see the class documentation.
     *
     * @return this builder
     */
    public Builder replaceInPlace() {
      this.inPlace = true;
      return this;
    }

    /**
     * @throws IllegalStateException if the bucket is missing
     * @throws InletException if no client was given and the default one cannot be created
     * @return the S3Sink
     */
    public S3Sink build() {
      if (bucket == null) {
        throw new IllegalStateException(
            "Cannot build S3Sink: bucket is missing; call bucket(\"my-bucket\")");
      }
      if (client != null) {
        return new S3Sink(this, client, false);
      }
      S3Client created;
      try {
        created = S3Client.create();
      } catch (SdkException e) {
        throw new InletException(
            "Cannot build S3Sink for s3://" + bucket + ": the default S3 client cannot be created ("
                + e.getMessage()
                + "); set AWS_REGION and credentials, or pass a configured client with client(..)",
            e);
      }
      LOG.debug("Created default S3 client for s3://{}", bucket);
      return new S3Sink(this, created, true);
    }
  }
}
