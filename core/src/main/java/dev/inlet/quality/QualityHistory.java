package dev.inlet.quality;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Earlier runs' results, which {@link Check.Kind#ROW_COUNT_CHANGE} and {@link Check.Kind#SCHEMA_CHANGE} compare
 * against and the report draws trends from. One abstract method; implementations are thread-safe.
 *
 * <p>Implementations: {@link #none()}, {@link #of(List)} and the stored results read by
 * {@link QualityResultsLayout#read}; being one method, a lambda is one too.
 */
public interface QualityHistory {
  /**
   * {@return the results of earlier runs, oldest first (each run's results share their {@link CheckResult#runAt()})}
   * Checks in them are rebuilt from what was stored, so only their name, kind, table and severity are reliable.
   */
  List<CheckResult> results();

  /**
   * {@return the latest earlier result of the check named {@code checkName} on {@code partition} ("" for the table)
   * that is
   * a baseline: passed or warned} A failed result is not one, nor one that could not run: otherwise a rerun without
   * any change would compare with the failure and pass (a CI retry would get past a drop). To accept a new level
   * after a failure, lower the check's severity to warn for one run.
   *
   * @param checkName the check's name
   * @param partition the partition checked ("" for the table)
   */
  default Optional<CheckResult> previous(String checkName, String partition) {
    List<CheckResult> all = results();
    for (int i = all.size() - 1; i >= 0; i--) {
      CheckResult r = all.get(i);
      if (r.check().name().equals(checkName)
          && r.partition().equals(partition)
          && (r.outcome() == Outcome.PASSED || r.outcome() == Outcome.WARNED)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * No earlier run: comparing checks pass as a first run.
   *
   * @return a history without earlier runs
   */
  static QualityHistory none() {
    return List::of;
  }

  /**
   * {@return the given earlier results (e.g. the previous run's {@link QualityResult#results()})}
   *
   * @param earlier the earlier results
   */
  static QualityHistory of(List<CheckResult> earlier) {
    List<CheckResult> copy = List.copyOf(Objects.requireNonNull(earlier, "earlier"));
    return () -> copy;
  }
}
