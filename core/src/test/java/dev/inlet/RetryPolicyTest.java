package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void defaults_andToBuilder_roundTrip() {
    RetryPolicy p = RetryPolicy.builder().build();

    assertThat(p.attempts()).isEqualTo(3);
    assertThat(p.baseDelay()).isEqualTo(ms(500));
    assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.jitter()).isEqualTo(RetryPolicy.Jitter.FULL);
    assertThat(p.deadline()).isEmpty();
    assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    RetryPolicy changed =
        p.toBuilder().attempts(7).deadline(Duration.ofMinutes(1)).build();
    assertThat(changed.attempts()).isEqualTo(7);
    assertThat(changed.deadline()).isEqualTo(Optional.of(Duration.ofMinutes(1)));
    assertThat(p.attempts()).as("the original is unchanged").isEqualTo(3);
    assertThat(changed.toBuilder().noDeadline().build().deadline()).isEmpty();
    assertThat(changed.toString())
        .isEqualTo(
            "RetryPolicy{attempts=7, backoff=PT0.5S..PT30S full jitter," + " deadline=PT1M}");
  }

  @Test
  void delays_stayUnderTheirCeiling_doubling_upToTheMax() {
    RetryPolicy full = RetryPolicy.builder().backoff(ms(100), ms(1_000)).build();
    RetryPolicy equal = full.toBuilder().jitter(RetryPolicy.Jitter.EQUAL).build();

    assertThat(full.ceiling(1)).isEqualTo(ms(100));
    assertThat(full.ceiling(3)).isEqualTo(ms(400));
    assertThat(full.ceiling(60)).isEqualTo(ms(1_000));
    for (int retry = 1; retry <= 10; retry++) {
      Duration c = full.ceiling(retry);
      for (int i = 0; i < 50; i++) {
        assertThat(full.delay(retry)).isBetween(Duration.ZERO, c);
        assertThat(equal.delay(retry)).isBetween(c.dividedBy(2), c);
      }
    }
    assertThat(RetryPolicy.immediate(4).delay(3)).isEqualTo(Duration.ZERO);
    assertThat(RetryPolicy.immediate(4).attempts()).isEqualTo(4);
  }

  @Test
  void badSettings_failAtTheSetter() {
    RetryPolicy.Builder b = RetryPolicy.builder();
    assertThatThrownBy(() -> b.attempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempts must be >= 1: 0");
    assertThatThrownBy(() -> b.backoff(ms(2), ms(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 <= base <= max");
    assertThatThrownBy(() -> b.backoff(ms(-1), ms(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.jitter(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RetryPolicy.immediate(1).delay(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hugeDurations_countAsAHundredYears_withoutOverflow() {
    RetryPolicy p = RetryPolicy.builder()
        .backoff(Duration.ofSeconds(Long.MAX_VALUE / 2), Duration.ofSeconds(Long.MAX_VALUE))
        .deadline(Duration.ofSeconds(Long.MAX_VALUE))
        .build();

    assertThat(p.deadline()).contains(Duration.ofDays(36_500));
    assertThat(p.ceiling(40)).isEqualTo(Duration.ofDays(36_500));
  }
}
