package dev.inlet.reliability;

import static dev.inlet.testing.TestHttpServer.versioned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.FileResult;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.SourceState;
import dev.inlet.TableRegistration;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.csv.PartitionSpec;
import dev.inlet.http.HttpSource;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Lake;
import dev.inlet.testing.TestHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shrink guard: a re-publication that would replace a partition with far fewer rows (or none) fails before
 * anything is replaced, unless allowed; a header-only re-publication is never recorded as ingested.
 */
class ShrinkGuardTest {
  @TempDir
  Path lake;

  final TestHttpServer server = TestHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private void publish(int year, int version, int rows) {
    server.script(
        "/y" + year + ".csv",
        versioned(Synthetic.csv(year, version, rows), "\"" + year + "-" + version + "\""));
  }

  private void publishHeaderOnly(int year, int version) {
    server.script(
        "/y" + year + ".csv",
        versioned(
            "id,value\n".getBytes(StandardCharsets.UTF_8), "\"" + year + "-" + version + "\""));
  }

  private Pipeline.Builder pipeline(int... years) {
    HttpSource.Builder source = HttpSource.builder();
    for (int y : years) {
      source.file(server.uri("/y" + y + ".csv"), "events " + y, Map.of("year", String.valueOf(y)));
    }
    return Pipeline.builder()
        .source(source.build())
        .converter(Synthetic.converter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE)
        .stateStore(LocalStateStore.at(lake))
        .parallelism(2);
  }

  private Map<String, List<String>> served() throws Exception {
    return Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id");
  }

  private Partition partition(String year) {
    return LocalCatalog.at(lake).partitions(Synthetic.TABLE).stream()
        .filter(p -> p.values().equals(List.of(year)))
        .findFirst()
        .orElseThrow();
  }

  /** One file whose rows fall into partitions by their {@code yr} column (as the new-system file does by year). */
  private Pipeline.Builder spanningYears() {
    return Pipeline.builder()
        .source(HttpSource.builder().file(server.uri("/span.csv"), "spanning").build())
        .converter(CsvToParquet.builder()
            .inferSchema(100)
            .partitionBy(PartitionSpec.byColumn("yr"))
            .build())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE)
        .stateStore(LocalStateStore.at(lake));
  }

  private void publishSpanning(int version, String rows) {
    server.script(
        "/span.csv",
        versioned(("id,yr\n" + rows).getBytes(StandardCharsets.UTF_8), "\"s" + version + "\""));
  }

  @Test
  void republication_thatNoLongerHasRowsForAPartitionOfItsSource_fails_unlessAllowed()
      throws Exception {
    publishSpanning(1, "1,2025\n2,2025\n3,2026\n");
    spanningYears().build().run().throwIfFailed();
    publishSpanning(2, "3,2026\n4,2026\n");

    PipelineResult rerun = spanningYears().build().run();

    assertThat(rerun.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error().getMessage())
            .contains("it would shrink partition yr=2025 from 2 rows to 0 rows")
            .contains("--allow-shrink"));
    assertThat(served())
        .containsOnly(Map.entry("2025", List.of("1", "2")), Map.entry("2026", List.of("3")));

    spanningYears().allowShrink().build().run().throwIfFailed();

    assertThat(served()).containsOnly(Map.entry("2026", List.of("3", "4")));
  }

  /** A header-only file partitioned by a column (as the new-system file) says it has no rows, not "keys differ". */
  @Test
  void headerOnlyRepublication_ofAFilePartitionedByAColumn_saysItHasNoRows_unlessAllowed()
      throws Exception {
    // a typed schema, as the new-system preset has (an inferred one would be all strings for a
    // header-only file)
    java.util.function.Supplier<Pipeline.Builder> typed = () -> spanningYears()
        .converter(CsvToParquet.builder()
            .schema(dev.inlet.Schema.of(
                dev.inlet.Column.of("id", dev.inlet.ColumnType.BIGINT),
                dev.inlet.Column.of("yr", dev.inlet.ColumnType.BIGINT)))
            .partitionBy(PartitionSpec.byColumn("yr"))
            .build());
    publishSpanning(1, "1,2025\n2,2025\n3,2026\n");
    typed.get().build().run().throwIfFailed();
    publishSpanning(2, "");

    PipelineResult rerun = typed.get().build().run();

    assertThat(rerun.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error().getMessage())
            .contains(
                "it would shrink partition yr=2025 from 2 rows to 0 rows, partition yr=2026 from 1 rows to 0 rows")
            .contains("the file has no rows to write (0 data record(s) read)")
            .doesNotContain("keys"));
    assertThat(served())
        .containsOnly(Map.entry("2025", List.of("1", "2")), Map.entry("2026", List.of("3")));

    typed.get().allowShrink().build().run().throwIfFailed();

    assertThat(served()).isEmpty();
  }

  @Test
  void register_recordsTheRowsOfEachPartition() {
    publish(2015, 1, 100);
    publish(2016, 1, 30);

    pipeline(2015, 2016).build().run().throwIfFailed();

    assertThat(partition("2015").parameters()).containsEntry(Pipeline.PARAM_ROWS, "100");
    assertThat(partition("2016").parameters()).containsEntry(Pipeline.PARAM_ROWS, "30");
  }

  @Test
  void republication_withLessThanHalfTheRows_failsBeforeCommit_andThePartitionKeepsItsRows()
      throws Exception {
    publish(2015, 1, 100);
    pipeline(2015).build().run().throwIfFailed();
    Partition before = partition("2015");
    SourceState stateBefore = LocalStateStore.at(lake)
        .get(Synthetic.TABLE, server.uri("/y2015.csv").toString())
        .orElseThrow();
    publish(2015, 2, 49);

    PipelineResult rerun = pipeline(2015).build().run();

    assertThat(rerun.succeeded()).isFalse();
    assertThat(rerun.files().get(0).status()).isEqualTo(FileResult.Status.FAILED);
    assertThat(rerun.files().get(0).error().getMessage())
        .startsWith(
            "Cannot ingest events 2015 into rel.events: it would shrink partition year=2015 from 100 rows"
                + " to 49 rows, fewer than 50 % of the rows it holds now")
        .contains("nothing was replaced")
        .contains("--allow-shrink");
    assertThat(partition("2015")).isEqualTo(before);
    assertThat(served()).containsExactly(Map.entry("2015", Synthetic.ids(2015, 1, 100)));
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id")).hasSize(100);
    assertThat(LocalStateStore.at(lake)
            .get(Synthetic.TABLE, server.uri("/y2015.csv").toString()))
        .contains(stateBefore);
    // The next run tries again (the state did not record the refused publication), and fails again.
    assertThat(pipeline(2015).build().run().failures()).hasSize(1);
  }

  @Test
  void republication_withHalfTheRows_isIngested() throws Exception {
    publish(2015, 1, 100);
    pipeline(2015).build().run().throwIfFailed();
    publish(2015, 2, 50);

    pipeline(2015).build().run().throwIfFailed();

    assertThat(served()).containsExactly(Map.entry("2015", Synthetic.ids(2015, 2, 50)));
    assertThat(partition("2015").parameters()).containsEntry(Pipeline.PARAM_ROWS, "50");
  }

  @Test
  void shrinkGuard_isConfigurable_andAllowShrinkLetsAnyShrinkThrough() throws Exception {
    publish(2015, 1, 100);
    pipeline(2015).build().run().throwIfFailed();
    publish(2015, 2, 80);

    PipelineResult strict = pipeline(2015).shrinkGuard(0.9).build().run();
    assertThat(strict.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error().getMessage())
            .contains("from 100 rows to 80 rows, fewer than 90 %"));
    assertThat(served()).containsExactly(Map.entry("2015", Synthetic.ids(2015, 1, 100)));

    publish(2015, 3, 5);
    pipeline(2015).allowShrink().build().run().throwIfFailed();
    assertThat(served()).containsExactly(Map.entry("2015", Synthetic.ids(2015, 3, 5)));
  }

  @Test
  void shrinkGuard_rejectsSharesOutsideZeroToOne() {
    for (double bad : new double[] {0, -0.5, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> Pipeline.builder().shrinkGuard(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shrinkGuard");
    }
    Pipeline.builder().shrinkGuard(1.0); // any shrink refused: allowed
  }

  @Test
  void headerOnlyRepublication_failsLoudly_recordsNoState_andFailsAgainNextRun() throws Exception {
    publish(2015, 1, 100);
    publish(2016, 1, 100);
    pipeline(2015, 2016).build().run().throwIfFailed();
    SourceState stateBefore = LocalStateStore.at(lake)
        .get(Synthetic.TABLE, server.uri("/y2015.csv").toString())
        .orElseThrow();
    publishHeaderOnly(2015, 2);

    PipelineResult rerun = pipeline(2015, 2016).build().run();

    assertThat(rerun.files())
        .extracting(FileResult::status)
        .containsExactly(FileResult.Status.FAILED, FileResult.Status.UNCHANGED);
    assertThat(rerun.failures().get(0).error().getMessage())
        .contains(
            "it would shrink partition year=2015 from 100 rows to 0 rows, the file has no rows to write (0 data"
                + " record(s) read)")
        .contains("--allow-shrink");
    assertThat(LocalStateStore.at(lake)
            .get(Synthetic.TABLE, server.uri("/y2015.csv").toString()))
        .contains(stateBefore);
    assertThat(served()).containsEntry("2015", Synthetic.ids(2015, 1, 100));
    PipelineResult again = pipeline(2015, 2016).build().run();
    assertThat(again.files())
        .extracting(FileResult::status)
        .containsExactly(FileResult.Status.FAILED, FileResult.Status.UNCHANGED);
    assertThatThrownBy(again::throwIfFailed).hasMessageContaining("events 2015");
  }

  @Test
  void headerOnlyRepublication_whenAllowed_removesThePartition_andTheNextRunIsUnchanged()
      throws Exception {
    publish(2015, 1, 100);
    publish(2016, 1, 100);
    pipeline(2015, 2016).build().run().throwIfFailed();
    publishHeaderOnly(2015, 2);

    PipelineResult allowed = pipeline(2015, 2016).allowShrink().build().run().throwIfFailed();

    assertThat(allowed.files().get(0).status()).isEqualTo(FileResult.Status.INGESTED);
    assertThat(served()).containsOnlyKeys("2016");
    assertThat(pipeline(2015, 2016).build().run().throwIfFailed().skipped()).hasSize(2);
  }

  @Test
  void partitionWithoutRowCount_skipsTheShareCheck_butZeroRowsStillFail() throws Exception {
    publish(2015, 1, 100);
    pipeline(2015).build().run().throwIfFailed();
    // As registered before inlet.rows existed (or by a crawler): no row count.
    Partition p = partition("2015");
    Map<String, String> params = new HashMap<>(p.parameters());
    params.remove(Pipeline.PARAM_ROWS);
    LocalCatalog.at(lake)
        .register(TableRegistration.builder()
            .table(Synthetic.TABLE)
            .location(LocalWarehouse.at(lake).location(Synthetic.TABLE))
            .schema(Synthetic.SCHEMA)
            .partitionKeys(List.of("year"))
            .addPartition(new Partition(p.values(), p.location(), params))
            .build());
    publishHeaderOnly(2015, 2);

    assertThat(pipeline(2015).build().run().failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error().getMessage())
            .contains("it would shrink partition year=2015 to 0 rows"));

    publish(2015, 3, 10);
    pipeline(2015).build().run().throwIfFailed();
    assertThat(served()).containsExactly(Map.entry("2015", Synthetic.ids(2015, 3, 10)));
  }
}
