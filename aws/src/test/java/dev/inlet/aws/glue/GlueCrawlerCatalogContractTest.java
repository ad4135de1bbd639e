package dev.inlet.aws.glue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.Catalog;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Partition;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.contract.CatalogContract;
import dev.inlet.testkit.aws.FakeGlue;
import dev.inlet.testkit.aws.FakeGlue.CrawlScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * {@link GlueCrawlerCatalog} against the fake Glue server passes the catalog contract (the tests that apply to a
 * catalog deriving partitions from folders). The fake's crawler stands in for a real one: it catalogs what was
 * "written" under its S3 target, i.e. the registrations the catalog accepted (their schema, partition keys and
 * partition folders, not their parameters, which a crawler cannot see), under the policy its definition says
 * ({@code UpdateBehavior} {@code LOG}: FAIL; {@code MergeNewColumns}: ADD_COLUMNS_ONLY; else UPDATE).
 */
class GlueCrawlerCatalogContractTest extends CatalogContract {
  private static final String ROLE = "arn:aws:iam::123456789012:role/inlet-crawler";

  private final FakeGlue fake = FakeGlue.start();
  private final GlueClient client = fake.client();
  private final List<GlueCrawlerCatalog> catalogs = new ArrayList<>();
  /** What the sink "wrote" under each table location since the last crawl of it. */
  private final Map<String, ConcurrentLinkedQueue<TableRegistration>> written =
      new ConcurrentHashMap<>();

  GlueCrawlerCatalogContractTest() {
    fake.scriptCrawlers(CrawlScript.crawling(this::crawl));
  }

  @Override
  protected Catalog newCatalog(EvolutionPolicy policy) {
    GlueCrawlerCatalog c = GlueCrawlerCatalog.builder()
        .client(client)
        .role(ROLE)
        .evolutionPolicy(policy)
        .pollInterval(Duration.ofMillis(1))
        .timeout(Duration.ofSeconds(20))
        .build();
    catalogs.add(c);
    return new Writing(c);
  }

  @Override
  protected boolean registersOnFlush() {
    return true;
  }

  @AfterEach
  void stopFake() {
    catalogs.forEach(GlueCrawlerCatalog::close);
    client.close();
    fake.close();
  }

  /** One crawl: records the data written under the crawler's target since its last crawl. */
  private void crawl(JsonNode crawler) {
    String target =
        crawler.path("Targets").path("S3Targets").get(0).path("Path").asText();
    EvolutionPolicy policy =
        crawler.path("SchemaChangePolicy").path("UpdateBehavior").asText().equals("LOG")
            ? EvolutionPolicy.FAIL
            : crawler.path("Configuration").asText().contains("MergeNewColumns")
                ? EvolutionPolicy.ADD_COLUMNS_ONLY
                : EvolutionPolicy.UPDATE;
    ConcurrentLinkedQueue<TableRegistration> files =
        written.getOrDefault(target, new ConcurrentLinkedQueue<>());
    try (GlueClient c = fake.client();
        GlueCatalog glue =
            GlueCatalog.builder().client(c).evolutionPolicy(policy).build()) {
      for (TableRegistration file; (file = files.poll()) != null; ) {
        TableRegistration.Builder found = TableRegistration.builder()
            .table(file.table())
            .location(target)
            .schema(file.schema())
            .partitionKeys(file.partitionKeys());
        for (Partition p : file.partitions()) {
          found.addPartition(new Partition(p.values(), p.location(), Map.of()));
        }
        try {
          glue.register(found.build());
        } catch (SchemaMismatchException e) {
          // A crawler that may not change the table logs the change and keeps the table.
        }
      }
    }
  }

  /** The catalog under test, noting what each accepted registration stands for: files written at its location. */
  private final class Writing implements Catalog {
    private final GlueCrawlerCatalog catalog;

    Writing(GlueCrawlerCatalog catalog) {
      this.catalog = catalog;
    }

    @Override
    public Table register(TableRegistration registration) {
      Table t = catalog.register(registration);
      written
          .computeIfAbsent(registration.location(), l -> new ConcurrentLinkedQueue<>())
          .add(registration);
      return t;
    }

    @Override
    public void flush(TableId table) {
      catalog.flush(table);
    }

    @Override
    public Optional<Table> loadTable(TableId table) {
      return catalog.loadTable(table);
    }

    @Override
    public List<Partition> partitions(TableId table) {
      return catalog.partitions(table);
    }

    @Override
    public List<TableId> listTables(String database) {
      return catalog.listTables(database);
    }

    @Override
    public boolean needsInPlaceLayout() {
      return catalog.needsInPlaceLayout();
    }

    @Override
    public EvolutionPolicy evolutionPolicy() {
      return catalog.evolutionPolicy();
    }

    @Override
    public void check(TableRegistration registration) {
      catalog.check(registration);
    }

    @Override
    public int removePartitions(TableId table, List<List<String>> values) {
      return catalog.removePartitions(table, values);
    }
  }
}
