package dev.inlet.state;

import dev.inlet.Catalog;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.SourceState;
import dev.inlet.SourceVersion;
import dev.inlet.StateStore;
import dev.inlet.TableId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StateStore} reading the provenance {@link Pipeline} writes into the parameters of every partition it
 * registers ({@code inlet.source.*}, {@code inlet.fetched.*}, {@code inlet.converter}): no storage of its own, so
 * the state lives and dies with the catalog entry, in Glue as in the local catalog. {@link #put} writes nothing,
 * the registration already did. A source file that wrote no partition (no rows, or an unpartitioned table) has no
 * state here and is ingested at every run. Thread-safe if the catalog is.
 */
public final class CatalogStateStore implements StateStore {
  private final Catalog catalog;

  private CatalogStateStore(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * {@return a store reading {@code catalog}'s partition parameters}
   *
   * @param catalog the catalog
   */
  public static CatalogStateStore of(Catalog catalog) {
    return new CatalogStateStore(Objects.requireNonNull(catalog, "catalog"));
  }

  @Override
  public Optional<SourceState> get(TableId table, String sourceId) {
    Map<String, String> params = null;
    List<String> locations = new ArrayList<>();
    for (Partition p : catalog.partitions(table)) {
      if (sourceId.equals(p.parameters().get(Pipeline.PARAM_SOURCE_ID))) {
        params = params == null ? p.parameters() : params;
        locations.add(p.location());
      }
    }
    if (params == null || params.get(Pipeline.PARAM_SHA256) == null) {
      return Optional.empty();
    }
    SourceVersion listed = new SourceVersion(
        params.get(Pipeline.PARAM_SOURCE_ETAG),
        instant(params.get(Pipeline.PARAM_SOURCE_LAST_MODIFIED)),
        number(params.get(Pipeline.PARAM_SOURCE_SIZE)),
        params.get(Pipeline.PARAM_SOURCE_PUBLISHED_NAME));
    SourceVersion fetched = new SourceVersion(
        params.get(Pipeline.PARAM_FETCHED_ETAG),
        instant(params.get(Pipeline.PARAM_FETCHED_LAST_MODIFIED)),
        number(params.get(Pipeline.PARAM_FETCHED_SIZE)),
        null);
    return Optional.of(new SourceState(
        sourceId,
        listed,
        fetched,
        params.get(Pipeline.PARAM_SHA256),
        params.get(Pipeline.PARAM_CONVERTER),
        locations,
        instant(params.get(Pipeline.PARAM_INGESTED_AT))));
  }

  /** Does nothing: the pipeline's registration wrote the state into the partition parameters. */
  @Override
  public void put(TableId table, SourceState state) {}

  private static Instant instant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Long number(String s) {
    try {
      return s == null ? null : Long.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "CatalogStateStore[" + catalog + "]";
  }
}
