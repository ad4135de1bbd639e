package dev.inlet.quality;

import dev.inlet.sql.QueryCancelledException;
import dev.inlet.sql.QueryFailedException;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs {@link Check}s on an {@link SqlEngine} and returns their results as a {@link QualityResult}. Works on any
 * table the engine can read ({@code database.table}); the statements are written for the engine's
 * {@link SqlEngine#dialect()}. A check that cannot run (missing table or column, rejected SQL) gives an
 * {@link Outcome#ERROR} result and the run goes on; a cancelled query ends the run.
 *
 * <p>Immutable and thread-safe. The engine stays the caller's (never closed here); the {@link Clock} gives the run
 * time and the "now" of freshness; {@link QualityHistory} the previous runs for row-count and schema changes.
 *
 * <pre>{@code
 * QualityResult result = QualityChecks.builder().engine(engine).build().run(checks);
 * if (result.blocks()) { ... }
 * }</pre>
 */
public final class QualityChecks {
  private final SqlEngine engine;
  private final Clock clock;
  private final QualityHistory history;
  private final int samples;
  private final CheckSql sql;

  private QualityChecks(Builder b) {
    this.engine = b.engine;
    this.clock = b.clock;
    this.history = b.history;
    this.samples = b.samples;
    this.sql = new CheckSql(engine.dialect(), b.relations);
  }

  /** {@return a builder; the engine is required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code checks} in order.
   *
   * @param checks the checks
   * @return the results, one per check (and partition)
   * @throws IllegalArgumentException if two checks share a name (previous-run comparisons match on names)
   * @throws QueryCancelledException if a statement was cancelled (the run stops)
   */
  public QualityResult run(Collection<Check> checks) {
    Set<String> names = new HashSet<>();
    for (Check c : checks) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException(
            "Two checks are named '" + c.name() + "'; give one a name(..)");
      }
    }
    Instant runAt = clock.instant();
    List<CheckResult> results = new ArrayList<>();
    for (Check c : checks) {
      long start = System.nanoTime();
      try {
        results.addAll(runOne(c, runAt, start));
      } catch (QueryCancelledException e) {
        throw e;
      } catch (QueryFailedException e) {
        results.add(new CheckResult(
            c,
            "",
            Double.NaN,
            Outcome.ERROR,
            "Could not run on " + c.table() + ": " + e.getMessage(),
            "",
            List.of(),
            runAt,
            since(start)));
      }
    }
    return new QualityResult(runAt, results);
  }

  private List<CheckResult> runOne(Check c, Instant runAt, long start) {
    switch (c.kind()) {
      case COMPLETENESS:
      case ACCEPTED_VALUES:
      case RANGE:
      case PATTERN:
        return values(c, runAt, start);
      case UNIQUENESS:
        return List.of(unique(c, runAt, start));
      case ROW_COUNT:
      case ROW_COUNT_CHANGE:
        return rowCounts(c, runAt, start);
      case FRESHNESS:
        return freshness(c, runAt, start);
      case SCHEMA_CHANGE:
        return List.of(schema(c, runAt, start));
      case CUSTOM_SQL:
        return List.of(custom(c, runAt, start));
      default:
        throw new AssertionError(c.kind());
    }
  }

  private List<CheckResult> values(Check c, Instant runAt, long start) {
    List<CheckResult> out = new ArrayList<>();
    for (List<Object> row : rows(sql.valueMetric(c))) {
      String partition = partition(c, row.get(0));
      long total = toLong(row.get(1));
      long bad = row.get(2) == null ? 0 : toLong(row.get(2));
      double metric = total == 0 ? 0 : (double) bad / total;
      Outcome outcome = outcome(c, metric <= c.threshold());
      List<String> sample = List.of();
      if (outcome != Outcome.PASSED && c.kind() != Check.Kind.COMPLETENESS) {
        sample = new ArrayList<>();
        for (List<Object> s : rows(sql.valueSamples(c, partition, samples))) {
          sample.add(s.get(0) + " (" + toLong(s.get(1)) + " rows)");
        }
      }
      String what = c.kind() == Check.Kind.COMPLETENESS ? "null" : "failing";
      out.add(new CheckResult(
          c,
          partition,
          metric,
          outcome,
          bad + " of " + total + " rows " + what + " (" + percent(metric) + "), allowed "
              + percent(c.threshold()),
          "",
          sample,
          runAt,
          since(start)));
    }
    return out;
  }

  private CheckResult unique(Check c, Instant runAt, long start) {
    long dup = toLong(rows(sql.duplicates(c)).get(0).get(0));
    Outcome outcome = outcome(c, dup <= c.threshold());
    List<String> sample = new ArrayList<>();
    if (dup > 0) {
      for (List<Object> s : rows(sql.duplicateSamples(c, samples))) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < c.columns().size(); i++) {
          key.append(i == 0 ? "" : ", ").append(c.columns().get(i)).append('=').append(s.get(i));
        }
        sample.add(key + " (" + toLong(s.get(c.columns().size())) + " rows)");
      }
    }
    return new CheckResult(
        c,
        "",
        dup,
        outcome,
        dup + " duplicate rows of key (" + String.join(", ", c.columns()) + "), allowed "
            + Check.number(c.threshold()),
        "",
        sample,
        runAt,
        since(start));
  }

  private List<CheckResult> rowCounts(Check c, Instant runAt, long start) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (List<Object> row : rows(sql.rowCount(c))) {
      counts.put(partition(c, row.get(0)), toLong(row.get(1)));
    }
    if (c.kind() == Check.Kind.ROW_COUNT_CHANGE) {
      // a partition the previous run saw and this one does not has 0 rows now
      for (CheckResult r : history.results()) {
        if (r.check().name().equals(c.name()) && !r.partition().isEmpty()) {
          counts.putIfAbsent(r.partition(), 0L);
        }
      }
    }
    List<CheckResult> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      long n = e.getValue();
      if (c.kind() == Check.Kind.ROW_COUNT) {
        boolean ok = n >= c.min().orElseThrow() && n <= c.max().orElseThrow();
        out.add(new CheckResult(
            c,
            e.getKey(),
            n,
            outcome(c, ok),
            n + " rows, allowed " + c.thresholdText(),
            Long.toString(n),
            List.of(),
            runAt,
            since(start)));
        continue;
      }
      var previous = history.previous(c.name(), e.getKey());
      if (previous.isEmpty()) {
        out.add(new CheckResult(
            c,
            e.getKey(),
            0,
            Outcome.PASSED,
            n + " rows; no previous run to compare with",
            Long.toString(n),
            List.of(),
            runAt,
            since(start)));
        continue;
      }
      long before = parseLong(previous.get().details());
      double change = before == 0
          ? (n == 0 ? 0 : Double.POSITIVE_INFINITY)
          : Math.abs(n - before) / (double) before;
      out.add(new CheckResult(
          c,
          e.getKey(),
          change,
          outcome(c, change <= c.threshold()),
          n + " rows, " + before
              + " in the previous run (" + (n >= before ? "+" : "−") + percent(change)
              + "), allowed ±"
              + percent(c.threshold()),
          Long.toString(n),
          List.of(),
          runAt,
          since(start)));
    }
    return out;
  }

  private List<CheckResult> freshness(Check c, Instant runAt, long start) {
    List<CheckResult> out = new ArrayList<>();
    long maxAge = c.maxAge().orElseThrow().getSeconds();
    for (List<Object> row : rows(sql.freshness(c))) {
      String partition = partition(c, row.get(0));
      if (row.get(1) == null) {
        out.add(new CheckResult(
            c,
            partition,
            Double.NaN,
            outcome(c, false),
            "no value in " + c.columns().get(0) + " (no rows, or all null)",
            "",
            List.of(),
            runAt,
            since(start)));
        continue;
      }
      double newest = toDouble(row.get(1));
      double age = runAt.getEpochSecond() + runAt.getNano() / 1e9 - newest;
      Instant newestAt = Instant.ofEpochMilli((long) (newest * 1000));
      out.add(new CheckResult(
          c,
          partition,
          age,
          outcome(c, age <= maxAge),
          "newest " + c.columns().get(0) + " " + newestAt + " is " + human(age) + " old, allowed "
              + human(maxAge),
          newestAt.toString(),
          List.of(),
          runAt,
          since(start)));
    }
    return out;
  }

  private CheckResult schema(Check c, Instant runAt, long start) {
    List<String> now = new ArrayList<>();
    try (QueryResult r = engine.query(sql.schema(c))) {
      for (ResultColumn col : r.columns()) {
        now.add(col.name() + " " + col.type().toLowerCase(Locale.ROOT));
      }
    }
    String details = String.join(", ", now);
    var previous = history.previous(c.name(), "");
    if (previous.isEmpty()) {
      return new CheckResult(
          c,
          "",
          0,
          Outcome.PASSED,
          now.size() + " columns; no previous run to compare with",
          details,
          List.of(),
          runAt,
          since(start));
    }
    Map<String, String> before = columns(previous.get().details());
    Map<String, String> after = columns(details);
    List<String> changes = new ArrayList<>();
    for (var e : after.entrySet()) {
      String old = before.get(e.getKey());
      if (old == null) {
        changes.add("added " + e.getKey() + " " + e.getValue());
      } else if (!old.equals(e.getValue())) {
        changes.add("retyped " + e.getKey() + " " + old + " → " + e.getValue());
      }
    }
    for (var e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        changes.add("removed " + e.getKey() + " " + e.getValue());
      }
    }
    Outcome outcome = outcome(c, changes.size() <= c.threshold());
    return new CheckResult(
        c,
        "",
        changes.size(),
        outcome,
        changes.isEmpty()
            ? "no column changed since the " + "previous run"
            : changes.size() + " column changes since the previous run: "
                + String.join("; ", changes),
        details,
        changes.subList(0, Math.min(samples, changes.size())),
        runAt,
        since(start));
  }

  private static Map<String, String> columns(String details) {
    Map<String, String> m = new LinkedHashMap<>();
    if (details.isBlank()) {
      return m;
    }
    for (String part : details.split(", ")) {
      int sp = part.indexOf(' ');
      m.put(sp < 0 ? part : part.substring(0, sp), sp < 0 ? "" : part.substring(sp + 1));
    }
    return m;
  }

  private CheckResult custom(Check c, Instant runAt, long start) {
    long n = toLong(rows(sql.customCount(c)).get(0).get(0));
    List<String> sample = new ArrayList<>();
    if (n > 0) {
      try (QueryResult r = engine.query(sql.customSamples(c, samples))) {
        while (r.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 0; i < r.columns().size(); i++) {
            row.append(i == 0 ? "" : ", ")
                .append(r.columns().get(i).name())
                .append('=')
                .append(r.string(i));
          }
          sample.add(row.toString());
        }
      }
    }
    return new CheckResult(
        c,
        "",
        n,
        outcome(c, n <= c.threshold()),
        n + " failing rows, allowed " + Check.number(c.threshold()),
        "",
        sample,
        runAt,
        since(start));
  }

  private List<List<Object>> rows(String statement) {
    try (QueryResult r = engine.query(statement)) {
      return r.toList(100_000);
    }
  }

  private static Outcome outcome(Check c, boolean ok) {
    if (ok) {
      return Outcome.PASSED;
    }
    return c.severity() == Severity.FAIL ? Outcome.FAILED : Outcome.WARNED;
  }

  private static String partition(Check c, Object value) {
    return c.partitionBy().map(p -> p + "=" + (value == null ? "null" : value)).orElse("");
  }

  static long toLong(Object v) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    return parseLong(String.valueOf(v));
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(s.strip());
    }
  }

  private static double toDouble(Object v) {
    return v instanceof Number
        ? ((Number) v).doubleValue()
        : Double.parseDouble(String.valueOf(v).strip());
  }

  static String percent(double fraction) {
    return Check.number(fraction * 100) + "%";
  }

  static String human(double seconds) {
    if (seconds < 120) {
      return Check.number(Math.round(seconds)) + " s";
    }
    if (seconds < 2 * 3600) {
      return Math.round(seconds / 60) + " min";
    }
    if (seconds < 2 * 86400) {
      return Math.round(seconds / 3600) + " h";
    }
    return Math.round(seconds / 86400) + " days";
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Builds {@link QualityChecks}; an engine is required. */
  public static final class Builder {
    private SqlEngine engine;
    private Clock clock = Clock.systemUTC();
    private QualityHistory history = QualityHistory.none();
    private int samples = 5;
    private final Map<dev.inlet.TableId, String> relations = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Checks of {@code table} read {@code relation} instead (a relation of the engine's dialect, e.g. DuckDB's
     * {@code read_parquet('staging/*.parquet')} or a staging table's name): how a {@link PublishGate} checks a
     * version before it is published. A custom SQL check's own SELECT is not rewritten.
     *
     * @param table the table
     * @param relation the SQL name under which the engine reads it (e.g. a staged version)
     * @return this builder
     */
    public Builder relation(dev.inlet.TableId table, String relation) {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(relation, "relation");
      if (relation.isBlank()) {
        throw new IllegalArgumentException("relation of " + table + " must not be blank");
      }
      relations.put(table, "(SELECT * FROM " + relation + ")");
      return this;
    }

    /**
     * Sets the engine the checks run on; stays the caller's.
     *
     * @param engine the engine the checks run on
     * @return this builder
     */
    public Builder engine(SqlEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * Sets the clock of the run time and of freshness's "now" (default: the system clock, UTC).
     *
     * @param clock the clock of the run time and of freshness's "now"
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Earlier runs (default: none, so comparing checks pass as a first run).
     *
     * @param history the results of earlier runs
     * @return this builder
     */
    public Builder history(QualityHistory history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /**
     * At most how many failing rows or values a result keeps as samples (default 5).
     *
     * @param samples how many failing rows a result shows at most
     * @return this builder
     */
    public Builder samples(int samples) {
      if (samples < 0 || samples > 100) {
        throw new IllegalArgumentException("samples must be 0 to 100, got " + samples);
      }
      this.samples = samples;
      return this;
    }

    /**
     * @return the runner
     * @throws IllegalStateException if no engine was set
     */
    public QualityChecks build() {
      if (engine == null) {
        throw new IllegalStateException(
            "Cannot build QualityChecks: set engine(..), e.g. DuckDbEngine.create()");
      }
      return new QualityChecks(this);
    }
  }
}
