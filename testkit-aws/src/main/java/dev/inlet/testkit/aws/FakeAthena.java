package dev.inlet.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;

/**
 * Amazon Athena's query API speaking its JSON 1.1 protocol on 127.0.0.1 (JDK HttpServer), for the real
 * {@link AthenaClient}: {@code POST /} with {@code X-Amz-Target: AmazonAthena.<Operation>} for
 * {@code StartQueryExecution}, {@code GetQueryExecution}, {@code GetQueryResults} and {@code StopQueryExecution}.
 *
 * <p>It validates requests the way Athena does: a query string of 1 to 262,144 characters, a workgroup that exists
 * ({@code primary} always does, without an output location), an output location from the request or the workgroup
 * that is an {@code s3://} path, a client request token of 32 to 128 characters that, reused, returns the same query
 * (and fails for another query string), known query ids, {@code MaxResults} of 1 to 1000, results only of a
 * {@code SUCCEEDED} query. Errors are HTTP 400 <code>{"__type": "InvalidRequestException", "Message": ...}</code>, so
 * the client raises the modelled exception.
 *
 * <p>Each started query follows a {@link Script}, taken in order from {@link #script} (default: {@code QUEUED},
 * {@code RUNNING}, {@code SUCCEEDED} with no rows; or {@link #answer}'s for the query's SQL): every {@code GetQueryExecution} moves it one state on, the last
 * state sticks; {@code StopQueryExecution} cancels it unless it already ended. A {@code SELECT}'s results start with
 * the header row, as Athena's do, and are paged by {@code MaxResults}. Throttling and other errors are injected with
 * {@link #failNext}. Every request is recorded, and every query string received is kept in {@link #sqlLog()} (and
 * appended to the file of the system property {@code inlet.athena.sqlLog}, if set: statements separated by a line
 * holding only a form feed, the file started afresh by the first statement of each JVM). Thread-safe.
 *
 * <p>It runs no SQL: a test says what each query answers ({@link #script}, {@link #answer}) and what it does
 * ({@link #onStart}). {@link #client()} builds a client for it, with the SDK's retries off. To build one yourself,
 * set {@code endpointOverride(athena.endpoint())}, any region and any static credentials: the fake checks no
 * signature.
 *
 * <pre>{@code
 * try (FakeAthena athena = FakeAthena.start().workGroup("inlet", "s3://results/");
 *     AthenaClient client = athena.client()) {
 *   athena.script(Script.succeeding(List.of(new Col("n", "bigint")), List.of(List.of("3"))));
 *   // ... the code under test runs "SELECT count(*) AS n FROM ..." in workgroup inlet through the client
 *   assertThat(athena.sqlLog()).hasSize(1);
 * }
 * }</pre>
 */
public final class FakeAthena implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "AmazonAthena.";
  private static final AtomicBoolean LOG_STARTED = new AtomicBoolean();

  /**
   * A request as received.
   *
   * @param operation the operation, e.g. {@code StartQueryExecution}
   * @param body the request's JSON body
   */
  public record Call(String operation, JsonNode body) {}

  /**
   * A result column: its name and Athena type ({@code varchar}, {@code bigint}, ...).
   *
   * @param name the column's name, in the header row and {@code ColumnInfo}
   * @param type its Athena type
   */
  public record Col(String name, String type) {}

  /**
   * How a query goes: the states successive {@code GetQueryExecution} calls answer (the last one sticks), the
   * {@code StateChangeReason} and {@code AthenaError} type of a {@code FAILED} end, and the result.
   *
   * @param states the states successive {@code GetQueryExecution} calls answer, e.g. QUEUED, RUNNING, SUCCEEDED
   * @param reason the {@code StateChangeReason} of a FAILED or CANCELLED end, or null
   * @param errorType the {@code AthenaError} {@code ErrorType} of a FAILED end
   * @param columns the result's columns
   * @param rows the result's rows, without the header row (a value may be null)
   */
  public record Script(
      List<String> states,
      String reason,
      int errorType,
      List<Col> columns,
      List<List<String>> rows) {
    /**
     * Copies the lists.
     *
     * @param states the states successive {@code GetQueryExecution} calls answer
     * @param reason the {@code StateChangeReason} of a FAILED or CANCELLED end, or null
     * @param errorType the {@code AthenaError} {@code ErrorType} of a FAILED end
     * @param columns the result's columns
     * @param rows the result's rows, without the header row (a value may be null)
     */
    public Script {
      states = List.copyOf(states);
      columns = List.copyOf(columns);
      List<List<String>> copy = new ArrayList<>();
      rows.forEach(r -> copy.add(Collections.unmodifiableList(new ArrayList<>(r))));
      rows = Collections.unmodifiableList(copy);
    }

    /**
     * QUEUED, RUNNING, SUCCEEDED with these rows ({@code null} values allowed).
     *
     * @param columns the result's columns
     * @param rows the result's rows, without the header row
     * @return the script
     */
    public static Script succeeding(List<Col> columns, List<List<String>> rows) {
      return new Script(List.of("QUEUED", "RUNNING", "SUCCEEDED"), null, 0, columns, rows);
    }

    /**
     * QUEUED, RUNNING, FAILED with {@code reason} (error type 1100, a user error).
     *
     * @param reason the {@code StateChangeReason}, e.g. the engine's message
     * @return the script
     */
    public static Script failing(String reason) {
      return new Script(List.of("QUEUED", "RUNNING", "FAILED"), reason, 1100, List.of(), List.of());
    }

    /**
     * QUEUED, RUNNING, CANCELLED (someone else stopped it).
     *
     * @return the script
     */
    public static Script cancelledElsewhere() {
      return new Script(
          List.of("QUEUED", "RUNNING", "CANCELLED"),
          "Query cancelled by user",
          0,
          List.of(),
          List.of());
    }

    /**
     * QUEUED, then RUNNING until stopped.
     *
     * @return the script
     */
    public static Script runningUntilStopped() {
      return new Script(List.of("QUEUED", "RUNNING"), null, 0, List.of(), List.of());
    }

    /**
     * The same script with other states.
     *
     * @param states the states successive {@code GetQueryExecution} calls answer
     * @return the new script
     */
    public Script withStates(String... states) {
      return new Script(Arrays.asList(states), reason, errorType, columns, rows);
    }
  }

  private final JsonProtocolServer server;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> sql = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> workGroups = new HashMap<>();
  private final Deque<Script> scripts = new ArrayDeque<>();
  private final Map<String, Deque<String>> faults = new HashMap<>();
  private final Map<String, Query> queries = new LinkedHashMap<>();
  private final Map<String, String> tokens = new HashMap<>();
  private java.util.function.Consumer<String> onStart;
  private java.util.function.Function<String, Script> answers;

  private FakeAthena() throws IOException {
    server = JsonProtocolServer.start("Athena", PREFIX, (op, body) -> {
      calls.add(new Call(op, body));
      return dispatch(op, body);
    });
    workGroups.put("primary", null);
  }

  /**
   * Runs {@code effect} with the SQL of every query started from now on whose script does not end FAILED: the fake
   * runs no SQL, so a test stands in for a statement's side effects (an {@code UNLOAD} writing files to S3) here.
   *
   * @param effect given each such query's SQL, when it starts
   * @return this fake
   */
  public synchronized FakeAthena onStart(java.util.function.Consumer<String> effect) {
    this.onStart = effect;
    return this;
  }

  /**
   * Queries started from now on when no {@link #script} is queued follow {@code answers}' script for their SQL (a
   * null script: the default one): how a test answers many statements by what they ask, not by their order.
   *
   * @param answers the script of a query, given its SQL
   * @return this fake
   */
  public synchronized FakeAthena answer(java.util.function.Function<String, Script> answers) {
    this.answers = answers;
    return this;
  }

  /**
   * Starts a fake on 127.0.0.1 at a free port, with the workgroup {@code primary} (without an output location).
   *
   * @return the running fake; close it to stop it
   * @throws IllegalStateException if the server cannot start
   */
  public static FakeAthena start() {
    try {
      return new FakeAthena();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the fake Athena server: " + e, e);
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
   * A new client for this fake, with the SDK's own retries off so a test sees what the engine does with a
   * throttled or failed call (region {@code us-east-1}, static credentials); the caller closes it.
   *
   * @return the client
   */
  public AthenaClient client() {
    return client(
        b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  /**
   * A new client for this fake, with extra settings (SDK defaults otherwise, its retries too); the caller closes
   * it.
   *
   * @param settings applied to the builder after the endpoint, region and credentials
   * @return the client
   */
  public AthenaClient client(Consumer<AthenaClientBuilder> settings) {
    AthenaClientBuilder b = AthenaClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    settings.accept(b);
    return b.build();
  }

  /**
   * Creates a workgroup, or replaces its output location.
   *
   * @param name the workgroup
   * @param outputLocation its result configuration's {@code s3://} output location, or null for none
   * @return this fake
   */
  public synchronized FakeAthena workGroup(String name, String outputLocation) {
    workGroups.put(name, outputLocation);
    return this;
  }

  /**
   * The next started queries follow these scripts, in order; then {@link #answer}'s, or the default one.
   *
   * @param next one script per query
   * @return this fake
   */
  public synchronized FakeAthena script(Script... next) {
    scripts.addAll(Arrays.asList(next));
    return this;
  }

  /**
   * The next {@code times} requests of {@code operation} fail with error {@code type}: {@code
   * TooManyRequestsException} or {@code ThrottlingException} to throttle, {@code InternalServerException} (HTTP 500),
   * or any other type (HTTP 400). A failed request changes nothing (a failed {@code StartQueryExecution} starts no
   * query, though its SQL is in {@link #sqlLog()}).
   *
   * @param operation e.g. {@code GetQueryExecution}
   * @param times how many requests fail
   * @param type the error's {@code __type}
   * @return this fake
   */
  public synchronized FakeAthena failNext(String operation, int times, String type) {
    Deque<String> q = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(type);
    }
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
   * @param operation e.g. {@code StartQueryExecution}
   * @return a copy
   */
  public List<Call> calls(String operation) {
    return calls().stream().filter(c -> c.operation.equals(operation)).toList();
  }

  /**
   * Every query string received by {@code StartQueryExecution}, in order (rejected ones too).
   *
   * @return a copy
   */
  public List<String> sqlLog() {
    synchronized (sql) {
      return List.copyOf(sql);
    }
  }

  /**
   * The current state of a query, without advancing it.
   *
   * @param queryId the {@code QueryExecutionId}
   * @return e.g. {@code RUNNING}, or null if there is no such query
   */
  public synchronized String state(String queryId) {
    Query q = queries.get(queryId);
    return q == null ? null : q.state;
  }

  /**
   * The ids of the queries started so far, in order.
   *
   * @return a copy
   */
  public synchronized List<String> queryIds() {
    return List.copyOf(queries.keySet());
  }

  /** Stops the server; its queries are gone. */
  @Override
  public void close() {
    server.close();
  }

  // ---- protocol
  // ---------------------------------------------------------------------------------------------------

  private synchronized JsonNode dispatch(String op, JsonNode body) {
    if (op.equals("StartQueryExecution") && body.hasNonNull("QueryString")) {
      log(body.get("QueryString").asText());
    }
    Deque<String> fault = faults.get(op);
    if (fault != null && !fault.isEmpty()) {
      String t = fault.poll();
      throw new AthenaError(
          t,
          t.contains("Throttl") || t.startsWith("TooMany")
              ? "Rate exceeded"
              : "Injected fault for " + op,
          null);
    }
    switch (op) {
      case "StartQueryExecution":
        return startQueryExecution(body);
      case "GetQueryExecution":
        return obj().set("QueryExecution", existing(body).poll());
      case "GetQueryResults":
        return getQueryResults(body);
      case "StopQueryExecution": {
        Query q = existing(body);
        if (!q.ended()) {
          q.state = "CANCELLED";
          q.reason = "Query cancelled by user";
          q.completed = now();
        }
        return obj();
      }
      default:
        throw new AthenaError(
            "UnknownOperationException", "The fake does not implement " + op, null);
    }
  }

  private void log(String query) {
    sql.add(query);
    String file = System.getProperty("inlet.athena.sqlLog");
    if (file != null) {
      // one statement per record, records separated by a line holding only a form feed
      try {
        // the first statement of a JVM starts the file afresh, so the log is exactly this test
        // run's statements
        StandardOpenOption mode = LOG_STARTED.getAndSet(true)
            ? StandardOpenOption.APPEND
            : StandardOpenOption.TRUNCATE_EXISTING;
        Files.writeString(
            Path.of(file),
            query + "\n\f\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            mode);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot append to the SQL log " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private JsonNode startQueryExecution(JsonNode body) {
    String query = required(body, "QueryString").asText();
    if (query.isEmpty() || query.length() > 262144) {
      throw invalid(
          "1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must"
              + " have length less than or equal to 262144 and greater than or equal to 1");
    }
    String token = body.path("ClientRequestToken").asText(null);
    if (token != null) {
      if (token.length() < 32 || token.length() > 128) {
        throw invalid(
            "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint:"
                + " Member must have length between 32 and 128");
      }
      String known = tokens.get(token);
      if (known != null) {
        if (!queries.get(known).query.equals(query)) {
          throw invalid("Idempotent parameters do not match");
        }
        return obj().put("QueryExecutionId", known);
      }
    }
    String wg = body.path("WorkGroup").asText("primary");
    if (!workGroups.containsKey(wg)) {
      throw invalid("WorkGroup " + wg + " is not found.");
    }
    String output = body.path("ResultConfiguration").path("OutputLocation").asText(null);
    if (output == null) {
      output = workGroups.get(wg);
    }
    if (output == null) {
      throw invalid(
          "No output location provided. An output location is required either through the Workgroup"
              + " result configuration setting or as an API input.");
    }
    if (!output.startsWith("s3://") || output.length() <= "s3://".length()) {
      throw invalid(
          "outputLocation " + output + " is not a valid S3 path: it must start with s3://bucket");
    }
    String id = UUID.randomUUID().toString();
    Script script =
        !scripts.isEmpty() ? scripts.poll() : answers != null ? answers.apply(query) : null;
    if (script == null) {
      script = Script.succeeding(List.of(), List.of());
    }
    if (onStart != null && !"FAILED".equals(script.states().get(script.states().size() - 1))) {
      onStart.accept(query); // what the query would do to S3, e.g. an UNLOAD's files
    }
    Query q = new Query(
        id,
        query,
        wg,
        output.endsWith("/") ? output : output + "/",
        body.path("QueryExecutionContext"),
        script);
    queries.put(id, q);
    if (token != null) {
      tokens.put(token, id);
    }
    return obj().put("QueryExecutionId", id);
  }

  private JsonNode getQueryResults(JsonNode body) {
    Query q = existing(body);
    int max = body.hasNonNull("MaxResults") ? body.get("MaxResults").asInt() : 1000;
    if (max < 1 || max > 1000) {
      throw invalid(
          "1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy"
              + " constraint: Member must have value less than or equal to 1000 and greater than or equal to 1");
    }
    if (!q.state.equals("SUCCEEDED")) {
      throw q.ended()
          ? invalid("Query did not finish successfully. Final query state: " + q.state)
          : invalid("Query has not yet finished. Current state: " + q.state);
    }
    List<List<String>> all = new ArrayList<>();
    if (q.statementType.equals("DML") && q.substatementType.equals("SELECT")) {
      all.add(q.script.columns().stream().map(Col::name).toList());
    }
    all.addAll(q.script.rows());
    int from = 0;
    if (body.hasNonNull("NextToken")) {
      String t = body.get("NextToken").asText();
      if (!t.startsWith(q.id + ":")) {
        throw invalid("Invalid NextToken " + t);
      }
      from = Integer.parseInt(t.substring(q.id.length() + 1));
    }
    ObjectNode out = obj();
    out.put("UpdateCount", 0);
    ObjectNode rs = out.putObject("ResultSet");
    ArrayNode rows = rs.putArray("Rows");
    for (int i = from; i < Math.min(all.size(), from + max); i++) {
      ArrayNode data = rows.addObject().putArray("Data");
      for (String v : all.get(i)) {
        ObjectNode d = data.addObject();
        if (v != null) {
          d.put("VarCharValue", v);
        }
      }
    }
    ArrayNode cols = rs.putObject("ResultSetMetadata").putArray("ColumnInfo");
    for (Col c : q.script.columns()) {
      cols.addObject()
          .put("CatalogName", "hive")
          .put("SchemaName", "")
          .put("TableName", "")
          .put("Name", c.name())
          .put("Label", c.name())
          .put("Type", c.type())
          .put("Precision", 0)
          .put("Scale", 0)
          .put("Nullable", "UNKNOWN")
          .put("CaseSensitive", c.type().equals("varchar"));
    }
    if (from + max < all.size()) {
      out.put("NextToken", q.id + ":" + (from + max));
    }
    return out;
  }

  private Query existing(JsonNode body) {
    String id = required(body, "QueryExecutionId").asText();
    Query q = queries.get(id);
    if (q == null) {
      throw invalid("QueryExecution " + id + " was not found");
    }
    return q;
  }

  private final class Query {
    final String id;
    final String query;
    final String workGroup;
    final String output;
    final JsonNode context;
    final Script script;
    final String statementType;
    final String substatementType;
    final double submitted = now();
    final Deque<String> pending;
    String state = "QUEUED";
    String reason;
    Double completed;

    Query(
        String id, String query, String workGroup, String output, JsonNode context, Script script) {
      this.id = id;
      this.query = query;
      this.workGroup = workGroup;
      this.output = output;
      this.context = context;
      this.script = script;
      String first =
          query.strip().replaceFirst("^\\(+", "").split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
      switch (first) {
        case "SELECT", "WITH", "VALUES", "TABLE" -> {
          statementType = "DML";
          substatementType = "SELECT";
        }
        case "INSERT", "UNLOAD", "DELETE", "UPDATE", "MERGE" -> {
          statementType = "DML";
          substatementType = first;
        }
        case "SHOW", "DESCRIBE", "EXPLAIN", "USE" -> {
          statementType = "UTILITY";
          substatementType = first;
        }
        default -> {
          statementType = "DDL";
          substatementType = first;
        }
      }
      this.pending = new ArrayDeque<>(script.states());
    }

    boolean ended() {
      return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    /** Answers one GetQueryExecution, moving the query one state on. */
    ObjectNode poll() {
      if (!ended()) {
        if (pending.size() > 1) {
          state = pending.poll();
        } else if (pending.size() == 1) {
          state = pending.peek();
        }
        if (ended()) {
          completed = now();
          if (state.equals("FAILED") || state.equals("CANCELLED")) {
            reason = script.reason();
          }
        }
      }
      return view();
    }

    ObjectNode view() {
      ObjectNode v = obj();
      v.put("QueryExecutionId", id);
      v.put("Query", query);
      v.put("StatementType", statementType);
      v.put("SubstatementType", substatementType);
      v.putObject("ResultConfiguration").put("OutputLocation", output + id + ".csv");
      if (!context.isMissingNode()) {
        v.set("QueryExecutionContext", context.deepCopy());
      }
      ObjectNode status = v.putObject("Status");
      status.put("State", state);
      status.put("SubmissionDateTime", submitted);
      if (completed != null) {
        status.put("CompletionDateTime", completed);
      }
      if (reason != null) {
        status.put("StateChangeReason", reason);
      }
      if (state.equals("FAILED")) {
        status
            .putObject("AthenaError")
            .put("ErrorCategory", 2)
            .put("ErrorType", script.errorType())
            .put("Retryable", false)
            .put("ErrorMessage", reason);
      }
      v.putObject("Statistics")
          .put("EngineExecutionTimeInMillis", 12)
          .put("DataScannedInBytes", state.equals("SUCCEEDED") ? 1024 : 0)
          .put("TotalExecutionTimeInMillis", 20);
      v.put("WorkGroup", workGroup);
      v.putObject("EngineVersion")
          .put("SelectedEngineVersion", "AUTO")
          .put("EffectiveEngineVersion", "Athena engine version 3");
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
      throw invalid(
          "1 validation error detected: Value null at '" + Character.toLowerCase(field.charAt(0))
              + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  private static AthenaError invalid(String message) {
    return new AthenaError("InvalidRequestException", message, "INVALID_INPUT");
  }

  /** An error answered as HTTP 400 (500 for InternalServerException) with {@code __type}. */
  private static final class AthenaError extends JsonProtocolServer.ServiceError {
    private static final long serialVersionUID = 1L;

    AthenaError(String type, String message, String code) {
      super(
          type,
          message,
          type.equals("InternalServerException") ? 500 : 400,
          type.equals("TooManyRequestsException")
              ? Map.of("Reason", "CONCURRENT_QUERY_LIMIT_EXCEEDED")
              : type.equals("InvalidRequestException") && code != null
                  ? Map.of("AthenaErrorCode", code)
                  : Map.of());
    }
  }
}
