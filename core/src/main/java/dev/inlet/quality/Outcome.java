package dev.inlet.quality;

/** The outcome of one check on one table (or partition). */
public enum Outcome {
  /** The metric is within the threshold. */
  PASSED,
  /** The metric is outside the threshold of a {@link Severity#WARN} check. */
  WARNED,
  /** The metric is outside the threshold of a {@link Severity#FAIL} check. */
  FAILED,
  /** The check could not run (a missing table or column, a rejected statement); the message says why. */
  ERROR
}
