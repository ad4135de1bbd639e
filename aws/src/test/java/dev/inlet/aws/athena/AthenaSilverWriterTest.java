package dev.inlet.aws.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.silver.Refinement;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.QueryFailedException;
import dev.inlet.sql.SqlDialect;
import dev.inlet.testkit.aws.FakeAthena;
import dev.inlet.testkit.aws.FakeAthena.Col;
import dev.inlet.testkit.aws.FakeAthena.Script;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A silver table refined on Athena into S3 and Glue: {@link AthenaSilverWriter} with the real SDK clients against
 * FakeAthena, S3Proxy and FakeGlue on 127.0.0.1. FakeAthena runs no SQL: the test scripts each query's answer and,
 * for the {@code UNLOAD}, writes the Parquet files Athena would write (converted from a CSV by Inlet) to the
 * statement's {@code TO} prefix.
 */
class AthenaSilverWriterTest {
  static final TableId BRONZE = TableId.of("city", "events");
  static final TableId SILVER = TableId.of("city", "events_clean");
  static final List<Col> LINEAGE = List.of(
      new Col("year", "varchar"),
      new Col("input_table", "varchar"),
      new Col("input_partition", "varchar"),
      new Col("row_count", "bigint"));
  static final List<Col> COLUMNS = List.of(
      new Col("id", "varchar"),
      new Col("input_table", "varchar"),
      new Col("input_partition", "varchar"),
      new Col("year", "varchar"));
  static S3ProxyServer server;

  @TempDir
  Path tmp;

  FakeAthena athena;
  AthenaClient athenaClient;
  FakeGlue glue;
  GlueClient glueClient;
  GlueCatalog catalog;
  S3Client s3;
  AthenaEngine engine;
  final List<String> unloads = new ArrayList<>();

  /** A projection: each year's rows come from that bronze year alone. */
  static final SilverTable TABLE = table(true);

  static SilverTable table(boolean partitionLocal) {
    return new SilverTable() {
      @Override
      public boolean partitionLocal() {
        return partitionLocal;
      }

      @Override
      public TableId id() {
        return SILVER;
      }

      @Override
      public List<TableId> inputs() {
        return List.of(BRONZE);
      }

      @Override
      public List<String> partitionKeys() {
        return List.of("year");
      }

      @Override
      public String select(SqlDialect dialect, SilverInputs inputs) {
        return "SELECT CAST(id AS varchar) AS id, 'city.events' AS input_table, concat('year=', year) AS"
            + " input_partition, year FROM " + inputs.relation(BRONZE);
      }
    };
  }

  @BeforeAll
  static void startS3() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    server.close();
  }

  @BeforeEach
  void start() {
    s3 = server.client();
    s3.createBucket(b -> b.bucket("lake"));
    glue = FakeGlue.start();
    glueClient = glue.client();
    catalog = GlueCatalog.builder()
        .client(glueClient)
        .retryBackoff(Duration.ofMillis(1))
        .build();
    athena =
        FakeAthena.start().workGroup("inlet", "s3://lake/athena-results/").onStart(this::unload);
    athenaClient = athena.client();
    engine = AthenaEngine.builder()
        .client(athenaClient)
        .workGroup("inlet")
        .pollInterval(Duration.ofMillis(2), Duration.ofMillis(10))
        .build();
    bronze("2015", "v1");
    bronze("2016", "v1");
  }

  @AfterEach
  void stop() {
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket("lake")).contents()) {
      s3.deleteObject(b -> b.bucket("lake").key(o.key()));
    }
    s3.deleteBucket(b -> b.bucket("lake"));
    catalog.close();
    glueClient.close();
    glue.close();
    athenaClient.close();
    athena.close();
  }

  void bronze(String year, String version) {
    catalog.register(TableRegistration.builder()
        .table(BRONZE)
        .location("s3://lake/bronze/city/events/")
        .schema(Schema.builder().column("id", ColumnType.BIGINT).build())
        .partitionKeys(List.of("year"))
        .addPartition(new Partition(
            List.of(year),
            "s3://lake/bronze/city/events/year=" + year + "/" + version + "/",
            Map.of()))
        .build());
  }

  /** What Athena's UNLOAD would write: one Parquet file per partition named in the statement's filter. */
  void unload(String sql) {
    if (!sql.startsWith("UNLOAD")) {
      return;
    }
    unloads.add(sql);
    Matcher to = Pattern.compile("TO 's3://lake/([^']+)'").matcher(sql);
    assertThat(to.find()).as(sql).isTrue();
    Matcher years = Pattern.compile("'(\\d{4})'").matcher(sql.substring(sql.indexOf("IN (")));
    try {
      while (years.find()) {
        Path csv = tmp.resolve("rows-" + years.group(1) + ".csv");
        Files.writeString(
            csv, "id,input_table,input_partition\n1,city.events,year=" + years.group(1) + "\n");
        Path parquet = tmp.resolve("rows-" + years.group(1) + ".parquet");
        CsvToParquet.create().convertFile(csv, parquet);
        String key = to.group(1) + "year=" + years.group(1) + "/20261203_075000_00001_abcde_"
            + years.group(1);
        s3.putObject(b -> b.bucket("lake").key(key), RequestBody.fromFile(parquet));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Refinement refinement() {
    return refinement(TABLE);
  }

  Refinement refinement(SilverTable table) {
    return Refinement.builder()
        .writer(AthenaSilverWriter.of(engine, s3, URI.create("s3://lake/")))
        .catalog(catalog)
        .table(table)
        .build();
  }

  List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("lake").prefix(prefix))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  @Test
  void firstRefine_unloadsToStaging_copiesToVersionFolders_registersThePartitionsInGlue() {
    athena.script(
        Script.succeeding(
            LINEAGE,
            List.of(
                List.of("2015", "city.events", "year=2015", "2"),
                List.of("2016", "city.events", "year=2016", "1"))),
        Script.succeeding(COLUMNS, List.of()),
        Script.succeeding(List.of(), List.of()));

    Refinement.TableResult r = refinement().run().get(0);

    assertThat(r.rebuilt()).containsExactly(List.of("2015"), List.of("2016"));
    assertThat(r.rows()).isEqualTo(3);
    assertThat(unloads).hasSize(1);
    assertThat(unloads.get(0))
        .contains("partitioned_by = ARRAY['year']")
        .contains("format = 'PARQUET'")
        .contains("TO 's3://lake/silver/city/events_clean/_staging/");
    List<Partition> ps = catalog.partitions(SILVER);
    assertThat(ps).extracting(Partition::values).containsExactly(List.of("2015"), List.of("2016"));
    for (Partition p : ps) {
      assertThat(p.location())
          .matches("s3://lake/silver/city/events_clean/year=" + p.values().get(0)
              + "/v-[0-9a-f]{8}-[0-9A-Za-z-]+/");
      assertThat(keys(p.location().substring("s3://lake/".length()))).hasSize(1);
    }
    assertThat(keys("silver/city/events_clean/_staging/")).isEmpty();
    assertThat(catalog.loadTable(SILVER).orElseThrow().schema().names())
        .containsExactly("id", "input_table", "input_partition");
    assertThat(athena.sqlLog()).hasSize(3);
  }

  @Test
  void unchangedRerunSendsNoQuery_andAChangedYearRebuildsOnlyIt() {
    firstRefine_unloadsToStaging_copiesToVersionFolders_registersThePartitionsInGlue();
    Map<List<String>, String> before = locations();
    int queries = athena.sqlLog().size();

    assertThat(refinement().run().get(0).noOp()).isTrue();
    assertThat(athena.sqlLog()).hasSize(queries);

    bronze("2016", "v2");
    athena.script(
        Script.succeeding(
            LINEAGE,
            List.of(
                List.of("2015", "city.events", "year=2015", "2"),
                List.of("2016", "city.events", "year=2016", "1"))),
        Script.succeeding(COLUMNS, List.of()),
        Script.succeeding(List.of(), List.of()));
    Refinement.TableResult r = refinement().run().get(0);

    assertThat(r.rebuilt()).containsExactly(List.of("2016"));
    assertThat(unloads.get(1)).contains("\"year\" IN ('2016')").doesNotContain("'2015'");
    Map<List<String>, String> after = locations();
    assertThat(after.get(List.of("2015"))).isEqualTo(before.get(List.of("2015")));
    assertThat(after.get(List.of("2016"))).isNotEqualTo(before.get(List.of("2016")));
    assertThat(keys(before.get(List.of("2016")).substring("s3://lake/".length())))
        .isEmpty();
  }

  @Test
  void aYearWhoseObjectsWereDeleted_isRebuiltAlone_onTheNextRun() {
    firstRefine_unloadsToStaging_copiesToVersionFolders_registersThePartitionsInGlue();
    Map<List<String>, String> before = locations();
    String gone = before.get(List.of("2016"));
    for (String key : keys(gone.substring("s3://lake/".length()))) {
      s3.deleteObject(b -> b.bucket("lake").key(key)); // by hand, or a lifecycle rule
    }
    athena.script(
        Script.succeeding(
            LINEAGE,
            List.of(
                List.of("2015", "city.events", "year=2015", "2"),
                List.of("2016", "city.events", "year=2016", "1"))),
        Script.succeeding(COLUMNS, List.of()),
        Script.succeeding(List.of(), List.of()));
    List<String> heard = new ArrayList<>();

    // not partition-local: with no input changed, only the year without files is rebuilt
    Refinement.TableResult r = Refinement.builder()
        .writer(AthenaSilverWriter.of(engine, s3, URI.create("s3://lake/")))
        .catalog(catalog)
        .table(table(false))
        .listener(new Refinement.Listener() {
          @Override
          public void missing(TableId table, List<String> partition, String location) {
            heard.add(partition + " " + location);
          }
        })
        .build()
        .run()
        .get(0);

    assertThat(heard).containsExactly("[2016] " + gone);
    assertThat(r.rebuilt()).containsExactly(List.of("2016"));
    assertThat(unloads.get(1)).contains("\"year\" IN ('2016')").doesNotContain("'2015'");
    Map<List<String>, String> after = locations();
    assertThat(after.get(List.of("2015"))).isEqualTo(before.get(List.of("2015")));
    assertThat(after.get(List.of("2016"))).isNotEqualTo(gone);
    assertThat(keys(after.get(List.of("2016")).substring("s3://lake/".length())))
        .hasSize(1);
  }

  @Test
  void aTableWhoseRowsMayMoveAcrossYears_rebuildsEveryYearWhenAnInputChanged_onAthena() {
    firstRefine_unloadsToStaging_copiesToVersionFolders_registersThePartitionsInGlue();
    Map<List<String>, String> before = locations();

    bronze("2016", "v2");
    athena.script(
        Script.succeeding(
            LINEAGE,
            List.of(
                List.of("2015", "city.events", "year=2015", "2"),
                List.of("2016", "city.events", "year=2016", "1"))),
        Script.succeeding(COLUMNS, List.of()),
        Script.succeeding(List.of(), List.of()));
    // e.g. a dedup across publications: Athena makes no row fingerprint here, so every year is
    // rebuilt
    Refinement.TableResult r = refinement(table(false)).run().get(0);

    assertThat(r.rebuilt()).containsExactly(List.of("2015"), List.of("2016"));
    assertThat(locations().get(List.of("2015"))).isNotEqualTo(before.get(List.of("2015")));
  }

  @Test
  void failedUnload_surfacesWithTheQueryId_andLeavesTheGluePartitionsAndFilesAsTheyWere() {
    firstRefine_unloadsToStaging_copiesToVersionFolders_registersThePartitionsInGlue();
    Map<List<String>, String> before = locations();
    List<String> files = keys("silver/");
    bronze("2016", "v2");
    athena.script(
        Script.succeeding(
            LINEAGE,
            List.of(
                List.of("2015", "city.events", "year=2015", "2"),
                List.of("2016", "city.events", "year=2016", "1"))),
        Script.succeeding(COLUMNS, List.of()),
        Script.failing("HIVE_BAD_DATA: injected"));

    assertThatThrownBy(() -> refinement().run())
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("HIVE_BAD_DATA")
        .hasMessageContaining(athena.queryIds().get(athena.queryIds().size() - 1));

    assertThat(locations()).isEqualTo(before);
    assertThat(keys("silver/")).isEqualTo(files);
  }

  @Test
  void boston311Requests_onAthena_sendsTheRefineStatementsInTrino_andRegistersTheYears() {
    for (TableId t : List.of(
        dev.inlet.boston311.Boston311.LEGACY_TABLE,
        dev.inlet.boston311.Boston311.NEW_SYSTEM_TABLE)) {
      Schema schema = t.equals(dev.inlet.boston311.Boston311.LEGACY_TABLE)
          ? dev.inlet.boston311.Boston311.LEGACY_SCHEMA
          : dev.inlet.boston311.Boston311.NEW_SYSTEM_SCHEMA;
      catalog.register(TableRegistration.builder()
          .table(t)
          .location("s3://lake/bronze/boston311/" + t.table() + "/")
          .schema(schema)
          .partitionKeys(List.of("year"))
          .addPartition(new Partition(
              List.of("2025"),
              "s3://lake/bronze/boston311/" + t.table() + "/year=2025/v1/",
              Map.of("inlet.source.name", "x.csv")))
          .build());
    }
    List<Col> columns = new ArrayList<>();
    for (String c : dev.inlet.boston311.Boston311Silver.COLUMNS) {
      columns.add(new Col(
          c,
          c.endsWith("_at")
              ? "timestamp(3)"
              : c.equals("latitude") || c.equals("longitude") ? "double" : "varchar"));
    }
    athena.script(
        Script.succeeding(
            LINEAGE,
            List.of(
                List.of("2025", "boston311.service_requests", "year=2025", "10"),
                List.of("2025", "boston311.service_requests_new_system", "year=2025", "5"))),
        Script.succeeding(columns, List.of()),
        Script.succeeding(List.of(), List.of()));

    Refinement.TableResult r = Refinement.builder()
        .writer(AthenaSilverWriter.of(engine, s3, URI.create("s3://lake/")))
        .catalog(catalog)
        .table(dev.inlet.boston311.Boston311Silver.requests())
        .build()
        .run()
        .get(0);

    assertThat(r.rebuilt()).containsExactly(List.of("2025"));
    assertThat(athena.sqlLog())
        .hasSize(3)
        .allSatisfy(sql -> assertThat(sql).contains("\"boston311\".\"service_requests\""));
    assertThat(catalog.partitions(dev.inlet.boston311.Boston311Silver.REQUESTS))
        .singleElement()
        .satisfies(p -> assertThat(p.location())
            .startsWith("s3://lake/silver/boston311/requests/year=2025/v-"));
  }

  Map<List<String>, String> locations() {
    Map<List<String>, String> m = new java.util.LinkedHashMap<>();
    catalog.partitions(SILVER).forEach(p -> m.put(p.values(), p.location()));
    return m;
  }
}
