/**
 * Socrata (Tyler Data &amp; Insights) portals: NYC, Chicago, San Francisco, Seattle, Los Angeles open data.
 *
 * <p>{@link dev.inlet.socrata.SocrataSource} ingests one dataset by its 4x4 id: metadata from
 * {@code /api/views/<id>.json} (name, columns and their types, {@code rowsUpdatedAt} for incremental runs), all rows
 * from the SODA 2.1 CSV export {@code /resource/<id>.csv} in one streamed request, an optional app token sent as
 * {@code X-App-Token}. {@link dev.inlet.socrata.SocrataSource#columnTypes()} maps Socrata column types to Inlet's.
 *
 * <pre>{@code
 * SocrataSource nyc311 = SocrataSource.builder()
 *     .baseUrl(URI.create("https://data.cityofnewyork.us"))
 *     .dataset("erm2-nwe9")
 *     .appToken(System.getenv("SOCRATA_APP_TOKEN"))   // optional
 *     .build();
 * }</pre>
 */
package dev.inlet.socrata;
