package dev.inlet.reliability;

import dev.inlet.DataFile;
import dev.inlet.FileResult;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ForwardingStaging;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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
        .source(Boston311Source.legacy().portal(URI.create(args[1])).years(years).build())
        .converter(Boston311.legacyConverter())
        .sink(jittered(LocalWarehouse.at(warehouse)))
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
      sb.append(' ').append(f.file().name()).append(": ").append(f.error().getMessage()).append(" |");
    }
    System.out.println(sb.toString().replace('\n', ' '));
    System.exit(3);
  }

  /**
   * The sink with a random pause of up to 400 ms between commit and registration, as a slow catalog, a GC pause or a
   * loaded machine gives: it widens the window in which overlapping workers interleave, so that few trials cover the
   * orders that matter (an older run repointing last).
   */
  static Sink jittered(Sink delegate) {
    return new Sink() {
      @Override
      public Staging stage(TableId table, SourceFile file) throws IOException {
        return new ForwardingStaging(delegate.stage(table, file)) {
          @Override
          public List<DataFile> commit() throws IOException {
            List<DataFile> files = delegate.commit();
            try {
              Thread.sleep(ThreadLocalRandom.current().nextInt(400));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return files;
          }
        };
      }

      @Override
      public String location(TableId table) {
        return delegate.location(table);
      }
    };
  }
}
