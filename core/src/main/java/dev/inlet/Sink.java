package dev.inlet;

import java.io.IOException;
import java.util.Map;

/**
 * Owns where data files live and when they become visible. Files are written through a {@link Staging} and
 * appear only on {@link Staging#commit()}: a local sink renames hidden temp files, an S3 sink completes multipart
 * uploads. All sinks lay files out with {@link Layout}. Implementations are thread-safe: the pipeline stages
 * several source files at once.
 *
 * <p>Implementations: {@link dev.inlet.storage.FileStoreSink} over any {@link dev.inlet.storage.FileStore}, and its
 * front doors {@link dev.inlet.local.LocalWarehouse} and {@code dev.inlet.aws.s3.S3Sink} in inlet-aws. A sink of
 * one's own passes {@code dev.inlet.contract.SinkContract} of inlet-testkit ({@code docs/extending.md}).
 */
public interface Sink {
  /**
   * Starts staging the outputs of {@code file} into {@code table}. The caller closes the staging.
   *
   * @param table the table the outputs belong to
   * @param file the source file whose outputs are staged
   * @return a new staging; nothing of it is visible before {@link Staging#commit()}
   * @throws IOException if the staging cannot be started
   */
  Staging stage(TableId table, SourceFile file) throws IOException;

  /**
   * Where {@code table}'s files live.
   *
   * @param table the table
   * @return a URI string ending in {@code /}, e.g. {@code s3://b/p/bronze/t/}
   */
  String location(TableId table);

  /**
   * Whether this sink replaces a partition's files in place, directly in the partition folder under deterministic
   * names ({@link Layout#inPlaceFilePath}), rather than in a new version folder per commit (the default, false). A
   * catalog that derives partitions from folders {@link Catalog#needsInPlaceLayout() needs} it.
   *
   * @return true if this sink writes partitions in place
   */
  default boolean replacesInPlace() {
    return false;
  }

  /**
   * Where one partition of {@code table} lives.
   *
   * @param table the table
   * @param partition the partition's key-value pairs, in partition-key order
   * @return a URI string ending in {@code /}
   */
  default String location(TableId table, Map<String, String> partition) {
    return location(table) + Layout.partitionPath(partition) + "/";
  }
}
