package dev.inlet.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.storage.LocalFileStore;
import dev.inlet.testing.Samples;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawler over the lake the real ingestion writes from the Boston 311 samples: its plan for an empty catalog is a
 * reviewed text snapshot ({@code boston311-plan.txt}), and it agrees with the catalog the pipeline itself recorded.
 * Run with {@code -Dinlet.updateSnapshots=true} to rewrite the snapshot (then review the diff).
 */
class CrawlerBoston311Test {
  private static final String SNAPSHOT = "boston311-plan.txt";

  @TempDir
  static Path lake;

  static LocalCkanPortal portal;

  @BeforeAll
  static void ingest() {
    portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(
            "aaaaaaaa-0000-0000-0000-000000002015",
            "311 SERVICE REQUESTS - 2015",
            "tmp2015.csv",
            Samples.file("legacy-30col-2015-animal-6221rows.csv"))
        .resource(
            "aaaaaaaa-0000-0000-0000-000000002022",
            "311 SERVICE REQUESTS - 2022",
            "tmp2022.csv",
            Samples.file("legacy-29col-2022-jan-100rows.csv"))
        .resource(
            Boston311Source.NEW_SYSTEM_RESOURCE_ID,
            "311 Service Requests - NEW SYSTEM",
            "tmpnew.csv",
            Samples.file("newsystem-2025-2026-5473rows.csv"))
        .start();
    run(
        Boston311Source.legacy()
            .portal(portal.baseUri())
            .years(List.of(2015, 2022))
            .build(),
        Boston311.legacyConverter(),
        Boston311.LEGACY_TABLE);
    run(
        Boston311Source.newSystem().portal(portal.baseUri()).build(),
        Boston311.newSystemConverter(),
        Boston311.NEW_SYSTEM_TABLE);
  }

  private static void run(dev.inlet.Source source, dev.inlet.Converter converter, TableId table) {
    PipelineResult r = Pipeline.builder()
        .source(source)
        .converter(converter)
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(table)
        .build()
        .run();
    assertThat(r.failures()).isEmpty();
  }

  @AfterAll
  static void stop() {
    portal.close();
  }

  private static Crawler crawler() {
    return Crawler.builder()
        .target(LocalFileStore.at(lake.resolve("bronze/boston311")))
        .tableDepth(1)
        .database(Boston311.DATABASE)
        .build();
  }

  @Test
  void planForAnEmptyCatalog_readsLikeAReviewedDiff(@TempDir Path otherWarehouse) throws Exception {
    CrawlPlan plan = crawler().plan(LocalCatalog.at(otherWarehouse));

    String text = plan.toText()
        .replace(lake.toUri().toString(), "<lake>/")
        .replaceAll("v-([0-9a-f]{8})-[0-9A-Za-z-]+/", "v-$1-<version>/");
    Path snapshot = Path.of("src/test/resources/dev/inlet/crawler").resolve(SNAPSHOT);
    if (Boolean.getBoolean("inlet.updateSnapshots")) {
      Files.writeString(snapshot, text);
    }
    String expected;
    try (InputStream in = CrawlerBoston311Test.class.getResourceAsStream(SNAPSHOT)) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(text).isEqualTo(expected);
    assertThat(plan.table(Boston311.LEGACY_TABLE).schema()).isEqualTo(Boston311.LEGACY_SCHEMA);
    assertThat(plan.table(Boston311.NEW_SYSTEM_TABLE).schema())
        .isEqualTo(Boston311.NEW_SYSTEM_SCHEMA);
  }

  /** F3: a crawled partition records its rows (from the footers), so the shrink guard can compare with it. */
  @Test
  void crawledPartitions_recordTheRowsThePipelineRecorded(@TempDir Path otherWarehouse) {
    LocalCatalog crawled = LocalCatalog.at(otherWarehouse);
    crawler().apply(crawler().plan(crawled), crawled);
    for (TableId table : List.of(Boston311.LEGACY_TABLE, Boston311.NEW_SYSTEM_TABLE)) {
      java.util.Map<List<String>, String> expected =
          new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
      LocalCatalog.at(lake)
          .partitions(table)
          .forEach(p -> expected.put(p.values(), p.parameters().get(Pipeline.PARAM_ROWS)));
      java.util.Map<List<String>, String> actual =
          new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
      crawled
          .partitions(table)
          .forEach(p -> actual.put(p.values(), p.parameters().get(Pipeline.PARAM_ROWS)));
      assertThat(actual).isEqualTo(expected).doesNotContainValue(null);
    }
    assertThat(crawled.partitions(Boston311.LEGACY_TABLE))
        .extracting(p -> p.parameters().get(Pipeline.PARAM_ROWS))
        .containsExactlyInAnyOrder("6221", "100");
  }

  @Test
  void planAgainstThePipelinesOwnCatalog_findsNothingToChange() {
    LocalCatalog catalog = LocalCatalog.at(lake);
    Table before = catalog.loadTable(Boston311.LEGACY_TABLE).orElseThrow();

    CrawlPlan plan = crawler().plan(catalog);

    assertThat(plan.hasChanges()).as(plan.toText()).isFalse();
    assertThat(plan.conflicts()).isEmpty();
    assertThat(plan.skipped()).isEmpty();
    assertThat(plan.tables())
        .extracting(CrawlPlan.TableChange::action)
        .containsOnly(CrawlPlan.Action.UNCHANGED);
    crawler().apply(plan, catalog);
    assertThat(catalog.loadTable(Boston311.LEGACY_TABLE).orElseThrow().version())
        .isEqualTo(before.version());
  }
}
