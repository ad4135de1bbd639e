package dev.inlet.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;

/**
 * An in-memory AWS Glue Data Catalog speaking Glue's JSON 1.1 protocol on 127.0.0.1 (JDK HttpServer), for the real
 * {@link GlueClient}: {@code POST /} with {@code X-Amz-Target: AWSGlue.<Operation>}. It validates requests the way
 * Glue does (required fields, lower-case names of at most 255 characters, {@code UpdateTable} {@code VersionId}
 * equal to the current version, at most 100 entries per partition batch, one value per partition key) and answers
 * errors as HTTP 400 <code>{"__type": "...", "Message": "..."}</code>, so the client raises the modelled exception.
 *
 * <p>It serves these operations, and answers any other with {@code UnknownOperationException}:
 *
 * <ul>
 *   <li>databases: {@code CreateDatabase} ({@code AlreadyExistsException} if it exists), {@code GetDatabase};
 *   <li>tables: {@code CreateTable}, {@code GetTable}, {@code GetTables} (paged), {@code UpdateTable} (with a
 *       {@code VersionId} other than the table's current one: {@code ConcurrentModificationException}; every
 *       successful update adds one to the version);
 *   <li>partitions: {@code BatchCreatePartition} (1 to 100 entries; an existing partition is a per-entry
 *       {@code AlreadyExistsException} in {@code Errors}), {@code BatchUpdatePartition} (1 to 100),
 *       {@code BatchDeletePartition} (1 to 25), {@code UpdatePartition}, {@code GetPartition}, {@code GetPartitions}
 *       (paged, sorted by values; an {@code Expression} is not evaluated: every partition is listed);
 *   <li>crawlers: {@code CreateCrawler}, {@code UpdateCrawler} ({@code CrawlerRunningException} while it runs),
 *       {@code StartCrawler} ({@code CrawlerRunningException} if it runs), {@code GetCrawler} (each call advances the
 *       run as its {@link CrawlScript} says), {@code GetCrawlerMetrics}; a crawler's {@code Configuration} must be
 *       JSON.
 * </ul>
 *
 * <p>A missing database, table, partition or crawler is {@code EntityNotFoundException}, a missing required field
 * or a name that is empty or longer than 255 characters {@code ValidationException}, a name with upper-case letters
 * or a partition whose number of values differs from the table's partition keys {@code InvalidInputException}.
 * Paged answers hold {@link #pageSize} entries (25) unless the request gives {@code MaxResults}, with a
 * {@code NextToken} while more follow.
 *
 * <p>Every request is recorded (operation and JSON body). Faults can be injected ({@link #failNext}) and crawler
 * runs scripted ({@link #scriptCrawler}). Thread-safe: requests are handled one at a time.
 *
 * <p>{@link #client()} builds a client for it. To build one yourself, set {@code endpointOverride(glue.endpoint())},
 * any region and any static credentials: the fake checks no signature.
 *
 * <pre>{@code
 * try (FakeGlue glue = FakeGlue.start();
 *     GlueClient client = glue.client()) {
 *   client.createDatabase(b -> b.databaseInput(d -> d.name("lake")));
 *   // ... the code under test, given the client
 *   assertThat(glue.operations()).contains("CreateDatabase");
 * }
 * }</pre>
 */
public final class FakeGlue implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<List<String>> VALUES_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  /**
   * A request as received.
   *
   * @param operation the operation, e.g. {@code CreateTable}
   * @param body the request's JSON body
   */
  public record Call(String operation, JsonNode body) {}

  /**
   * How the next runs of a crawler go: {@code runningPolls} {@code GetCrawler} answers RUNNING, then
   * {@code stoppingPolls} STOPPING, then READY with {@code LastCrawl} SUCCEEDED, or FAILED with
   * {@code errorMessage} if it is not null. {@code effect} runs when the crawl ends (e.g. creates a table).
   * {@code crawl}, if not null, runs on a thread of its own when the crawler starts, given the crawler's definition
   * (as {@code CreateCrawler} and {@code UpdateCrawler} set it); it may call this fake through a client, as a real
   * crawler writes the Data Catalog. The crawler stays RUNNING until it returns, and FAILS with its message if it
   * throws.
   *
   * @param runningPolls how many {@code GetCrawler} calls answer RUNNING
   * @param stoppingPolls how many {@code GetCrawler} calls then answer STOPPING
   * @param errorMessage the message of a FAILED crawl, or null for one that succeeds
   * @param tablesCreated the {@code TablesCreated} that {@code GetCrawlerMetrics} answers after a successful crawl
   * @param tablesUpdated the {@code TablesUpdated} that {@code GetCrawlerMetrics} answers after a successful crawl
   * @param effect runs when a successful crawl ends, given this fake
   * @param crawl runs on a thread of its own when the crawler starts, given the crawler's definition; or null
   */
  public record CrawlScript(
      int runningPolls,
      int stoppingPolls,
      String errorMessage,
      int tablesCreated,
      int tablesUpdated,
      Consumer<FakeGlue> effect,
      Consumer<JsonNode> crawl) {
    /**
     * A script without a {@code crawl}.
     *
     * @param runningPolls how many {@code GetCrawler} calls answer RUNNING
     * @param stoppingPolls how many {@code GetCrawler} calls then answer STOPPING
     * @param errorMessage the message of a FAILED crawl, or null for one that succeeds
     * @param tablesCreated the {@code TablesCreated} of a successful crawl
     * @param tablesUpdated the {@code TablesUpdated} of a successful crawl
     * @param effect runs when a successful crawl ends, given this fake
     */
    public CrawlScript(
        int runningPolls,
        int stoppingPolls,
        String errorMessage,
        int tablesCreated,
        int tablesUpdated,
        Consumer<FakeGlue> effect) {
      this(runningPolls, stoppingPolls, errorMessage, tablesCreated, tablesUpdated, effect, null);
    }

    /**
     * A crawl that runs {@code crawl} (see the record comment), then succeeds unless it threw.
     *
     * @param crawl given the crawler's definition; it may write the catalog through a client of this fake
     * @return the script
     */
    public static CrawlScript crawling(Consumer<JsonNode> crawl) {
      return new CrawlScript(0, 0, null, 0, 0, f -> {}, crawl);
    }

    /**
     * Two RUNNING polls, one STOPPING, then SUCCEEDED.
     *
     * @param tablesCreated the {@code TablesCreated} that {@code GetCrawlerMetrics} then answers
     * @param tablesUpdated the {@code TablesUpdated} that {@code GetCrawlerMetrics} then answers
     * @return the script
     */
    public static CrawlScript succeeding(int tablesCreated, int tablesUpdated) {
      return new CrawlScript(2, 1, null, tablesCreated, tablesUpdated, f -> {});
    }

    /**
     * One RUNNING poll, one STOPPING, then FAILED.
     *
     * @param errorMessage the {@code LastCrawl} {@code ErrorMessage}
     * @return the script
     */
    public static CrawlScript failing(String errorMessage) {
      return new CrawlScript(1, 1, errorMessage, 0, 0, f -> {});
    }

    /**
     * The same script with an effect run when a successful crawl ends (e.g. creating the table it found); the
     * {@code crawl} is dropped.
     *
     * @param effect given this fake
     * @return the new script
     */
    public CrawlScript then(Consumer<FakeGlue> effect) {
      return new CrawlScript(
          runningPolls, stoppingPolls, errorMessage, tablesCreated, tablesUpdated, effect);
    }
  }

  private final JsonProtocolServer server;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Deque<String>> faults = new HashMap<>();
  private final Map<String, Deque<Consumer<FakeGlue>>> before = new HashMap<>();
  private final Map<List<String>, String> itemFaults = new HashMap<>();
  private final Map<String, CrawlScript> scripts = new HashMap<>();
  private final Map<String, ObjectNode> databases = new TreeMap<>();
  private final Map<String, ObjectNode> tables = new TreeMap<>();
  private final Map<String, TreeMap<List<String>, ObjectNode>> partitions = new HashMap<>();
  private final Map<String, Crawler> crawlers = new TreeMap<>();
  private CrawlScript defaultScript = CrawlScript.succeeding(0, 0);
  private int pageSize = 25;

  private FakeGlue() throws IOException {
    server = JsonProtocolServer.start("Glue", "AWSGlue.", (op, body) -> {
      calls.add(new Call(op, body));
      return dispatch(op, body);
    });
  }

  /**
   * Starts a fake on 127.0.0.1 at a free port, with an empty catalog.
   *
   * @return the running fake; close it to stop it
   * @throws IllegalStateException if the server cannot start
   */
  public static FakeGlue start() {
    try {
      return new FakeGlue();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the fake Glue server: " + e, e);
    }
  }

  /**
   * Where the fake listens, for a client's {@code endpointOverride}.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  public URI endpoint() {
    return server.endpoint();
  }

  /**
   * A new client for this fake (region {@code us-east-1}, static credentials, the SDK's default retries); the caller
   * closes it.
   *
   * @return the client
   */
  public GlueClient client() {
    return client(b -> {});
  }

  /**
   * A new client for this fake, with extra settings; the caller closes it.
   *
   * @param settings applied to the builder after the endpoint, region and credentials (e.g. a retry strategy)
   * @return the client
   */
  public GlueClient client(Consumer<GlueClientBuilder> settings) {
    GlueClientBuilder b = GlueClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    settings.accept(b);
    return b.build();
  }

  /**
   * Page size of {@code GetPartitions} and {@code GetTables} when the request gives none (25 unless set).
   *
   * @param pageSize entries per page
   * @return this fake
   */
  public synchronized FakeGlue pageSize(int pageSize) {
    this.pageSize = pageSize;
    return this;
  }

  /**
   * All requests so far, in order.
   *
   * @return a copy
   */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /**
   * The requests of {@code operation} so far, in order.
   *
   * @param operation e.g. {@code BatchCreatePartition}
   * @return a copy
   */
  public List<Call> calls(String operation) {
    return calls().stream().filter(c -> c.operation.equals(operation)).toList();
  }

  /**
   * The operations received so far, in order.
   *
   * @return a copy
   */
  public List<String> operations() {
    return calls().stream().map(Call::operation).toList();
  }

  /**
   * The requests that may change the catalog (everything but Get*, BatchGet*, List*, Search*).
   *
   * @return a copy, in order
   */
  public List<Call> writes() {
    return calls().stream()
        .filter(c -> !c.operation.matches("(Get|BatchGet|List|Search).*"))
        .toList();
  }

  /** Forgets the requests recorded so far. */
  public void clearCalls() {
    calls.clear();
  }

  /**
   * The next {@code times} requests of {@code operation} fail with error {@code type} (HTTP 400; HTTP 500 for
   * {@code InternalServiceException}), before they change anything.
   *
   * @param operation e.g. {@code UpdateTable}
   * @param times how many requests fail
   * @param type the error's {@code __type}, e.g. {@code ConcurrentModificationException}
   */
  public synchronized void failNext(String operation, int times, String type) {
    Deque<String> q = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(type);
    }
  }

  /**
   * Runs {@code action} (e.g. a concurrent writer's change) just before handling the next {@code operation}.
   *
   * @param operation e.g. {@code UpdateTable}
   * @param action given this fake
   */
  public synchronized void beforeNext(String operation, Consumer<FakeGlue> action) {
    before.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(action);
  }

  /**
   * The next {@code BatchCreatePartition} entry with {@code values} fails with per-item error {@code code}.
   *
   * @param values the partition's values
   * @param code the {@code ErrorCode} in the answer's {@code Errors}, e.g. {@code InternalServiceException}
   */
  public synchronized void failPartitionItem(List<String> values, String code) {
    itemFaults.put(List.copyOf(values), code);
  }

  /**
   * Stores a partition as another client would, with a copy of the table's storage descriptor at {@code location}.
   *
   * @param database an existing database
   * @param table an existing table of it
   * @param values the partition's values, one per partition key
   * @param location the partition's {@code StorageDescriptor.Location}
   */
  public synchronized void putPartition(
      String database, String table, List<String> values, String location) {
    ObjectNode t = tables.get(database + "." + table);
    ObjectNode input = obj();
    input.set("Values", JSON.valueToTree(values));
    input.set(
        "StorageDescriptor",
        ((ObjectNode) t.get("StorageDescriptor").deepCopy()).put("Location", location));
    partitions.get(database + "." + table).put(List.copyOf(values), partition(t, input, now()));
  }

  /**
   * The stored table as {@code GetTable} returns it.
   *
   * @param database the database
   * @param table the table
   * @return a copy, or null if there is no such table
   */
  public synchronized ObjectNode table(String database, String table) {
    ObjectNode t = tables.get(database + "." + table);
    return t == null ? null : t.deepCopy();
  }

  /**
   * Stores a table as if created by another client, creating the database if needed.
   *
   * @param database the database
   * @param tableInput the table in {@code CreateTable}'s {@code TableInput} shape
   */
  public synchronized void putTable(String database, JsonNode tableInput) {
    databases.computeIfAbsent(database, d -> JSON.createObjectNode().put("Name", d));
    createTable(database, tableInput);
  }

  /**
   * Adds one to the stored table's version, as a concurrent writer would.
   *
   * @param database the database
   * @param table an existing table
   */
  public synchronized void bumpVersion(String database, String table) {
    ObjectNode t = tables.get(database + "." + table);
    t.put("VersionId", Long.toString(Long.parseLong(t.get("VersionId").asText()) + 1));
  }

  /**
   * The stored partitions of a table, sorted by values.
   *
   * @param database the database
   * @param table the table
   * @return copies, as {@code GetPartitions} returns them; empty for an unknown table
   */
  public synchronized List<ObjectNode> partitions(String database, String table) {
    List<ObjectNode> out = new ArrayList<>();
    partitions
        .getOrDefault(database + "." + table, new TreeMap<>(VALUES_ORDER))
        .values()
        .forEach(p -> out.add(p.deepCopy()));
    return out;
  }

  /**
   * The stored crawler definition with its state, as {@code GetCrawler} returns it, without advancing a run.
   *
   * @param name the crawler
   * @return a copy, or null if there is no such crawler
   */
  public synchronized ObjectNode crawler(String name) {
    Crawler c = crawlers.get(name);
    return c == null ? null : c.view();
  }

  /**
   * How the next runs of crawler {@code name} go (default: {@link CrawlScript#succeeding}(0, 0)).
   *
   * @param name the crawler, created yet or not
   * @param script its runs from now on
   */
  public synchronized void scriptCrawler(String name, CrawlScript script) {
    scripts.put(name, script);
    Crawler c = crawlers.get(name);
    if (c != null) {
      c.script = script;
    }
  }

  /**
   * How the runs of crawlers created from now on without their own script go; {@link CrawlScript#succeeding}(0, 0)
   * by default.
   *
   * @param script their runs
   */
  public synchronized void scriptCrawlers(CrawlScript script) {
    defaultScript = script;
  }

  /**
   * Starts an existing crawler as its schedule would, so that {@code StartCrawler} fails until it ends.
   *
   * @param name an existing crawler
   */
  public synchronized void startCrawlerElsewhere(String name) {
    crawlers.get(name).start();
  }

  /** Stops the server; the stored catalog is gone. */
  @Override
  public void close() {
    server.close();
  }

  // ---- protocol
  // ---------------------------------------------------------------------------------------------------

  private synchronized JsonNode dispatch(String op, JsonNode body) {
    Deque<Consumer<FakeGlue>> actions = before.get(op);
    if (actions != null && !actions.isEmpty()) {
      actions.poll().accept(this);
    }
    Deque<String> fault = faults.get(op);
    if (fault != null && !fault.isEmpty()) {
      throw new GlueError(fault.poll(), "Injected fault for " + op);
    }
    switch (op) {
      case "GetDatabase": {
        ObjectNode db = databases.get(name(body, "Name"));
        if (db == null) {
          throw notFound("Database " + body.get("Name").asText() + " not found.");
        }
        return obj().set("Database", db.deepCopy());
      }
      case "CreateDatabase": {
        JsonNode input = required(body, "DatabaseInput");
        String name = name(input, "Name");
        if (databases.containsKey(name)) {
          throw new GlueError("AlreadyExistsException", "Database already exists.");
        }
        ObjectNode db = ((ObjectNode) input.deepCopy()).put("CreateTime", now());
        databases.put(name, db);
        return obj();
      }
      case "GetTable": {
        ObjectNode t = existingTable(body, "Name");
        return obj().set("Table", t.deepCopy());
      }
      case "CreateTable": {
        String db = existingDatabase(body);
        createTable(db, required(body, "TableInput"));
        return obj();
      }
      case "UpdateTable":
        return updateTable(body);
      case "GetTables": {
        String db = existingDatabase(body);
        List<JsonNode> list = new ArrayList<>();
        tables.forEach((k, t) -> {
          if (t.get("DatabaseName").asText().equals(db)) {
            list.add(t.deepCopy());
          }
        });
        return page(body, list, "TableList");
      }
      case "GetPartitions": {
        existingTable(body, "TableName");
        return page(body, new ArrayList<>(partitionsOf(body).values()), "Partitions");
      }
      case "GetPartition": {
        existingTable(body, "TableName");
        ObjectNode p = partitionsOf(body).get(strings(required(body, "PartitionValues")));
        if (p == null) {
          throw notFound("Cannot find partition.");
        }
        return obj().set("Partition", p.deepCopy());
      }
      case "BatchCreatePartition":
        return batchCreatePartition(body);
      case "BatchUpdatePartition":
        return batchUpdatePartition(body);
      case "BatchDeletePartition":
        return batchDeletePartition(body);
      case "UpdatePartition": {
        ObjectNode t = existingTable(body, "TableName");
        List<String> values = strings(required(body, "PartitionValueList"));
        String error = updatePartition(t, values, required(body, "PartitionInput"));
        if (error != null) {
          throw notFound(error);
        }
        return obj();
      }
      case "CreateCrawler":
        return createCrawler(body);
      case "UpdateCrawler":
        return updateCrawler(body);
      case "GetCrawler":
        return obj().set("Crawler", existingCrawler(body.path("Name").asText()).poll());
      case "StartCrawler": {
        Crawler c = existingCrawler(required(body, "Name").asText());
        if (!c.state.equals("READY")) {
          throw new GlueError(
              "CrawlerRunningException", "Crawler with name " + c.name + " has already started");
        }
        c.start();
        return obj();
      }
      case "GetCrawlerMetrics": {
        ObjectNode out = obj();
        ArrayNode list = out.putArray("CrawlerMetricsList");
        for (JsonNode n : body.path("CrawlerNameList")) {
          Crawler c = crawlers.get(n.asText());
          if (c != null) {
            list.add(obj()
                .put("CrawlerName", c.name)
                .put("TablesCreated", c.tablesCreated)
                .put("TablesUpdated", c.tablesUpdated)
                .put("TablesDeleted", 0)
                .put("StillEstimating", false)
                .put("LastRuntimeSeconds", 1.5)
                .put("MedianRuntimeSeconds", 1.5));
          }
        }
        return out;
      }
      default:
        throw new GlueError("UnknownOperationException", "The fake does not implement " + op);
    }
  }

  private void createTable(String db, JsonNode input) {
    String name = name(input, "Name");
    String key = db + "." + name;
    if (tables.containsKey(key)) {
      throw new GlueError("AlreadyExistsException", "Table already exists.");
    }
    validateTableInput(input);
    ObjectNode t = ((ObjectNode) input.deepCopy());
    t.put("DatabaseName", db);
    t.put("CreateTime", now());
    t.put("UpdateTime", now());
    t.put("IsRegisteredWithLakeFormation", false);
    t.put("CatalogId", "123456789012");
    t.put("VersionId", "0");
    tables.put(key, t);
    partitions.put(key, new TreeMap<>(VALUES_ORDER));
  }

  private JsonNode updateTable(JsonNode body) {
    String db = existingDatabase(body);
    JsonNode input = required(body, "TableInput");
    String key = db + "." + name(input, "Name");
    ObjectNode current = tables.get(key);
    if (current == null) {
      throw notFound("Table " + input.get("Name").asText() + " not found.");
    }
    if (body.hasNonNull("VersionId")
        && !body.get("VersionId").asText().equals(current.get("VersionId").asText())) {
      throw new GlueError(
          "ConcurrentModificationException",
          "Update table failed due to concurrent modifications:"
              + " version " + body.get("VersionId").asText() + " is not the current version "
              + current.get("VersionId").asText());
    }
    validateTableInput(input);
    ObjectNode t = ((ObjectNode) input.deepCopy());
    t.put("DatabaseName", db);
    t.set("CreateTime", current.get("CreateTime"));
    t.put("UpdateTime", now());
    t.put("IsRegisteredWithLakeFormation", false);
    t.put("CatalogId", "123456789012");
    t.put("VersionId", Long.toString(Long.parseLong(current.get("VersionId").asText()) + 1));
    tables.put(key, t);
    return obj();
  }

  private JsonNode batchCreatePartition(JsonNode body) {
    ObjectNode t = existingTable(body, "TableName");
    JsonNode list = required(body, "PartitionInputList");
    batchSize(list, "partitionInputList");
    for (JsonNode input : list) {
      validatePartitionInput(t, strings(required(input, "Values")), input);
    }
    TreeMap<List<String>, ObjectNode> parts = partitionsOf(body);
    ObjectNode out = obj();
    ArrayNode errors = out.putArray("Errors");
    for (JsonNode input : list) {
      List<String> values = strings(input.get("Values"));
      String itemFault = itemFaults.remove(values);
      if (itemFault != null) {
        ObjectNode e = errors.addObject();
        e.set("PartitionValues", input.get("Values").deepCopy());
        e.putObject("ErrorDetail")
            .put("ErrorCode", itemFault)
            .put("ErrorMessage", "Injected item fault");
      } else if (parts.containsKey(values)) {
        ObjectNode e = errors.addObject();
        e.set("PartitionValues", input.get("Values").deepCopy());
        e.putObject("ErrorDetail")
            .put("ErrorCode", "AlreadyExistsException")
            .put("ErrorMessage", "Partition already exists.");
      } else {
        parts.put(values, partition(t, input, now()));
      }
    }
    return out;
  }

  private JsonNode batchUpdatePartition(JsonNode body) {
    ObjectNode t = existingTable(body, "TableName");
    JsonNode entries = required(body, "Entries");
    batchSize(entries, "entries");
    ObjectNode out = obj();
    ArrayNode errors = out.putArray("Errors");
    for (JsonNode e : entries) {
      List<String> values = strings(required(e, "PartitionValueList"));
      String error = updatePartition(t, values, required(e, "PartitionInput"));
      if (error != null) {
        ObjectNode err = errors.addObject();
        err.set("PartitionValueList", e.get("PartitionValueList").deepCopy());
        err.putObject("ErrorDetail")
            .put("ErrorCode", "EntityNotFoundException")
            .put("ErrorMessage", error);
      }
    }
    return out;
  }

  private JsonNode batchDeletePartition(JsonNode body) {
    existingTable(body, "TableName");
    JsonNode list = required(body, "PartitionsToDelete");
    if (!list.isArray() || list.size() < 1 || list.size() > 25) {
      throw new GlueError(
          "ValidationException",
          "1 validation error detected: Value at 'partitionsToDelete'"
              + " failed to satisfy constraint: Member must have length less than or equal to 25 and at least 1"
              + " (got " + list.size() + ")");
    }
    TreeMap<List<String>, ObjectNode> parts = partitionsOf(body);
    ObjectNode out = obj();
    ArrayNode errors = out.putArray("Errors");
    for (JsonNode v : list) {
      List<String> values = strings(required(v, "Values"));
      if (parts.remove(values) == null) {
        ObjectNode e = errors.addObject();
        e.set("PartitionValues", v.get("Values").deepCopy());
        e.putObject("ErrorDetail")
            .put("ErrorCode", "EntityNotFoundException")
            .put("ErrorMessage", "Partition not found.");
      }
    }
    return out;
  }

  /** Replaces a partition; returns an error message if it does not exist. */
  private String updatePartition(ObjectNode table, List<String> values, JsonNode input) {
    List<String> newValues = input.has("Values") ? strings(input.get("Values")) : values;
    validatePartitionInput(table, values, input);
    validatePartitionInput(table, newValues, input);
    TreeMap<List<String>, ObjectNode> parts = partitions.get(
        table.get("DatabaseName").asText() + "." + table.get("Name").asText());
    ObjectNode old = parts.remove(values);
    if (old == null) {
      return "Partition " + values + " not found.";
    }
    ObjectNode p = partition(table, input, old.get("CreationTime").asDouble());
    p.set("Values", JSON.valueToTree(newValues));
    parts.put(newValues, p);
    return null;
  }

  private static ObjectNode partition(ObjectNode table, JsonNode input, double created) {
    ObjectNode p = obj();
    p.set("Values", input.get("Values").deepCopy());
    p.put("DatabaseName", table.get("DatabaseName").asText());
    p.put("TableName", table.get("Name").asText());
    p.put("CreationTime", created);
    p.put("CatalogId", "123456789012");
    if (input.has("StorageDescriptor")) {
      p.set("StorageDescriptor", input.get("StorageDescriptor").deepCopy());
    }
    if (input.has("Parameters")) {
      p.set("Parameters", input.get("Parameters").deepCopy());
    }
    return p;
  }

  private static void validateTableInput(JsonNode input) {
    for (JsonNode c : input.path("StorageDescriptor").path("Columns")) {
      name(c, "Name");
    }
    for (JsonNode k : input.path("PartitionKeys")) {
      name(k, "Name");
    }
  }

  private static void validatePartitionInput(
      ObjectNode table, List<String> values, JsonNode input) {
    int keys = table.path("PartitionKeys").size();
    if (values.size() != keys) {
      throw new GlueError(
          "InvalidInputException",
          "The number of partition keys do not match the number of" + " partition values: " + keys
              + " keys, values " + values);
    }
    if (input.has("Values") && input.get("Values").size() != keys) {
      throw new GlueError(
          "InvalidInputException",
          "The number of partition keys do not match the number of"
              + " partition values in PartitionInput");
    }
    for (JsonNode c : input.path("StorageDescriptor").path("Columns")) {
      name(c, "Name");
    }
  }

  private static void batchSize(JsonNode list, String field) {
    if (!list.isArray() || list.size() < 1 || list.size() > 100) {
      throw new GlueError(
          "ValidationException",
          "1 validation error detected: Value at '" + field
              + "' failed to satisfy constraint: Member must have length less than or equal to 100 and at least 1"
              + " (got " + list.size() + ")");
    }
  }

  private JsonNode page(JsonNode body, List<JsonNode> all, String field) {
    int size = body.hasNonNull("MaxResults") ? body.get("MaxResults").asInt() : pageSize;
    int from =
        body.hasNonNull("NextToken") ? Integer.parseInt(body.get("NextToken").asText()) : 0;
    ObjectNode out = obj();
    ArrayNode items = out.putArray(field);
    for (int i = from; i < Math.min(all.size(), from + size); i++) {
      items.add(all.get(i).deepCopy());
    }
    if (from + size < all.size()) {
      out.put("NextToken", Integer.toString(from + size));
    }
    return out;
  }

  private String existingDatabase(JsonNode body) {
    String db = name(body, "DatabaseName");
    if (!databases.containsKey(db)) {
      throw notFound("Database " + db + " not found.");
    }
    return db;
  }

  private ObjectNode existingTable(JsonNode body, String field) {
    String db = existingDatabase(body);
    String name = name(body, field);
    ObjectNode t = tables.get(db + "." + name);
    if (t == null) {
      throw notFound("Table " + name + " not found.");
    }
    return t;
  }

  private TreeMap<List<String>, ObjectNode> partitionsOf(JsonNode body) {
    return partitions.get(
        body.get("DatabaseName").asText() + "." + body.get("TableName").asText());
  }

  // ---- crawlers
  // ---------------------------------------------------------------------------------------------------

  private JsonNode createCrawler(JsonNode body) {
    String name = required(body, "Name").asText();
    required(body, "Role");
    required(body, "Targets");
    if (crawlers.containsKey(name)) {
      throw new GlueError(
          "AlreadyExistsException", "Crawler with name " + name + " already exists");
    }
    validateConfiguration(body);
    Crawler c = new Crawler(name, (ObjectNode) body.deepCopy());
    c.script = scripts.getOrDefault(name, defaultScript);
    crawlers.put(name, c);
    return obj();
  }

  private JsonNode updateCrawler(JsonNode body) {
    Crawler c = existingCrawler(required(body, "Name").asText());
    if (!c.state.equals("READY")) {
      throw new GlueError(
          "CrawlerRunningException", "Crawler " + c.name + " is running; cannot update");
    }
    validateConfiguration(body);
    body.properties().forEach(e -> c.definition.set(e.getKey(), e.getValue().deepCopy()));
    return obj();
  }

  private static void validateConfiguration(JsonNode body) {
    if (body.hasNonNull("Configuration")) {
      try {
        JSON.readTree(body.get("Configuration").asText());
      } catch (IOException e) {
        throw new GlueError(
            "InvalidInputException", "Crawler configuration not valid: " + e.getMessage());
      }
    }
  }

  private Crawler existingCrawler(String name) {
    Crawler c = crawlers.get(name);
    if (c == null) {
      throw notFound("Crawler entry with name " + name + " does not exist");
    }
    return c;
  }

  private final class Crawler {
    final String name;
    final ObjectNode definition;
    CrawlScript script;
    String state = "READY";
    final Deque<String> pending = new ArrayDeque<>();
    ObjectNode lastCrawl;
    double started;
    java.util.concurrent.CompletableFuture<Void> job;
    int tablesCreated;
    int tablesUpdated;

    Crawler(String name, ObjectNode definition) {
      this.name = name;
      this.definition = definition;
    }

    void start() {
      state = "RUNNING";
      started = now();
      for (int i = 0; i < script.runningPolls; i++) {
        pending.add("RUNNING");
      }
      for (int i = 0; i < script.stoppingPolls; i++) {
        pending.add("STOPPING");
      }
      if (script.crawl != null) {
        JsonNode def = definition.deepCopy();
        Consumer<JsonNode> crawl = script.crawl;
        job = java.util.concurrent.CompletableFuture.runAsync(
            () -> crawl.accept(def), r -> new Thread(r, "fake-crawler-" + name).start());
      }
    }

    /** Answers one GetCrawler poll, advancing the run. */
    ObjectNode poll() {
      if (job != null && !job.isDone()) {
        return view();
      }
      if (!state.equals("READY")) {
        if (pending.isEmpty()) {
          state = "READY";
          String errorMessage = script.errorMessage;
          if (job != null && job.isCompletedExceptionally()) {
            errorMessage = job.handle(
                    (ok, e) -> String.valueOf(e.getCause() == null ? e : e.getCause()))
                .join();
          }
          job = null;
          lastCrawl = obj()
              .put("Status", errorMessage == null ? "SUCCEEDED" : "FAILED")
              .put("StartTime", started)
              .put("LogGroup", "/aws-glue/crawlers")
              .put("LogStream", name)
              .put("MessagePrefix", "fake");
          if (errorMessage != null) {
            lastCrawl.put("ErrorMessage", errorMessage);
            tablesCreated = 0;
            tablesUpdated = 0;
          } else {
            tablesCreated = script.tablesCreated;
            tablesUpdated = script.tablesUpdated;
            script.effect.accept(FakeGlue.this);
          }
        } else {
          state = pending.poll();
        }
      }
      return view();
    }

    ObjectNode view() {
      ObjectNode v = definition.deepCopy();
      v.put("State", state);
      v.put("Version", 1);
      if (lastCrawl != null) {
        v.set("LastCrawl", lastCrawl.deepCopy());
      }
      return v;
    }
  }

  // ---- helpers
  // ----------------------------------------------------------------------------------------------------

  private static ObjectNode obj() {
    return JSON.createObjectNode();
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static JsonNode required(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw new GlueError(
          "ValidationException",
          "1 validation error detected: Value null at '" + field
              + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  private static String name(JsonNode body, String field) {
    String name = required(body, field).asText();
    if (name.isEmpty() || name.length() > 255) {
      throw new GlueError(
          "ValidationException",
          "1 validation error detected: Value '" + name + "' at '" + field
              + "' failed to satisfy constraint: Member must have length between 1 and 255");
    }
    if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new GlueError("InvalidInputException", field + " '" + name + "' must be lower-case");
    }
    return name;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static GlueError notFound(String message) {
    return new GlueError("EntityNotFoundException", message);
  }

  /** An error answered as HTTP 400 (500 for InternalServiceException) with {@code __type}. */
  private static final class GlueError extends JsonProtocolServer.ServiceError {
    private static final long serialVersionUID = 1L;

    GlueError(String type, String message) {
      super(type, message, type.equals("InternalServiceException") ? 500 : 400, Map.of());
    }
  }
}
