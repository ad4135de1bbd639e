package dev.inlet.reliability;

import static dev.inlet.testing.TestHttpServer.versioned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.http.HttpSource;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Lake;
import dev.inlet.testing.TestHttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store is trusted only while the catalog serves what it records: a lost, truncated or partial catalog, or
 * a missing partition folder, never leaves a run reporting "unchanged" over data the catalog cannot serve.
 */
class SelfHealingStateTest {
  static final int[] YEARS = {2015, 2016, 2017};

  @TempDir
  Path lake;

  final TestHttpServer server = TestHttpServer.start();

  @BeforeEach
  void publish() {
    for (int y : YEARS) {
      server.script("/y" + y + ".csv", versioned(Synthetic.csv(y, 1, 40), "\"" + y + "-1\""));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private PipelineResult run() {
    HttpSource.Builder source = HttpSource.builder();
    for (int y : YEARS) {
      source.file(server.uri("/y" + y + ".csv"), "events " + y, Map.of("year", String.valueOf(y)));
    }
    return Pipeline.builder()
        .source(source.build())
        .converter(Synthetic.converter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE)
        .stateStore(LocalStateStore.at(lake))
        .parallelism(2)
        .build()
        .run();
  }

  private Map<String, List<String>> all() {
    Map<String, List<String>> out = new TreeMap<>();
    for (int y : YEARS) {
      out.put(String.valueOf(y), Synthetic.ids(y, 1, 40));
    }
    return out;
  }

  private Map<String, List<String>> served() throws Exception {
    return Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id");
  }

  private Path catalogFile() {
    return LocalCatalog.at(lake).tableFile(Synthetic.TABLE);
  }

  @Test
  void catalogFileDeleted_theNextRunIngestsAgain_insteadOfReportingUnchanged() throws Exception {
    assertThat(run().succeeded()).isTrue();
    Files.delete(catalogFile());

    PipelineResult rerun = run();

    assertThat(rerun.succeeded()).isTrue();
    assertThat(rerun.skipped()).isEmpty();
    assertThat(served()).isEqualTo(all());
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id"))
        .hasSize(3 * 40); // old versions removed
    assertThat(run().skipped()).hasSize(3); // healed: the run after is unchanged again
  }

  @Test
  void onePartitionMissingFromTheCatalog_onlyThatFileIsIngestedAgain() throws Exception {
    assertThat(run().succeeded()).isTrue();
    LocalCatalog.at(lake).removePartitions(Synthetic.TABLE, List.of(List.of("2016")));

    PipelineResult rerun = run();

    assertThat(rerun.succeeded()).isTrue();
    assertThat(rerun.skipped()).hasSize(2);
    assertThat(rerun.files())
        .filteredOn(f -> !f.skipped())
        .singleElement()
        .satisfies(f -> assertThat(f.file().name()).isEqualTo("events 2016"));
    assertThat(served()).isEqualTo(all());
  }

  @Test
  void partitionFolderDeleted_theNextRunIngestsThatFileAgain() throws Exception {
    assertThat(run().succeeded()).isTrue();
    Path folder = Path.of(
        URI.create(LocalCatalog.at(lake).partitions(Synthetic.TABLE).get(0).location()));
    deleteTree(folder);

    PipelineResult rerun = run();

    assertThat(rerun.succeeded()).isTrue();
    assertThat(rerun.skipped()).hasSize(2);
    assertThat(served()).isEqualTo(all());
  }

  @Test
  void catalogFileTruncated_failsNamingTheFile_andFollowingTheHintHeals() throws Exception {
    assertThat(run().succeeded()).isTrue();
    byte[] json = Files.readAllBytes(catalogFile());
    Files.write(catalogFile(), java.util.Arrays.copyOf(json, json.length / 2));

    PipelineResult broken = run();

    assertThat(broken.succeeded()).isFalse();
    assertThat(broken.skipped()).isEmpty();
    assertThat(broken.failures())
        .hasSize(3)
        .allSatisfy(f -> assertThat(f.error().getMessage())
            .contains("Cannot read catalog entry " + catalogFile())
            .contains("delete the file"));
    // The hint: delete the file. The next run re-ingests and registers everything.
    Files.delete(catalogFile());
    PipelineResult healed = run();
    assertThat(healed.succeeded()).isTrue();
    assertThat(healed.skipped()).isEmpty();
    assertThat(served()).isEqualTo(all());
  }

  @Test
  void stateFileDamaged_failsNamingTheFile_andFollowingTheHintHeals() throws Exception {
    assertThat(run().succeeded()).isTrue();
    Path state = LocalStateStore.at(lake).stateFile(Synthetic.TABLE);
    Files.write(state, "{\"sources\": {".getBytes(StandardCharsets.UTF_8));

    PipelineResult broken = run();

    assertThat(broken.failures())
        .hasSize(3)
        .allSatisfy(f -> assertThat(f.error().getMessage())
            .contains("Cannot read ingest state " + state + " at line 1, column ")
            .contains("delete the file"));
    assertThat(served()).isEqualTo(all()); // a failed state read changes nothing
    Files.delete(state);
    PipelineResult healed = run();
    assertThat(healed.succeeded()).isTrue();
    assertThat(served()).isEqualTo(all());
    assertThat(run().skipped()).hasSize(3);
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
