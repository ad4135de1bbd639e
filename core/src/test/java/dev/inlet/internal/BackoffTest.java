package dev.inlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @Test
  void ceilingDoublesFromBaseUpToMax_withoutOverflow() {
    Backoff b = Backoff.fullJitter(ms(100), ms(1_000));
    assertThat(b.ceiling(1)).isEqualTo(ms(100));
    assertThat(b.ceiling(2)).isEqualTo(ms(200));
    assertThat(b.ceiling(4)).isEqualTo(ms(800));
    assertThat(b.ceiling(5)).isEqualTo(ms(1_000));
    assertThat(b.ceiling(63)).isEqualTo(ms(1_000));
    assertThat(b.ceiling(Integer.MAX_VALUE)).isEqualTo(ms(1_000));
    assertThat(
            Backoff.fullJitter(ms(Long.MAX_VALUE / 4), ms(Long.MAX_VALUE / 2)).ceiling(40))
        .isEqualTo(ms(Long.MAX_VALUE / 2));
  }

  @Test
  void fullJitterSpansZeroToTheCeiling_equalJitterItsUpperHalf() {
    Backoff full = Backoff.fullJitter(ms(100), ms(1_000));
    Backoff equal = Backoff.equalJitter(ms(100), ms(1_000));
    assertThat(full.withRandom(n -> 0).delay(3)).isEqualTo(ms(0));
    assertThat(full.withRandom(n -> n).delay(3)).isEqualTo(ms(400));
    assertThat(equal.withRandom(n -> 0).delay(3)).isEqualTo(ms(200));
    assertThat(equal.withRandom(n -> n).delay(3)).isEqualTo(ms(400));
    for (int i = 0; i < 1_000; i++) {
      assertThat(full.delay(2)).isBetween(ms(0), ms(200));
      assertThat(equal.delay(6)).isBetween(ms(500), ms(1_000));
    }
  }

  @Test
  void zeroBaseNeverWaits_andBadSettingsFailEarly() {
    assertThat(Backoff.equalJitter(Duration.ZERO, ms(10)).delay(5)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> Backoff.fullJitter(ms(10), ms(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff needs 0 <= base <= max: base=PT0.01S, max=PT0.005S");
    assertThatThrownBy(() -> Backoff.fullJitter(ms(1), ms(5)).delay(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
