package dev.inlet.aws.glue;

import dev.inlet.Catalog;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.EvolutionPolicy;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.Crawler;
import software.amazon.awssdk.services.glue.model.CrawlerMetrics;
import software.amazon.awssdk.services.glue.model.CrawlerRunningException;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.DeleteBehavior;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.LastCrawlInfo;
import software.amazon.awssdk.services.glue.model.RecrawlBehavior;
import software.amazon.awssdk.services.glue.model.RecrawlPolicy;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.SchemaChangePolicy;
import software.amazon.awssdk.services.glue.model.UpdateBehavior;

/**
 * A {@link Catalog} that lets a Glue crawler catalog the data, the way many AWS pipelines do: {@link #register}
 * creates (or updates) a crawler for the table's S3 location, starts it, waits for it with backoff up to a timeout,
 * and returns the table the crawler recorded. Reads go straight to the Data Catalog, as {@link GlueCatalog} does.
 *
 * <p>The crawler is configured from the {@link EvolutionPolicy}: {@code UPDATE} lets it update the table in the
 * database, {@code ADD_COLUMNS_ONLY} also sets {@code MergeNewColumns}, {@code FAIL} makes it only log changes.
 * In every case it groups compatible schemas into one table ({@code CombineCompatibleSchemas}), partitions inherit
 * the table's schema ({@code InheritFromTable}), deletions are only logged, and everything is recrawled. Before
 * starting a crawl, the registration's schema and partition keys are checked against the existing table as the
 * other catalogs check them, so a forbidden change fails fast with the same message and starts nothing.
 *
 * <p>It passes {@code CatalogContract} except the tests of partitions at other locations than their folders
 * (repointed, guarded or moved partitions), which a crawler cannot record; it declares this by
 * {@link #needsInPlaceLayout()}.
 *
 * <p>A crawler already running (e.g. on its schedule) is waited for, then started again. If the wait times out the
 * crawler keeps running; nothing is stopped. Crawls are billed per DPU-hour and take minutes. Thread-safe; a
 * {@link GlueClient} given to the builder is not closed by {@link #close()}, one built by the catalog is.
 */
public final class GlueCrawlerCatalog implements Catalog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GlueCrawlerCatalog.class);

  private final GlueClient glue;
  private final boolean ownsClient;
  private final GlueCatalog tables;
  private final String role;
  private final String crawlerName;
  private final EvolutionPolicy policy;
  private final Duration timeout;
  private final Duration pollInterval;
  /** Per table: what was registered since its last crawl started, merged (null: nothing). */
  private final Map<TableId, TableRegistration> pending = new ConcurrentHashMap<>();
  /** Per table: held while its crawl runs, so that a second flush waits for the crawl that covers its data. */
  private final Map<TableId, Object> crawling = new ConcurrentHashMap<>();

  private GlueCrawlerCatalog(Builder b, GlueClient glue, boolean ownsClient) {
    this.glue = glue;
    this.ownsClient = ownsClient;
    this.tables = GlueCatalog.builder().client(glue).evolutionPolicy(b.policy).build();
    this.role = b.role;
    this.crawlerName = b.crawlerName;
    this.policy = b.policy;
    this.timeout = b.timeout;
    this.pollInterval = b.pollInterval;
  }

  @Override
  public EvolutionPolicy evolutionPolicy() {
    return policy;
  }

  /**
   * A new builder of a {@link GlueCrawlerCatalog}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The crawler used for {@code table}: the configured name, or {@code inlet-<database>-<table>}.
   *
   * @param table the table
   * @return the name of the table's crawler
   */
  public String crawlerName(TableId table) {
    return crawlerName != null ? crawlerName : "inlet-" + table.database() + "-" + table.table();
  }

  /**
   * Checks the partition keys and the schema against the table the crawler recorded before (as {@link #check}
   * does), and remembers the registration; the crawl itself runs in {@link #flush(TableId)}, once for all files of
   * a pipeline run (each crawl takes minutes and is billed for at least ten). The registration's partitions are not
   * used (the crawler finds them in the location), nor are its guards (with the in-place layout a crawler needs, a
   * partition never moves); its parameters are set on the table after the crawl.
   *
   * @return the table as recorded now (before the crawl), or, if there is none yet, the table the crawl will create
   * @throws SchemaMismatchException if the schema change or the partition keys are not allowed; no crawler was
   *     started
   */
  @Override
  public Table register(TableRegistration registration) {
    TableId id = registration.table();
    check(registration);
    Optional<Table> current = tables.loadTable(id);
    pending.merge(id, registration, GlueCrawlerCatalog::merge);
    return current.orElseGet(() -> Table.builder()
        .id(id)
        .location(registration.location())
        .schema(registration.schema())
        .partitionKeys(registration.partitionKeys().stream()
            .map(k -> Column.of(k, ColumnType.STRING))
            .toList())
        .build());
  }

  /** {@code later}, with the parameters of {@code earlier} it does not override. */
  private static TableRegistration merge(TableRegistration earlier, TableRegistration later) {
    if (earlier.parameters().isEmpty()) {
      return later;
    }
    TableRegistration.Builder b = TableRegistration.builder()
        .table(later.table())
        .location(later.location())
        .schema(later.schema())
        .partitionKeys(later.partitionKeys());
    earlier.parameters().forEach(b::parameter);
    later.parameters().forEach(b::parameter);
    return b.build();
  }

  /** A crawler takes every folder level for a partition key: the sink must not write version folders. */
  @Override
  public boolean needsInPlaceLayout() {
    return true;
  }

  /**
   * Crawls the location registered for {@code table} since the last flush, if any, then sets the registrations'
   * parameters on the crawled table ({@code UpdateTable} guarded by its {@code VersionId}, only if they differ).
   * Flushes of one table through this catalog run one at a time: a flush that finds its registration taken by a
   * crawl that started after it returns once that crawl ended. A failed crawl leaves the registration pending, so the
   * next flush crawls again.
   *
   * @throws InletException if the crawl fails, times out, or leaves no table named {@code table}
   */
  @Override
  public void flush(TableId table) {
    synchronized (crawling.computeIfAbsent(table, t -> new Object())) {
      TableRegistration registration = pending.remove(table);
      if (registration == null) {
        return;
      }
      boolean done = false;
      try {
        crawlAndCheck(table, registration);
        done = true;
      } finally {
        if (!done) {
          pending.merge(table, registration, (later, failed) -> merge(failed, later));
        }
      }
    }
  }

  private void crawlAndCheck(TableId table, TableRegistration registration) {
    String location = registration.location();
    CrawlResult result = crawl(table, location);
    if (!result.succeeded()) {
      throw new InletException("Cannot register " + table + ": crawler " + result.crawler()
          + " ended "
          + result.status() + (result.errorMessage() == null ? "" : ": " + result.errorMessage())
          + "; see its CloudWatch log under /aws-glue/crawlers");
    }
    Table crawled = tables
        .loadTable(table)
        .orElseThrow(() -> new InletException("Cannot register " + table
            + ": crawler " + result.crawler() + " succeeded but recorded no table " + table
            + "; it names tables after"
            + " the folder of " + location + ", so that folder must be named " + table.table()));
    List<String> keys = crawled.partitionKeys().stream().map(Column::name).toList();
    if (!keys.equals(registration.partitionKeys())) {
      throw new InletException(
          "Cannot register " + table + ": crawler " + result.crawler() + " recorded partition"
              + " keys " + keys + " but the data is partitioned by " + registration.partitionKeys()
              + "; a crawler"
              + " takes every folder level for a partition key, so write with S3Sink.builder().replaceInPlace()"
              + " (no version folders), or register with GlueCatalog instead");
    }
    if (!crawled.parameters().entrySet().containsAll(registration.parameters().entrySet())) {
      TableRegistration.Builder b = TableRegistration.builder()
          .table(table)
          .location(crawled.location())
          .schema(crawled.schema())
          .partitionKeys(keys);
      registration.parameters().forEach(b::parameter);
      tables.register(b.build());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Removes them from the Data Catalog as {@link GlueCatalog#removePartitions} does; a later crawl adds back the
   * partitions whose folders still exist.
   */
  @Override
  public int removePartitions(TableId table, List<List<String>> values) {
    return tables.removePartitions(table, values);
  }

  /**
   * Creates or updates the crawler of {@code table} for {@code location}, starts it (waiting first if it is already
   * running), and waits until it is READY again.
   *
   * @param table the table
   * @param location the S3 location ({@code s3://bucket/prefix/})
   * @return the run's outcome, also when it failed
   * @throws InletException if a Glue call fails or the crawler is not READY within the timeout
   */
  public CrawlResult crawl(TableId table, String location) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(location, "location");
    String name = crawlerName(table);
    long deadline = System.nanoTime() + timeout.toNanos();
    ensureCrawler(table, name, location, deadline);
    long started = System.nanoTime();
    while (true) {
      try {
        call(table, "StartCrawler", () -> glue.startCrawler(r -> r.name(name)));
        break;
      } catch (InletException e) {
        if (!(e.getCause() instanceof CrawlerRunningException)) {
          throw e;
        }
        LOG.debug("Crawler {} is already running; waiting for it before starting", name);
        waitUntilReady(table, name, deadline);
      }
    }
    Crawler done = waitUntilReady(table, name, deadline);
    LastCrawlInfo last = done.lastCrawl();
    CrawlerMetrics metrics = call(
            table,
            "GetCrawlerMetrics",
            () -> glue.getCrawlerMetrics(r -> r.crawlerNameList(name)).crawlerMetricsList())
        .stream()
        .filter(m -> name.equals(m.crawlerName()))
        .findFirst()
        .orElse(null);
    CrawlResult result = new CrawlResult(
        name,
        last == null ? "UNKNOWN" : last.statusAsString(),
        last == null ? null : last.errorMessage(),
        metrics == null || metrics.tablesCreated() == null ? 0 : metrics.tablesCreated(),
        metrics == null || metrics.tablesUpdated() == null ? 0 : metrics.tablesUpdated(),
        Duration.ofNanos(System.nanoTime() - started));
    LOG.info(
        "Crawler {} for {} ended {} in {}: {} tables created, {} updated",
        name,
        table,
        result.status(),
        result.elapsed(),
        result.tablesCreated(),
        result.tablesUpdated());
    return result;
  }

  @Override
  public Optional<Table> loadTable(TableId table) {
    return tables.loadTable(table);
  }

  @Override
  public List<Partition> partitions(TableId table) {
    return tables.partitions(table);
  }

  @Override
  public List<TableId> listTables(String database) {
    return tables.listTables(database);
  }

  /** Closes the {@link GlueClient} if this catalog built it; a provided client stays open. */
  @Override
  public void close() {
    if (ownsClient) {
      glue.close();
    }
  }

  /** The crawler's {@code Configuration} JSON for the policy. */
  String configuration() {
    String tables = policy == EvolutionPolicy.ADD_COLUMNS_ONLY
        ? "\"Tables\":{\"AddOrUpdateBehavior\":\"MergeNewColumns\"},"
        : "";
    return "{\"Version\":1.0,\"Grouping\":{\"TableGroupingPolicy\":\"CombineCompatibleSchemas\"},"
        + "\"CrawlerOutput\":{" + tables
        + "\"Partitions\":{\"AddOrUpdateBehavior\":\"InheritFromTable\"}}}";
  }

  private void ensureCrawler(TableId table, String name, String location, long deadline) {
    CrawlerTargets targets = CrawlerTargets.builder()
        .s3Targets(S3Target.builder().path(location).build())
        .build();
    SchemaChangePolicy schemaChange = SchemaChangePolicy.builder()
        .updateBehavior(
            policy == EvolutionPolicy.FAIL ? UpdateBehavior.LOG : UpdateBehavior.UPDATE_IN_DATABASE)
        .deleteBehavior(DeleteBehavior.LOG)
        .build();
    RecrawlPolicy recrawl = RecrawlPolicy.builder()
        .recrawlBehavior(RecrawlBehavior.CRAWL_EVERYTHING)
        .build();
    String configuration = configuration();
    String description = "Catalogs " + table + " for Inlet";
    Optional<Crawler> current = getCrawler(table, name);
    if (current.isEmpty()) {
      boolean created = call(table, "CreateCrawler", () -> {
        try {
          glue.createCrawler(r -> r.name(name)
              .role(role)
              .databaseName(table.database())
              .description(description)
              .targets(targets)
              .schemaChangePolicy(schemaChange)
              .recrawlPolicy(recrawl)
              .configuration(configuration));
          return true;
        } catch (AlreadyExistsException e) {
          return false;
        }
      });
      if (created) {
        LOG.debug("Created crawler {} for {}", name, location);
        return;
      }
      current = getCrawler(table, name);
    }
    Crawler c = current.orElseThrow();
    if (role.equals(c.role())
        && table.database().equals(c.databaseName())
        && c.targets() != null
        && c.targets().s3Targets().stream().map(S3Target::path).toList().equals(List.of(location))
        && schemaChange.equals(c.schemaChangePolicy())
        && recrawl.equals(c.recrawlPolicy())
        && configuration.equals(c.configuration())) {
      return;
    }
    while (true) {
      try {
        call(
            table,
            "UpdateCrawler",
            () -> glue.updateCrawler(r -> r.name(name)
                .role(role)
                .databaseName(table.database())
                .description(description)
                .targets(targets)
                .schemaChangePolicy(schemaChange)
                .recrawlPolicy(recrawl)
                .configuration(configuration)));
        LOG.debug("Updated crawler {} for {}", name, location);
        return;
      } catch (InletException e) {
        if (!(e.getCause() instanceof CrawlerRunningException)) {
          throw e;
        }
        waitUntilReady(table, name, deadline);
      }
    }
  }

  private Optional<Crawler> getCrawler(TableId table, String name) {
    return call(table, "GetCrawler", () -> {
      try {
        return Optional.of(glue.getCrawler(r -> r.name(name)).crawler());
      } catch (EntityNotFoundException e) {
        return Optional.empty();
      }
    });
  }

  /** Polls with growing pauses until the crawler is READY. */
  private Crawler waitUntilReady(TableId table, String name, long deadline) {
    long pause = Math.max(1, pollInterval.toMillis());
    long maxPause = Math.max(pause, Math.min(pause * 8, 60_000));
    while (true) {
      Crawler c = getCrawler(table, name)
          .orElseThrow(() -> new InletException(
              "Cannot register " + table + ": crawler " + name + " was deleted while running"));
      if ("READY".equals(c.stateAsString())) {
        return c;
      }
      if (System.nanoTime() + pause * 1_000_000L > deadline) {
        throw new InletException("Cannot register " + table + ": crawler " + name + " is still "
            + c.stateAsString() + " after " + timeout
            + "; it keeps running, check it in the Glue console or raise"
            + " the timeout");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InletException(
            "Cannot register " + table + ": interrupted while waiting for crawler " + name, e);
      }
      pause = Math.min(maxPause, pause * 3 / 2 + 1);
    }
  }

  private static <T> T call(TableId table, String operation, Supplier<T> glueCall) {
    try {
      return glueCall.get();
    } catch (AwsServiceException e) {
      String code =
          e.awsErrorDetails() == null ? "an error" : e.awsErrorDetails().errorCode();
      String message =
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      throw new InletException(
          "Cannot register " + table + ": Glue " + operation + " failed with " + code + ": "
              + message,
          e);
    } catch (SdkException e) {
      throw new InletException(
          "Cannot register " + table + ": calling Glue " + operation + " failed: " + e.getMessage()
              + "; check the network, endpoint and region, then retry",
          e);
    }
  }

  /** Builds a {@link GlueCrawlerCatalog}; the crawler role is required. */
  public static final class Builder {
    private GlueClient client;
    private String role;
    private String crawlerName;
    private EvolutionPolicy policy = EvolutionPolicy.UPDATE;
    private Duration timeout = Duration.ofMinutes(30);
    private Duration pollInterval = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The client to use, not closed by the catalog; by default the catalog builds {@code GlueClient.create()}.
     *
     * @param client the SDK client to use; not closed by this object
     * @return this builder
     */
    public Builder client(GlueClient client) {
      if (client == null) {
        throw new IllegalArgumentException("client must not be null");
      }
      this.client = client;
      return this;
    }

    /**
     * The IAM role (name or ARN) the crawler runs as; it needs read access to the S3 location. Required.
     *
     * @param role the IAM role the crawler assumes (name or ARN)
     * @return this builder
     */
    public Builder role(String role) {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("role must not be blank");
      }
      this.role = role;
      return this;
    }

    /**
     * The crawler's name; by default {@code inlet-<database>-<table>}, one crawler per table.
     *
     * @param crawlerName the crawler name, or the prefix of the names of the crawlers
     * @return this builder
     */
    public Builder crawlerName(String crawlerName) {
      if (crawlerName == null || crawlerName.isBlank() || crawlerName.length() > 255) {
        throw new IllegalArgumentException(
            "Invalid crawlerName '" + crawlerName + "': use 1..255 characters");
      }
      this.crawlerName = crawlerName;
      return this;
    }

    /**
     * How the crawler may change the table; {@link EvolutionPolicy#UPDATE} by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder evolutionPolicy(EvolutionPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("evolutionPolicy must not be null");
      }
      this.policy = policy;
      return this;
    }

    /**
     * How long to wait for a crawl (and for a running crawler) in all; 30 minutes by default.
     *
     * @param timeout how long at most, positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "Invalid timeout " + timeout + ": use a positive duration");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The first pause between status polls, growing 1.5 times per poll up to 8 times; 5 s by default.
     *
     * @param pollInterval the first pause between status polls
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException(
            "Invalid pollInterval " + pollInterval + ": use a positive duration");
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * @throws IllegalStateException if the role is missing
     *
     * @return the GlueCrawlerCatalog
     */
    public GlueCrawlerCatalog build() {
      if (role == null) {
        throw new IllegalStateException(
            "Cannot build GlueCrawlerCatalog: role is missing; give the crawler's IAM"
                + " role with role(..)");
      }
      return client != null
          ? new GlueCrawlerCatalog(this, client, false)
          : new GlueCrawlerCatalog(this, GlueClient.create(), true);
    }
  }
}
