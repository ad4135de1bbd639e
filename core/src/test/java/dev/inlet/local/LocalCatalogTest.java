package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.Catalog;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.CommitConflictException;
import dev.inlet.EvolutionPolicy;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.contract.CatalogContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCatalogTest extends CatalogContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00";

  @TempDir
  Path warehouse;

  @Override
  protected Catalog newCatalog(EvolutionPolicy policy) {
    return LocalCatalog.builder().warehouse(warehouse).evolutionPolicy(policy).build();
  }

  private LocalCatalog local() {
    return (LocalCatalog) catalog;
  }

  private Path file() {
    return warehouse
        .toAbsolutePath()
        .resolve("_catalog")
        .resolve(database)
        .resolve("service_requests.json");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void assertParquetStorageDescriptor(JsonNode sd, Schema columns, String location) {
    assertThat(fieldNames(sd))
        .containsExactly(
            "Columns",
            "Location",
            "InputFormat",
            "OutputFormat",
            "Compressed",
            "NumberOfBuckets",
            "SerdeInfo",
            "BucketColumns",
            "SortColumns",
            "Parameters",
            "StoredAsSubDirectories");
    assertThat(sd.get("Columns")).hasSize(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      assertThat(fieldNames(sd.get("Columns").get(i))).containsExactly("Name", "Type");
      assertThat(sd.get("Columns").get(i).get("Name").asText())
          .isEqualTo(columns.column(i).name());
      assertThat(sd.get("Columns").get(i).get("Type").asText())
          .isEqualTo(columns.column(i).type().hiveName());
    }
    assertThat(sd.get("Location").asText()).isEqualTo(location);
    assertThat(sd.get("InputFormat").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    assertThat(sd.get("OutputFormat").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
    assertThat(sd.get("Compressed").isBoolean()).isTrue();
    assertThat(sd.get("Compressed").asBoolean()).isFalse();
    assertThat(sd.get("NumberOfBuckets").isInt()).isTrue();
    assertThat(sd.get("NumberOfBuckets").asInt()).isEqualTo(-1);
    assertThat(sd.get("SerdeInfo").get("SerializationLibrary").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    assertThat(sd.get("SerdeInfo").get("Parameters").get("serialization.format").asText())
        .isEqualTo("1");
    assertThat(sd.get("BucketColumns").isArray()).isTrue();
    assertThat(sd.get("BucketColumns")).isEmpty();
    assertThat(sd.get("SortColumns")).isEmpty();
    assertThat(sd.get("Parameters").isObject()).isTrue();
    assertThat(sd.get("StoredAsSubDirectories").asBoolean()).isFalse();
  }

  @Test
  void tableJson_hasTheShapeOfGlueGetTable_fieldByField() throws Exception {
    catalog.register(TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(BASE)
        .partitionKeys(List.of("year"))
        .addPartition(partition("2015"))
        .parameter("inlet.source", "x")
        .build());

    JsonNode out = JSON.readTree(local().tableJson(table).orElseThrow());
    assertThat(fieldNames(out)).containsExactly("Table");
    JsonNode t = out.get("Table");
    assertThat(fieldNames(t))
        .containsExactly(
            "Name",
            "DatabaseName",
            "CreateTime",
            "UpdateTime",
            "Retention",
            "StorageDescriptor",
            "PartitionKeys",
            "TableType",
            "Parameters",
            "IsRegisteredWithLakeFormation",
            "VersionId");
    assertThat(t.get("Name").asText()).isEqualTo("service_requests");
    assertThat(t.get("DatabaseName").asText()).isEqualTo(database);
    assertThat(t.get("CreateTime").asText()).matches(TIME);
    assertThat(t.get("UpdateTime").asText()).matches(TIME);
    assertThat(t.get("Retention").asInt()).isZero();
    assertParquetStorageDescriptor(t.get("StorageDescriptor"), BASE, location(table));
    assertThat(t.get("PartitionKeys")).hasSize(1);
    assertThat(t.get("PartitionKeys").get(0).get("Name").asText()).isEqualTo("year");
    assertThat(t.get("PartitionKeys").get(0).get("Type").asText()).isEqualTo("string");
    assertThat(t.get("TableType").asText()).isEqualTo("EXTERNAL_TABLE");
    assertThat(t.get("Parameters").get("classification").asText()).isEqualTo("parquet");
    assertThat(t.get("Parameters").get("EXTERNAL").asText()).isEqualTo("TRUE");
    assertThat(t.get("Parameters").get("inlet.source").asText()).isEqualTo("x");
    assertThat(t.get("IsRegisteredWithLakeFormation").asBoolean()).isFalse();
    assertThat(t.get("VersionId").isTextual()).isTrue();
    assertThat(t.get("VersionId").asText()).isEqualTo("0");
  }

  @Test
  void partitionsJson_hasTheShapeOfGlueGetPartitions_withTheTableColumns() throws Exception {
    catalog.register(registration(BASE, partition("2016"), partition("2015")));
    Schema evolved = Schema.builder()
        .column("case_enquiry_id", ColumnType.BIGINT)
        .column("open_dt", ColumnType.TIMESTAMP)
        .column("subject", ColumnType.STRING)
        .column("source", ColumnType.STRING)
        .build();
    catalog.register(registration(evolved, partition("2017")));

    JsonNode out = JSON.readTree(local().partitionsJson(table).orElseThrow());
    assertThat(fieldNames(out)).containsExactly("Partitions");
    JsonNode parts = out.get("Partitions");
    assertThat(parts).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode p = parts.get(i);
      String year = Integer.toString(2015 + i);
      assertThat(fieldNames(p))
          .containsExactly(
              "Values",
              "DatabaseName",
              "TableName",
              "CreationTime",
              "StorageDescriptor",
              "Parameters");
      assertThat(p.get("Values")).hasSize(1);
      assertThat(p.get("Values").get(0).asText()).isEqualTo(year);
      assertThat(p.get("DatabaseName").asText()).isEqualTo(database);
      assertThat(p.get("TableName").asText()).isEqualTo("service_requests");
      assertThat(p.get("CreationTime").asText()).matches(TIME);
      assertParquetStorageDescriptor(
          p.get("StorageDescriptor"), evolved, location(table) + "year=" + year + "/");
    }
  }

  @Test
  void file_isWhereTheLayoutSays_andReadsBackThroughGlueShapes() throws Exception {
    Table registered = catalog.register(registration(BASE, partition("2015")));
    assertThat(local().tableFile(table)).isEqualTo(file());
    JsonNode doc = JSON.readTree(file().toFile());
    assertThat(fieldNames(doc)).containsExactly("Table", "Partitions");
    Table read = GlueJson.table(doc);
    assertThat(read.id()).isEqualTo(registered.id());
    assertThat(read.schema()).isEqualTo(registered.schema());
    assertThat(read.parameters()).isEqualTo(registered.parameters());
    assertThat(read.version()).isEqualTo(registered.version());
    assertThat(read.updateTime()).isEqualTo(registered.updateTime());
    assertThat(GlueJson.partition(doc.get("Partitions").get(0))).isEqualTo(partition("2015"));
  }

  @Test
  void tableJson_whenAbsent_isEmpty() {
    assertThat(local().tableJson(table)).isEmpty();
    assertThat(local().partitionsJson(table)).isEmpty();
  }

  @Test
  void writes_leaveNoTemporaryFiles() throws Exception {
    catalog.register(registration(BASE, partition("2015")));
    catalog.register(registration(BASE, partition("2016")));
    assertThatThrownBy(
            () -> catalog.register(registration(Schema.of(Column.of("subject", ColumnType.INT)))))
        .isInstanceOf(SchemaMismatchException.class);
    try (Stream<Path> files = Files.list(file().getParent())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("service_requests.json", "service_requests.json.lock");
    }
  }

  @Test
  void rejectedRegistration_leavesFileByteForByte() throws Exception {
    catalog.register(registration(BASE, partition("2015")));
    byte[] before = Files.readAllBytes(file());
    assertThatThrownBy(
            () -> catalog.register(registration(Schema.of(Column.of("open_dt", ColumnType.DATE)))))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage("Cannot register " + table
            + ": column open_dt is date in the file but timestamp in the catalog");
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
  }

  @Test
  void unchangedRegistration_doesNotRewriteTheFile() throws Exception {
    catalog.register(registration(BASE, partition("2015")));
    FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(file(), past);
    catalog.register(registration(BASE, partition("2015")));
    assertThat(Files.getLastModifiedTime(file())).isEqualTo(past);
  }

  @Test
  void commit_withStaleVersion_failsWithConflict_andWritesNothing() throws Exception {
    catalog.register(registration(BASE, partition("2015")));
    catalog.register(registration(BASE, partition("2016")));
    byte[] before = Files.readAllBytes(file());
    LocalCatalog.Entry state = new LocalCatalog.Entry(
        Table.builder().id(table).location("s3://x/").schema(BASE).build(),
        Instant.now(),
        List.of());

    assertThatThrownBy(() -> local().commit(table, "0", state))
        .isInstanceOf(CommitConflictException.class)
        .hasMessage("Cannot register " + table
            + ": the catalog entry changed from version 0 to 1 while registering;"
            + " re-run to retry");
    assertThatThrownBy(() -> local().commit(table, null, state))
        .isInstanceOf(CommitConflictException.class)
        .hasMessageContaining("from version none to 1");
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
  }

  @Test
  void concurrentWriters_registeringDifferentPartitions_loseNoUpdate() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Table>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        // Separate catalog instances, as separate pipelines would have.
        Catalog writer = newCatalog(EvolutionPolicy.UPDATE);
        String year = Integer.toString(2010 + i);
        results.add(pool.submit(() -> {
          start.await();
          return writer.register(registration(BASE, partition(year)));
        }));
      }
      start.countDown();
      for (Future<Table> r : results) {
        r.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Partition> expected = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      expected.add(partition(Integer.toString(2010 + i)));
    }
    assertThat(catalog.partitions(table)).containsExactlyElementsOf(expected);
    assertThat(catalog.loadTable(table).orElseThrow().version())
        .isEqualTo(Integer.toString(writers - 1));
  }

  @Test
  void corruptFile_failsNamingTheFile() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{not json");
    assertThatThrownBy(() -> catalog.loadTable(table))
        .isInstanceOf(InletException.class)
        .hasMessageStartingWith("Cannot read catalog entry " + file());
  }

  @Test
  void listTables_ignoresLockAndTemporaryFiles() throws Exception {
    catalog.register(registration(BASE));
    Files.writeString(file().resolveSibling(".service_requests.json.123.tmp"), "{}");
    assertThat(catalog.listTables(database)).containsExactly(table);
  }

  @Test
  void ddl_printsTheAthenaCreateStatement_orNamesTheMissingTable() {
    catalog.register(registration(BASE));
    assertThat(local().ddl(table))
        .startsWith("CREATE EXTERNAL TABLE `" + database + "`.`service_requests`")
        .contains("STORED AS PARQUET")
        .contains("LOCATION '" + location(table) + "'");
    assertThatThrownBy(() -> local().ddl(TableId.of(database, "nope")))
        .isInstanceOf(InletException.class)
        .hasMessageContaining("no such table");
  }

  @Test
  void listDatabases_namesOnlyDatabasesWithTables() throws Exception {
    assertThat(local().listDatabases()).isEmpty();
    catalog.register(registration(BASE));
    Files.createDirectories(warehouse.resolve("_catalog").resolve("emptydb"));
    assertThat(local().listDatabases()).containsExactly(database);
  }

  @Test
  void builder_withoutWarehouse_failsAtBuild_andRejectsNullPolicy() {
    assertThatThrownBy(() -> LocalCatalog.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("warehouse");
    assertThatThrownBy(() -> LocalCatalog.builder().evolutionPolicy(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LocalCatalog.at(warehouse).evolutionPolicy()).isEqualTo(EvolutionPolicy.UPDATE);
  }

  @Test
  void partitionWithParameters_roundTrips() {
    Partition p = new Partition(
        List.of("2015"), location(table) + "year=2015/", Map.of("inlet.etag", "\"abc\""));
    catalog.register(registration(BASE, p));
    assertThat(catalog.partitions(table)).containsExactly(p);
    assertThat(catalog.loadTable(table).orElseThrow().schema().column("open_dt"))
        .contains(Column.of("open_dt", ColumnType.TIMESTAMP));
  }

  @Test
  void register_whenAnotherProcessHoldsTheTableLock_failsAtTheLockTimeout_insteadOfWaitingForever()
      throws Exception {
    TableId id = TableId.of("db", "held");
    Path lockFile = warehouse.resolve("_catalog/db/held.json.lock");
    java.nio.file.Files.createDirectories(lockFile.getParent());
    Process holder = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            HoldLockMain.class.getName(),
            lockFile.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))
              .readLine())
          .isEqualTo("locked");
      LocalCatalog catalog = LocalCatalog.builder()
          .warehouse(warehouse)
          .lockTimeout(java.time.Duration.ofMillis(300))
          .build();
      long start = System.nanoTime();
      assertThatThrownBy(() -> catalog.register(TableRegistration.builder()
              .table(id)
              .location(warehouse.resolve("bronze/db/held").toUri().toString())
              .schema(Schema.builder().column("a", ColumnType.STRING).build())
              .build()))
          .isInstanceOf(CommitConflictException.class)
          .hasMessageContaining("another process has held the catalog lock")
          .hasMessageContaining("rerun");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(java.time.Duration.ofSeconds(5));
      assertThat(catalog.loadTable(id)).isEmpty();
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      holder.destroyForcibly();
    }
  }
}
