package dev.inlet.reliability;

import static dev.inlet.testing.TestHttpServer.versioned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Catalog;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.StateStore;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.csv.BadRowPolicy;
import dev.inlet.http.HttpSource;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.state.CatalogStateStore;
import dev.inlet.testing.Lake;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TestHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reruns skip what did not change: by listing, by conditional request, by content hash; and re-ingest what did. */
class IncrementalIngestTest {
  static final int[] YEARS = {2015, 2016, 2017, 2018, 2019, 2020};

  @TempDir
  Path lake;

  final TestHttpServer server = TestHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private void publish(int year, int version) {
    server.script(
        "/y" + year + ".csv",
        versioned(Synthetic.csv(year, version, 50), "\"" + year + "-" + version + "\""));
  }

  private Pipeline.Builder pipeline(Synthetic.CountingSink sink, StateStore state) {
    HttpSource.Builder source = HttpSource.builder();
    for (int y : YEARS) {
      source.file(server.uri("/y" + y + ".csv"), "events " + y, Map.of("year", String.valueOf(y)));
    }
    return Pipeline.builder()
        .source(source.build())
        .converter(Synthetic.converter())
        .sink(sink)
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE)
        .stateStore(state)
        .parallelism(3);
  }

  private Map<String, List<String>> expected(Map<Integer, Integer> versions) {
    Map<String, List<String>> out = new TreeMap<>();
    versions.forEach((y, v) -> out.put(String.valueOf(y), Synthetic.ids(y, v, 50)));
    return out;
  }

  @Test
  void secondIngest_ofSixUnchangedFiles_sendsConditionalRequests_andWritesNothing()
      throws Exception {
    for (int y : YEARS) {
      publish(y, 1);
    }
    Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));
    PipelineResult first = pipeline(sink, LocalStateStore.at(lake)).build().run();
    assertThat(first.succeeded()).isTrue();
    assertThat(first.skipped()).isEmpty();
    String catalogVersion =
        LocalCatalog.at(lake).loadTable(Synthetic.TABLE).orElseThrow().version();
    int requestsBefore = server.requests().size();
    Synthetic.CountingSink sink2 = new Synthetic.CountingSink(LocalWarehouse.at(lake));

    long start = System.nanoTime();
    PipelineResult second = pipeline(sink2, LocalStateStore.at(lake)).build().run();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(second.succeeded()).isTrue();
    assertThat(second.skipped())
        .hasSize(6)
        .allSatisfy(f -> assertThat(f.skipReason()).contains("not modified"));
    assertThat(second.bytesIn()).isZero();
    List<TestHttpServer.Request> rerun =
        server.requests().subList(requestsBefore, server.requests().size());
    assertThat(rerun)
        .hasSize(6)
        .allSatisfy(r -> assertThat(r.header("If-None-Match")).startsWith("\"20"));
    assertThat(sink2.stagings).hasValue(0);
    assertThat(sink2.commits).hasValue(0);
    assertThat(LocalCatalog.at(lake).loadTable(Synthetic.TABLE).orElseThrow().version())
        .isEqualTo(catalogVersion);
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    System.out.println("[measure] second ingest of 6 unchanged files (conditional GET, 304): "
        + took.toMillis() + " ms");
  }

  @Test
  void rerun_afterOneFileIsRepublished_reingestsOnlyThatFile_andTheLakeHoldsTheNewRows()
      throws Exception {
    for (int y : YEARS) {
      publish(y, 1);
    }
    pipeline(new Synthetic.CountingSink(LocalWarehouse.at(lake)), LocalStateStore.at(lake))
        .build()
        .run();
    publish(2017, 2);
    Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));

    PipelineResult rerun = pipeline(sink, LocalStateStore.at(lake)).build().run();

    assertThat(rerun.succeeded()).isTrue();
    assertThat(rerun.skipped()).hasSize(5);
    assertThat(sink.commits).hasValue(1);
    Map<Integer, Integer> versions = new TreeMap<>();
    for (int y : YEARS) {
      versions.put(y, y == 2017 ? 2 : 1);
    }
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
        .isEqualTo(expected(versions));
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id")).hasSize(6 * 50);
  }

  @Test
  void rerun_whenOnlyTheEtagChanged_downloadsButWritesNothing() throws Exception {
    publish(2015, 1);
    Pipeline.Builder one =
        pipeline(new Synthetic.CountingSink(LocalWarehouse.at(lake)), LocalStateStore.at(lake));
    for (int y : YEARS) {
      publish(y, 1);
    }
    one.build().run();
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 1, 50), "\"re-published\""));
    Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));

    PipelineResult rerun = pipeline(sink, LocalStateStore.at(lake)).build().run();

    assertThat(rerun.skipped()).hasSize(6);
    assertThat(rerun.skipped().get(0).skipReason()).contains("SHA-256");
    assertThat(rerun.bytesIn()).isEqualTo(Synthetic.csv(2015, 1, 50).length);
    assertThat(sink.commits).hasValue(0);
    // The new ETag was recorded: the next run is a 304 again.
    PipelineResult third = pipeline(sink, LocalStateStore.at(lake)).build().run();
    assertThat(third.skipped())
        .allSatisfy(f -> assertThat(f.skipReason()).contains("not modified"));
  }

  @Test
  void fullRefresh_ignoresTheState_andReplacesEveryPartition() throws Exception {
    for (int y : YEARS) {
      publish(y, 1);
    }
    pipeline(new Synthetic.CountingSink(LocalWarehouse.at(lake)), LocalStateStore.at(lake))
        .build()
        .run();
    Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));
    int before = server.requests().size();

    PipelineResult refresh =
        pipeline(sink, LocalStateStore.at(lake)).fullRefresh().build().run();

    assertThat(refresh.skipped()).isEmpty();
    assertThat(sink.commits).hasValue(6);
    assertThat(server.requests().subList(before, server.requests().size()))
        .allSatisfy(r -> assertThat(r.header("If-None-Match")).isNull());
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id")).hasSize(6 * 50);
  }

  @Test
  void changedConverterSettings_reingestEverything() throws Exception {
    for (int y : YEARS) {
      publish(y, 1);
    }
    pipeline(new Synthetic.CountingSink(LocalWarehouse.at(lake)), LocalStateStore.at(lake))
        .build()
        .run();
    Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));

    PipelineResult rerun = pipeline(sink, LocalStateStore.at(lake))
        .converter(Synthetic.converter().toBuilder().badRows(BadRowPolicy.SKIP).build())
        .build()
        .run();

    assertThat(rerun.skipped()).isEmpty();
    assertThat(sink.commits).hasValue(6);
  }

  @Test
  void catalogStateStore_skipsUnchangedFiles_fromPartitionParametersAlone() throws Exception {
    for (int y : YEARS) {
      publish(y, 1);
    }
    Catalog catalog = LocalCatalog.at(lake);
    pipeline(new Synthetic.CountingSink(LocalWarehouse.at(lake)), CatalogStateStore.of(catalog))
        .build()
        .run();
    assertThat(Files.exists(lake.resolve(LocalStateStore.STATE_DIR))).isFalse();
    Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));

    PipelineResult rerun = pipeline(sink, CatalogStateStore.of(catalog)).build().run();

    assertThat(rerun.skipped()).hasSize(6);
    assertThat(sink.stagings).hasValue(0);
  }

  @Test
  void boston311_secondIngestOfSixYears_skipsFromThePortalListing_withoutTouchingAFile()
      throws Exception {
    byte[] sample = Files.readAllBytes(Samples.file("legacy-29col-2022-jan-100rows.csv"));
    AtomicInteger served = new AtomicInteger();
    LocalCkanPortal.Builder b = LocalCkanPortal.builder().dataset("311-service-requests");
    for (int y : YEARS) {
      b.resource(
          "res-" + y,
          "311 SERVICE REQUESTS - " + y,
          "tmp" + y + ".csv",
          new LocalCkanPortal.Content() {
            @Override
            public byte[] bytes() {
              return sample;
            }

            @Override
            public java.io.InputStream open(long offset) {
              served.incrementAndGet();
              return new java.io.ByteArrayInputStream(
                  sample, (int) offset, sample.length - (int) offset);
            }

            @Override
            public long size() {
              return sample.length;
            }
          });
    }
    try (LocalCkanPortal portal = b.start()) {
      Pipeline.Builder p = Pipeline.builder()
          .source(Boston311Source.legacy()
              .portal(portal.baseUri())
              .years(2015, 2020)
              .build())
          // one sample serves several years
          .converter(Boston311.legacyConverterBuilder().noYearGuard().build())
          .catalog(LocalCatalog.at(lake))
          .table(Boston311.LEGACY_TABLE)
          .stateStore(LocalStateStore.at(lake));
      PipelineResult first = p.sink(LocalWarehouse.at(lake)).build().run();
      assertThat(first.succeeded()).isTrue();
      assertThat(served).hasValue(6);
      Synthetic.CountingSink sink = new Synthetic.CountingSink(LocalWarehouse.at(lake));

      long start = System.nanoTime();
      PipelineResult second = p.sink(sink).build().run();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(second.skipped())
          .hasSize(6)
          .allSatisfy(f -> assertThat(f.skipReason()).contains("listing shows the same version"));
      assertThat(served).as("file downloads").hasValue(6);
      assertThat(sink.stagings).hasValue(0);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      System.out.println("[measure] Boston 311 second ingest of 6 unchanged years (listing only): "
          + took.toMillis() + " ms");
    }
  }
}
