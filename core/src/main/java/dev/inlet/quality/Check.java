package dev.inlet.quality;

import dev.inlet.TableId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One data quality check on one table, as data: what it measures ({@link Kind}), on which columns, the threshold
 * the metric must stay within, and its {@link Severity}. Immutable and thread-safe; made by the static factories
 * (one per kind), each returning a {@link Builder} whose setters reject bad values at once.
 *
 * <p>Value checks ({@link Kind#COMPLETENESS}, {@link Kind#ACCEPTED_VALUES}, {@link Kind#RANGE},
 * {@link Kind#PATTERN}) measure the fraction of rows that fail (0 to 1; nulls fail only completeness, the others
 * skip them) and pass while it is at most {@link #threshold()} (0 by default: every row must pass). Counting checks
 * ({@link Kind#UNIQUENESS}, {@link Kind#CUSTOM_SQL}, {@link Kind#SCHEMA_CHANGE}) measure a number of rows or
 * columns and pass while it is at most the threshold (default 0). {@link Kind#ROW_COUNT} passes within
 * [{@link #min()}, {@link #max()}]; {@link Kind#ROW_COUNT_CHANGE} measures |now − previous| / previous against the
 * previous run; {@link Kind#FRESHNESS} measures the seconds from the newest timestamp to now.
 *
 * <pre>{@code
 * Check zip = Check.matches(table, "zip_code", "^\\d{5}$").threshold(0.01).severity(Severity.WARN).build();
 * }</pre>
 */
public final class Check {
  /** What a check measures. */
  public enum Kind {
    /** Null fraction of a column. */
    COMPLETENESS,
    /** Rows beyond the first per key (duplicates) of one or more columns. */
    UNIQUENESS,
    /** Fraction of non-null values outside an accepted set. */
    ACCEPTED_VALUES,
    /** Fraction of non-null values outside [min, max]. */
    RANGE,
    /** Fraction of non-null values (as text) in which a regular expression finds no match. */
    PATTERN,
    /** The number of rows, within [min, max]. */
    ROW_COUNT,
    /** The relative change of the number of rows against the previous run. */
    ROW_COUNT_CHANGE,
    /** Seconds from the newest value of a timestamp column to now. */
    FRESHNESS,
    /** Columns added, removed or retyped against the previous run. */
    SCHEMA_CHANGE,
    /** Rows a SELECT returns, each a failing row. */
    CUSTOM_SQL
  }

  private final Kind kind;
  private final TableId table;
  private final String name;
  private final List<String> columns;
  private final Set<String> values;
  private final Double min;
  private final Double max;
  private final String pattern;
  private final String sql;
  private final double threshold;
  private final Duration maxAge;
  private final Severity severity;
  private final String partitionBy;

  private Check(Builder b) {
    this.kind = b.kind;
    this.table = b.table;
    this.columns = List.copyOf(b.columns);
    this.values = b.values == null
        ? Set.of()
        : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.values));
    this.min = b.min;
    this.max = b.max;
    this.pattern = b.pattern;
    this.sql = b.sql;
    this.threshold = b.threshold;
    this.maxAge = b.maxAge;
    this.severity = b.severity;
    this.partitionBy = b.partitionBy;
    this.name = b.name != null ? b.name : defaultName();
  }

  /**
   * {@return a check that every value of {@code column} is present (null fraction at most 0 unless {@link
   * Builder#threshold})}
   *
   * @param table the table checked
   * @param column the column checked
   */
  public static Builder isComplete(TableId table, String column) {
    return new Builder(Kind.COMPLETENESS, table).column(column);
  }

  /**
   * {@return a check that the key made of {@code columns} is unique (at most {@link Builder#threshold} duplicate rows,
   * default 0)}
   *
   * @param table the table checked
   * @param columns the columns of the key
   */
  public static Builder unique(TableId table, String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("unique needs at least one key column");
    }
    Builder b = new Builder(Kind.UNIQUENESS, table);
    for (String c : columns) {
      b.column(c);
    }
    return b;
  }

  /**
   * {@return a check that every non-null value of {@code column} is one of {@code accepted} (compared as text)}
   *
   * @param table the table checked
   * @param column the column checked
   * @param accepted the accepted values
   */
  public static Builder acceptedValues(TableId table, String column, Collection<String> accepted) {
    Objects.requireNonNull(accepted, "accepted");
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException(
          "acceptedValues of " + column + " needs at least one accepted value");
    }
    Builder b = new Builder(Kind.ACCEPTED_VALUES, table).column(column);
    b.values = new LinkedHashSet<>();
    for (String v : accepted) {
      b.values.add(Objects.requireNonNull(v, "an accepted value"));
    }
    return b;
  }

  /**
   * {@return a check that every non-null value of {@code column} is within [{@code min}, {@code max}]}
   *
   * @param table the table checked
   * @param column the column checked
   * @param min the lowest value allowed
   * @param max the highest value allowed
   */
  public static Builder range(TableId table, String column, double min, double max) {
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException(
          "range of " + column + " needs min ≤ max, got " + min + " and " + max);
    }
    Builder b = new Builder(Kind.RANGE, table).column(column);
    b.min = min;
    b.max = max;
    return b;
  }

  /**
   * {@return a check that a match of {@code regex} is found in every non-null value of {@code column} (as text); anchor
   * it
   * ({@code ^\d{5}$}) to match the whole value} Use the syntax common to Java, DuckDB (RE2) and Trino: classes,
   * quantifiers, groups, alternation.
   *
   * @param table the table checked
   * @param column the column checked
   * @param regex the regular expression a value must contain a match of
   */
  public static Builder matches(TableId table, String column, String regex) {
    Objects.requireNonNull(regex, "regex");
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "matches of " + column + ": not a regular expression: " + regex + " ("
              + e.getDescription() + ")",
          e);
    }
    Builder b = new Builder(Kind.PATTERN, table).column(column);
    b.pattern = regex;
    return b;
  }

  /**
   * {@return a check that the table (each partition with {@link Builder#partitionBy}) has between {@code min} and
   * {@code max} rows}
   *
   * @param table the table checked
   * @param min the lowest value allowed
   * @param max the highest value allowed
   */
  public static Builder rowCount(TableId table, long min, long max) {
    if (min < 0 || min > max) {
      throw new IllegalArgumentException(
          "rowCount needs 0 ≤ min ≤ max, got " + min + " and " + max);
    }
    Builder b = new Builder(Kind.ROW_COUNT, table);
    b.min = (double) min;
    b.max = (double) max;
    return b;
  }

  /**
   * {@return a check that the number of rows changed by at most {@code maxChange} (a fraction: 0.5 is ±50%) since the
   * previous run; the
   * first run passes (nothing to compare with)}
   *
   * @param table the table checked
   * @param maxChange the largest change allowed, as a fraction (0.5 is ±50%)
   */
  public static Builder rowCountChange(TableId table, double maxChange) {
    return new Builder(Kind.ROW_COUNT_CHANGE, table).threshold(maxChange);
  }

  /**
   * {@return a check that the newest value of the timestamp {@code column} is at most {@code maxAge} old (timestamps
   * read as UTC)}
   *
   * @param table the table checked
   * @param column the column checked
   * @param maxAge the oldest the newest timestamp may be
   */
  public static Builder freshness(TableId table, String column, Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException(
          "freshness of " + column + " needs a positive maxAge, got " + maxAge);
    }
    Builder b = new Builder(Kind.FRESHNESS, table).column(column);
    b.maxAge = maxAge;
    return b;
  }

  /**
   * {@return a check that the table's columns (names and types) are those of the previous run; the first run passes}
   *
   * @param table the table checked
   */
  public static Builder schemaChange(TableId table) {
    return new Builder(Kind.SCHEMA_CHANGE, table);
  }

  /**
   * {@code select} returns no row (at most {@link Builder#threshold} rows); each row it returns is a failing row,
   * shown as a sample. Write it in the dialect of the engine that runs it.
   *
   * @param table the table checked
   * @param name the check's name
   * @param select the {@code SELECT} computing the rows
   * @return a builder of the check
   */
  public static Builder customSql(TableId table, String name, String select) {
    Objects.requireNonNull(select, "select");
    if (select.isBlank()) {
      throw new IllegalArgumentException("customSql " + name + " needs a SELECT");
    }
    String body = select.strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).strip();
    }
    Builder b = new Builder(Kind.CUSTOM_SQL, table).name(name);
    b.sql = body;
    return b;
  }

  /**
   * {@return a check as a stored result names it (its kind, table, name and severity), for a {@link QualityHistory}
   * read
   * back from storage; its other settings are placeholders, and it is not meant to be run}
   *
   * @param kind the check's kind
   * @param table the table checked
   * @param name the check's name
   * @param severity what a failure means: {@code WARN} reports, {@code FAIL} stops a gate
   */
  public static Check recorded(Kind kind, TableId table, String name, Severity severity) {
    Builder b =
        new Builder(Objects.requireNonNull(kind, "kind"), table).name(name).severity(severity);
    b.min = 0.0;
    b.max = 0.0;
    b.maxAge = Duration.ofSeconds(1);
    b.pattern = "";
    b.sql = "SELECT 1";
    b.values = new LinkedHashSet<>();
    return b.build();
  }

  /** {@return the check's kind} */
  public Kind kind() {
    return kind;
  }

  /** {@return the table checked} */
  public TableId table() {
    return table;
  }

  /** {@return the check's name, unique within a run and stable between runs (previous-run comparisons match on it)} */
  public String name() {
    return name;
  }

  /** {@return the columns it reads (the key of {@link Kind#UNIQUENESS}); empty for table-level checks} */
  public List<String> columns() {
    return columns;
  }

  /** {@return the accepted values of {@link Kind#ACCEPTED_VALUES}, in the order given; empty otherwise} */
  public Set<String> acceptedValues() {
    return values;
  }

  /** {@return the lower bound of {@link Kind#RANGE} and {@link Kind#ROW_COUNT}} */
  public Optional<Double> min() {
    return Optional.ofNullable(min);
  }

  /** {@return the upper bound of {@link Kind#RANGE} and {@link Kind#ROW_COUNT}} */
  public Optional<Double> max() {
    return Optional.ofNullable(max);
  }

  /** {@return the regular expression of {@link Kind#PATTERN}} */
  public Optional<String> pattern() {
    return Optional.ofNullable(pattern);
  }

  /** {@return the SELECT of {@link Kind#CUSTOM_SQL}} */
  public Optional<String> sql() {
    return Optional.ofNullable(sql);
  }

  /** {@return the most the metric may be (see the class comment); unused by {@link Kind#ROW_COUNT} and freshness} */
  public double threshold() {
    return threshold;
  }

  /** {@return the oldest the newest row may be, for {@link Kind#FRESHNESS}} */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** {@return what a failure means: {@code WARN} reports, {@code FAIL} stops a gate} */
  public Severity severity() {
    return severity;
  }

  /** {@return the column whose values the check runs per value of (a partition key, e.g. {@code year}), if any} */
  public Optional<String> partitionBy() {
    return Optional.ofNullable(partitionBy);
  }

  /** {@return the threshold as a person reads it: {@code ≤ 0.05}, {@code between 1 and 1000}, {@code ≤ PT720H}} */
  public String thresholdText() {
    switch (kind) {
      case ROW_COUNT:
        return "between " + (long) (double) min + " and " + (long) (double) max;
      case FRESHNESS:
        return "≤ " + maxAge.getSeconds() + " s (" + maxAge + ")";
      default:
        return "≤ " + number(threshold);
    }
  }

  static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.4g", d)
        .replaceAll("(\\.\\d*?)0+$", "$1")
        .replaceAll("\\.$", "");
  }

  private String defaultName() {
    String cols = columns.isEmpty() ? "" : "(" + String.join(",", columns) + ")";
    String detail = "";
    if (kind == Kind.RANGE) {
      detail = "[" + number(min) + "," + number(max) + "]";
    }
    return kind.name().toLowerCase(Locale.ROOT) + cols + detail
        + (partitionBy == null ? "" : " by " + partitionBy) + " on " + table;
  }

  @Override
  public String toString() {
    return name + " " + thresholdText() + " " + severity;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Check)) {
      return false;
    }
    Check c = (Check) o;
    return kind == c.kind
        && table.equals(c.table)
        && name.equals(c.name)
        && columns.equals(c.columns)
        && values.equals(c.values)
        && Objects.equals(min, c.min)
        && Objects.equals(max, c.max)
        && Objects.equals(pattern, c.pattern)
        && Objects.equals(sql, c.sql)
        && threshold == c.threshold
        && Objects.equals(maxAge, c.maxAge)
        && severity == c.severity
        && Objects.equals(partitionBy, c.partitionBy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, table, name, columns, threshold, severity);
  }

  /** Sets the optional parts of a {@link Check}; made by {@link Check}'s factories. Not thread-safe. */
  public static final class Builder {
    private final Kind kind;
    private final TableId table;
    private final List<String> columns = new ArrayList<>();
    private Set<String> values;
    private Double min;
    private Double max;
    private String pattern;
    private String sql;
    private double threshold;
    private Duration maxAge;
    private Severity severity = Severity.FAIL;
    private String partitionBy;
    private String name;

    private Builder(Kind kind, TableId table) {
      this.kind = kind;
      this.table = Objects.requireNonNull(table, "table");
    }

    private Builder column(String column) {
      columns.add(identifier(column, "column"));
      return this;
    }

    /**
     * {@link Severity#FAIL} (the default) or {@link Severity#WARN}.
     *
     * @param severity what a failure means: {@code WARN} reports, {@code FAIL} stops a gate
     * @return this builder
     */
    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /**
     * Sets the most the metric may be: a fraction 0..1 for value checks and {@link Kind#ROW_COUNT_CHANGE}, a count
     * for
     * counting checks.
     *
     * @param threshold the most the metric may be
     * @return this builder
     */
    public Builder threshold(double threshold) {
      if (Double.isNaN(threshold) || threshold < 0) {
        throw new IllegalArgumentException("threshold must be at least 0, got " + threshold);
      }
      boolean fraction = kind == Kind.COMPLETENESS
          || kind == Kind.ACCEPTED_VALUES
          || kind == Kind.RANGE
          || kind == Kind.PATTERN;
      if (fraction && threshold > 1) {
        throw new IllegalArgumentException("threshold of a " + kind
            + " check is a fraction of rows (0 to 1), got " + threshold + "; for 5% write 0.05");
      }
      if (kind == Kind.ROW_COUNT || kind == Kind.FRESHNESS) {
        throw new IllegalArgumentException(
            "a " + kind + " check takes its bounds from its factory, not a threshold");
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * Runs the check per value of {@code column} (a partition key such as {@code year}); one result each.
     *
     * @param column the column checked
     * @return this builder
     */
    public Builder partitionBy(String column) {
      if (kind == Kind.UNIQUENESS || kind == Kind.SCHEMA_CHANGE || kind == Kind.CUSTOM_SQL) {
        throw new IllegalArgumentException(
            "a " + kind + " check runs on the whole table; it cannot partitionBy");
      }
      this.partitionBy = identifier(column, "partitionBy");
      return this;
    }

    /**
     * Sets the check's name (default: made of its kind, columns and table), e.g. {@code closed_after_opened}.
     *
     * @param name the check's name
     * @return this builder
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a check name must not be blank");
      }
      this.name = name.strip();
      return this;
    }

    /** {@return the check} */
    public Check build() {
      return new Check(this);
    }

    private static String identifier(String column, String what) {
      Objects.requireNonNull(column, what);
      if (column.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return column;
    }
  }
}
