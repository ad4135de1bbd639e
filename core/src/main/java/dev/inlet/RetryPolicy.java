package dev.inlet;

import dev.inlet.internal.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How often, how patiently and for how long an operation is tried: the one retry policy of Inlet, passed where
 * retries happen ({@link Pipeline.Builder#retryPolicy(RetryPolicy)}, {@link
 * dev.inlet.http.HttpDownloader.Builder#retryPolicy(RetryPolicy)}; the Glue catalog builds its own from its
 * settings).
 *
 * <ul>
 *   <li><b>Attempts</b>: tries in all, the first included; 1 means no retry.</li>
 *   <li><b>Backoff</b>: before retry {@code n} (1 for the first) the ceiling is {@code min(max, base * 2^(n-1))};
 *       the delay is random below it ({@link Jitter#FULL}, where many clients retry the same server) or between
 *       its half and it ({@link Jitter#EQUAL}, where a retry should wait at least half of it).</li>
 *   <li><b>Deadline</b>: the most time all tries together may take, backoff included; none by default. What
 *       "together" covers is said by the user of the policy (for a download: every request of one file).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}, change a copy with {@link #toBuilder()}.
 */
public final class RetryPolicy {
  /** How the delay before a retry is drawn below its ceiling. */
  public enum Jitter {
    /** Uniform in {@code [0, ceiling]}. */
    FULL,
    /** Uniform in {@code [ceiling / 2, ceiling]}. */
    EQUAL
  }

  private final int attempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Jitter jitter;
  private final Duration deadline;
  private final Backoff backoff;

  private RetryPolicy(Builder b) {
    this.attempts = b.attempts;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.jitter = b.jitter;
    this.deadline = b.deadline;
    this.backoff = jitter == Jitter.FULL
        ? Backoff.fullJitter(baseDelay, maxDelay)
        : Backoff.equalJitter(baseDelay, maxDelay);
  }

  /**
   * A builder with the defaults: 3 attempts, backoff 500 ms up to 30 s with full jitter, no deadline.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A policy of {@code attempts} tries without pause between them: for tests, and where the caller waits itself.
   *
   * @param attempts tries in all, 1 or more
   * @return the policy
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public static RetryPolicy immediate(int attempts) {
    return builder().attempts(attempts).backoff(Duration.ZERO, Duration.ZERO).build();
  }

  /**
   * A builder holding this policy's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.attempts = attempts;
    b.baseDelay = baseDelay;
    b.maxDelay = maxDelay;
    b.jitter = jitter;
    b.deadline = deadline;
    return b;
  }

  /**
   * Tries in all, the first included.
   *
   * @return 1 or more
   */
  public int attempts() {
    return attempts;
  }

  /**
   * The ceiling of the delay before the first retry.
   *
   * @return zero or more
   */
  public Duration baseDelay() {
    return baseDelay;
  }

  /**
   * The largest delay between two tries (also the most a server's {@code Retry-After} is honoured).
   *
   * @return at least {@link #baseDelay()}
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * How delays are drawn below their ceiling.
   *
   * @return the jitter
   */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * The most time all tries together may take, if limited.
   *
   * @return the deadline, or empty for none
   */
  public Optional<Duration> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * The ceiling of the delay before retry {@code retry}: {@code min(max, base * 2^(retry-1))}.
   *
   * @param retry 1 for the first retry (the second attempt)
   * @return the ceiling
   * @throws IllegalArgumentException if {@code retry < 1}
   */
  public Duration ceiling(int retry) {
    return backoff.ceiling(retry);
  }

  /**
   * A random delay before retry {@code retry}, within {@code [0, ceiling(retry)]} ({@link Jitter#FULL}) or
   * {@code [ceiling(retry) / 2, ceiling(retry)]} ({@link Jitter#EQUAL}).
   *
   * @param retry 1 for the first retry (the second attempt)
   * @return the delay
   * @throws IllegalArgumentException if {@code retry < 1}
   */
  public Duration delay(int retry) {
    return backoff.delay(retry);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && attempts == p.attempts
        && baseDelay.equals(p.baseDelay)
        && maxDelay.equals(p.maxDelay)
        && jitter == p.jitter
        && Objects.equals(deadline, p.deadline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(attempts, baseDelay, maxDelay, jitter, deadline);
  }

  @Override
  public String toString() {
    return "RetryPolicy{attempts=" + attempts + ", backoff=" + baseDelay + ".." + maxDelay + " "
        + jitter.name().toLowerCase(java.util.Locale.ROOT) + " jitter"
        + (deadline == null ? "" : ", deadline=" + deadline) + "}";
  }

  /** Builds a {@link RetryPolicy}; every setting has a default and is checked when set. Not thread-safe. */
  public static final class Builder {
    /** A duration longer than this (100 years) counts as this long, so that the arithmetic on it cannot overflow. */
    private static final Duration LONGEST = Duration.ofDays(36_500);

    private int attempts = 3;
    private Duration baseDelay = Duration.ofMillis(500);
    private Duration maxDelay = Duration.ofSeconds(30);
    private Jitter jitter = Jitter.FULL;
    private Duration deadline;

    private Builder() {}

    /**
     * Tries in all, the first included; default 3.
     *
     * @param attempts 1 or more (1: no retry)
     * @return this builder
     * @throws IllegalArgumentException if {@code attempts < 1}
     */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /**
     * The backoff's first ceiling and its largest; defaults 500 ms and 30 s.
     *
     * @param base the ceiling before the first retry, zero or more
     * @param max the largest delay, at least {@code base}
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 <= base <= max}
     */
    public Builder backoff(Duration base, Duration max) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(max, "max");
      if (base.isNegative() || max.isNegative() || base.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= base <= max: base=" + base + ", max=" + max);
      }
      this.baseDelay = longest(base);
      this.maxDelay = longest(max);
      return this;
    }

    /**
     * How delays are drawn below their ceiling; default {@link Jitter#FULL}.
     *
     * @param jitter the jitter
     * @return this builder
     */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * The most time all tries together may take; none by default. Longer than 100 years counts as 100 years.
     *
     * @param deadline more than zero
     * @return this builder
     * @throws IllegalArgumentException if {@code deadline} is zero or negative
     */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.isZero() || deadline.isNegative()) {
        throw new IllegalArgumentException("deadline must be > 0: " + deadline);
      }
      this.deadline = longest(deadline);
      return this;
    }

    /**
     * Removes the deadline: tries are limited by their number only.
     *
     * @return this builder
     */
    public Builder noDeadline() {
      this.deadline = null;
      return this;
    }

    /**
     * The policy.
     *
     * @return a new immutable policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }

    private static Duration longest(Duration d) {
      return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }
  }
}
