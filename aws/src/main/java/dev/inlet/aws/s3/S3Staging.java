package dev.inlet.aws.s3;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The outputs of one source file in an {@link S3Sink}. Used by one thread. */
final class S3Staging implements Staging {
  private static final Logger LOG = LoggerFactory.getLogger(S3Staging.class);
  private static final int DELETE_BATCH = 1000;

  private enum State {
    OPEN,
    COMMITTED,
    ABORTED
  }

  private final S3Sink sink;
  private final TableId table;
  private final String sourceId;
  private final String version = Layout.newVersion();
  private final List<S3Output> outputs = new ArrayList<>();
  private final Map<String, Integer> nextSeq = new HashMap<>();
  private S3Output rejects;
  private long reserved;
  private State state = State.OPEN;

  S3Staging(S3Sink sink, TableId table, String sourceId) {
    this.sink = sink;
    this.table = table;
    this.sourceId = sourceId;
  }

  @Override
  public OutputStream newOutput(Map<String, String> partition) {
    Objects.requireNonNull(partition, "partition");
    requireOpen("open an output for");
    Map<String, String> values = new LinkedHashMap<>(partition);
    String dir = partitionKey(values);
    int seq = nextSeq.merge(dir, 1, Integer::sum) - 1;
    String path = sink.replacesInPlace() ? Layout.inPlaceFilePath(values, sourceId, seq)
        : Layout.dataFilePath(values, sourceId, version, seq);
    S3Output out = new S3Output(sink, this, values, sink.tableKey(table) + "/" + path);
    outputs.add(out);
    return out;
  }

  @Override
  public OutputStream newRejectsOutput() {
    requireOpen("open the rejects output for");
    if (rejects != null) {
      throw new IllegalStateException("Cannot open a second rejects output for " + sourceId);
    }
    rejects = new S3Output(sink, this, Map.of(), sink.tableKey(table) + "/" + Layout.rejectsPath(sourceId));
    return rejects;
  }

  /** Whether an output may hold {@code bytes} in memory until commit: at most one part per staging in all. */
  boolean reserve(long bytes) {
    if (reserved + bytes > sink.partSize()) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  @Override
  public List<DataFile> commit() throws IOException {
    requireOpen("commit");
    List<S3Output> all = all();
    for (S3Output o : all) {
      if (!o.isClosed()) {
        throw new IllegalStateException(
            "Cannot commit " + sink.uri(o.key()) + ": its output stream is still open; close every output first");
      }
      if (o.failed()) {
        abort();
        throw new IOException("Cannot commit " + sink.uri(o.key()) + ": writing it failed and it was aborted");
      }
    }
    List<DataFile> files = new ArrayList<>(outputs.size());
    try {
      for (S3Output o : outputs) {
        files.add(o.complete());
      }
      if (rejects != null) {
        rejects.complete();
      }
    } catch (IOException | RuntimeException e) {
      abortRest(e);
      deleteCompletedVersioned(files, e);
      throw e;
    }
    state = State.COMMITTED;
    // Outputs replaced in place (all in that mode, else unpartitioned ones): drop the source's files past the new
    // ones now.
    deleteStale(true);
    LOG.debug("Committed {} files of {} to {}", files.size(), sourceId, sink.location(table));
    return files;
  }

  @Override
  public void abort() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    RuntimeException first = null;
    for (S3Output o : all()) {
      try {
        o.abort();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() {
    abort();
  }

  @Override
  public void removeReplaced() throws IOException {
    if (state != State.COMMITTED) {
      throw new IllegalStateException("Cannot remove the files replaced by " + sourceId + " in "
          + sink.location(table) + ": the staging is not committed");
    }
    deleteStale(false);
  }

  /**
   * {@inheritDoc}
   *
   * <p>For each replaced location in this sink's bucket: a version folder of this source (not this commit's) loses
   * every object under it; a partition folder of the in-place layout loses this source's objects in it other than the
   * ones this commit wrote. Nothing else is listed or deleted, so a folder another run committed and is registering
   * stays, and nothing outside this sink's {@code <prefix>/bronze/} is ever deleted (a catalog may name folders of
   * another environment). Version folders of runs that crashed between commit and registration stay too
   * (unreferenced, invisible through the catalog): {@link S3Sink#removeOrphans} deletes them.
   */
  @Override
  public void removeReplaced(java.util.Collection<String> replaced) throws IOException {
    if (state != State.COMMITTED) {
      throw new IllegalStateException("Cannot remove the files replaced by " + sourceId + " in "
          + sink.location(table) + ": the staging is not committed");
    }
    String bucketUri = "s3://" + sink.bucket() + "/";
    Set<String> written = new HashSet<>();
    Set<String> own = new HashSet<>();
    for (S3Output o : outputs) {
      written.add(o.key());
      if (!o.partition().isEmpty() && !sink.replacesInPlace()) {
        own.add(partitionKey(o.partition()) + Layout.versionDir(sourceId, version) + "/");
      }
    }
    for (String location : replaced) {
      if (!location.startsWith(bucketUri) || !location.endsWith("/")) {
        LOG.warn("Not removing replaced {}: not a folder of {}", location, bucketUri);
        continue;
      }
      String dir = location.substring(bucketUri.length());
      String name = dir.substring(dir.lastIndexOf('/', dir.length() - 2) + 1, dir.length() - 1);
      if (own.contains(dir)) {
        continue;
      }
      if (!sink.inZone(dir)) {
        // E.g. a catalog copied from another environment still naming its folders: never delete those.
        LOG.warn("Not removing replaced {}: it is outside this sink ({})", location, sink.uri(sink.zoneKey()));
        continue;
      }
      List<String> stale = new ArrayList<>();
      if (Layout.isVersionDir(name) && name.startsWith(Layout.versionDirPrefix(sourceId))) {
        list(dir).forEach(stale::add);
      } else if (!Layout.isVersionDir(name)) {
        list(dir + Layout.filePrefix(sourceId)).stream().filter(k -> !written.contains(k)
            && k.indexOf('/', dir.length()) < 0).forEach(stale::add);
      } else {
        LOG.warn("Not removing replaced {}: not a folder of source {}", location, sourceId);
      }
      delete(stale, "replaced by this commit");
    }
  }

  /** {@inheritDoc} Deletes the objects this commit completed into its own version folders. */
  @Override
  public void removeCommitted() throws IOException {
    if (state != State.COMMITTED) {
      throw new IllegalStateException("Cannot remove the files committed by " + sourceId + " in "
          + sink.location(table) + ": the staging is not committed");
    }
    List<String> keys = new ArrayList<>();
    if (!sink.replacesInPlace()) {
      for (S3Output o : outputs) {
        if (!o.partition().isEmpty()) {
          keys.add(o.key());
        }
      }
    }
    delete(keys, "committed by this run but refused by the catalog");
  }

  private List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object obj : sink.client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(sink.bucket())
          .prefix(prefix).expectedBucketOwner(sink.expectedBucketOwner()).build()).contents()) {
        keys.add(obj.key());
      }
    } catch (RuntimeException e) {
      throw sink.failure("list files under", prefix, e);
    }
    return keys;
  }

  private void delete(List<String> keys, String why) throws IOException {
    for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
      List<ObjectIdentifier> batch = new ArrayList<>();
      keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH))
          .forEach(k -> batch.add(ObjectIdentifier.builder().key(k).build()));
      DeleteObjectsResponse response;
      try {
        response = sink.client().deleteObjects(r -> r.bucket(sink.bucket())
            .expectedBucketOwner(sink.expectedBucketOwner())
            .delete(Delete.builder().objects(batch).quiet(true).build()));
      } catch (RuntimeException e) {
        throw sink.failure("delete file " + why, batch.get(0).key(), e);
      }
      if (response.hasErrors() && !response.errors().isEmpty()) {
        S3Error err = response.errors().get(0);
        throw new IOException("Cannot delete " + sink.uri(err.key()) + " (and " + (response.errors().size() - 1)
            + " more) " + why + ": " + err.code() + " - " + err.message() + "; delete them by hand or rerun");
      }
    }
  }

  private List<S3Output> all() {
    List<S3Output> all = new ArrayList<>(outputs);
    if (rejects != null) {
      all.add(rejects);
    }
    return all;
  }

  private void abortRest(Exception failure) {
    try {
      abort();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * After a commit failed part-way: deletes the objects already completed into this staging's own version folders,
   * which nothing points at yet. Objects replaced in place cannot be taken back.
   */
  private void deleteCompletedVersioned(List<DataFile> completed, Exception failure) {
    for (DataFile f : completed) {
      String key = f.location().substring(("s3://" + sink.bucket() + "/").length());
      if (f.partition().isEmpty() || sink.replacesInPlace()) {
        continue;
      }
      try {
        sink.client().deleteObject(r -> r.bucket(sink.bucket()).key(key)
            .expectedBucketOwner(sink.expectedBucketOwner()));
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private String partitionKey(Map<String, String> partition) {
    String path = Layout.partitionPath(partition);
    return sink.tableKey(table) + "/" + (path.isEmpty() ? "" : path + "/");
  }

  /**
   * Deletes this source's files that this commit did not write. At commit: in the folders replaced in place (the
   * table folder for unpartitioned outputs; every partition written in the in-place mode). After the catalog moved
   * ({@code atCommit} false), in the partitions written: older version folders, and in the versioned mode files of
   * the in-place layout.
   */
  private void deleteStale(boolean atCommit) throws IOException {
    Set<String> written = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    Set<String> ownVersionDirs = new HashSet<>();
    boolean inPlace = sink.replacesInPlace();
    for (S3Output o : outputs) {
      written.add(o.key());
      String dir = partitionKey(o.partition());
      boolean partitioned = !o.partition().isEmpty();
      if (atCommit ? inPlace || !partitioned : partitioned) {
        if (atCommit || !inPlace) {
          prefixes.add(dir + Layout.filePrefix(sourceId));
        }
        if (!atCommit) {
          prefixes.add(dir + Layout.versionDirPrefix(sourceId));
          ownVersionDirs.add(dir + Layout.versionDir(sourceId, version) + "/");
        }
      }
    }
    List<ObjectIdentifier> stale = new ArrayList<>();
    for (String prefix : prefixes) {
      try {
        for (S3Object obj :
            sink.client()
                .listObjectsV2Paginator(
                    ListObjectsV2Request.builder()
                        .bucket(sink.bucket())
                        .prefix(prefix)
                        .expectedBucketOwner(sink.expectedBucketOwner())
                        .build())
                .contents()) {
          if (!written.contains(obj.key()) && !newerVersion(obj.key(), ownVersionDirs)) {
            stale.add(ObjectIdentifier.builder().key(obj.key()).build());
          }
        }
      } catch (RuntimeException e) {
        throw sink.failure("list stale files under", prefix, e);
      }
    }
    for (int i = 0; i < stale.size(); i += DELETE_BATCH) {
      List<ObjectIdentifier> batch = stale.subList(i, Math.min(stale.size(), i + DELETE_BATCH));
      DeleteObjectsResponse response;
      try {
        response =
            sink.client()
                .deleteObjects(
                    r ->
                        r.bucket(sink.bucket())
                            .expectedBucketOwner(sink.expectedBucketOwner())
                            .delete(Delete.builder().objects(batch).quiet(true).build()));
      } catch (RuntimeException e) {
        throw sink.failure("delete stale file", batch.get(0).key(), e);
      }
      if (response.hasErrors() && !response.errors().isEmpty()) {
        S3Error err = response.errors().get(0);
        throw new IOException(
            "Cannot delete stale file " + sink.uri(err.key()) + " (and " + (response.errors().size() - 1)
                + " more) replaced by this commit: " + err.code() + " - " + err.message()
                + "; the new files are committed, delete the stale ones or rerun");
      }
    }
  }

  /**
   * Whether {@code key} lies in a version folder of this source newer than this staging's (names sort by their UTC
   * time): it belongs to a run that overlapped this one and may be what the catalog points at now.
   */
  private boolean newerVersion(String key, Set<String> ownVersionDirs) {
    for (String own : ownVersionDirs) {
      String prefix = own.substring(0, own.length() - Layout.versionDir(sourceId, version).length() - 1)
          + Layout.versionDirPrefix(sourceId);
      if (key.startsWith(prefix)) {
        return key.compareTo(own) > 0;
      }
    }
    return false;
  }

  private void requireOpen(String verb) {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          "Cannot " + verb + " " + sourceId + " in " + sink.location(table) + ": the staging is already "
              + state.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
