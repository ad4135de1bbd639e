package dev.inlet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What was ingested from one source file, as recorded after its last successful ingest: enough to tell, on the
 * next run, whether the source changed without downloading it.
 *
 * @param sourceId the source file's stable id ({@link dev.inlet.SourceFile#id()})
 * @param listed the version the source's listing gave (e.g. the portal's {@code last_modified} and size)
 * @param fetched the version the transport reported with the bytes (e.g. HTTP {@code ETag}, {@code Last-Modified},
 *     length); used for conditional requests
 * @param sha256 hex SHA-256 of the bytes ingested
 * @param converter the fingerprint of the converter that wrote the rows (see {@link dev.inlet.Converter#fingerprint()})
 * @param files the data files written (URIs), or partition locations when only those are known
 * @param ingestedAt when the ingest finished
 * @param rows the rows written per partition, keyed by its folder path below the table ({@code year=2023}; {@code ""}
 *     for an unpartitioned table); empty when not known (states recorded before it was kept). Without a catalog the
 *     shrink guard compares a re-publication against these.
 */
public record SourceState(
    String sourceId,
    SourceVersion listed,
    SourceVersion fetched,
    String sha256,
    String converter,
    List<String> files,
    Instant ingestedAt,
    java.util.Map<String, Long> rows) {
  /**
   * Creates the record.
   *
   * @param sourceId the source file's stable id ({@link dev.inlet.SourceFile#id()})
   * @param listed the version the source's listing gave (e.g. the portal's {@code last_modified} and size)
   * @param fetched the version the transport reported with the bytes (e.g. HTTP {@code ETag}, {@code Last-Modified},
   *     length); used for conditional requests
   * @param sha256 hex SHA-256 of the bytes ingested
   * @param converter the fingerprint of the converter that wrote the rows (see {@link
   *     dev.inlet.Converter#fingerprint()})
   * @param files the data files written (URIs), or partition locations when only those are known
   * @param ingestedAt when the ingest finished
   * @param rows the rows written per partition folder path ({@code ""} when unpartitioned); null for none known
   */
  public SourceState {
    Objects.requireNonNull(sourceId, "sourceId");
    listed = listed == null ? SourceVersion.UNKNOWN : listed;
    fetched = fetched == null ? SourceVersion.UNKNOWN : fetched;
    files = files == null ? List.of() : List.copyOf(files);
    rows = rows == null ? java.util.Map.of() : java.util.Map.copyOf(rows);
  }

  /**
   * A state without row counts, as recorded before they were kept.
   *
   * @param sourceId the source file's stable id ({@link dev.inlet.SourceFile#id()})
   * @param listed the version the source's listing gave
   * @param fetched the version the transport reported with the bytes
   * @param sha256 hex SHA-256 of the bytes ingested
   * @param converter the fingerprint of the converter that wrote the rows
   * @param files the data files written (URIs), or partition locations when only those are known
   * @param ingestedAt when the ingest finished
   */
  public SourceState(
      String sourceId,
      SourceVersion listed,
      SourceVersion fetched,
      String sha256,
      String converter,
      List<String> files,
      Instant ingestedAt) {
    this(sourceId, listed, fetched, sha256, converter, files, ingestedAt, null);
  }
}
