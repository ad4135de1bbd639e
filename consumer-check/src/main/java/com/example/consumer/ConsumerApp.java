package com.example.consumer;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.nio.file.Path;
import java.util.Map;

/** The README's library snippet with a source and a sink of one's own: CSV in memory to a local lake. */
public final class ConsumerApp {
  private ConsumerApp() {}

  /** Ingests {@code csvByYear} into table {@code consumer.payments} of {@code lake} through {@code sink}. */
  public static PipelineResult run(Map<String, String> csvByYear, Path lake, CountingSink sink) {
    return Pipeline.builder()
        .source(new InMemoryCsvSource(csvByYear))
        .converter(CsvToParquet.create())
        .sink(sink)
        .catalog(LocalCatalog.at(lake))
        .table(TableId.of("consumer", "payments"))
        .build()
        .run();
  }

  /** {@link #run} into a {@link CountingSink} over a {@link LocalWarehouse} at {@code lake}. */
  public static CountingSink sinkAt(Path lake) {
    return new CountingSink(LocalWarehouse.at(lake));
  }
}
