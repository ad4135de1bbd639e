package dev.inlet.aws.athena;

import dev.inlet.sql.QueryCancelledException;
import dev.inlet.sql.QueryFailedException;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.QueryThrottledException;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.sql.SqlEngine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

/**
 * Amazon Athena as a {@link SqlEngine}: each statement is a query execution in a workgroup, its results written by
 * Athena to the output location and paged back through {@code GetQueryResults}. Athena engine version 3 speaks
 * Trino's SQL ({@link SqlDialect#TRINO}).
 *
 * <p>{@link #query} starts the statement ({@code StartQueryExecution}, with a client request token so a retried
 * start never runs it twice), polls {@code GetQueryExecution} with a growing interval until it leaves
 * {@code QUEUED}/{@code RUNNING}, and returns the rows a page at a time, the header row Athena puts first for a
 * {@code SELECT} removed; values are strings, SQL {@code NULL} is null. {@code FAILED} becomes a
 * {@link QueryFailedException} with the query id and Athena's reason, {@code CANCELLED} a
 * {@link QueryCancelledException}. Past {@link Builder#timeout} or when the calling thread is interrupted the engine
 * stops the query ({@code StopQueryExecution}) and throws {@link QueryCancelledException} (an interrupted thread gets
 * its flag back). A throttled call ({@code TooManyRequestsException}, {@code ThrottlingException}) is retried with
 * backoff up to {@link Builder#throttleRetries} times, then a {@link QueryThrottledException}.
 *
 * <p>What a failure leaves behind: Athena's result files under the output location, and whatever a failed
 * {@code UNLOAD}, {@code CTAS} or {@code INSERT} wrote before it failed: Athena does not roll those back.
 *
 * <p>The provided {@link AthenaClient} is not closed by this engine; {@link #close()} does nothing to it. Immutable
 * and thread-safe: statements from several threads run as separate query executions.
 */
public final class AthenaEngine implements SqlEngine {
  private static final Logger LOG = LoggerFactory.getLogger(AthenaEngine.class);

  private final AthenaClient client;
  private final String workGroup;
  private final URI outputLocation;
  private final String catalog;
  private final String database;
  private final Duration timeout;
  private final Duration pollInitial;
  private final Duration pollMax;
  private final int pageSize;
  private final int throttleRetries;

  private AthenaEngine(Builder b) {
    this.client = b.client;
    this.workGroup = b.workGroup;
    this.outputLocation = b.outputLocation;
    this.catalog = b.catalog;
    this.database = b.database;
    this.timeout = b.timeout;
    this.pollInitial = b.pollInitial;
    this.pollMax = b.pollMax;
    this.pageSize = b.pageSize;
    this.throttleRetries = b.throttleRetries;
  }

  /**
   * A new builder of an {@link AthenaEngine}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this engine's settings, to build a changed copy.
   *
   * @return a builder with this engine's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.client = client;
    b.workGroup = workGroup;
    b.outputLocation = outputLocation;
    b.catalog = catalog;
    b.database = database;
    b.timeout = timeout;
    b.pollInitial = pollInitial;
    b.pollMax = pollMax;
    b.pageSize = pageSize;
    b.throttleRetries = throttleRetries;
    return b;
  }

  /**
   * The workgroup queries run in.
   *
   * @return the workgroup
   */
  public String workGroup() {
    return workGroup;
  }

  @Override
  public SqlDialect dialect() {
    return SqlDialect.TRINO;
  }

  /**
   * Runs {@code sql} to completion and returns its rows, fetched a page at a time as they are read.
   *
   * @throws QueryFailedException if Athena rejects the statement or it ends {@code FAILED}
   * @throws QueryCancelledException if it ends {@code CANCELLED}, runs past the timeout, or the thread is
   *     interrupted (the query is stopped first)
   * @throws QueryThrottledException if Athena keeps throttling a call
   */
  @Override
  public QueryResult query(String sql) {
    QueryExecution done = run(sql);
    return new AthenaResult(done);
  }

  /** Runs {@code sql} to completion without reading its result rows. Fails as {@link #query} does. */
  @Override
  public void execute(String sql) {
    run(sql);
  }

  /** Does nothing: the engine holds nothing of its own, and the provided client stays open. */
  @Override
  public void close() {}

  private QueryExecution run(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot run a statement: the SQL is empty; pass a statement");
    }
    long startedNanos = System.nanoTime();
    long deadline = startedNanos + timeout.toNanos();
    StartQueryExecutionRequest.Builder start = StartQueryExecutionRequest.builder()
        .queryString(sql)
        .workGroup(workGroup)
        .clientRequestToken(UUID.randomUUID().toString());
    if (outputLocation != null) {
      start.resultConfiguration(r -> r.outputLocation(outputLocation.toString()));
    }
    if (database != null) {
      start.queryExecutionContext(c -> c.catalog(catalog).database(database));
    }
    StartQueryExecutionRequest request = start.build();
    String id = call("start the query", null, deadline, () -> client.startQueryExecution(request))
        .queryExecutionId();
    LOG.debug("Athena query {} started in workgroup {}", id, workGroup);
    long wait = pollInitial.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw cancel(
            id,
            "it ran longer than the timeout of " + timeout,
            null,
            "raise the engine's timeout, or make the statement scan less");
      }
      sleep(id, Math.min(wait, left));
      wait = Math.min(pollMax.toNanos(), wait * 2);
      QueryExecution qe;
      try {
        qe = call(
                "poll the query",
                id,
                deadline,
                () -> client.getQueryExecution(b -> b.queryExecutionId(id)))
            .queryExecution();
      } catch (QueryThrottledException e) {
        continue; // polling is only slower; the deadline still holds
      }
      QueryExecutionStatus status = qe.status();
      QueryExecutionState state = status == null ? null : status.state();
      if (state == null
          || state == QueryExecutionState.QUEUED
          || state == QueryExecutionState.RUNNING) {
        continue;
      }
      switch (state) {
        case SUCCEEDED:
          LOG.debug(
              "Athena query {} succeeded in {} ms, {} bytes scanned",
              id,
              (System.nanoTime() - startedNanos) / 1_000_000,
              qe.statistics() == null ? null : qe.statistics().dataScannedInBytes());
          return qe;
        case FAILED:
          throw failed(id, status);
        case CANCELLED:
          throw new QueryCancelledException(
              "Cannot finish query " + id + " on Athena: it was cancelled ("
                  + Objects.requireNonNullElse(status.stateChangeReason(), "no reason given")
                  + "); someone stopped it in workgroup " + workGroup
                  + ", run it again if it is still wanted",
              id,
              status.stateChangeReason());
        default:
          throw new QueryFailedException(
              "Cannot finish query " + id + " on Athena: it is in state " + status.stateAsString()
                  + ", which this engine does not know; upgrade the AWS SDK",
              id,
              status.stateAsString());
      }
    }
  }

  private QueryFailedException failed(String id, QueryExecutionStatus status) {
    String reason = status.stateChangeReason();
    AthenaError error = status.athenaError();
    StringBuilder why = new StringBuilder(reason == null ? "no reason given" : reason);
    if (error != null && error.errorType() != null) {
      why.append(" (error type ")
          .append(error.errorType())
          .append(", category ")
          .append(error.errorCategory())
          .append(Boolean.TRUE.equals(error.retryable()) ? ", retryable" : "")
          .append(')');
    }
    String fix = error != null && Boolean.TRUE.equals(error.retryable())
        ? "Athena says it may succeed when run again"
        : "fix the statement, or the tables and permissions it uses";
    return new QueryFailedException(
        "Cannot run query " + id + " on Athena: it FAILED: " + why + "; " + fix, id, reason);
  }

  /** Calls Athena, retrying throttled calls with backoff; translates every other failure. */
  private <T> T call(String what, String queryId, long deadline, Supplier<T> call) {
    long wait = Math.max(pollInitial.toNanos(), Duration.ofMillis(50).toNanos());
    for (int attempt = 0; ; attempt++) {
      try {
        return call.get();
      } catch (SdkException e) {
        if (interrupted(e)) {
          throw cancel(
              queryId,
              "the calling thread was interrupted",
              e,
              "nothing to do if the interrupt was meant");
        }
        if (!isThrottling(e)) {
          throw translate(what, queryId, e);
        }
        if (attempt >= throttleRetries || System.nanoTime() + wait > deadline) {
          String reason = e instanceof TooManyRequestsException t && t.reasonAsString() != null
              ? t.reasonAsString()
              : errorCode(e);
          throw new QueryThrottledException(
              "Cannot " + what + (queryId == null ? "" : " " + queryId)
                  + " on Athena: throttled (" + reason + ": " + message(e) + ") " + (attempt + 1)
                  + " times in a row;"
                  + " retry later, or run fewer queries at once in workgroup " + workGroup,
              queryId,
              reason,
              e);
        }
        LOG.debug("Athena throttled {} ({}), attempt {}", what, errorCode(e), attempt + 1);
        sleep(queryId, wait);
        wait = Math.min(pollMax.toNanos() * 2, wait * 2);
      }
    }
  }

  private QueryFailedException translate(String what, String queryId, SdkException e) {
    String subject = "Cannot " + what + (queryId == null ? "" : " " + queryId) + " on Athena";
    if (e instanceof InvalidRequestException ire) {
      return new QueryFailedException(
          subject + ": " + message(e)
              + (ire.athenaErrorCode() == null ? "" : " (" + ire.athenaErrorCode() + ")")
              + "; fix the statement or the engine's workgroup, output location and database",
          queryId,
          message(e),
          e);
    }
    if (e instanceof AwsServiceException) {
      return new QueryFailedException(
          subject + ": " + errorCode(e) + ": " + message(e)
              + "; check the IAM permissions and the workgroup " + workGroup,
          queryId,
          message(e),
          e);
    }
    return new QueryFailedException(
        subject + ": " + e.getMessage() + "; check the network, the region and the credentials",
        queryId,
        e.getMessage(),
        e);
  }

  /** Stops the query (if it started), keeping the interrupt flag, and says why. */
  private QueryCancelledException cancel(String queryId, String why, Throwable cause, String fix) {
    boolean interrupted =
        Thread.interrupted(); // cleared so that the stop request itself is not aborted
    QueryCancelledException out;
    try {
      if (queryId == null) {
        out = new QueryCancelledException(
            "Cannot start the query on Athena: " + why
                + " while starting it; if it started, it runs on; " + fix,
            null,
            why,
            cause);
      } else {
        out = new QueryCancelledException(
            "Cannot finish query " + queryId + " on Athena: " + why
                + "; it was stopped (StopQueryExecution); " + fix,
            queryId,
            why,
            cause);
        try {
          client.stopQueryExecution(b -> b.queryExecutionId(queryId));
          LOG.debug("Athena query {} stopped: {}", queryId, why);
        } catch (SdkException e) {
          out = new QueryCancelledException(
              "Cannot finish query " + queryId + " on Athena: " + why
                  + "; stopping it failed too (" + e.getMessage()
                  + "), stop it in the console or with `aws athena"
                  + " stop-query-execution --query-execution-id " + queryId + "`",
              queryId,
              why,
              cause);
          out.addSuppressed(e);
        }
      }
    } finally {
      if (interrupted
          || cause instanceof AbortedException
          || cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    return out;
  }

  private void sleep(String queryId, long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancel(
          queryId,
          "the calling thread was interrupted",
          e,
          "nothing to do if the interrupt was meant");
    }
  }

  private static boolean interrupted(SdkException e) {
    if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof InterruptedException
          || t instanceof java.io.InterruptedIOException
              && !(t instanceof java.net.SocketTimeoutException)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isThrottling(SdkException e) {
    return e instanceof TooManyRequestsException
        || e instanceof AwsServiceException ase
            && (ase.isThrottlingException() || "ThrottlingException".equals(errorCode(e)));
  }

  private static String errorCode(SdkException e) {
    return e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
        ? ase.awsErrorDetails().errorCode()
        : e.getClass().getSimpleName();
  }

  private static String message(SdkException e) {
    return e instanceof AwsServiceException ase
            && ase.awsErrorDetails() != null
            && ase.awsErrorDetails().errorMessage() != null
        ? ase.awsErrorDetails().errorMessage()
        : e.getMessage();
  }

  /** The rows of a finished query, a {@code GetQueryResults} page at a time. */
  private final class AthenaResult implements QueryResult {
    private final String id;
    private final long deadline;
    private final List<ResultColumn> columns;
    private Iterator<Row> page;
    private String nextToken;
    private List<Datum> current;
    private boolean closed;

    AthenaResult(QueryExecution qe) {
      this.id = qe.queryExecutionId();
      this.deadline = System.nanoTime() + timeout.toNanos();
      GetQueryResultsResponse first = fetch(null);
      List<ResultColumn> cols = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (first.resultSet() != null && first.resultSet().resultSetMetadata() != null) {
        for (ColumnInfo c : first.resultSet().resultSetMetadata().columnInfo()) {
          String name = c.label() != null ? c.label() : c.name();
          cols.add(new ResultColumn(name, Objects.requireNonNullElse(c.type(), "unknown")));
          names.add(name);
        }
      }
      this.columns = List.copyOf(cols);
      List<Row> rows = first.resultSet() == null ? List.of() : first.resultSet().rows();
      // Athena puts the column labels first in the first page of a SELECT (a DML statement); DDL
      // and utility
      // statements (SHOW, DESCRIBE) have no header row.
      if (qe.statementType() == StatementType.DML
          && !rows.isEmpty()
          && values(rows.get(0)).equals(names)) {
        rows = rows.subList(1, rows.size());
      }
      this.page = rows.iterator();
    }

    private GetQueryResultsResponse fetch(String token) {
      GetQueryResultsResponse r = call(
          "read the results of query",
          id,
          deadline,
          () -> client.getQueryResults(
              b -> b.queryExecutionId(id).maxResults(pageSize).nextToken(token)));
      nextToken = r.nextToken();
      return r;
    }

    @Override
    public List<ResultColumn> columns() {
      return columns;
    }

    @Override
    public boolean next() {
      current = null;
      if (closed) {
        return false;
      }
      while (!page.hasNext() && nextToken != null) {
        GetQueryResultsResponse r = fetch(nextToken);
        page = r.resultSet() == null
            ? List.<Row>of().iterator()
            : r.resultSet().rows().iterator();
      }
      if (!page.hasNext()) {
        closed = true;
        return false;
      }
      current = page.next().data();
      return true;
    }

    @Override
    public Object value(int index) {
      if (current == null) {
        throw new IllegalStateException(
            "No current row: call next() first and only while it returns true");
      }
      Objects.checkIndex(index, columns.size());
      return index < current.size() ? current.get(index).varCharValue() : null;
    }

    @Override
    public java.util.Optional<String> queryId() {
      return java.util.Optional.of(id);
    }

    @Override
    public void close() {
      closed = true;
      current = null;
    }

    private List<String> values(Row row) {
      List<String> out = new ArrayList<>();
      row.data().forEach(d -> out.add(d.varCharValue()));
      return out;
    }
  }

  /** Builds an {@link AthenaEngine}; {@link #client} is required. */
  public static final class Builder {
    private AthenaClient client;
    private String workGroup = "primary";
    private URI outputLocation;
    private String catalog = "AwsDataCatalog";
    private String database;
    private Duration timeout = Duration.ofMinutes(30);
    private Duration pollInitial = Duration.ofMillis(200);
    private Duration pollMax = Duration.ofSeconds(5);
    private int pageSize = 1000;
    private int throttleRetries = 5;

    private Builder() {}

    /**
     * The client to call Athena with (region, credentials, retries are its settings); not closed by the engine.
     *
     * @param client the SDK client to use; not closed by this object
     * @return this builder
     */
    public Builder client(AthenaClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The workgroup the queries run in (default {@code primary}): its limits, engine version and costs apply.
     *
     * @param workGroup the Athena workgroup
     * @return this builder
     */
    public Builder workGroup(String workGroup) {
      if (workGroup == null || !workGroup.matches("[a-zA-Z0-9._-]{1,128}")) {
        throw new IllegalArgumentException(
            "workGroup must be 1 to 128 letters, digits, '.', '_' or '-', got " + workGroup);
      }
      this.workGroup = workGroup;
      return this;
    }

    /**
     * Where Athena writes query results, {@code s3://bucket/prefix/}. Optional when the workgroup sets one (a
     * workgroup that enforces its own setting overrides this).
     *
     * @param outputLocation the S3 URI ({@code s3://bucket/prefix/}) for query results
     * @return this builder
     */
    public Builder outputLocation(URI outputLocation) {
      Objects.requireNonNull(outputLocation, "outputLocation");
      if (!"s3".equals(outputLocation.getScheme()) || outputLocation.getHost() == null) {
        throw new IllegalArgumentException(
            "outputLocation must be an s3://bucket/prefix/ URI, got " + outputLocation);
      }
      this.outputLocation = outputLocation;
      return this;
    }

    /**
     * The database unqualified table names refer to (default: none, so names are {@code database.table}).
     *
     * @param database the database
     * @return this builder
     */
    public Builder database(String database) {
      if (database == null || database.isBlank()) {
        throw new IllegalArgumentException("database must not be blank");
      }
      this.database = database;
      return this;
    }

    /**
     * The data catalog of {@link #database} (default {@code AwsDataCatalog}, the account's Glue catalog).
     *
     * @param catalog the catalog whose tables are read
     * @return this builder
     */
    public Builder catalog(String catalog) {
      if (catalog == null || catalog.isBlank()) {
        throw new IllegalArgumentException("catalog must not be blank");
      }
      this.catalog = catalog;
      return this;
    }

    /**
     * How long one statement may run, from its start to its end in Athena, before the engine stops it (default 30
     * minutes). Reading its result pages afterwards is not limited by it.
     *
     * @param timeout how long at most, positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How often to ask whether a query finished: first after {@code initial}, then twice as long each time up to
     * {@code max} (defaults 200 ms and 5 s). Each poll is a {@code GetQueryExecution} call.
     *
     * @param initial the first pause between polls
     * @param max the longest pause between polls, at least {@code initial}
     * @return this builder
     */
    public Builder pollInterval(Duration initial, Duration max) {
      if (initial == null
          || max == null
          || initial.isNegative()
          || initial.isZero()
          || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "pollInterval needs 0 < initial <= max, got " + initial + " and " + max);
      }
      this.pollInitial = initial;
      this.pollMax = max;
      return this;
    }

    /**
     * Rows per {@code GetQueryResults} page, 1 to 1000 (default 1000, Athena's maximum).
     *
     * @param pageSize how many rows one result page holds
     * @return this builder
     */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 1000) {
        throw new IllegalArgumentException("pageSize must be between 1 and 1000, got " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * How many times in a row a throttled call is retried (default 5), on top of the client's own retries; 0
     * fails at the first throttled answer.
     *
     * @param throttleRetries how many times a throttled call is retried
     * @return this builder
     */
    public Builder throttleRetries(int throttleRetries) {
      if (throttleRetries < 0) {
        throw new IllegalArgumentException(
            "throttleRetries must be at least 0, got " + throttleRetries);
      }
      this.throttleRetries = throttleRetries;
      return this;
    }

    /**
     * @throws IllegalStateException if no client was set
     * @return the AthenaEngine
     */
    public AthenaEngine build() {
      if (client == null) {
        throw new IllegalStateException(
            "Cannot build an AthenaEngine: no client; set client(AthenaClient.create())"
                + " or a configured AthenaClient");
      }
      return new AthenaEngine(this);
    }
  }
}
