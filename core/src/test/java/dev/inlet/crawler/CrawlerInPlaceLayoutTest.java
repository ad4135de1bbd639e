package dev.inlet.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.storage.LocalFileStore;
import dev.inlet.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with a sink that replaces in place, after a run with the versioned layout, and the crawler over the
 * result: one partition level, the partition folder as location, no version folder left, no duplicate rows.
 */
class CrawlerInPlaceLayoutTest {
  @TempDir
  Path lake;

  private LocalCkanPortal portal;

  @BeforeEach
  void startPortal() {
    portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(
            "aaaaaaaa-0000-0000-0000-000000002022",
            "311 SERVICE REQUESTS - 2022",
            "tmp2022.csv",
            Samples.file("legacy-29col-2022-jan-100rows.csv"))
        .start();
  }

  @AfterEach
  void stopPortal() {
    portal.close();
  }

  private void ingest(Sink sink) {
    PipelineResult r = Pipeline.builder()
        .source(Boston311Source.legacy()
            .portal(portal.baseUri())
            .years(List.of(2022))
            .build())
        .converter(Boston311.legacyConverter())
        .sink(sink)
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.LEGACY_TABLE)
        .build()
        .run();
    assertThat(r.failures()).isEmpty();
  }

  private Path partitionDir() {
    return lake.resolve(dev.inlet.Layout.tablePath(Boston311.LEGACY_TABLE)).resolve("year=2022");
  }

  @Test
  void inPlaceRun_afterVersionedRun_leavesFilesInThePartitionFolder_whichTheCrawlerTakesAsOneLevel(
      @TempDir Path emptyWarehouse) throws Exception {
    ingest(LocalWarehouse.at(lake));
    assertThat(LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE))
        .singleElement()
        .satisfies(p -> assertThat(p.location()).contains("/year=2022/v-"));

    ingest(LocalWarehouse.builder().root(lake).replaceInPlace().build());

    String folder = partitionDir().toUri().toString();
    assertThat(LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE))
        .extracting(Partition::location)
        .containsExactly(folder);
    try (Stream<Path> children = Files.list(partitionDir())) {
      assertThat(children.map(p -> p.getFileName().toString()))
          .isNotEmpty()
          .allMatch(n -> n.matches("part-[0-9a-f]{8}-\\d{5}\\.parquet"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT count(*) FROM read_parquet('" + partitionDir() + "/**/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(100);
    }

    Crawler crawler = Crawler.builder()
        .target(LocalFileStore.at(lake.resolve("bronze/boston311")))
        .tableDepth(1)
        .database(Boston311.DATABASE)
        .build();
    CrawlPlan fresh = crawler.plan(LocalCatalog.at(emptyWarehouse));
    assertThat(fresh.table(Boston311.LEGACY_TABLE).partitionKeys())
        .as(fresh.toText())
        .containsExactly("year");
    assertThat(fresh.table(Boston311.LEGACY_TABLE).partitions())
        .singleElement()
        .satisfies(p -> assertThat(p.values()).containsExactly("2022"))
        .satisfies(p -> assertThat(p.location()).isEqualTo(folder));
    CrawlPlan again = crawler.plan(LocalCatalog.at(lake));
    assertThat(again.hasChanges()).as(again.toText()).isFalse();
  }
}
