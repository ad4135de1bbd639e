package dev.inlet.examples;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.net.URI;
import java.nio.file.Path;

/**
 * The smallest useful pipeline: Boston 311 legacy years from a CKAN portal into a local lake.
 *
 * <p>Arguments: {@code [portal-url] [warehouse-dir]}; defaults: the real portal, {@code ./lake}.
 */
public final class MinimalLocalPipeline {
  private MinimalLocalPipeline() {}

  public static void main(String[] args) {
    URI portal = URI.create(args.length > 0 ? args[0] : "https://data.boston.gov");
    Path lake = Path.of(args.length > 1 ? args[1] : "lake");
    PipelineResult result = run(portal, lake);
    System.out.printf(
        "%d rows in %d file(s), %s%n",
        result.rowsOut(),
        result.files().size(),
        result.succeeded() ? "all succeeded" : result.failures().size() + " failed");
    System.exit(result.succeeded() ? 0 : 1);
  }

  /** Ingests the legacy years 2015-2020 from {@code portal} into the lake at {@code lake}. */
  public static PipelineResult run(URI portal, Path lake) {
    Pipeline pipeline = Pipeline.builder()
        .source(Boston311Source.legacy().portal(portal).years(2015, 2020).build())
        .converter(Boston311.legacyConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(TableId.of("boston311", "service_requests"))
        .build();
    return pipeline.run();
  }
}
