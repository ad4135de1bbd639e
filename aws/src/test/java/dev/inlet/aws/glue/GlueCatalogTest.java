package dev.inlet.aws.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.inlet.testkit.aws.FakeGlue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.ThrottlingException;

class GlueCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TableId SR = TableId.of("boston311", "service_requests");
  private static final String LOCATION = "s3://lake/inlet/bronze/service_requests/";

  private FakeGlue fake;
  private GlueClient client;
  private GlueCatalog catalog;

  @BeforeEach
  void start() {
    fake = FakeGlue.start();
    client = fake.client();
    catalog =
        GlueCatalog.builder().client(client).retryBackoff(Duration.ofMillis(1)).build();
  }

  @AfterEach
  void stop() {
    catalog.close();
    client.close();
    fake.close();
  }

  @Test
  void register_newTable_createsDatabaseAndExactlyTheTableAthenaNeeds() {
    Table table = catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));

    assertThat(fake.operations())
        .containsExactly(
            "GetTable",
            "GetDatabase",
            "CreateDatabase",
            "CreateTable",
            "GetTable",
            "BatchCreatePartition");
    assertThat(fake.calls("CreateDatabase").get(0).body())
        .isEqualTo(json("{\"DatabaseInput\": {\"Name\": \"boston311\"}}"));
    JsonNode create = fake.calls("CreateTable").get(0).body();
    assertThat(create.get("DatabaseName").asText()).isEqualTo("boston311");
    assertThat(create.get("TableInput"))
        .isEqualTo(json("""
        {"Name": "service_requests",
         "TableType": "EXTERNAL_TABLE",
         "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE", "inlet.source": "ckan"},
         "StorageDescriptor": %s,
         "PartitionKeys": [{"Name": "year", "Type": "string"}]}
        """.formatted(storageDescriptor(LEGACY_30_COLUMNS, LOCATION))));
    assertThat(table.version()).isEqualTo("0");
    assertThat(table.schema()).isEqualTo(Boston311Schemas.LEGACY_30);
    assertThat(table.partitionKeys()).containsExactly(Column.of("year", ColumnType.STRING));
    assertThat(table.location()).isEqualTo(LOCATION);
    assertThat(table.parameters())
        .containsEntry("classification", "parquet")
        .containsEntry("EXTERNAL", "TRUE");
  }

  @Test
  void register_partitions_sendsPartitionInputWithTableColumnsOwnLocationAndParameters() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015, 2016));

    JsonNode batch = fake.calls("BatchCreatePartition").get(0).body();
    assertThat(batch.get("DatabaseName").asText()).isEqualTo("boston311");
    assertThat(batch.get("TableName").asText()).isEqualTo("service_requests");
    assertThat(batch.get("PartitionInputList"))
        .isEqualTo(json("[%s, %s]"
            .formatted(
                partitionInput("2015", LEGACY_30_COLUMNS),
                partitionInput("2016", LEGACY_30_COLUMNS))));
    assertThat(catalog.partitions(SR)).containsExactly(partition("2015"), partition("2016"));
  }

  @Test
  void register_moreThan100Partitions_createsThemInChunksOf100() {
    fake.pageSize(40);
    catalog.register(registration(Boston311Schemas.LEGACY_29, rangeOfYears(1800, 250)));

    assertThat(fake.calls("BatchCreatePartition"))
        .extracting(c -> c.body().get("PartitionInputList").size())
        .containsExactly(100, 100, 50);
    List<Partition> partitions = catalog.partitions(SR);
    assertThat(partitions).hasSize(250);
    assertThat(partitions.get(0).values()).containsExactly("1800");
    assertThat(partitions.get(249).values()).containsExactly("2049");
    assertThat(fake.calls("GetPartitions").size()).isGreaterThanOrEqualTo(7);
  }

  @Test
  void register_sameRegistrationAgain_makesNoWriteCall() {
    Table first = catalog.register(registration(Boston311Schemas.LEGACY_30, 2015, 2016));
    fake.clearCalls();

    Table second = catalog.register(registration(Boston311Schemas.LEGACY_30, 2016, 2015));

    assertThat(fake.writes()).isEmpty();
    assertThat(second.version()).isEqualTo(first.version());
    assertThat(second.schema()).isEqualTo(first.schema());
  }

  @Test
  void register_newPartitionOnly_rewritesTheUnchangedTableUnderItsVersion_thenAddsThePartition() {
    Table first = catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    JsonNode before = fake.table("boston311", "service_requests");
    fake.clearCalls();

    Table second = catalog.register(registration(Boston311Schemas.LEGACY_30, 2016));

    assertThat(fake.operations())
        .containsExactly(
            "GetTable", "GetPartitions", "UpdateTable", "BatchCreatePartition", "GetTable");
    JsonNode update = fake.calls("UpdateTable").get(0).body();
    assertThat(update.get("VersionId").asText()).isEqualTo(first.version());
    for (String field :
        List.of("Name", "TableType", "Parameters", "StorageDescriptor", "PartitionKeys")) {
      assertThat(update.get("TableInput").get(field)).as(field).isEqualTo(before.get(field));
    }
    assertThat(second.version()).isNotEqualTo(first.version());
    assertThat(catalog.partitions(SR)).containsExactly(partition("2015"), partition("2016"));
  }

  @Test
  void register_30ColumnsAfter29_addsGeomAndGivesEveryPartitionTheTableColumns() {
    catalog.register(registration(Boston311Schemas.LEGACY_29, 2015, 2016));
    fake.clearCalls();

    Table evolved = catalog.register(registration(Boston311Schemas.LEGACY_30, 2017));

    List<Column> expected = new ArrayList<>(Boston311Schemas.LEGACY_29.columns());
    expected.add(Column.of("geom_4326", ColumnType.STRING));
    assertThat(evolved.schema().columns()).containsExactlyElementsOf(expected);
    assertThat(evolved.version()).isEqualTo("1");
    JsonNode update = fake.calls("UpdateTable").get(0).body();
    assertThat(update.get("VersionId").asText()).isEqualTo("0");
    assertThat(update.get("TableInput").get("StorageDescriptor").get("Columns"))
        .isEqualTo(json(columnsJson(expected)));
    assertThat(update.get("TableInput").get("PartitionKeys"))
        .isEqualTo(json("[{\"Name\":\"year\",\"Type\":\"string\"}]"));
    assertThat(update.get("TableInput").get("TableType").asText()).isEqualTo("EXTERNAL_TABLE");
    JsonNode entries = fake.calls("BatchUpdatePartition").get(0).body().get("Entries");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).get("PartitionValueList")).isEqualTo(json("[\"2015\"]"));
    assertThat(entries.get(0).get("PartitionInput"))
        .isEqualTo(json(partitionInput("2015", columnsJson(expected))));
    for (ObjectNode p : fake.partitions("boston311", "service_requests")) {
      assertThat(p.get("StorageDescriptor").get("Columns"))
          .as("columns of %s", p.get("Values"))
          .isEqualTo(json(columnsJson(expected)));
    }
    assertThat(fake.partitions("boston311", "service_requests")).hasSize(3);

    fake.clearCalls();
    catalog.register(registration(Boston311Schemas.LEGACY_29, 2015));
    assertThat(fake.writes()).as("an older 29-column file changes nothing").isEmpty();
  }

  @Test
  void register_typeChange_isRejectedWithTheSharedMessageAndWritesNothing() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    fake.clearCalls();
    List<Column> cols = new ArrayList<>(Boston311Schemas.LEGACY_30.columns());
    cols.set(
        Boston311Schemas.LEGACY_30.indexOf("latitude"), Column.of("latitude", ColumnType.STRING));

    assertThatThrownBy(() -> catalog.register(registration(Schema.of(cols), 2016)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(
            "Cannot register boston311.service_requests: column latitude is string in the file but double"
                + " in the catalog");
    assertThat(fake.writes()).isEmpty();
  }

  @Test
  void register_widening_underAddColumnsOnly_isRejected_underUpdate_widens() {
    Schema narrow = Schema.of(Column.of("n", ColumnType.INT));
    Schema wide = Schema.of(Column.of("n", ColumnType.BIGINT));
    catalog.register(registration(narrow));
    try (GlueCatalog strict = GlueCatalog.builder()
        .client(client)
        .evolutionPolicy(EvolutionPolicy.ADD_COLUMNS_ONLY)
        .build()) {
      assertThatThrownBy(() -> strict.register(registration(wide)))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessage(
              "Cannot register boston311.service_requests: column n is bigint in the file but int in the"
                  + " catalog");
    }

    assertThat(catalog.register(registration(wide)).schema()).isEqualTo(wide);
  }

  @Test
  void register_partitionKeysChanged_isRejected() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));

    TableRegistration other = TableRegistration.builder()
        .table(SR)
        .location(LOCATION)
        .schema(Boston311Schemas.LEGACY_30)
        .partitionKeys(List.of("year", "month"))
        .build();
    assertThatThrownBy(() -> catalog.register(other))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("partition keys [year, month] differ from the catalog's [year]");
  }

  @Test
  void register_whenUpdateTableLosesARace_rereadsAndRetriesWithTheNewVersion() {
    catalog.register(registration(Boston311Schemas.LEGACY_29, 2015));
    fake.beforeNext("UpdateTable", f -> f.bumpVersion("boston311", "service_requests"));
    fake.clearCalls();

    Table table = catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));

    assertThat(fake.calls("UpdateTable"))
        .extracting(c -> c.body().get("VersionId").asText())
        .containsExactly("0", "1");
    assertThat(table.version()).isEqualTo("2");
    assertThat(table.schema().column("geom_4326")).isPresent();
  }

  @Test
  void register_whenConflictsOutlastRetries_throwsCommitConflictAndLeavesTheTable() {
    catalog.register(registration(Boston311Schemas.LEGACY_29, 2015));
    fake.failNext("UpdateTable", 3, "ConcurrentModificationException");
    try (GlueCatalog twoRetries = GlueCatalog.builder()
        .client(client)
        .maxRetries(2)
        .retryBackoff(Duration.ofMillis(1))
        .build()) {

      assertThatThrownBy(() -> twoRetries.register(registration(Boston311Schemas.LEGACY_30, 2015)))
          .isInstanceOf(CommitConflictException.class)
          .hasMessageStartingWith(
              "Cannot register boston311.service_requests: another writer changed the table at"
                  + " each of 3 attempts (last: UpdateTable failed with ConcurrentModificationException");
    }
    assertThat(fake.calls("UpdateTable")).hasSize(3);
    assertThat(fake.table("boston311", "service_requests").get("VersionId").asText())
        .isEqualTo("0");
  }

  @Test
  void register_whenThrottledOnce_succeedsThroughTheSdkRetry() {
    fake.failNext("GetTable", 1, "ThrottlingException");

    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));

    assertThat(fake.table("boston311", "service_requests")).isNotNull();
  }

  @Test
  void
      register_whenThrottlingOutlastsTheClientsRetries_surfacesInletExceptionWithCause_notRetriedAgain() {
    try (GlueClient twoAttempts = fake.client(b -> b.overrideConfiguration(
            o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(2)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                .build())));
        GlueCatalog throttled = GlueCatalog.builder()
            .client(twoAttempts)
            .maxRetries(1)
            .retryBackoff(Duration.ofMillis(1))
            .build()) {
      fake.failNext("GetTable", 5, "ThrottlingException");

      assertThatThrownBy(() -> throttled.register(registration(Boston311Schemas.LEGACY_30, 2015)))
          .isExactlyInstanceOf(InletException.class)
          .hasMessageStartingWith(
              "Cannot register boston311.service_requests: Glue GetTable failed with"
                  + " ThrottlingException: Injected fault for GetTable; Glue kept throttling after the client's retries")
          .hasCauseInstanceOf(ThrottlingException.class);
      assertThat(fake.calls("GetTable"))
          .as("the client's 2 attempts, not multiplied by the catalog")
          .hasSize(2);
    }
  }

  @Test
  void register_whenThrottled_isRetriedByTheClientsStrategyAlone_andSucceeds() {
    try (GlueClient fourAttempts = fake.client(b -> b.overrideConfiguration(
            o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(4)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                .build())));
        GlueCatalog throttled = GlueCatalog.builder()
            .client(fourAttempts)
            .retryBackoff(Duration.ofMillis(1))
            .build()) {
      fake.failNext("UpdateTable", 3, "ThrottlingException");
      throttled.register(registration(Boston311Schemas.LEGACY_30, 2015));
      throttled.register(registration(Boston311Schemas.LEGACY_30, 2016));

      assertThat(fake.calls("UpdateTable")).hasSize(4);
      assertThat(throttled.partitions(TableId.of("boston311", "service_requests")))
          .hasSize(2);
    }
  }

  @Test
  void register_accessDenied_namesTheMissingPermission() {
    fake.failNext("CreateTable", 1, "AccessDeniedException");

    assertThatThrownBy(() -> catalog.register(registration(Boston311Schemas.LEGACY_30)))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot register boston311.service_requests: Glue CreateTable failed with AccessDeniedException:"
                + " Injected fault for CreateTable; grant glue:CreateTable on the catalog, database and table");
  }

  @Test
  void register_existingPartitionElsewhere_isRepointedOnlyWhenItDiffers() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    fake.clearCalls();
    TableRegistration moved = base(Boston311Schemas.LEGACY_30)
        .addPartition(new Partition(
            List.of("2015"), LOCATION + "year=2015-v2/", Map.of("inlet.file", "b.csv")))
        .build();

    catalog.register(moved);
    assertThat(fake.operations()).doesNotContain("BatchCreatePartition");
    JsonNode entry =
        fake.calls("BatchUpdatePartition").get(0).body().get("Entries").get(0);
    assertThat(
            entry.get("PartitionInput").get("StorageDescriptor").get("Location").asText())
        .isEqualTo(LOCATION + "year=2015-v2/");
    assertThat(entry.get("PartitionInput").get("Parameters"))
        .isEqualTo(json("{\"inlet.file\":\"b.csv\"}"));

    fake.clearCalls();
    catalog.register(moved);
    assertThat(fake.writes()).isEmpty();
  }

  @Test
  void register_partitionAddedConcurrently_isRepointedAfterAlreadyExists() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    fake.beforeNext(
        "BatchCreatePartition",
        f -> f.putPartition("boston311", "service_requests", List.of("2016"), "s3://elsewhere/"));

    catalog.register(registration(Boston311Schemas.LEGACY_30, 2016));

    assertThat(fake.operations()).contains("GetPartition", "BatchUpdatePartition");
    assertThat(catalog.partitions(SR)).containsExactly(partition("2015"), partition("2016"));
  }

  @Test
  void register_partitionItemError_failsNamingThePartitionAndError() {
    fake.failPartitionItem(List.of("2016"), "ResourceNumberLimitExceededException");

    assertThatThrownBy(() -> catalog.register(registration(Boston311Schemas.LEGACY_30, 2015, 2016)))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot register boston311.service_requests: Glue could not add partition [2016]:"
                + " ResourceNumberLimitExceededException: Injected item fault; partitions registered before it are kept,"
                + " re-run to complete");
  }

  @Test
  void register_withPartitionProjection_setsProjectionParameters() {
    try (GlueCatalog projected = GlueCatalog.builder()
        .client(client)
        .partitionProjection(PartitionProjection.years(2011, 2030))
        .build()) {
      projected.register(registration(Boston311Schemas.LEGACY_30, 2015));
    }

    assertThat(fake.calls("CreateTable").get(0).body().get("TableInput").get("Parameters"))
        .isEqualTo(json("""
        {"classification": "parquet", "EXTERNAL": "TRUE", "inlet.source": "ckan",
         "projection.enabled": "true", "projection.year.type": "integer", "projection.year.range": "2011,2030",
         "storage.location.template": "s3://lake/inlet/bronze/service_requests/year=${year}/"}
        """));
  }

  @Test
  void register_withPartitionProjection_onExistingTable_addsParametersOnce() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    try (GlueCatalog projected = GlueCatalog.builder()
        .client(client)
        .partitionProjection(PartitionProjection.years(2011, 2030))
        .build()) {
      fake.clearCalls();
      Table t = projected.register(registration(Boston311Schemas.LEGACY_30, 2015));
      assertThat(fake.operations()).containsOnlyOnce("UpdateTable");
      assertThat(t.parameters()).containsEntry("projection.year.range", "2011,2030");
      fake.clearCalls();
      projected.register(registration(Boston311Schemas.LEGACY_30, 2015));
      assertThat(fake.writes()).isEmpty();
    }
  }

  @Test
  void register_withCatalogId_sendsItOnEveryCall() {
    try (GlueCatalog other =
        GlueCatalog.builder().client(client).catalogId("123456789012").build()) {
      other.register(registration(Boston311Schemas.LEGACY_30, 2015));
    }

    assertThat(fake.calls())
        .allSatisfy(c -> assertThat(c.body().path("CatalogId").asText())
            .as(c.operation())
            .isEqualTo("123456789012"));
  }

  @Test
  void loadTable_partitions_listTables_whenAbsent_areEmpty() {
    assertThat(catalog.loadTable(SR)).isEmpty();
    assertThat(catalog.partitions(SR)).isEmpty();
    assertThat(catalog.listTables("boston311")).isEmpty();
  }

  @Test
  void listTables_pagesThroughAndSortsByName() {
    fake.pageSize(2);
    for (String name : List.of("zeta", "alpha", "mid", "beta", "gamma")) {
      catalog.register(TableRegistration.builder()
          .table(TableId.of("boston311", name))
          .location("s3://b/" + name + "/")
          .schema(Schema.of(Column.of("x", ColumnType.STRING)))
          .build());
    }

    assertThat(catalog.listTables("boston311"))
        .extracting(TableId::table)
        .containsExactly("alpha", "beta", "gamma", "mid", "zeta");
    assertThat(catalog.listTables("other")).isEmpty();
  }

  @Test
  void loadTable_tableWithTypeInletCannotRead_failsNamingTheColumn() {
    fake.putTable("boston311", json("""
        {"Name": "nested", "StorageDescriptor": {"Location": "s3://b/n/",
          "Columns": [{"Name": "tags", "Type": "uniontype<int,string>"}]}}
        """));

    assertThatThrownBy(() -> catalog.loadTable(TableId.of("boston311", "nested")))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot load boston311.nested: column tags has Glue type uniontype<int,string>, which Inlet does not"
                + " support");
  }

  @Test
  void ddl_printsTheRegisteredTable() {
    catalog.register(registration(
        Schema.of(
            Column.of("case_enquiry_id", ColumnType.BIGINT),
            Column.of("latitude", ColumnType.DOUBLE)),
        2015));

    assertThat(catalog.ddl(SR)).isEqualTo("""
        CREATE EXTERNAL TABLE `boston311`.`service_requests` (
          `case_enquiry_id` bigint,
          `latitude` double
        )
        PARTITIONED BY (
          `year` string
        )
        STORED AS PARQUET
        LOCATION 's3://lake/inlet/bronze/service_requests/'
        TBLPROPERTIES (
          'classification'='parquet',
          'inlet.source'='ckan'
        )
        """);
    assertThatThrownBy(() -> catalog.ddl(TableId.of("boston311", "absent")))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot print the DDL of boston311.absent: no such table in the catalog; register it first");
  }

  @Test
  void close_leavesAProvidedClientOpen() {
    catalog.register(base(Schema.of(Column.of("x", ColumnType.STRING))).build());
    catalog.close();

    assertThat(client.getTables(r -> r.databaseName("boston311")).tableList()).hasSize(1);
  }

  @Test
  void builder_rejectsBadValues() {
    assertThatThrownBy(() -> GlueCatalog.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GlueCatalog.builder().catalogId("abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GlueCatalog.builder().client(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PartitionProjection.years(2030, 2011))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers
  // ----------------------------------------------------------------------------------------------------

  private static final String LEGACY_30_COLUMNS = columnsJson(Boston311Schemas.LEGACY_30.columns());

  private static TableRegistration.Builder base(Schema schema) {
    return TableRegistration.builder()
        .table(SR)
        .location(LOCATION)
        .schema(schema)
        .partitionKeys(List.of("year"))
        .parameter("inlet.source", "ckan");
  }

  @Test
  void
      guardedRepoint_whenAnotherRunRepointsAfterThePlan_failsWithTheConflict_beforeWritingAPartition() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    String read = LOCATION + "year=2015/";
    String other = LOCATION + "year=2015/v-other/";
    // The other run's partition write lands between this run's plan (GetPartitions) and its
    // partition writes.
    fake.beforeNext(
        "UpdateTable",
        f -> f.putPartition("boston311", "service_requests", List.of("2015"), other));
    TableRegistration mine = base(Boston311Schemas.LEGACY_30)
        .addPartition(new Partition(
            List.of("2015"), LOCATION + "year=2015/v-mine/", Map.of("inlet.file", "b")))
        .expectLocation(List.of("2015"), read)
        .build();
    fake.clearCalls();

    assertThatThrownBy(() -> catalog.register(mine))
        .isInstanceOf(CommitConflictException.class)
        .hasMessage(
            "Cannot repoint partition year=2015 of boston311.service_requests: expected it at "
                + read
                + " but the catalog has it at " + other
                + "; another run replaced it; rerun to ingest over the newer"
                + " data");
    assertThat(catalog.partitions(SR)).extracting(Partition::location).containsExactly(other);
    assertThat(fake.calls("BatchUpdatePartition")).isEmpty();
    assertThat(fake.calls("BatchCreatePartition")).isEmpty();
  }

  @Test
  void guardedRepoint_ofAPartitionAlreadyMoved_failsAtThePlan_withoutAnyWrite() {
    catalog.register(registration(Boston311Schemas.LEGACY_30, 2015));
    fake.clearCalls();
    TableRegistration stale = base(Boston311Schemas.LEGACY_30)
        .addPartition(new Partition(List.of("2015"), LOCATION + "year=2015/v-mine/", Map.of()))
        .expectLocation(List.of("2015"), LOCATION + "year=2015/v-gone/")
        .build();

    assertThatThrownBy(() -> catalog.register(stale))
        .isInstanceOf(CommitConflictException.class)
        .hasMessageContaining("another run replaced it; rerun");
    assertThat(fake.writes()).isEmpty();
  }

  private static TableRegistration registration(Schema schema, int... years) {
    TableRegistration.Builder b = base(schema);
    for (int y : years) {
      b.addPartition(partition(Integer.toString(y)));
    }
    return b.build();
  }

  private static int[] rangeOfYears(int first, int count) {
    int[] years = new int[count];
    for (int i = 0; i < count; i++) {
      years[i] = first + i;
    }
    return years;
  }

  private static Partition partition(String year) {
    return new Partition(
        List.of(year), LOCATION + "year=" + year + "/", Map.of("inlet.file", year + ".csv"));
  }

  private static String columnsJson(List<Column> columns) {
    ArrayNode a = JSON.createArrayNode();
    columns.forEach(
        c -> a.addObject().put("Name", c.name()).put("Type", c.type().hiveName()));
    return a.toString();
  }

  private static String storageDescriptor(String columns, String location) {
    return """
        {"Columns": %s,
         "Location": "%s",
         "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
         "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
         "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                       "Parameters": {"serialization.format": "1"}}}
        """.formatted(columns, location);
  }

  private static String partitionInput(String year, String columns) {
    return """
        {"Values": ["%s"], "StorageDescriptor": %s, "Parameters": {"inlet.file": "%s.csv"}}
        """.formatted(year, storageDescriptor(columns, LOCATION + "year=" + year + "/"), year);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Bad JSON in test: " + text, e);
    }
  }
}
