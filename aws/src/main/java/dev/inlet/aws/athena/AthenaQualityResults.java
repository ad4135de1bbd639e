package dev.inlet.aws.athena;

import dev.inlet.Catalog;
import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.QualityResultsLayout;
import dev.inlet.sql.SqlEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The table {@code <database>.quality_results} on AWS: every {@link #save saved} run's results as one Parquet file
 * under {@code s3://bucket/prefix/quality/<database>/quality_results/run_date=YYYY-MM-DD/}, written by Inlet's own
 * Parquet writer in the layout of {@link QualityResultsLayout} (the same as a local lake's; no Athena query, so saving
 * costs nothing to scan) and registered in the catalog (Glue), so Athena queries it like any table;
 * {@link #history()} reads the earlier runs back with a {@code SELECT} through the engine (Athena), for the checks that
 * compare with the previous run.
 *
 * <p>The engine, S3 client and catalog are the caller's and stay open. Needs {@code s3:PutObject} on the prefix and
 * the Glue table and partition permissions of {@link dev.inlet.aws.glue.GlueCatalog}.
 */
public final class AthenaQualityResults {
  private final SqlEngine engine;
  private final S3Client s3;
  private final Catalog catalog;
  private final TableId id;
  private final String bucket;
  private final String tableKey;

  private AthenaQualityResults(
      SqlEngine engine, S3Client s3, Catalog catalog, URI root, String database) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(root, "root");
    if (!"s3".equals(root.getScheme()) || root.getHost() == null) {
      throw new IllegalArgumentException("Invalid lake root " + root + ": use s3://bucket/prefix");
    }
    this.id = QualityResultsLayout.table(database);
    this.bucket = root.getHost();
    String p = root.getPath() == null ? "" : root.getPath().replaceAll("^/+", "");
    this.tableKey =
        (p.isEmpty() || p.endsWith("/") ? p : p + "/") + QualityResultsLayout.tablePath(id);
  }

  /**
   * The results table of {@code database} in the lake at {@code root} ({@code s3://bucket/prefix}), registered in
   * {@code catalog} and read through {@code engine}.
   *
   * @param engine the engine that reads the table (Athena); stays the caller's
   * @param s3 the client the results are uploaded with; stays the caller's
   * @param catalog the catalog the table and its partitions are registered in (Glue)
   * @param root the lake's root, {@code s3://bucket[/prefix]}
   * @param database the database of the checked tables, and of {@code quality_results}
   * @return the results table
   * @throws IllegalArgumentException if {@code root} is not an {@code s3://bucket[/prefix]} URI
   */
  public static AthenaQualityResults of(
      SqlEngine engine, S3Client s3, Catalog catalog, URI root, String database) {
    return new AthenaQualityResults(engine, s3, catalog, root, database);
  }

  /**
   * The table's name.
   *
   * @return {@code <database>.quality_results}
   */
  public TableId id() {
    return id;
  }

  /**
   * The table's location.
   *
   * @return {@code s3://bucket/prefix/quality/<database>/quality_results/}
   */
  public String location() {
    return "s3://" + bucket + "/" + tableKey;
  }

  /**
   * Uploads {@code result} as a new object of its run date's partition (one PUT: readers see the whole file or
   * none) and registers the partition. A run without results writes nothing.
   *
   * @throws InletException if the upload fails (nothing was registered) or the catalog refuses the partition (the
   *     object stays, unreferenced by the catalog but under the partition's folder, so Athena reads it once the
   *     partition is registered)
   * @param result the run to store
   */
  public void save(QualityResult result) {
    if (result.results().isEmpty()) {
      return;
    }
    String partitionKey = tableKey + QualityResultsLayout.partitionPath(result.runAt());
    String key = partitionKey + QualityResultsLayout.fileName(result);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      QualityResultsLayout.write(result, bytes);
    } catch (IOException e) {
      throw new InletException(
          "Cannot encode the results of the run at " + result.runAt() + ": " + e.getMessage(), e);
    }
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(key).contentType("application/vnd.apache.parquet"),
          RequestBody.fromBytes(bytes.toByteArray()));
    } catch (SdkException e) {
      throw new InletException(
          "Cannot write the results of the run at " + result.runAt() + " to s3://" + bucket + "/"
              + key + ": " + e.getMessage() + "; check s3:PutObject on the lake's prefix",
          e);
    }
    catalog.register(QualityResultsLayout.registration(
        id, location(), result, "s3://" + bucket + "/" + partitionKey));
  }

  /**
   * The stored results, oldest run first, read with one {@code SELECT} through the engine; none (and no query) if
   * the catalog has no such table yet.
   *
   * @return the earlier runs' results
   * @throws dev.inlet.sql.QueryFailedException if the engine cannot read the table
   */
  public QualityHistory history() {
    if (catalog.loadTable(id).isEmpty()) {
      return QualityHistory.none();
    }
    return QualityResultsLayout.read(engine, id);
  }
}
