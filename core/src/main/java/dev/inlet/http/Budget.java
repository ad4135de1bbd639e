package dev.inlet.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one download may still spend: tries (a try is one request, with the redirects it follows) and time (its
 * deadline, on the downloader's clock). HTTP retries, body resumes and, through
 * {@link dev.inlet.SourceFile.Opener#oneDownload()}, the pipeline's attempts of a file all draw on one budget, so
 * that they add up instead of multiplying. Used by one thread at a time; synchronized because a pipeline's
 * attempts may run on different threads one after the other.
 */
final class Budget {
  private final int attempts;
  private final long deadline;
  private final LongSupplier ticker;
  private int used;
  /** Why the download last gave up, for the message of a later attempt that finds no tries left. */
  private String gaveUp;

  Budget(int attempts, long deadline, LongSupplier ticker) {
    this.attempts = attempts;
    this.deadline = deadline;
    this.ticker = ticker;
  }

  /** Takes a try; false (taking nothing) if all are used. */
  synchronized boolean take() {
    if (used >= attempts) {
      return false;
    }
    used++;
    return true;
  }

  synchronized boolean hasTries() {
    return used < attempts;
  }

  /** Records why the download gave up with its tries used, and returns {@code message}. */
  synchronized String gaveUp(String message) {
    gaveUp = message;
    return message;
  }

  /** Why the download last gave up, or null. */
  synchronized String gaveUp() {
    return gaveUp;
  }

  /** Tries taken so far. */
  synchronized int used() {
    return used;
  }

  /** Tries in all. */
  int attempts() {
    return attempts;
  }

  /** Whether the deadline has passed. */
  boolean passed() {
    return deadline - ticker.getAsLong() <= 0;
  }

  /** The time left before the deadline, at least 1 ms (a timeout of zero would mean none). */
  Duration remaining() {
    return Duration.ofNanos(Math.max(1_000_000, deadline - ticker.getAsLong()));
  }
}
