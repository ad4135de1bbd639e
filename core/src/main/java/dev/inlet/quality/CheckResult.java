package dev.inlet.quality;

import dev.inlet.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one check on its table, or on one partition of it.
 *
 * @param check the check
 * @param partition the partition, as {@code column=value} (e.g. {@code year=2015}), or empty for the whole table
 * @param metric what the check measured (a fraction, a count, seconds; see {@link Check}), NaN if it could not run
 * @param outcome passed, warned, failed or error
 * @param message a sentence a person reads: the metric against the threshold, or why the check could not run
 * @param details what a later run compares against (the schema, for {@link Check.Kind#SCHEMA_CHANGE}), or empty
 * @param samples a few failing rows or values, as text
 * @param runAt when the run started (one instant for every result of a run)
 * @param took how long the check's statements ran
 */
public record CheckResult(
    Check check,
    String partition,
    double metric,
    Outcome outcome,
    String message,
    String details,
    List<String> samples,
    Instant runAt,
    Duration took) {
  /**
   * Creates the record.
   *
   * @param check the check
   * @param partition the partition, as {@code column=value} (e.g. {@code year=2015}), or empty for the whole table
   * @param metric what the check measured (a fraction, a count, seconds; see {@link Check}), NaN if it could not run
   * @param outcome passed, warned, failed or error
   * @param message a sentence a person reads: the metric against the threshold, or why the check could not run
   * @param details what a later run compares against (the schema, for {@link Check.Kind#SCHEMA_CHANGE}), or empty
   * @param samples a few failing rows or values, as text
   * @param runAt when the run started (one instant for every result of a run)
   * @param took how long the check's statements ran
   */
  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(details, "details");
    samples = List.copyOf(samples);
    Objects.requireNonNull(runAt, "runAt");
    Objects.requireNonNull(took, "took");
  }

  /** {@return the table the check ran on} */
  public TableId table() {
    return check.table();
  }

  /** {@return whether this result stops a gate: a failed check, or a fail-severity check that could not run} */
  public boolean blocks() {
    return outcome == Outcome.FAILED
        || outcome == Outcome.ERROR && check.severity() == Severity.FAIL;
  }
}
