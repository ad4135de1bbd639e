package dev.inlet.quality;

import dev.inlet.TableId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The results of one run of {@link QualityChecks}: one {@link CheckResult} per check and partition, in order. */
public final class QualityResult {
  private final Instant runAt;
  private final List<CheckResult> results;

  /**
   * A run's results.
   *
   * @param runAt when the run started
   * @param results one per check (and partition)
   */
  public QualityResult(Instant runAt, List<CheckResult> results) {
    this.runAt = Objects.requireNonNull(runAt, "runAt");
    this.results = List.copyOf(results);
  }

  /** {@return when the run started} */
  public Instant runAt() {
    return runAt;
  }

  /** {@return the results, one per check (and partition)} */
  public List<CheckResult> results() {
    return results;
  }

  /**
   * {@return how many results had {@code outcome}}
   *
   * @param outcome the outcome counted
   */
  public long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }

  /**
   * {@return whether a gate stops: a fail-severity check failed or could not run} A gate publishes only when this is
   * false.
   */
  public boolean blocks() {
    return results.stream().anyMatch(CheckResult::blocks);
  }

  /** {@return the results grouped by table, tables in the order of their first result} */
  public Map<TableId, List<CheckResult>> byTable() {
    Map<TableId, List<CheckResult>> m = new LinkedHashMap<>();
    for (CheckResult r : results) {
      m.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(r);
    }
    return m;
  }

  /**
   * {@return a one-screen text summary: the counts, then every result that did not pass (passed ones only counted per
   * table), each with its message and first sample}
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("Quality run ")
        .append(runAt)
        .append(": ")
        .append(count(Outcome.PASSED))
        .append(" passed, ")
        .append(count(Outcome.WARNED))
        .append(" warned, ")
        .append(count(Outcome.FAILED))
        .append(" failed");
    long errors = count(Outcome.ERROR);
    if (errors > 0) {
      sb.append(", ").append(errors).append(" could not run");
    }
    sb.append('\n');
    for (Map.Entry<TableId, List<CheckResult>> e : byTable().entrySet()) {
      long passed =
          e.getValue().stream().filter(r -> r.outcome() == Outcome.PASSED).count();
      sb.append("  ")
          .append(e.getKey())
          .append(": ")
          .append(passed)
          .append('/')
          .append(e.getValue().size())
          .append(" passed\n");
      for (CheckResult r : e.getValue()) {
        if (r.outcome() == Outcome.PASSED) {
          continue;
        }
        sb.append("    ")
            .append(mark(r.outcome()))
            .append(' ')
            .append(r.check().name())
            .append(r.partition().isEmpty() ? "" : " [" + r.partition() + "]")
            .append(": ")
            .append(oneLine(r.message(), 160))
            .append('\n');
        if (!r.samples().isEmpty()) {
          sb.append("        e.g. ").append(oneLine(r.samples().get(0), 140)).append('\n');
        }
      }
    }
    sb.append(
        blocks()
            ? "FAILED: a fail-severity check did not pass\n"
            : "OK: no fail-severity check failed\n");
    return sb.toString();
  }

  private static String mark(Outcome o) {
    switch (o) {
      case WARNED:
        return "WARN ";
      case FAILED:
        return "FAIL ";
      case ERROR:
        return "ERROR";
      default:
        return "ok   ";
    }
  }

  private static String oneLine(String s, int max) {
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }

  @Override
  public String toString() {
    return "QualityResult[" + runAt + ", " + results.size() + " results]";
  }
}
