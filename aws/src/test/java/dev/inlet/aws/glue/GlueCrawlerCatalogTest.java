package dev.inlet.aws.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.EvolutionPolicy;
import dev.inlet.InletException;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.FakeGlue.CrawlScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;

class GlueCrawlerCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TableId SR = TableId.of("boston311", "service_requests");
  private static final String LOCATION = "s3://lake/inlet/bronze/service_requests/";
  private static final String ROLE = "arn:aws:iam::123456789012:role/inlet-crawler";
  private static final String CRAWLER = "inlet-boston311-service_requests";

  private FakeGlue fake;
  private GlueClient client;
  private GlueCrawlerCatalog catalog;

  @BeforeEach
  void start() {
    fake = FakeGlue.start();
    client = fake.client();
    catalog = crawlerCatalog(EvolutionPolicy.UPDATE);
  }

  @AfterEach
  void stop() {
    catalog.close();
    client.close();
    fake.close();
  }

  private GlueCrawlerCatalog crawlerCatalog(EvolutionPolicy policy) {
    return GlueCrawlerCatalog.builder()
        .client(client)
        .role(ROLE)
        .evolutionPolicy(policy)
        .pollInterval(Duration.ofMillis(1))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void registerThenFlush_createsCrawlerForTheLocation_startsIt_waitsUntilReady() throws Exception {
    fake.scriptCrawler(
        CRAWLER, CrawlScript.succeeding(1, 0).then(f -> f.putTable("boston311", crawledTable())));

    catalog.register(registration(Boston311Schemas.LEGACY_30));
    catalog.register(registration(Boston311Schemas.LEGACY_30));
    assertThat(fake.operations()).doesNotContain("CreateCrawler", "StartCrawler");
    catalog.flush(SR);
    assertThat(fake.calls("StartCrawler")).hasSize(1);
    Table table = catalog.loadTable(SR).orElseThrow();

    assertThat(table.id()).isEqualTo(SR);
    assertThat(table.schema()).isEqualTo(Boston311Schemas.LEGACY_30);
    JsonNode create = fake.calls("CreateCrawler").get(0).body();
    assertThat(create).isEqualTo(JSON.readTree("""
        {"Name": "inlet-boston311-service_requests",
         "Role": "arn:aws:iam::123456789012:role/inlet-crawler",
         "DatabaseName": "boston311",
         "Description": "Catalogs boston311.service_requests for Inlet",
         "Targets": {"S3Targets": [{"Path": "s3://lake/inlet/bronze/service_requests/"}]},
         "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"},
         "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_EVERYTHING"},
         "Configuration": "{\\"Version\\":1.0,\\"Grouping\\":{\\"TableGroupingPolicy\\":\\"CombineCompatibleSchemas\\"},\\"CrawlerOutput\\":{\\"Partitions\\":{\\"AddOrUpdateBehavior\\":\\"InheritFromTable\\"}}}"}
        """));
    assertThat(fake.operations())
        .containsSubsequence(
            "CreateCrawler",
            "StartCrawler",
            "GetCrawler",
            "GetCrawler",
            "GetCrawler",
            "GetCrawler",
            "GetCrawlerMetrics");
    assertThat(fake.crawler(CRAWLER).get("State").asText()).isEqualTo("READY");
  }

  @Test
  void crawl_reportsStatusAndMetrics() {
    fake.scriptCrawler(CRAWLER, CrawlScript.succeeding(1, 2));

    CrawlResult result = catalog.crawl(SR, LOCATION);

    assertThat(result.crawler()).isEqualTo(CRAWLER);
    assertThat(result.succeeded()).isTrue();
    assertThat(result.status()).isEqualTo("SUCCEEDED");
    assertThat(result.errorMessage()).isNull();
    assertThat(result.tablesCreated()).isEqualTo(1);
    assertThat(result.tablesUpdated()).isEqualTo(2);
  }

  @Test
  void crawl_secondTimeWithSameSettings_doesNotUpdateTheCrawler_butChangedSettingsDo() {
    catalog.crawl(SR, LOCATION);
    catalog.crawl(SR, LOCATION);
    assertThat(fake.operations()).containsOnlyOnce("CreateCrawler").doesNotContain("UpdateCrawler");

    try (GlueCrawlerCatalog addOnly = crawlerCatalog(EvolutionPolicy.ADD_COLUMNS_ONLY)) {
      addOnly.crawl(SR, "s3://lake/moved/service_requests/");
    }

    JsonNode update = fake.calls("UpdateCrawler").get(0).body();
    assertThat(update.get("Targets").get("S3Targets").get(0).get("Path").asText())
        .isEqualTo("s3://lake/moved/service_requests/");
    assertThat(update.get("Configuration").asText())
        .contains("\"Tables\":{\"AddOrUpdateBehavior\":\"MergeNewColumns\"}");
    assertThat(fake.crawler(CRAWLER)
            .get("Targets")
            .get("S3Targets")
            .get(0)
            .get("Path")
            .asText())
        .isEqualTo("s3://lake/moved/service_requests/");
  }

  @Test
  void crawl_underFailPolicy_onlyLogsSchemaChanges() {
    try (GlueCrawlerCatalog strict = crawlerCatalog(EvolutionPolicy.FAIL)) {
      strict.crawl(SR, LOCATION);
    }
    assertThat(fake.crawler(CRAWLER)
            .get("SchemaChangePolicy")
            .get("UpdateBehavior")
            .asText())
        .isEqualTo("LOG");
  }

  @Test
  void flush_whenCrawlFails_reportsTheCrawlerError() {
    fake.scriptCrawler(CRAWLER, CrawlScript.failing("Service is unable to assume provided role"));

    assertThat(catalog.crawl(SR, LOCATION).status()).isEqualTo("FAILED");
    catalog.register(registration(Boston311Schemas.LEGACY_30));
    assertThatThrownBy(() -> catalog.flush(SR))
        .isInstanceOf(InletException.class)
        .hasMessage(
            "Cannot register boston311.service_requests: crawler inlet-boston311-service_requests ended"
                + " FAILED: Service is unable to assume provided role; see its CloudWatch log under /aws-glue/crawlers");
  }

  @Test
  void flush_afterAFailedCrawl_crawlsAgainAtTheNextFlush_andSetsTheRegistrationsParameters() {
    fake.scriptCrawler(CRAWLER, CrawlScript.failing("Service is unable to assume provided role"));
    catalog.register(TableRegistration.builder()
        .table(SR)
        .location(LOCATION)
        .schema(Boston311Schemas.LEGACY_30)
        .partitionKeys(List.of("year"))
        .parameter("inlet.source", "boston311")
        .build());
    assertThatThrownBy(() -> catalog.flush(SR)).isInstanceOf(InletException.class);

    fake.scriptCrawler(
        CRAWLER, CrawlScript.succeeding(1, 0).then(f -> f.putTable("boston311", crawledTable())));
    catalog.flush(SR);

    assertThat(fake.calls("StartCrawler")).hasSize(2);
    assertThat(catalog.loadTable(SR).orElseThrow().parameters())
        .containsEntry("inlet.source", "boston311")
        .containsEntry("classification", "parquet");
    catalog.flush(SR);
    assertThat(fake.calls("StartCrawler")).hasSize(2);
  }

  @Test
  void crawl_whenCrawlerIsAlreadyRunning_waitsForItThenStarts() {
    catalog.crawl(SR, LOCATION);
    fake.startCrawlerElsewhere(CRAWLER);
    fake.clearCalls();

    CrawlResult result = catalog.crawl(SR, LOCATION);

    assertThat(result.succeeded()).isTrue();
    assertThat(fake.operations())
        .containsSubsequence("StartCrawler", "GetCrawler", "StartCrawler", "GetCrawler");
    assertThat(fake.calls("StartCrawler")).hasSize(2);
  }

  @Test
  void crawl_whenNotReadyWithinTimeout_failsAndLeavesTheCrawlerRunning() {
    fake.scriptCrawler(CRAWLER, new CrawlScript(100_000, 0, null, 0, 0, f -> {}));
    try (GlueCrawlerCatalog impatient = GlueCrawlerCatalog.builder()
        .client(client)
        .role(ROLE)
        .pollInterval(Duration.ofMillis(5))
        .timeout(Duration.ofMillis(200))
        .build()) {

      assertThatThrownBy(() -> impatient.crawl(SR, LOCATION))
          .isInstanceOf(InletException.class)
          .hasMessage(
              "Cannot register boston311.service_requests: crawler inlet-boston311-service_requests is"
                  + " still RUNNING after PT0.2S; it keeps running, check it in the Glue console or raise the timeout");
    }
    assertThat(fake.operations()).doesNotContain("StopCrawler");
  }

  @Test
  void flush_whenTheCrawlerRecordsOtherPartitionKeys_failsSayingHowToLayOutTheData()
      throws Exception {
    // What a real crawler makes of year=2015/v-.../part-...parquet: a second partition level.
    fake.scriptCrawler(CRAWLER, CrawlScript.succeeding(1, 0).then(f -> {
      ObjectNode t = (ObjectNode) crawledTable();
      ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("PartitionKeys"))
          .addObject()
          .put("Name", "partition_1")
          .put("Type", "string");
      f.putTable("boston311", t);
    }));

    catalog.register(registration(Boston311Schemas.LEGACY_30));
    assertThatThrownBy(() -> catalog.flush(SR))
        .isInstanceOf(InletException.class)
        .hasMessageContaining(
            "recorded partition keys [year, partition_1] but the data is partitioned by [year]")
        .hasMessageContaining("replaceInPlace()");
  }

  @Test
  void aPipelineWritingVersionFolders_isRefusedAtBuild_beforeAnyGlueCall() {
    try (software.amazon.awssdk.services.s3.S3Client s3 =
        software.amazon.awssdk.services.s3.S3Client.builder()
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
            .forcePathStyle(true)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
            .build()) {
      dev.inlet.Pipeline.Builder versioned = dev.inlet.Pipeline.builder()
          .source(List::of)
          .converter(dev.inlet.boston311.Boston311.legacyConverter())
          .catalog(catalog)
          .table(SR)
          .sink(dev.inlet.aws.s3.S3Sink.builder().client(s3).bucket("lake").build());
      assertThatThrownBy(versioned::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("catalog GlueCrawlerCatalog derives partitions from folders")
          .hasMessageContaining("replaceInPlace()");
      assertThat(fake.operations()).isEmpty();

      dev.inlet.Pipeline inPlace = dev.inlet.Pipeline.builder()
          .source(List::of)
          .converter(dev.inlet.boston311.Boston311.legacyConverter())
          .catalog(catalog)
          .table(SR)
          .sink(dev.inlet.aws.s3.S3Sink.builder()
              .client(s3)
              .bucket("lake")
              .replaceInPlace()
              .build())
          .build();
      assertThat(inPlace).isNotNull();
      assertThat(catalog.needsInPlaceLayout()).isTrue();
    }
  }

  @Test
  void register_forbiddenSchemaChange_failsBeforeStartingACrawler() throws Exception {
    fake.putTable("boston311", crawledTable());
    Schema changed = Schema.of(Column.of("latitude", ColumnType.STRING));

    assertThatThrownBy(() -> catalog.register(registration(changed)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(
            "Cannot register boston311.service_requests: column latitude is string in the file but double"
                + " in the catalog");
    assertThat(fake.operations()).doesNotContain("CreateCrawler", "StartCrawler");
  }

  @Test
  void builder_requiresRole() {
    assertThatThrownBy(() -> GlueCrawlerCatalog.builder().client(client).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("role is missing");
    assertThatThrownBy(() -> GlueCrawlerCatalog.builder().pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static TableRegistration registration(Schema schema) {
    return TableRegistration.builder()
        .table(SR)
        .location(LOCATION)
        .schema(schema)
        .partitionKeys(List.of("year"))
        .build();
  }

  /** The table a crawler records for the 30-column files. */
  private static JsonNode crawledTable() {
    var input = JSON.createObjectNode();
    input.put("Name", "service_requests");
    input.put("TableType", "EXTERNAL_TABLE");
    input.putObject("Parameters").put("classification", "parquet");
    var sd = input.putObject("StorageDescriptor");
    sd.put("Location", LOCATION);
    var cols = sd.putArray("Columns");
    Boston311Schemas.LEGACY_30
        .columns()
        .forEach(
            c -> cols.addObject().put("Name", c.name()).put("Type", c.type().hiveName()));
    input.putArray("PartitionKeys").addObject().put("Name", "year").put("Type", "string");
    return input;
  }
}
