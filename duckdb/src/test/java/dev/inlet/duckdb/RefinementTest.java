package dev.inlet.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Catalog;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Checks;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.local.LocalCatalog;
import dev.inlet.quality.Check;
import dev.inlet.quality.PublishGate;
import dev.inlet.quality.PublishRefusedException;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.silver.Refinement;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.SqlDialect;
import dev.inlet.testing.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioned, incremental silver commits of {@code boston311.requests} on DuckDB over the real samples. */
class RefinementTest {
  @TempDir
  Path lake;

  LocalCatalog catalog;
  DuckDbEngine engine;

  @BeforeEach
  void bronze() throws Exception {
    Boston311SilverTest.legacy(
        lake,
        List.of(
            Boston311SilverTest.sample(
                "2015", Samples.LEGACY_2015_6221, "2024-05-01T12:00:00Z", "tmphrybkxuh.csv"),
            Boston311SilverTest.sample(
                "2022",
                Samples.LEGACY_2022_100,
                "2022-02-01T12:00:00Z",
                "311_service_requests_2022.csv")));
    Boston311SilverTest.newSystem(
        lake,
        List.of(Boston311SilverTest.sample(
            null, Samples.NEW_SYSTEM_5473, "2026-01-10T00:00:00Z", "new_system.csv")));
    catalog = LocalCatalog.at(lake);
    engine = DuckDbEngine.create();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  Refinement refinement(Catalog c, boolean full) {
    return Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, lake))
        .catalog(c)
        .table(Boston311Silver.requests())
        .fullRefresh(full)
        .build();
  }

  @Test
  void firstRunBuildsEveryYearAsVersionedPartitionsTheViewsRead() {
    Refinement.TableResult r = refinement(catalog, false).run().get(0);

    long expected = count("SELECT count(*) FROM (" + select() + ")");
    assertThat(r.rows()).isEqualTo(expected).isEqualTo(6221 + 100 + 5473 - duplicates());
    assertThat(r.rebuilt()).contains(List.of("2015"), List.of("2022")).doesNotHaveDuplicates();
    Table t = catalog.loadTable(Boston311Silver.REQUESTS).orElseThrow();
    assertThat(t.partitionKeys()).extracting(c -> c.name()).containsExactly("year");
    assertThat(t.schema().names())
        .contains("case_id", "opened_at", "input_table", "input_partition")
        .doesNotContain("year");
    for (Partition p : catalog.partitions(Boston311Silver.REQUESTS)) {
      assertThat(p.location())
          .matches(".*/silver/boston311/requests/year=" + p.values().get(0) + "/v-[0-9a-f]{8}-.*/");
      assertThat(p.parameters().get(Refinement.INPUTS)).contains("boston311.");
    }
    engine.createView(catalog, Boston311Silver.REQUESTS);
    assertThat(count("SELECT count(*) FROM boston311.requests")).isEqualTo(expected);
    assertThat(count("SELECT count(DISTINCT source_system || case_id) FROM boston311.requests"))
        .isEqualTo(expected);
    assertThat(lake.resolve("silver/boston311/requests/_staging")).isEmptyDirectory();
  }

  @Test
  void unchangedRerunWritesNoFileAndKeepsTheCatalogVersion() throws IOException {
    refinement(catalog, false).run();
    String version = catalog.loadTable(Boston311Silver.REQUESTS).orElseThrow().version();
    byte[] entry = Files.readAllBytes(catalog.tableFile(Boston311Silver.REQUESTS));
    Map<String, Long> files = tree(lake);

    Refinement.TableResult again = refinement(catalog, false).run().get(0);

    assertThat(again.noOp()).isTrue();
    assertThat(again.unchanged())
        .isEqualTo(catalog.partitions(Boston311Silver.REQUESTS).size());
    assertThat(catalog.loadTable(Boston311Silver.REQUESTS).orElseThrow().version())
        .isEqualTo(version);
    assertThat(Files.readAllBytes(catalog.tableFile(Boston311Silver.REQUESTS))).isEqualTo(entry);
    assertThat(tree(lake)).isEqualTo(files);
  }

  @Test
  void aSilverPartitionFolderDeletedByHand_isRebuiltOnTheNextRun_andReadsBackTheSameRows()
      throws IOException {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();
    long rows = count("SELECT count(*) FROM (" + select() + ")");
    long rows2015 = count("SELECT count(*) FROM (" + select() + ") WHERE year = '2015'");
    Path year2015 = lake.resolve("silver/boston311/requests/year=2015");
    assertThat(Path.of(java.net.URI.create(before.get(List.of("2015"))))).startsWith(year2015);
    deleteTree(year2015); // by hand, or a disk cleanup

    List<String> heard = new java.util.ArrayList<>();
    Refinement.TableResult r = Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, lake))
        .catalog(catalog)
        .table(Boston311Silver.requests())
        .listener(new Refinement.Listener() {
          @Override
          public void missing(TableId table, List<String> partition, String location) {
            heard.add(table + " " + partition + " " + location);
          }
        })
        .build()
        .run()
        .get(0);

    assertThat(heard)
        .containsExactly(Boston311Silver.REQUESTS + " [2015] " + before.get(List.of("2015")));
    assertThat(r.noOp()).isFalse();
    assertThat(r.rebuilt()).containsExactly(List.of("2015"));
    assertThat(r.rows()).isEqualTo(rows2015);
    assertThat(r.unchanged()).isEqualTo(before.size() - 1);
    Map<List<String>, String> after = locations();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (List<String> v : before.keySet()) {
      if (v.equals(List.of("2015"))) {
        assertThat(after.get(v)).isNotEqualTo(before.get(v));
      } else {
        assertThat(after.get(v)).isEqualTo(before.get(v));
      }
      assertThat(Path.of(java.net.URI.create(after.get(v)))).isNotEmptyDirectory();
    }
    assertThat(silverRows()).isEqualTo(rows);
    assertThat(count("SELECT count(*) FROM boston311.requests WHERE year = '2015'"))
        .isEqualTo(rows2015);
    // repaired: the next run has nothing to do
    assertThat(refinement(catalog, false).run().get(0).noOp()).isTrue();
  }

  @Test
  void aSilverTableFolderDeleted_orAPartitionEmptiedOfItsFiles_isRebuiltOnTheNextRun()
      throws IOException {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();
    long rows = count("SELECT count(*) FROM (" + select() + ")");
    deleteTree(lake.resolve("silver/boston311/requests"));

    Refinement.TableResult r = refinement(catalog, false).run().get(0);

    assertThat(r.rebuilt()).containsExactlyInAnyOrderElementsOf(before.keySet());
    assertThat(r.unchanged()).isZero();
    assertThat(r.rows()).isEqualTo(rows);
    assertThat(locations().keySet()).isEqualTo(before.keySet());
    locations()
        .values()
        .forEach(loc -> assertThat(Path.of(java.net.URI.create(loc))).isNotEmptyDirectory());
    assertThat(silverRows()).isEqualTo(rows);

    // a version folder whose Parquet files are gone (the folder stays) is missing too
    Path year2022 = Path.of(java.net.URI.create(locations().get(List.of("2022"))));
    try (Stream<Path> files = Files.list(year2022)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Refinement.TableResult again = refinement(catalog, false).run().get(0);
    assertThat(again.rebuilt()).containsExactly(List.of("2022"));
    assertThat(silverRows()).isEqualTo(rows);
  }

  @Test
  void oneChangedBronzeYearRebuildsOnlyTheSilverYearsItFeeds() throws Exception {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();

    // a re-publication of 2022 (same rows, new file version) is a new bronze version folder
    Boston311SilverTest.legacy(
        lake,
        List.of(Boston311SilverTest.sample(
            "2022",
            Samples.LEGACY_2022_100,
            "2022-03-01T12:00:00Z",
            "311_service_requests_2022_v2.csv")));
    Refinement.TableResult r = refinement(catalog, false).run().get(0);

    assertThat(r.rebuilt()).contains(List.of("2022")).doesNotContain(List.of("2015"));
    Map<List<String>, String> after = locations();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (List<String> v : before.keySet()) {
      if (r.rebuilt().contains(v)) {
        assertThat(after.get(v)).isNotEqualTo(before.get(v));
        assertThat(Path.of(java.net.URI.create(before.get(v)))).doesNotExist();
      } else {
        assertThat(after.get(v)).isEqualTo(before.get(v));
      }
    }
    assertThat(r.unchanged()).isEqualTo(before.size() - r.rebuilt().size());
  }

  @Test
  void aRepublicationThatMovesACasesWinningRowToAnotherYear_rebuildsTheYearItLeft_noDuplicate(
      @TempDir Path other) throws Exception {
    // case A is in the 2015 and the 2022 file; the later publication wins, so A lands in the
    // winner's year
    String h = Boston311SilverTest.HEADER_29;
    String y2015 = Boston311SilverTest.csv(
        h,
        Boston311SilverTest.row29(
            "990000000001", "2015-03-01 09:00:00", "", "Open", "", "", "", "", "", "", "A15"),
        Boston311SilverTest.row29(
            "990000000002", "2015-03-02 09:00:00", "", "Open", "", "", "", "", "", "", "B"));
    String y2022 = Boston311SilverTest.csv(
        h,
        Boston311SilverTest.row29(
            "990000000001", "2022-01-10 09:00:00", "", "Open", "", "", "", "", "", "", "A22"),
        Boston311SilverTest.row29(
            "990000000003", "2022-01-11 09:00:00", "", "Open", "", "", "", "", "", "", "C"));
    Boston311SilverTest.legacy(
        other,
        List.of(
            Boston311SilverTest.text("2015", y2015, "2020-01-01T00:00:00Z", "y2015.csv"),
            Boston311SilverTest.text("2022", y2022, "2023-01-01T00:00:00Z", "y2022.csv")));
    Boston311SilverTest.newSystem(
        other,
        List.of(Boston311SilverTest.text(
            null,
            Boston311SilverTest.csv(
                Boston311SilverTest.HEADER_NEW,
                "BCS-00000001,2025-12-31 04:30:00+00,,,Pothole,Pothole Repair,Public Works,Team A,In progress,,,ONTIME,"
                    + "BOS311,\"1 Main St, Boston, MA 02129\",1,Main St,02129,Charlestown,1,1,3,A15,Ward 02,01,"
                    + "-71.06,42.37"),
            "2026-01-01T00:00:00Z",
            "new.csv")));
    LocalCatalog c = LocalCatalog.at(other);
    Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, other))
        .catalog(c)
        .table(Boston311Silver.requests())
        .build()
        .run();
    engine.createView(c, Boston311Silver.REQUESTS);
    assertThat(
            count(
                "SELECT count(*) FROM boston311.requests WHERE case_id = '990000000001' AND year = '2022'"))
        .isEqualTo(1);

    // 2015 re-published after 2022: its copy of A wins now, in 2015; silver 2022 must lose A
    Boston311SilverTest.legacy(
        other,
        List.of(Boston311SilverTest.text("2015", y2015, "2025-01-01T00:00:00Z", "y2015.csv")));
    Refinement.TableResult r = Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, other))
        .catalog(c)
        .table(Boston311Silver.requests())
        .build()
        .run()
        .get(0);

    assertThat(r.rebuilt()).contains(List.of("2015"), List.of("2022"));
    engine.createView(c, Boston311Silver.REQUESTS);
    assertThat(count("SELECT count(*) FROM boston311.requests")).isEqualTo(4);
    assertThat(count("SELECT count(DISTINCT source_system || case_id) FROM boston311.requests"))
        .isEqualTo(4);
    assertThat(
            count(
                "SELECT count(*) FROM boston311.requests WHERE case_id = '990000000001' AND year = '2015'"))
        .isEqualTo(1);
  }

  @Test
  void aRemovedBronzePartitionRemovesTheSilverPartitionsLeftWithoutRows() {
    refinement(catalog, false).run();
    assertThat(locations()).containsKey(List.of("2022"));
    String old2022 = locations().get(List.of("2022"));
    long rows2022 = count("SELECT count(*) FROM (" + select() + ") WHERE year = '2022'");

    catalog.removePartitions(Boston311.LEGACY_TABLE, List.of(List.of("2022")));
    Refinement.TableResult r = refinement(catalog, false).run().get(0);

    assertThat(r.removed()).contains(List.of("2022"));
    assertThat(locations()).doesNotContainKey(List.of("2022")).containsKey(List.of("2015"));
    assertThat(Path.of(java.net.URI.create(old2022))).doesNotExist();
    assertThat(rows2022).isPositive();
    assertThat(silverRows()).isEqualTo(count("SELECT count(*) FROM (" + select() + ")"));
  }

  @Test
  void aNewVersionWithLessThanHalfTheRows_failsBeforeWriting_unlessAllowed() throws Exception {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();
    long rows = silverRows();
    Map<String, Long> files = tree(lake.resolve("silver"));
    // the 2015 bronze partition (6,221 of 11,794 rows) is gone, as after a lost input
    catalog.removePartitions(Boston311.LEGACY_TABLE, List.of(List.of("2015")));

    assertThatThrownBy(() -> refinement(catalog, false).run())
        .isInstanceOf(InletException.class)
        .hasMessageContaining(
            "less than half of the " + rows + " rows of the live version, which stays live")
        .hasMessageContaining("--allow-shrink");
    assertThat(locations()).isEqualTo(before);
    assertThat(tree(lake.resolve("silver"))).isEqualTo(files);

    Refinement.TableResult r = Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, lake))
        .catalog(catalog)
        .table(Boston311Silver.requests())
        .allowShrink(true)
        .build()
        .run()
        .get(0);
    assertThat(r.removed()).contains(List.of("2015"));
    assertThat(silverRows()).isLessThan(rows / 2);
  }

  @Test
  void fullRefreshRebuildsEveryPartition() {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();

    Refinement.TableResult r = refinement(catalog, true).run().get(0);

    assertThat(r.rebuilt()).containsExactlyInAnyOrderElementsOf(before.keySet());
    Map<List<String>, String> after = locations();
    before.forEach((v, loc) -> assertThat(after.get(v)).isNotEqualTo(loc));
  }

  @Test
  void aFailedCommitLeavesThePreviousSilverReadableAndNoNewFiles() throws Exception {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();
    long rows = silverRows();
    Boston311SilverTest.legacy(
        lake,
        List.of(Boston311SilverTest.sample(
            "2022",
            Samples.LEGACY_2022_100,
            "2022-03-01T12:00:00Z",
            "311_service_requests_2022_v2.csv")));
    Map<String, Long> files = tree(lake.resolve("silver"));

    Catalog failing = new FailingCatalog(catalog);
    assertThatThrownBy(() -> refinement(failing, false).run())
        .isInstanceOf(InletException.class)
        .hasMessageContaining("injected");

    assertThat(locations()).isEqualTo(before);
    assertThat(tree(lake.resolve("silver"))).isEqualTo(files);
    assertThat(silverRows()).isEqualTo(rows);
  }

  @Test
  void aGateOfTheBostonBuiltIns_checksTheNewVersionBeforeWriting_andPublishesWhatPasses() {
    List<QualityResult> seen = new java.util.ArrayList<>();
    Refinement.TableResult r = Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, lake))
        .catalog(catalog)
        .table(Boston311Silver.requests())
        .gate(PublishGate.of(Boston311Checks.silver(), QualityHistory.none()))
        .listener(new Refinement.Listener() {
          @Override
          public void checked(TableId table, QualityResult result) {
            seen.add(result);
          }
        })
        .build()
        .run()
        .get(0);

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).blocks()).as(seen.get(0).summary()).isFalse();
    assertThat(seen.get(0).results())
        .extracting(c -> c.check().name())
        .anyMatch(
            n -> n.contains("case_id")); // the uniqueness of the key ran on the staged version
    // the 2015 sample was re-published shifted (+4/+5 h), the 2022 one was not: the per-file check
    // says which
    List<dev.inlet.quality.CheckResult> shift = seen.get(0).results().stream()
        .filter(c -> c.check().name().startsWith("time-zone shift"))
        .toList();
    assertThat(shift)
        .filteredOn(c -> c.partition().contains("tmphrybkxuh.csv"))
        .singleElement()
        .satisfies(c -> assertThat(c.outcome()).isEqualTo(dev.inlet.quality.Outcome.WARNED));
    assertThat(shift)
        .filteredOn(c -> c.partition().contains("311_service_requests_2022.csv"))
        .singleElement()
        .satisfies(c -> assertThat(c.outcome()).isEqualTo(dev.inlet.quality.Outcome.PASSED));
    assertThat(r.rows()).isEqualTo(silverRows()).isPositive();

    // an unchanged rerun has nothing to publish: the gate does not run
    refinement(catalog, false).run();
    Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, lake))
        .catalog(catalog)
        .table(Boston311Silver.requests())
        .gate((t, staged, e) -> {
          throw new AssertionError("gate ran on a no-op");
        })
        .build()
        .run();
  }

  @Test
  void aVersionFailingAFailCheckIsNotPublished_thePreviousStaysLive_andNothingIsWritten()
      throws Exception {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();
    long rows = silverRows();
    Boston311SilverTest.legacy(
        lake,
        List.of(Boston311SilverTest.sample(
            "2022",
            Samples.LEGACY_2022_100,
            "2022-03-01T12:00:00Z",
            "311_service_requests_2022_v2.csv")));
    Map<String, Long> files = tree(lake.resolve("silver"));
    // the real samples have requests without a zip code: a gate requiring every zip refuses the new
    // version
    PublishGate strict = PublishGate.of(
        List.of(Check.isComplete(Boston311Silver.REQUESTS, "zip_code").build()),
        QualityHistory.none());

    assertThatThrownBy(() -> Refinement.builder()
            .writer(DuckDbSilverWriter.of(engine, lake))
            .catalog(catalog)
            .table(Boston311Silver.requests())
            .gate(strict)
            .build()
            .run())
        .isInstanceOfSatisfying(PublishRefusedException.class, e -> {
          assertThat(e.table()).isEqualTo(Boston311Silver.REQUESTS);
          assertThat(e.result().blocks()).isTrue();
          assertThat(e.getMessage())
              .contains("Cannot publish the new version of boston311.requests")
              .contains("1 fail-severity check(s) failed")
              .contains("previous version stays live")
              .contains("zip_code");
        });

    assertThat(locations()).isEqualTo(before);
    assertThat(tree(lake.resolve("silver"))).isEqualTo(files);
    assertThat(silverRows()).isEqualTo(rows);
    // without the gate the same run publishes 2022
    assertThat(refinement(catalog, false).run().get(0).rebuilt()).contains(List.of("2022"));
  }

  @Test
  void aFailedEngineStatementLeavesThePreviousSilverIntact() throws Exception {
    refinement(catalog, false).run();
    Map<List<String>, String> before = locations();
    Boston311SilverTest.legacy(
        lake,
        List.of(Boston311SilverTest.sample(
            "2022",
            Samples.LEGACY_2022_100,
            "2022-03-01T12:00:00Z",
            "311_service_requests_2022_v2.csv")));
    Map<String, Long> files = tree(lake.resolve("silver"));
    SilverTable broken = new SilverTable() {
      @Override
      public TableId id() {
        return Boston311Silver.REQUESTS;
      }

      @Override
      public List<TableId> inputs() {
        return Boston311Silver.requests().inputs();
      }

      @Override
      public List<String> partitionKeys() {
        return List.of("year");
      }

      @Override
      public String select(SqlDialect dialect, SilverInputs inputs) {
        // the lineage query passes; the write fails at the first row of 2022
        return "SELECT * REPLACE (CASE WHEN year = '2022' AND error('injected') IS NULL THEN case_id ELSE case_id"
            + " END AS case_id) FROM (" + Boston311Silver.requests().select(dialect, inputs) + ")";
      }
    };
    Refinement r = Refinement.builder()
        .writer(DuckDbSilverWriter.of(engine, lake))
        .catalog(catalog)
        .table(broken)
        .build();
    assertThatThrownBy(r::run).isInstanceOf(InletException.class);

    assertThat(locations()).isEqualTo(before);
    assertThat(tree(lake.resolve("silver"))).isEqualTo(files);
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  long silverRows() {
    engine.createView(catalog, Boston311Silver.REQUESTS);
    return count("SELECT count(*) FROM boston311.requests");
  }

  Map<List<String>, String> locations() {
    Map<List<String>, String> m = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    for (Partition p : catalog.partitions(Boston311Silver.REQUESTS)) {
      m.put(p.values(), p.location());
    }
    return m;
  }

  String select() {
    DuckDbSilverWriter w = DuckDbSilverWriter.of(engine, lake);
    SilverTable t = Boston311Silver.requests();
    w.prepare(catalog, t.inputs());
    List<SilverInputs.InputPartition> ps = new java.util.ArrayList<>();
    for (TableId in : t.inputs()) {
      List<String> keys = catalog.loadTable(in).orElseThrow().partitionKeys().stream()
          .map(c -> c.name())
          .toList();
      catalog.partitions(in).forEach(p -> ps.add(new SilverInputs.InputPartition(in, keys, p)));
    }
    return t.select(SqlDialect.DUCKDB, SilverInputs.of(SqlDialect.DUCKDB, w::relation, ps));
  }

  long duplicates() {
    return count(
        "SELECT count(*) - count(DISTINCT case_enquiry_id) FROM " + "boston311.service_requests");
  }

  long count(String sql) {
    try (var r = engine.query(sql)) {
      r.next();
      return ((Number) r.value(0)).longValue();
    }
  }

  static Map<String, Long> tree(Path root) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    if (!Files.exists(root)) {
      return m;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        m.put(
            root.relativize(p).toString(),
            Files.isDirectory(p) ? -1 : Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  /** The local catalog, except that registering the silver table fails. */
  static final class FailingCatalog implements Catalog {
    final Catalog delegate;

    FailingCatalog(Catalog delegate) {
      this.delegate = delegate;
    }

    @Override
    public Table register(TableRegistration registration) {
      if (registration.table().equals(Boston311Silver.REQUESTS)) {
        throw new InletException("injected failure registering " + registration.table());
      }
      return delegate.register(registration);
    }

    @Override
    public Optional<Table> loadTable(TableId table) {
      return delegate.loadTable(table);
    }

    @Override
    public List<Partition> partitions(TableId table) {
      return delegate.partitions(table);
    }

    @Override
    public List<TableId> listTables(String database) {
      return delegate.listTables(database);
    }
  }
}
