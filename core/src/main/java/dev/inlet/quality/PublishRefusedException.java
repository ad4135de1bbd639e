package dev.inlet.quality;

import dev.inlet.InletException;
import dev.inlet.TableId;
import java.util.Objects;

/**
 * A {@link PublishGate} refused a new version of a table: a fail-severity check failed on it, nothing of it was
 * committed, and the previous version stays live. {@link #result()} holds every check's outcome.
 */
public final class PublishRefusedException extends InletException {
  private static final long serialVersionUID = 1L;

  private final transient TableId table;
  private final transient QualityResult result;

  /**
   * Creates the exception, naming the table and the checks that stopped it.
   *
   * @param table the table whose new version was refused
   * @param result the gate's checks on it
   */
  public PublishRefusedException(TableId table, QualityResult result) {
    super("Cannot publish the new version of " + Objects.requireNonNull(table, "table") + ": "
        + Objects.requireNonNull(result, "result").results().stream()
            .filter(CheckResult::blocks)
            .count()
        + " fail-severity check(s) failed or could not run on it;"
        + " the previous version stays live. Fix the inputs or the checks, then run again.\n"
        + result.summary());
    this.table = table;
    this.result = result;
  }

  /** {@return the table whose new version was refused} */
  public TableId table() {
    return table;
  }

  /** {@return the gate's checks on the refused version} */
  public QualityResult result() {
    return result;
  }
}
