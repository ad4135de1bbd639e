package dev.inlet.state;

import dev.inlet.TableId;
import java.util.Optional;

/**
 * Remembers, per table and source file, what was ingested ({@link SourceState}), so that a rerun skips what did not
 * change. Stores are agnostic of sinks and catalogs: {@link dev.inlet.local.LocalStateStore} keeps JSON in the
 * warehouse, {@link CatalogStateStore} reads the provenance the pipeline writes into partition parameters (so it
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
}
