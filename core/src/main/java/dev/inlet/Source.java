package dev.inlet;

import java.io.IOException;
import java.util.List;

/**
 * Lists the {@link SourceFile}s to ingest. Listing is cheap: it reads metadata only (a portal API call, a
 * directory listing), never the files' bytes. A source knows nothing of Parquet, sinks or catalogs; it retries and
 * resumes its own transport.
 *
 * <p>Implementations are immutable configuration and thread-safe; each call opens and closes what it needs.
 *
 * <p>Implementations: {@link dev.inlet.http.HttpSource} (plain URLs), {@link dev.inlet.ckan.CkanSource}, {@link
 * dev.inlet.socrata.SocrataSource}, {@link dev.inlet.boston311.Boston311Source}. Writing one: {@code docs/extending.md}.
 */
@FunctionalInterface
public interface Source {
  /**
   * Lists the source files, in a stable order.
   *
   * @return the source files, without reading their data
   * @throws IOException if the listing cannot be read
   * @throws SourceUnavailableException if the source answered, but not with a usable listing
   */
  List<SourceFile> list() throws IOException;
}
