package dev.inlet.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Catalog;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.boston311.Boston311;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.sql.QueryFailedException;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.testing.Samples;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded engine over a lake Inlet wrote from the real Boston 311 samples. */
class DuckDbEngineTest {
  static final String BY_YEAR =
      "SELECT year, count(*) AS n FROM boston311.service_requests GROUP BY year" + " ORDER BY year";

  @TempDir
  static Path shared;

  static Path lake;

  @TempDir
  Path tmp;

  @BeforeAll
  static void ingestSamples() throws Exception {
    lake = shared.resolve("lake");
    ingest(lake);
  }

  static void ingest(Path lake) {
    SourceFile y2015 = sample("2015", Samples.LEGACY_2015_6221);
    SourceFile y2022 = sample("2022", Samples.LEGACY_2022_100);
    Pipeline.builder()
        .source(() -> List.of(y2015, y2022))
        .converter(Boston311.legacyConverter())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Boston311.LEGACY_TABLE)
        .build()
        .run()
        .throwIfFailed();
  }

  private static SourceFile sample(String year, String name) {
    Path file = Samples.file(name);
    return SourceFile.builder()
        .id("file:" + name)
        .name(name)
        .partition("year", year)
        .opener(offset -> {
          InputStream in = Files.newInputStream(file);
          in.skipNBytes(offset);
          return in;
        })
        .build();
  }

  @Test
  void createView_whenTheCatalogHasAColumnNoFileHolds_servesItAsNull() throws Exception {
    // A re-publication added a column, then the file came back without it: no Parquet file has the
    // column now.
    Path copy = tmp.resolve("lake");
    ingest(copy);
    LocalCatalog catalog = LocalCatalog.at(copy);
    Table t = catalog.loadTable(Boston311.LEGACY_TABLE).orElseThrow();
    List<Column> wider = new ArrayList<>(t.schema().columns());
    wider.add(Column.of("extra_0", ColumnType.BIGINT));
    catalog.register(TableRegistration.builder()
        .table(Boston311.LEGACY_TABLE)
        .location(t.location())
        .schema(Schema.of(wider))
        .partitionKeys(List.of("year"))
        .build());
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      engine.createView(catalog, Boston311.LEGACY_TABLE);
      try (QueryResult r =
          engine.query("SELECT count(*), count(extra_0), typeof(any_value(extra_0))"
              + " FROM boston311.service_requests")) {
        assertThat(r.next()).isTrue();
        assertThat(r.row()).containsExactly(6321L, 0L, "BIGINT");
      }
    }
  }

  @Test
  void createViews_overAnInletLake_readsEveryRowOfEveryPartition_withPartitionValuesAsStrings() {
    LocalCatalog catalog = LocalCatalog.at(lake);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      assertThat(engine.createViews(catalog, catalog.listDatabases())).isEqualTo(1);

      try (QueryResult r = engine.query(BY_YEAR)) {
        assertThat(r.columns())
            .containsExactly(new ResultColumn("year", "VARCHAR"), new ResultColumn("n", "BIGINT"));
        assertThat(r.toList(10)).containsExactly(List.of("2015", 6221L), List.of("2022", 100L));
      }
      try (QueryResult r =
          engine.query("SELECT count(DISTINCT case_enquiry_id), min(open_dt) < max(open_dt)"
              + " FROM boston311.service_requests WHERE year = '2015'")) {
        assertThat(r.toList(1)).containsExactly(List.of(6221L, true));
      }
      assertThat(engine.dialect()).isEqualTo(SqlDialect.DUCKDB);
    }
  }

  @Test
  void createViews_whenAPartitionFolderIsMissing_failsNamingPartitionAndFolder() throws Exception {
    Path lost = tmp.resolve("lost");
    ingest(lost);
    LocalCatalog catalog = LocalCatalog.at(lost);
    Partition p2015 = catalog.partitions(Boston311.LEGACY_TABLE).get(0);
    Path folder = Path.of(URI.create(p2015.location()));
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      assertThatThrownBy(() -> engine.createViews(catalog, catalog.listDatabases()))
          .isInstanceOf(InletException.class)
          .hasMessage(
              "Cannot query boston311.service_requests: partition year=2015 points at " + folder
                  + ", which holds no Parquet file; its data is lost from the lake, re-ingest it (a full refresh; a"
                  + " silver table's next refine rebuilds it) or remove the partition");
      Files.delete(folder);
      assertThatThrownBy(() -> engine.createView(catalog, Boston311.LEGACY_TABLE))
          .hasMessageContaining(
              "partition year=2015 points at " + folder + ", which does not exist");
    }
  }

  @Test
  void createView_ofAnS3Partition_failsSayingDuckDbReadsLocalFoldersOnly() {
    Catalog s3 = new OneTableCatalog(
        "s3://bucket/bronze/db/t/",
        List.of(new Partition(List.of("2015"), "s3://bucket/bronze/db/t/year=2015/", Map.of())));
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      assertThatThrownBy(() -> engine.createView(s3, OneTableCatalog.ID))
          .isInstanceOf(InletException.class)
          .hasMessage(
              "Cannot query db.t: partition year=2015 is at s3://bucket/bronze/db/t/year=2015/, which"
                  + " DuckDbEngine cannot read (it reads local folders, file: URIs); query this table on Athena, or"
                  + " copy the lake to a local folder and use its local catalog");
      assertThatThrownBy(() -> engine.createView(s3, TableId.of("db", "nope")))
          .hasMessageStartingWith("Cannot create a view of db.nope: no such table in the catalog");
    }
  }

  @Test
  void createView_ofATableWithoutData_isEmpty_withTheCatalogsColumnsAndTypes() {
    Catalog empty = new OneTableCatalog(tmp.toUri().toString(), List.of());
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      engine.createView(empty, OneTableCatalog.ID);
      try (QueryResult r = engine.query("SELECT * FROM db.t")) {
        assertThat(r.columns())
            .containsExactly(
                new ResultColumn("id", "BIGINT"),
                new ResultColumn("name", "VARCHAR"),
                new ResultColumn("year", "VARCHAR"));
        assertThat(r.next()).isFalse();
      }
    }
  }

  @Test
  void query_ofBadSql_throwsQueryFailed_withDuckDbsReason_andTheEngineStaysUsable() {
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      assertThatThrownBy(() -> engine.query("SELECT * FROM no_such_table"))
          .isInstanceOfSatisfying(QueryFailedException.class, e -> {
            assertThat(e.queryId()).isEmpty();
            assertThat(e.reason()).get().asString().contains("no_such_table");
          })
          .hasMessageStartingWith("Cannot run the statement on DuckDB: ")
          .hasMessageContaining(
              "; check it against DuckDB's SQL dialect (statement: SELECT * FROM no_such_table)");
      assertThatThrownBy(() -> engine.execute("CREAT TABLE x (a INT)"))
          .isInstanceOf(QueryFailedException.class)
          .hasMessageContaining("syntax error");
      assertThat(engine.query("SELECT 42").toList(1)).containsExactly(List.of(42));
    }
  }

  @Test
  void execute_thenQuery_seeTheSameSession_andStatementsWithoutRowsGiveAnEmptyResult() {
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      engine.execute("CREATE TABLE t AS SELECT range AS i FROM range(5)");
      try (QueryResult r = engine.query("CREATE VIEW v AS SELECT i * 2 AS j FROM t")) {
        assertThat(r.columns()).isEmpty();
        assertThat(r.next()).isFalse();
      }
      try (QueryResult r = engine.query("SELECT CAST(sum(j) AS BIGINT) FROM v")) {
        assertThat(r.toList(1)).containsExactly(List.of(20L));
      }
    }
  }

  @Test
  void builder_databaseFileThreadsAndMemoryLimit_areApplied_andTheFileOutlivesTheEngine() {
    Path file = tmp.resolve("silver.duckdb");
    try (DuckDbEngine engine =
        DuckDbEngine.builder().database(file).threads(2).memoryLimit(256L << 20).build()) {
      assertThat(engine.database()).isEqualTo(file.toAbsolutePath());
      assertThat(engine.query("SELECT current_setting('threads')").toList(1))
          .containsExactly(List.of(2L));
      assertThat(engine
              .query("SELECT current_setting('memory_limit')")
              .toList(1)
              .get(0)
              .get(0)
              .toString())
          .isEqualTo("256.0 MiB");
      engine.execute("CREATE TABLE kept AS SELECT 7 AS x");
    }
    assertThat(file).isRegularFile();
    try (DuckDbEngine again = DuckDbEngine.builder().database(file).build()) {
      assertThat(again.query("SELECT x FROM kept").toList(1)).containsExactly(List.of(7));
    }
  }

  @Test
  void builder_badSettings_failAtTheSetterOrAtBuild() {
    assertThatThrownBy(() -> DuckDbEngine.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be at least 1, got 0");
    assertThatThrownBy(() -> DuckDbEngine.builder().memoryLimit(1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 MiB");
    assertThatThrownBy(() -> DuckDbEngine.builder().database(tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a file, not the folder");
    Path orphan = tmp.resolve("missing").resolve("x.duckdb");
    assertThatThrownBy(() -> DuckDbEngine.builder().database(orphan).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot open the DuckDB database " + orphan + ": its folder "
            + orphan.getParent() + " does not exist; create it first");
    assertThatThrownBy(() -> DuckDbEngine.create().query(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void close_isIdempotent_andLaterStatementsOrReadsFail() {
    DuckDbEngine engine = DuckDbEngine.create();
    QueryResult open = engine.query("SELECT * FROM range(3)");
    engine.close();
    engine.close();
    assertThatThrownBy(() -> engine.query("SELECT 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot run a statement: this DuckDbEngine is closed; open a new one");
    assertThatThrownBy(open::next)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the DuckDbEngine was closed");
  }

  @Test
  void query_fromSeveralThreads_eachGetsItsOwnRows() throws Exception {
    LocalCatalog catalog = LocalCatalog.at(lake);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      engine.createViews(catalog, catalog.listDatabases());
      List<Future<List<List<Object>>>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> {
          try (QueryResult r = engine.query(BY_YEAR)) {
            return r.toList(10);
          }
        }));
      }
      for (Future<List<List<Object>>> f : futures) {
        assertThat(f.get()).containsExactly(List.of("2015", 6221L), List.of("2022", 100L));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A catalog holding one table {@code db.t} (id bigint, name string; partitioned by year) and given partitions. */
  static final class OneTableCatalog implements Catalog {
    static final TableId ID = TableId.of("db", "t");
    private final Table table;
    private final List<Partition> partitions;

    OneTableCatalog(String location, List<Partition> partitions) {
      this.table = Table.builder()
          .id(ID)
          .location(location)
          .schema(
              Schema.of(Column.of("id", ColumnType.BIGINT), Column.of("name", ColumnType.STRING)))
          .partitionKeys(List.of(Column.of("year", ColumnType.STRING)))
          .build();
      this.partitions = partitions;
    }

    @Override
    public Table register(TableRegistration registration) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Table> loadTable(TableId id) {
      return id.equals(ID) ? Optional.of(table) : Optional.empty();
    }

    @Override
    public List<Partition> partitions(TableId id) {
      return id.equals(ID) ? partitions : List.of();
    }

    @Override
    public List<TableId> listTables(String database) {
      return database.equals("db") ? List.of(ID) : List.of();
    }
  }
}
