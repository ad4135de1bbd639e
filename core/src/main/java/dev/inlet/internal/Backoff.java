package dev.inlet.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The one backoff between retries: exponential, capped and jittered. Before retry {@code n} (1 for the first) the
 * ceiling is {@code min(max, base * 2^(n-1))} and the delay a random value between {@code floor * ceiling} and the
 * ceiling: {@linkplain #fullJitter full jitter} (floor 0) where many clients retry the same server, {@linkplain
 * #equalJitter equal jitter} (floor 1/2) where a retry should wait at least half the ceiling. Immutable and
 * thread-safe. Not API.
 */
public final class Backoff {
  /** Sleeps for a delay; tests pass one that records the delays instead of waiting. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits {@code delay}.
     *
     * @param delay how long, zero or more
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration delay) throws InterruptedException;
  }

  /** {@link Thread#sleep}. */
  public static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  private final long baseMillis;
  private final long maxMillis;
  private final boolean equal;
  private final LongUnaryOperator random; // n -> a uniform value in [0, n]

  private Backoff(Duration base, Duration max, boolean equal, LongUnaryOperator random) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= base <= max: base=" + base + ", max=" + max);
    }
    this.baseMillis = base.toMillis();
    this.maxMillis = max.toMillis();
    this.equal = equal;
    this.random = random;
  }

  /**
   * A delay uniform in {@code [0, ceiling]}.
   *
   * @param base the ceiling before the first retry
   * @param max the largest ceiling
   * @return the backoff
   * @throws IllegalArgumentException unless {@code 0 <= base <= max}
   */
  public static Backoff fullJitter(Duration base, Duration max) {
    return new Backoff(base, max, false, n -> ThreadLocalRandom.current().nextLong(n + 1));
  }

  /**
   * A delay uniform in {@code [ceiling / 2, ceiling]}.
   *
   * @param base the ceiling before the first retry
   * @param max the largest ceiling
   * @return the backoff
   * @throws IllegalArgumentException unless {@code 0 <= base <= max}
   */
  public static Backoff equalJitter(Duration base, Duration max) {
    return new Backoff(base, max, true, n -> ThreadLocalRandom.current().nextLong(n + 1));
  }

  /**
   * This backoff drawing its jitter from {@code random} (given {@code n}, a value in {@code [0, n]}); for tests.
   *
   * @param random the source of jitter
   * @return a copy using it
   */
  public Backoff withRandom(LongUnaryOperator random) {
    return new Backoff(
        Duration.ofMillis(baseMillis),
        Duration.ofMillis(maxMillis),
        equal,
        Objects.requireNonNull(random, "random"));
  }

  /**
   * The largest delay before retry {@code retry}: {@code min(max, base * 2^(retry-1))}.
   *
   * @param retry 1 for the first retry
   * @return the ceiling
   */
  public Duration ceiling(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1: " + retry);
    }
    long c = retry > 62 || baseMillis > (maxMillis >> Math.min(retry - 1, 62))
        ? maxMillis
        : Math.min(maxMillis, baseMillis << (retry - 1));
    return Duration.ofMillis(c);
  }

  /**
   * A jittered delay before retry {@code retry}.
   *
   * @param retry 1 for the first retry
   * @return the delay, within {@code [0, ceiling(retry)]} (full jitter) or {@code [ceiling/2, ceiling]} (equal)
   */
  public Duration delay(int retry) {
    long c = ceiling(retry).toMillis();
    long floor = equal ? c / 2 : 0;
    return Duration.ofMillis(floor + random.applyAsLong(c - floor));
  }

  @Override
  public String toString() {
    return (equal ? "equal" : "full") + "-jitter backoff " + baseMillis + ".." + maxMillis + " ms";
  }
}
