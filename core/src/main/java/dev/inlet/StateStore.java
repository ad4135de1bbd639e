package dev.inlet;

import java.util.List;
import java.util.Optional;

/**
 * Remembers, per table and source file, what was ingested ({@link SourceState}), so that a rerun skips what did not
 * change. Stores are agnostic of sinks and catalogs: {@link dev.inlet.local.LocalStateStore} keeps JSON in the
 * warehouse, {@link dev.inlet.state.CatalogStateStore} reads the provenance the pipeline writes into partition parameters (so it
 * works with any catalog, Glue included).
 *
 * <p>A state is written only after the source file's data is committed and registered; losing it costs a
 * re-download, never data. Implementations are thread-safe. Failures are {@link dev.inlet.InletException}s.
 */
public interface StateStore {
  /**
   * {@return the state of {@code sourceId} in {@code table}, or empty if it was never ingested (or the state was lost)}
   *
   * @param table the table written
   * @param sourceId the source file's id
   */
  Optional<SourceState> get(TableId table, String sourceId);

  /**
   * Records {@code state} for {@code table}, replacing the state of the same source.
   *
   * @param table the table written
   * @param state what was seen of the source
   */
  void put(TableId table, SourceState state);

  /**
   * {@return the state of every source of {@code table}} Without a catalog ({@link dev.inlet.Catalog#none()}) this is
   * all the pipeline knows of which source wrote which partition, so that the guards that need it (a partition holds
   * one source; a source that no longer writes a partition shrinks it) and the removal of replaced files work. The
   * default is empty, for stores that cannot list: {@link dev.inlet.Pipeline} then refuses {@code Catalog.none()}.
   *
   * @param table the table written
   */
  default List<SourceState> all(TableId table) {
    return List.of();
  }

  /** {@return whether {@link #all(TableId)} lists every source} The default is false. */
  default boolean listsSources() {
    return false;
  }
}
