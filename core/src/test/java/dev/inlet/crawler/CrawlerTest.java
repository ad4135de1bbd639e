package dev.inlet.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.crawler.CrawlPlan.Action;
import dev.inlet.crawler.CrawlPlan.PartitionAction;
import dev.inlet.crawler.CrawlPlan.PartitionChange;
import dev.inlet.crawler.CrawlPlan.TableChange;
import dev.inlet.local.LocalCatalog;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.LocalFileStore;
import dev.inlet.storage.StoredFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crawler over folders written by DuckDB (another engine), compared with and applied to a local catalog. */
class CrawlerTest {
  @TempDir
  Path dir;

  private Path data;
  private LocalCatalog catalog;
  private Connection duck;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectories(dir.resolve("data/events"));
    catalog = LocalCatalog.at(dir.resolve("warehouse"));
    duck = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterEach
  void tearDown() throws SQLException {
    duck.close();
  }

  private void sql(String sql) throws SQLException {
    try (Statement s = duck.createStatement()) {
      s.execute(sql);
    }
  }

  private String query(String sql) throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  /** DuckDB writes {@code rows} rows of {@code select} into {@code folder} as one Parquet file. */
  private void write(Path folder, String select) throws Exception {
    Files.createDirectories(folder);
    sql("COPY (" + select + ") TO '" + folder.resolve("data_0.parquet") + "' (FORMAT parquet)");
  }

  private Crawler.Builder crawler() {
    return Crawler.builder().target(LocalFileStore.at(data)).database("lake");
  }

  private static final TableId EVENTS = TableId.of("lake", "events");

  @Test
  void plan_duckDbPartitionBy_oneTableKeyedByYear_withGlueTypes_andApplyThenRecrawlChangesNothing()
      throws Exception {
    sql(
        "COPY (SELECT i::BIGINT AS id, i::INTEGER AS n, 'x' || i AS name, (i * 1.5)::DOUBLE AS amount,"
            + " (i % 2 = 0) AS flag, DATE '2020-01-01' + i::INTEGER AS day,"
            + " TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (i) HOUR AS ts, (i / 100)::DECIMAL(10,2) AS price,"
            + " [i, i + 1] AS tags, {'a': i::INTEGER, 'b': 'x'} AS props, MAP {'k': i} AS attrs,"
            + " 2015 + i % 3 AS year FROM range(30) t(i))"
            + " TO '" + data + "' (FORMAT parquet, PARTITION_BY (year))");
    Files.writeString(data.resolve("_SUCCESS"), "");
    Files.createDirectories(data.resolve(".staging"));
    Files.writeString(data.resolve(".staging/tmp.parquet"), "partial");

    CrawlPlan plan = crawler().build().plan(catalog);

    TableChange t = plan.table(EVENTS);
    assertThat(t).as(plan.toText()).isNotNull();
    assertThat(t.action()).isEqualTo(Action.CREATE);
    assertThat(t.location()).isEqualTo(data.toUri().toString());
    assertThat(t.partitionKeys()).containsExactly("year");
    assertThat(t.schema().columns())
        .containsExactly(
            Column.of("id", ColumnType.BIGINT),
            Column.of("n", ColumnType.INT),
            Column.of("name", ColumnType.STRING),
            Column.of("amount", ColumnType.DOUBLE),
            Column.of("flag", ColumnType.BOOLEAN),
            Column.of("day", ColumnType.DATE),
            Column.of("ts", ColumnType.TIMESTAMP),
            Column.of("price", ColumnType.decimal(10, 2)),
            Column.of("tags", ColumnType.nested("array<bigint>")),
            Column.of("props", ColumnType.nested("struct<a:int,b:string>")),
            Column.of("attrs", ColumnType.nested("map<string,bigint>")));
    assertThat(t.partitions())
        .extracting(PartitionChange::values, PartitionChange::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(List.of("2015"), PartitionAction.ADD),
            org.assertj.core.groups.Tuple.tuple(List.of("2016"), PartitionAction.ADD),
            org.assertj.core.groups.Tuple.tuple(List.of("2017"), PartitionAction.ADD));
    assertThat(t.partitions().get(0).location())
        .isEqualTo(data.resolve("year=2015").toUri().toString());
    assertThat(plan.hiddenFiles()).isEqualTo(1); // _SUCCESS; LocalFileStore does not enter .staging
    assertThat(plan.filesRead()).isEqualTo(3);
    assertThat(plan.skipped()).isEmpty();

    List<Table> applied = crawler().build().apply(plan, catalog);

    Table table = catalog.loadTable(EVENTS).orElseThrow();
    assertThat(applied).hasSize(1);
    assertThat(table.schema()).isEqualTo(t.schema());
    assertThat(table.partitionKeys()).containsExactly(Column.of("year", ColumnType.STRING));
    assertThat(table.parameters())
        .containsEntry(Crawler.PARAM_LAST_CRAWL, plan.crawlTime().toString())
        .containsEntry("classification", "parquet");
    assertThat(catalog.partitions(EVENTS))
        .extracting(Partition::values)
        .containsExactly(List.of("2015"), List.of("2016"), List.of("2017"));
    String version = table.version();

    CrawlPlan again = crawler().build().plan(catalog);
    assertThat(again.hasChanges()).isFalse();
    assertThat(again.table(EVENTS).action()).isEqualTo(Action.UNCHANGED);
    assertThat(again.table(EVENTS).unchangedPartitions()).isEqualTo(3);
    crawler().build().apply(again, catalog);
    assertThat(catalog.loadTable(EVENTS).orElseThrow().version()).isEqualTo(version);
  }

  @Test
  void
      plan_mixedSchemasAcrossPartitions_unionsCompatibleOnes_andReportsTheIncompatibleFolderAsConflict()
          throws Exception {
    write(data.resolve("year=2015"), "SELECT 1::INTEGER AS id, 'a' AS subject");
    write(
        data.resolve("year=2016"), "SELECT 2::BIGINT AS id, 'b' AS subject, 1.5::DOUBLE AS score");
    write(data.resolve("year=2017"), "SELECT 3::BIGINT AS id, 42 AS subject");

    CrawlPlan plan = crawler().build().plan(catalog);

    TableChange t = plan.table(EVENTS);
    assertThat(t.schema())
        .isEqualTo(Schema.of(
            Column.of("id", ColumnType.BIGINT),
            Column.of("subject", ColumnType.STRING),
            Column.of("score", ColumnType.DOUBLE)));
    assertThat(t.partitions())
        .extracting(PartitionChange::values)
        .containsExactly(List.of("2015"), List.of("2016"));
    assertThat(plan.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.path()).isEqualTo(data.resolve("year=2017").toUri() + "data_0.parquet");
      assertThat(c.reason())
          .isEqualTo("column subject is int in this file but string in the files before it;"
              + " its partition folder is left out");
    });
    assertThat(plan.toText())
        .contains("! Conflicts")
        .contains("column subject is int in this file");
  }

  @Test
  void plan_bareFolders_becomePartition0And1_withFolderNamesAsValues() throws Exception {
    write(data.resolve("2015/01"), "SELECT 1 AS id");
    write(data.resolve("2015/02"), "SELECT 2 AS id");
    write(data.resolve("2016/01"), "SELECT 3 AS id");

    TableChange t = crawler().build().plan(catalog).table(EVENTS);

    assertThat(t.partitionKeys()).containsExactly("partition_0", "partition_1");
    assertThat(t.partitions())
        .extracting(PartitionChange::values)
        .containsExactly(List.of("2015", "01"), List.of("2015", "02"), List.of("2016", "01"));
  }

  @Test
  void plan_unreadableAndMisplacedFiles_areSkippedWithReasons_andTheRestIsCrawled()
      throws Exception {
    write(data.resolve("year=2015"), "SELECT 1 AS id");
    write(data.resolve("year=2016"), "SELECT 2 AS id FROM range(1000)");
    Files.writeString(data.resolve("year=2016/notes.parquet"), "this is not parquet at all");
    byte[] good = Files.readAllBytes(data.resolve("year=2016/data_0.parquet"));
    Files.write(
        data.resolve("year=2016/truncated.parquet"),
        java.util.Arrays.copyOf(good, good.length / 2));
    write(data, "SELECT 3 AS id"); // data/data_0.parquet: not in a partition folder

    CrawlPlan plan = crawler().build().plan(catalog);

    assertThat(plan.skipped())
        .extracting(CrawlPlan.Skipped::path)
        .containsExactlyInAnyOrder(
            data.toUri() + "data_0.parquet",
            data.resolve("year=2016").toUri() + "notes.parquet",
            data.resolve("year=2016").toUri() + "truncated.parquet");
    assertThat(plan.skipped())
        .filteredOn(s -> s.path().endsWith("notes.parquet"))
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).startsWith("not a Parquet file"));
    assertThat(plan.skipped())
        .filteredOn(s -> s.path().endsWith("/data_0.parquet"))
        .singleElement()
        .satisfies(
            s -> assertThat(s.reason()).contains("at folder depth 0").contains("1 folders deep"));
    assertThat(plan.table(EVENTS).partitions())
        .extracting(PartitionChange::values)
        .containsExactly(List.of("2015"), List.of("2016"));
    assertThat(plan.toText())
        .contains("! Skipped files")
        .contains("notes.parquet: not a Parquet file");
  }

  @Test
  void plan_wouldCreateMoreTablesThanMax_failsNamingThem_andApplyNeverRuns() throws Exception {
    for (String table : List.of("a", "b", "c")) {
      write(data.resolve(table).resolve("year=2015"), "SELECT 1 AS id");
    }
    Crawler crawler = crawler().tableDepth(1).maxTables(2).build();

    assertThatThrownBy(() -> crawler.plan(catalog))
        .isInstanceOf(InletException.class)
        .hasMessage("Cannot crawl " + data.toUri()
            + ": it would create 3 tables (a, b, c) but maxTables is 2;"
            + " nothing was changed. Check the include path and tableDepth, or raise maxTables");
    assertThat(catalog.listTables("lake")).isEmpty();
    assertThat(crawler().tableDepth(1).maxTables(3).build().plan(catalog).tables())
        .hasSize(3);
  }

  @Test
  void incrementalRecrawl_readsOnlyNewFolders_addsOnlyTheirPartitions() throws Exception {
    write(data.resolve("year=2015"), "SELECT 1 AS id");
    write(data.resolve("year=2016"), "SELECT 2 AS id");
    Crawler incremental =
        crawler().recrawlPolicy(RecrawlPolicy.CRAWL_NEW_FOLDERS_ONLY).build();
    CrawlPlan first = incremental.plan(catalog);
    assertThat(first.filesRead()).isEqualTo(2);
    incremental.apply(first, catalog);

    write(data.resolve("year=2017"), "SELECT 3 AS id, 'new' AS note");
    Files.writeString(data.resolve("year=2016/broken.parquet"), "would be skipped if it were read");
    deleteTree(data.resolve("year=2015"));
    CrawlPlan second = incremental.plan(catalog);

    assertThat(second.filesRead()).isEqualTo(1);
    assertThat(second.skipped()).isEmpty();
    TableChange t = second.table(EVENTS);
    assertThat(t.incremental()).isTrue();
    assertThat(t.partitions())
        .extracting(PartitionChange::values, PartitionChange::action)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("2017"), PartitionAction.ADD));
    assertThat(t.columns()).extracting(CrawlPlan.ColumnChange::name).containsExactly("note");
    incremental.apply(second, catalog);
    assertThat(catalog.partitions(EVENTS))
        .extracting(Partition::values)
        .containsExactly(List.of("2015"), List.of("2016"), List.of("2017"));

    // A full crawl sees the deletion; with DELETE_FROM_DATABASE it removes the partition.
    CrawlPlan full =
        crawler().deletePolicy(DeletePolicy.DELETE_FROM_DATABASE).build().plan(catalog);
    assertThat(full.table(EVENTS).partitions())
        .extracting(PartitionChange::values, PartitionChange::action)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(List.of("2015"), PartitionAction.REMOVE));
    crawler().build().apply(full, catalog);
    assertThat(catalog.partitions(EVENTS))
        .extracting(Partition::values)
        .containsExactly(List.of("2016"), List.of("2017"));
  }

  @Test
  void deletedFolder_underDeprecate_isMarked_underLog_isOnlyReported() throws Exception {
    write(data.resolve("year=2015"), "SELECT 1 AS id");
    write(data.resolve("year=2016"), "SELECT 2 AS id");
    crawler().build().apply(crawler().build().plan(catalog), catalog);
    deleteTree(data.resolve("year=2015"));

    CrawlPlan logged = crawler().deletePolicy(DeletePolicy.LOG).build().plan(catalog);
    assertThat(logged.hasChanges()).isFalse();
    assertThat(logged.table(EVENTS).partitions())
        .extracting(PartitionChange::action)
        .containsExactly(PartitionAction.GONE);
    assertThat(logged.toText())
        .contains("!     year=2015  year=2015/  (no data: logged only, kept)");

    CrawlPlan deprecate = crawler().build().plan(catalog);
    crawler().build().apply(deprecate, catalog);
    assertThat(catalog.partitions(EVENTS)).hasSize(2);
    assertThat(catalog.partitions(EVENTS).get(0).parameters())
        .containsKey(Crawler.PARAM_DEPRECATED);
    assertThat(crawler().build().plan(catalog).hasChanges()).isFalse();
  }

  @Test
  void schemaChangePolicies_widenOrConflictOrLog_likeGlue() throws Exception {
    catalog.register(TableRegistration.builder()
        .table(EVENTS)
        .location(data.toUri().toString())
        .schema(Schema.of(Column.of("id", ColumnType.INT)))
        .partitionKeys(List.of("year"))
        .build());
    write(data.resolve("year=2015"), "SELECT 1::BIGINT AS id, 'x' AS extra");

    CrawlPlan update = crawler().build().plan(catalog);
    assertThat(update.table(EVENTS).columns())
        .extracting(c -> c.name() + " " + c.previous() + " -> " + c.type())
        .containsExactly("id int -> bigint", "extra null -> string");
    assertThat(update.toText())
        .contains("~     column id  int -> bigint")
        .contains("+     column extra  string");

    CrawlPlan addOnly = crawler()
        .schemaChangePolicy(SchemaChangePolicy.ADD_NEW_COLUMNS_ONLY)
        .build()
        .plan(catalog);
    assertThat(addOnly.table(EVENTS).action()).isEqualTo(Action.CONFLICT);
    assertThat(addOnly.conflicts())
        .singleElement()
        .satisfies(c -> assertThat(c.reason())
            .contains("ADD_NEW_COLUMNS_ONLY")
            .contains("column id is bigint in the file but int in the catalog"));

    CrawlPlan log = crawler().schemaChangePolicy(SchemaChangePolicy.LOG).build().plan(catalog);
    assertThat(log.table(EVENTS).loggedColumns()).hasSize(2);
    assertThat(log.table(EVENTS).schema()).isEqualTo(Schema.of(Column.of("id", ColumnType.INT)));
    crawler().build().apply(log, catalog);
    assertThat(catalog.loadTable(EVENTS).orElseThrow().schema().names()).containsExactly("id");
    assertThat(catalog.partitions(EVENTS)).hasSize(1);
  }

  @Test
  void toJson_carriesEveryChange() throws Exception {
    write(data.resolve("year=2015"), "SELECT 1 AS id");
    Files.writeString(data.resolve("year=2015/bad.parquet"), "nope");

    JsonNode json = new ObjectMapper().readTree(crawler().build().plan(catalog).toJson());

    assertThat(json.get("database").asText()).isEqualTo("lake");
    assertThat(json.get("hasChanges").asBoolean()).isTrue();
    JsonNode t = json.get("tables").get(0);
    assertThat(t.get("table").asText()).isEqualTo("lake.events");
    assertThat(t.get("action").asText()).isEqualTo("CREATE");
    assertThat(t.get("schema").get(0).get("type").asText()).isEqualTo("int");
    assertThat(t.get("partitionChanges").get(0).get("values").get(0).asText()).isEqualTo("2015");
    assertThat(json.get("skipped").get(0).get("path").asText()).endsWith("bad.parquet");
  }

  @Test
  void footerRead_ofALargeFile_readsTheLast8BytesThenTheFooter_only() throws Exception {
    Path big = dir.resolve("big");
    write(big, "SELECT i, md5(i::VARCHAR) AS h, random() AS r FROM range(300000) t(i)");
    long size = Files.size(big.resolve("data_0.parquet"));
    CountingStorage counting = new CountingStorage(LocalFileStore.at(big));

    Schema schema = Footers.schema(counting, counting.list("").get(0));

    assertThat(schema.names()).containsExactly("i", "h", "r");
    assertThat(size).isGreaterThan(5_000_000);
    assertThat(counting.reads).hasSize(2);
    assertThat(counting.reads.get(0)).isEqualTo(new long[] {size - 8, 8});
    long footer = counting.reads.get(1)[1];
    assertThat(counting.reads.get(1)[0]).isEqualTo(size - 8 - footer);
    assertThat(counting.bytes.get()).isEqualTo(8 + footer).isLessThan(size / 100);
  }

  /** Records every range read. */
  static final class CountingStorage implements FileStore {
    final FileStore delegate;
    final List<long[]> reads = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicLong bytes = new AtomicLong();

    CountingStorage(FileStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public String location(String path) {
      return delegate.location(path);
    }

    @Override
    public java.util.Optional<String> path(String location) {
      return delegate.path(location);
    }

    @Override
    public List<StoredFile> list(String prefix) throws IOException {
      return delegate.list(prefix);
    }

    @Override
    public void read(String path, long position, ByteBuffer into) throws IOException {
      reads.add(new long[] {position, into.remaining()});
      bytes.addAndGet(into.remaining());
      delegate.read(path, position, into);
    }

    @Override
    public java.io.InputStream open(String path) throws IOException {
      return delegate.open(path);
    }

    @Override
    public dev.inlet.storage.StagedOutput create(String path, WriteMode mode) throws IOException {
      return delegate.create(path, mode);
    }

    @Override
    public void delete(java.util.Collection<String> paths) throws IOException {
      delegate.delete(paths);
    }

    @Override
    public int deleteFolder(String folder) throws IOException {
      return delegate.deleteFolder(folder);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
