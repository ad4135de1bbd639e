package dev.inlet.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Layout;
import dev.inlet.Partition;
import dev.inlet.boston311.Boston311;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.local.LocalCatalog;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.Samples;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out proof on one machine: 4 worker JVMs ({@link ScaleOutChild}, one per task as on AWS Batch / ECS) start
 * at once into one local warehouse and catalog, some on the same year and some on others, over several trials, from a
 * portal on 127.0.0.1. After each trial every partition the catalog records is a folder that exists and holds all
 * the rows of its source (counted by DuckDB), no version folder is left that the catalog does not reference, and
 * every worker either succeeded or failed with the conflict message that tells it to rerun.
 */
class ScaleOutTest {
  static final int TRIALS = 5;
  /** Years of each worker; rotated at each trial so that the same-year pairs change. */
  static final String[] WORK = {"2015", "2015", "2015,2016", "2016,2017"};

  static final String CONFLICT = "another run replaced it; rerun";

  @TempDir
  Path lake;

  @Test
  void fourWorkerJvmsAtOnce_overFiveTrials_leaveEveryPartitionIntact() throws Exception {
    Path sample2015 = Samples.file(Samples.LEGACY_2015_6221);
    Path sample = Samples.file(Samples.LEGACY_2022_100);
    Map<String, Long> expected = new TreeMap<>();
    try (ConverterDuckDb duck = new ConverterDuckDb()) {
      long big = duck.count("SELECT count(*) FROM read_csv('" + sample2015 + "')");
      long small = duck.count("SELECT count(*) FROM read_csv('" + sample + "')");
      expected.put("2015", big);
      expected.put("2016", small);
      expected.put("2017", small);
    }
    int ok = 0;
    int conflicts = 0;
    LocalCkanPortal.Builder b = LocalCkanPortal.builder().dataset("311-service-requests");
    b.resource("res-2015", "311 SERVICE REQUESTS - 2015", "tmp2015.csv", sample2015);
    b.resource("res-2016", "311 SERVICE REQUESTS - 2016", "tmp2016.csv", sample);
    b.resource("res-2017", "311 SERVICE REQUESTS - 2017", "tmp2017.csv", sample);
    try (LocalCkanPortal portal = b.start()) {
      for (int trial = 0; trial < TRIALS; trial++) {
        List<Process> workers = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int w = 0; w < WORK.length; w++) {
          Path out = lake.getParent()
              .resolve("worker-" + lake.getFileName() + "-" + trial + "-" + w + ".txt");
          outs.add(out);
          workers.add(new ProcessBuilder(
                  javaBin(),
                  "-Xmx256m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ScaleOutChild.class.getName(),
                  lake.toString(),
                  portal.baseUri().toString(),
                  WORK[(w + trial) % WORK.length])
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start());
        }
        for (int w = 0; w < workers.size(); w++) {
          Process p = workers.get(w);
          if (!p.waitFor(120, TimeUnit.SECONDS)) {
            workers.forEach(Process::destroyForcibly);
            throw new AssertionError(
                "Worker " + w + " of trial " + trial + " did not finish in 120 s");
          }
          String output = Files.readString(outs.get(w), StandardCharsets.UTF_8);
          String result = output
              .lines()
              .filter(l -> l.startsWith("RESULT"))
              .reduce((a, c) -> c)
              .orElse(output);
          if (p.exitValue() == 0) {
            assertThat(result).isEqualTo("RESULT ok");
            ok++;
          } else {
            assertThat(result)
                .as("worker %d of trial %d, exit %d", w, trial, p.exitValue())
                .startsWith("RESULT failed:")
                .contains(CONFLICT);
            conflicts++;
          }
          Files.delete(outs.get(w));
        }
        assertLakeIntact(expected, trial);
      }
    }
    System.out.println("[scale-out] " + TRIALS + " trials x " + WORK.length + " worker JVMs: " + ok
        + " succeeded, " + conflicts
        + " failed with the conflict message (rerun), 0 other outcomes; every"
        + " partition intact after every trial");
    assertThat(ok + conflicts).isEqualTo(TRIALS * WORK.length);
  }

  private void assertLakeIntact(Map<String, Long> expected, int trial) throws Exception {
    List<Partition> partitions = LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE);
    assertThat(partitions)
        .extracting(p -> p.values().get(0))
        .as("partitions after trial %d", trial)
        .containsExactlyElementsOf(expected.keySet());
    List<Path> referenced = new ArrayList<>();
    try (ConverterDuckDb duck = new ConverterDuckDb()) {
      for (Partition p : partitions) {
        Path dir = Path.of(URI.create(p.location()));
        assertThat(dir).as("folder of %s after trial %d", p.values(), trial).isDirectory();
        assertThat(duck.count("SELECT count(*) FROM read_parquet('" + dir + "/*.parquet')"))
            .as("rows of %s after trial %d", p.values(), trial)
            .isEqualTo(expected.get(p.values().get(0)));
        referenced.add(dir);
      }
    }
    try (Stream<Path> all = Files.walk(lake.resolve(Layout.ZONE))) {
      List<Path> leftovers = all.filter(f -> {
            String name = f.getFileName().toString();
            return Layout.isVersionDir(name) && !referenced.contains(f) || name.startsWith(".");
          })
          .toList();
      assertThat(leftovers)
          .as("orphan version folders and hidden leftovers after trial %d", trial)
          .isEmpty();
    }
  }

  private static String javaBin() {
    return Path.of(
            System.getProperty("java.home"),
            "bin",
            "java" + (File.separatorChar == '\\' ? ".exe" : ""))
        .toString();
  }
}
