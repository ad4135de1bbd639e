package dev.inlet.reliability;

import dev.inlet.FileResult;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.AfterCommitSink;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker of {@link ScaleOutTest}, run in its own JVM: ingests the given Boston 311 legacy years from a portal into
 * a local warehouse and catalog, as one AWS Batch / ECS task would. Usage: {@code ScaleOutChild <warehouse>
 * <portal base URI> <year>[,<year>...]}. Prints {@code RESULT ok} and exits 0, or prints {@code RESULT failed: ...}
 * with every failure's message and exits 3.
 */
public final class ScaleOutChild {
  private ScaleOutChild() {}

  public static void main(String[] args) {
    Path warehouse = Path.of(args[0]);
    List<Integer> years = new ArrayList<>();
    for (String y : args[2].split(",")) {
      years.add(Integer.parseInt(y));
    }
    PipelineResult result = Pipeline.builder()
        .source(
            Boston311Source.legacy().portal(URI.create(args[1])).years(years).build())
        .converter(Boston311.legacyConverterBuilder()
            .noYearGuard()
            .build()) // one sample serves several years
        .sink(AfterCommitSink.jittered(LocalWarehouse.at(warehouse), 400))
        .catalog(LocalCatalog.at(warehouse))
        .table(Boston311.LEGACY_TABLE)
        .parallelism(2)
        .build()
        .run();
    if (result.succeeded()) {
      System.out.println("RESULT ok");
      System.exit(0);
    }
    StringBuilder sb = new StringBuilder("RESULT failed:");
    for (FileResult f : result.failures()) {
      sb.append(' ')
          .append(f.file().name())
          .append(": ")
          .append(f.error().getMessage())
          .append(" |");
    }
    System.out.println(sb.toString().replace('\n', ' '));
    System.exit(3);
  }
}
