package dev.inlet.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Layout;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Lake;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Any interleaving of ingests, re-publications and runs crashing at some step, followed by one clean run, leaves the
 * lake a clean run of the final publications would leave: through the catalog and in the folders.
 */
class InterleavingProperties {
  static final int[] YEARS = {2015, 2016};
  static final int ROWS = 30;

  /** An action: ingest (crashAt -1: no crash), or re-publish year {@code year}. */
  record Action(String kind, int year, String crashAt) {
    @Override
    public String toString() {
      return kind
          + (kind.equals("republish")
              ? " " + year
              : crashAt == null ? "" : " crashing at " + crashAt);
    }
  }

  @Provide
  Arbitrary<Action> actions() {
    return Arbitraries.oneOf(
        Arbitraries.just(new Action("ingest", 0, null)),
        Arbitraries.of(YEARS[0], YEARS[1]).map(y -> new Action("republish", y, null)),
        Arbitraries.of("open", "read", "write", "after-commit", "remove")
            .map(step -> new Action("ingest", 0, step)));
  }

  @Property(tries = 25)
  void anyInterleaving_thenACleanRun_equalsACleanRunOfTheFinalPublications(
      @ForAll @Size(max = 6) List<@net.jqwik.api.From("actions") Action> actions) throws Exception {
    Path lake = Files.createTempDirectory("interleaving");
    Map<Integer, Integer> published = new TreeMap<>();
    for (int y : YEARS) {
      published.put(y, 1);
    }
    for (Action a : actions) {
      if (a.kind().equals("republish")) {
        published.merge(a.year(), 1, Integer::sum);
      } else {
        run(lake, published, a.crashAt());
      }
    }
    PipelineResult clean = run(lake, published, null);
    assertThat(clean.succeeded()).as(String.valueOf(clean.failures())).isTrue();
    // A run never sweeps folders it did not swap out itself (an overlapping run may be about to
    // register them):
    // the folders of runs that crashed between commit and registration, or before deleting what
    // they replaced, are
    // left to the maintenance call, safe with zero age here because no run is active.
    LocalWarehouse.removeOrphans(lake, LocalCatalog.at(lake), java.time.Duration.ZERO);

    Map<String, List<String>> expected = new TreeMap<>();
    List<String> all = new ArrayList<>();
    published.forEach((y, v) -> {
      expected.put(String.valueOf(y), Synthetic.ids(y, v, ROWS));
      all.addAll(Synthetic.ids(y, v, ROWS));
    });
    all.sort(null);
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
        .isEqualTo(expected);
    assertThat(Lake.inFolders(lake.resolve(Layout.ZONE), "id")).isEqualTo(all);
  }

  private static PipelineResult run(Path lake, Map<Integer, Integer> published, String crashAt) {
    Map<Integer, Integer> snapshot = Map.copyOf(published);
    List<SourceFile> files = new ArrayList<>();
    for (int y : YEARS) {
      byte[] bytes = Synthetic.csv(y, snapshot.get(y), ROWS);
      files.add(SourceFile.builder()
          .id("mem:" + y)
          .name("events " + y)
          .partition("year", String.valueOf(y))
          .version(new SourceVersion(
              "\"" + y + "-" + snapshot.get(y) + "\"", null, (long) bytes.length, null))
          .opener(offset -> {
            if ("open".equals(crashAt)) {
              throw new IllegalStateException("injected: crash opening");
            }
            return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset) {
              @Override
              public synchronized int read(byte[] b, int off, int len) {
                if ("read".equals(crashAt) && pos > bytes.length / 2) {
                  throw new IllegalStateException("injected: crash reading");
                }
                return super.read(b, off, len);
              }
            };
          })
          .build());
    }
    Sink sink = crashAt == null
        ? LocalWarehouse.at(lake)
        : new FaultInjectionTest.FaultySink(LocalWarehouse.at(lake), step -> step.equals(crashAt));
    return Pipeline.builder()
        .source(() -> files)
        .converter(Synthetic.converter())
        .sink(sink)
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE)
        .stateStore(LocalStateStore.at(lake))
        .attempts(1)
        .parallelism(2)
        .build()
        .run();
  }
}
