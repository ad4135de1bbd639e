package dev.inlet.aws.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.sql.QueryCancelledException;
import dev.inlet.sql.QueryFailedException;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.QueryThrottledException;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.testkit.aws.FakeAthena;
import dev.inlet.testkit.aws.FakeAthena.Col;
import dev.inlet.testkit.aws.FakeAthena.Script;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;

/** {@link AthenaEngine} with the real AWS SDK client against {@link FakeAthena} on 127.0.0.1. */
class AthenaEngineTest {
  static final String BY_YEAR =
      "SELECT year, count(*) AS n FROM boston311.service_requests GROUP BY year";
  static final List<Col> YEAR_N = List.of(new Col("year", "varchar"), new Col("n", "bigint"));

  FakeAthena fake;
  AthenaClient client;
  AthenaEngine engine;

  @BeforeEach
  void start() {
    fake = FakeAthena.start().workGroup("inlet", "s3://results/inlet/");
    client = fake.client();
    engine = AthenaEngine.builder()
        .client(client)
        .workGroup("inlet")
        .pollInterval(Duration.ofMillis(2), Duration.ofMillis(10))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    fake.close();
  }

  @Test
  void query_queuedRunningSucceeded_returnsTheRowsWithoutTheHeaderRow_typedAsAthenaSays() {
    fake.script(
        Script.succeeding(YEAR_N, List.of(List.of("2015", "6221"), Arrays.asList("2022", null))));

    try (QueryResult r = engine.query(BY_YEAR)) {
      assertThat(r.columns())
          .containsExactly(new ResultColumn("year", "varchar"), new ResultColumn("n", "bigint"));
      assertThat(r.toList(10))
          .containsExactly(List.of("2015", "6221"), Arrays.asList("2022", null));
      assertThat(r.queryId()).contains(fake.queryIds().get(0));
    }
    assertThat(fake.calls("GetQueryExecution")).hasSize(3);
    assertThat(fake.state(fake.queryIds().get(0))).isEqualTo("SUCCEEDED");
    FakeAthena.Call start = fake.calls("StartQueryExecution").get(0);
    assertThat(start.body().get("WorkGroup").asText()).isEqualTo("inlet");
    assertThat(start.body().get("ClientRequestToken").asText()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(start.body().has("ResultConfiguration"))
        .as("the workgroup's output location applies")
        .isFalse();
    assertThat(fake.sqlLog()).containsExactly(BY_YEAR);
    assertThat(engine.dialect()).isEqualTo(SqlDialect.TRINO);
  }

  @Test
  void query_ofManyRows_pagesWithNextToken_andReadsEveryRowInOrder() {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(List.of(Integer.toString(2015 + i), Integer.toString(i)));
    }
    fake.script(Script.succeeding(YEAR_N, rows));
    AthenaEngine paged = engine.toBuilder().pageSize(3).build();

    try (QueryResult r = paged.query(BY_YEAR)) {
      List<List<Object>> expected = new ArrayList<>();
      rows.forEach(row -> expected.add(List.copyOf(row)));
      assertThat(r.toList(100)).containsExactlyElementsOf(expected);
    }
    List<FakeAthena.Call> pages = fake.calls("GetQueryResults");
    assertThat(pages).hasSize(4); // header + 10 rows = 11, three to a page
    assertThat(pages.get(0).body().has("NextToken")).isFalse();
    for (int i = 1; i < pages.size(); i++) {
      assertThat(pages.get(i).body().get("NextToken").asText()).endsWith(":" + (3 * i));
      assertThat(pages.get(i).body().get("MaxResults").asInt()).isEqualTo(3);
    }
  }

  @Test
  void query_whenTheQueryFails_throwsItsIdAndAthenasReason_andReadsNoResults() {
    String reason = "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved";
    fake.script(Script.failing(reason));

    assertThatThrownBy(() -> engine.query("SELECT nope FROM boston311.service_requests"))
        .isExactlyInstanceOf(QueryFailedException.class)
        .satisfies(e -> {
          QueryFailedException q = (QueryFailedException) e;
          String id = fake.queryIds().get(0);
          assertThat(q.queryId()).contains(id);
          assertThat(q.reason()).contains(reason);
          assertThat(q)
              .hasMessage(
                  "Cannot run query " + id + " on Athena: it FAILED: " + reason
                      + " (error type 1100, category 2); fix the statement, or the tables and permissions it uses");
        });
    assertThat(fake.calls("GetQueryResults")).isEmpty();
    assertThat(fake.calls("StopQueryExecution")).isEmpty();
  }

  @Test
  void query_cancelledBySomeoneElse_throwsCancelled_withoutStoppingAgain() {
    fake.script(Script.cancelledElsewhere());

    assertThatThrownBy(() -> engine.query(BY_YEAR))
        .isInstanceOf(QueryCancelledException.class)
        .hasMessageContaining("it was cancelled (Query cancelled by user)")
        .satisfies(e -> assertThat(((QueryCancelledException) e).queryId())
            .contains(fake.queryIds().get(0)));
    assertThat(fake.calls("StopQueryExecution")).isEmpty();
  }

  @Test
  void query_pastItsTimeout_isStopped_andThrowsCancelledWithTheQueryId() {
    fake.script(Script.runningUntilStopped());
    AthenaEngine quick = engine.toBuilder().timeout(Duration.ofMillis(150)).build();

    assertThatThrownBy(() -> quick.query(BY_YEAR))
        .isInstanceOf(QueryCancelledException.class)
        .hasMessageContaining(
            "it ran longer than the timeout of PT0.15S; it was stopped (StopQueryExecution)");
    String id = fake.queryIds().get(0);
    assertThat(fake.calls("StopQueryExecution"))
        .singleElement()
        .satisfies(c -> assertThat(c.body().get("QueryExecutionId").asText()).isEqualTo(id));
    assertThat(fake.state(id)).isEqualTo("CANCELLED");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void query_whenTheThreadIsInterrupted_stopsTheQuery_andKeepsTheInterruptFlag() throws Exception {
    fake.script(Script.runningUntilStopped());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread t = new Thread(() -> {
      try {
        engine.query(BY_YEAR);
      } catch (Throwable e) {
        thrown.set(e);
      }
      flagAfter.set(Thread.currentThread().isInterrupted());
    });
    t.start();
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (fake.calls("GetQueryExecution").size() < 3 && System.nanoTime() < until) {
      Thread.sleep(2);
    }
    t.interrupt();
    t.join(10_000);

    assertThat(thrown.get())
        .isInstanceOf(QueryCancelledException.class)
        .hasMessageContaining(
            "the calling thread was interrupted; it was stopped (StopQueryExecution)");
    assertThat(flagAfter).isTrue();
    String id = fake.queryIds().get(0);
    assertThat(fake.calls("StopQueryExecution"))
        .singleElement()
        .satisfies(c -> assertThat(c.body().get("QueryExecutionId").asText()).isEqualTo(id));
    assertThat(fake.state(id)).isEqualTo("CANCELLED");
  }

  @Test
  void query_throttledOnEveryCall_thenLetThrough_succeeds_startingTheQueryOnce() {
    fake.script(Script.succeeding(YEAR_N, List.of(List.of("2015", "6221"))));
    fake.failNext("StartQueryExecution", 2, "TooManyRequestsException")
        .failNext("GetQueryExecution", 2, "ThrottlingException")
        .failNext("GetQueryResults", 1, "ThrottlingException");

    try (QueryResult r = engine.query(BY_YEAR)) {
      assertThat(r.toList(10)).containsExactly(List.of("2015", "6221"));
    }
    List<FakeAthena.Call> starts = fake.calls("StartQueryExecution");
    assertThat(starts).hasSize(3);
    assertThat(starts)
        .extracting(c -> c.body().get("ClientRequestToken").asText())
        .containsOnly(starts.get(0).body().get("ClientRequestToken").asText());
    assertThat(fake.queryIds()).hasSize(1);
    assertThat(fake.calls("GetQueryResults")).hasSize(2);
  }

  @Test
  void query_throttledBeyondTheRetries_throwsThrottled_namingTheReason() {
    AthenaEngine impatient = engine.toBuilder().throttleRetries(2).build();
    fake.failNext("StartQueryExecution", 3, "TooManyRequestsException");

    assertThatThrownBy(() -> impatient.query(BY_YEAR))
        .isInstanceOfSatisfying(QueryThrottledException.class, e -> {
          assertThat(e.queryId()).isEmpty();
          assertThat(e.reason()).contains("CONCURRENT_QUERY_LIMIT_EXCEEDED");
        })
        .hasMessage(
            "Cannot start the query on Athena: throttled (CONCURRENT_QUERY_LIMIT_EXCEEDED: Rate exceeded) 3"
                + " times in a row; retry later, or run fewer queries at once in workgroup inlet");
    assertThat(fake.queryIds()).isEmpty();

    fake.script(Script.succeeding(YEAR_N, List.of(List.of("2015", "1"))));
    fake.failNext("GetQueryResults", 3, "ThrottlingException");
    assertThatThrownBy(() -> impatient.query(BY_YEAR))
        .isInstanceOfSatisfying(
            QueryThrottledException.class,
            e -> assertThat(e.queryId()).contains(fake.queryIds().get(0)))
        .hasMessageStartingWith(
            "Cannot read the results of query " + fake.queryIds().get(0)
                + " on Athena: throttled (ThrottlingException: Rate exceeded) 3 times in a row");
  }

  @Test
  void query_rejectedByTheService_translatesTheModelledError() {
    AthenaEngine noSuchGroup = engine.toBuilder().workGroup("nope").build();
    assertThatThrownBy(() -> noSuchGroup.query(BY_YEAR))
        .isExactlyInstanceOf(QueryFailedException.class)
        .hasMessage(
            "Cannot start the query on Athena: WorkGroup nope is not found. (INVALID_INPUT); fix the"
                + " statement or the engine's workgroup, output location and database")
        .hasCauseInstanceOf(InvalidRequestException.class);

    AthenaEngine primary = engine.toBuilder().workGroup("primary").build();
    assertThatThrownBy(() -> primary.query(BY_YEAR))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("No output location provided");

    fake.script(Script.succeeding(YEAR_N, List.of()));
    AthenaEngine withOutput = primary.toBuilder()
        .outputLocation(URI.create("s3://results/mine/"))
        .database("boston311")
        .build();
    try (QueryResult r =
        withOutput.query("SELECT year, count(*) FROM service_requests GROUP BY 1")) {
      assertThat(r.next()).isFalse();
    }
    FakeAthena.Call start = fake.calls("StartQueryExecution").get(2);
    assertThat(start.body().at("/ResultConfiguration/OutputLocation").asText())
        .isEqualTo("s3://results/mine/");
    assertThat(start.body().at("/QueryExecutionContext/Database").asText()).isEqualTo("boston311");
    assertThat(start.body().at("/QueryExecutionContext/Catalog").asText())
        .isEqualTo("AwsDataCatalog");

    fake.failNext("GetQueryExecution", 1, "InternalServerException");
    fake.script(Script.succeeding(YEAR_N, List.of()));
    assertThatThrownBy(() -> engine.query(BY_YEAR))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageStartingWith("Cannot poll the query " + fake.queryIds().get(1) + " on Athena:"
            + " InternalServerException: Injected fault for GetQueryExecution");
  }

  @Test
  void execute_waitsForTheEnd_withoutReadingResults() {
    engine.execute(
        "CREATE TABLE boston311.t WITH (format = 'PARQUET', external_location = 's3://lake/t/')"
            + " AS SELECT 1 AS a");
    assertThat(fake.state(fake.queryIds().get(0))).isEqualTo("SUCCEEDED");
    assertThat(fake.calls("GetQueryResults")).isEmpty();
  }

  @Test
  void query_ofAUtilityStatement_keepsTheFirstRow_forAthenaSendsNoHeaderThere() {
    fake.script(Script.succeeding(
        List.of(new Col("tab_name", "varchar")),
        List.of(List.of("tab_name"), List.of("service_requests"))));
    try (QueryResult r = engine.query("SHOW TABLES IN boston311")) {
      assertThat(r.toList(10)).containsExactly(List.of("tab_name"), List.of("service_requests"));
    }
  }

  @Test
  void close_leavesTheProvidedClientOpen() {
    engine.close();
    fake.script(Script.succeeding(YEAR_N, List.of(List.of("2015", "1"))));
    try (QueryResult r = engine.query(BY_YEAR)) {
      assertThat(r.toList(1)).hasSize(1);
    }
  }

  @Test
  void builder_badSettings_failAtTheSetterOrAtBuild() {
    assertThatThrownBy(() -> AthenaEngine.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot build an AthenaEngine: no client");
    assertThatThrownBy(() -> AthenaEngine.builder().outputLocation(URI.create("https://bucket/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outputLocation must be an s3://bucket/prefix/ URI, got https://bucket/x");
    assertThatThrownBy(() -> AthenaEngine.builder().pageSize(1001))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AthenaEngine.builder().workGroup("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AthenaEngine.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> AthenaEngine.builder().pollInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.query("  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fake_validatesLikeAthena_soTheSdkRaisesModelledExceptions() {
    String id = client
        .startQueryExecution(b -> b.queryString("SELECT 1").workGroup("inlet"))
        .queryExecutionId();
    assertThatThrownBy(() -> client.getQueryResults(b -> b.queryExecutionId(id)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Query has not yet finished. Current state:" + " QUEUED");
    assertThatThrownBy(() -> client.getQueryExecution(b -> b.queryExecutionId("nope")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("QueryExecution nope was not found");
    assertThatThrownBy(() -> client.startQueryExecution(b -> b.queryString("SELECT 1")
            .workGroup("inlet")
            .resultConfiguration(r -> r.outputLocation("/tmp/out"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is not a valid S3 path");
    String token = "0123456789abcdef0123456789abcdef";
    String first = client
        .startQueryExecution(
            b -> b.queryString("SELECT 2").workGroup("inlet").clientRequestToken(token))
        .queryExecutionId();
    assertThat(client
            .startQueryExecution(
                b -> b.queryString("SELECT 2").workGroup("inlet").clientRequestToken(token))
            .queryExecutionId())
        .isEqualTo(first);
    assertThatThrownBy(() -> client.startQueryExecution(
            b -> b.queryString("SELECT 3").workGroup("inlet").clientRequestToken(token)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Idempotent parameters do not match");
    client.stopQueryExecution(b -> b.queryExecutionId(first));
    assertThat(fake.state(first)).isEqualTo("CANCELLED");
    assertThatThrownBy(() -> client.getQueryResults(b -> b.queryExecutionId(first)))
        .hasMessageContaining("Query did not finish successfully. Final query state: CANCELLED");
  }
}
