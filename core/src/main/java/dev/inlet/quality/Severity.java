package dev.inlet.quality;

/** What a failing check means: a warning to look at, or a failure that stops a gate. */
public enum Severity {
  /** Reported; never stops a gate. */
  WARN,
  /** Stops a gate (the {@code check} command exits 1, a refine does not publish). */
  FAIL
}
