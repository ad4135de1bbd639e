package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The byte fast paths for numbers and timestamps either decide exactly as the String methods do, or leave the
 * text to them: whenever a fast path answers, its value equals the String method's (bit for bit for doubles).
 */
class ValuesBytesPropertyTest {

  @Provide
  Arbitrary<String> numberish() {
    return Arbitraries.strings().withChars("0123456789-+.e").ofMaxLength(22);
  }

  @Provide
  Arbitrary<String> timestampish() {
    Arbitrary<String> wellFormed = Combinators.combine(
            Arbitraries.integers().between(1, 9999),
            Arbitraries.integers().between(0, 13),
            Arbitraries.integers().between(0, 32),
            Arbitraries.integers().between(0, 24),
            Arbitraries.integers().between(0, 60),
            Arbitraries.strings().withChars("0123456789").ofMaxLength(10),
            Arbitraries.of(" ", "T", "x"),
            Arbitraries.of("", "Z", "+01:00", "-0530", "."))
        .as((y, mo, d, h, mi, frac, sep, zone) -> String.format(
            "%04d-%02d-%02d%s%02d:%02d:%02d%s%s",
            y, mo, d, sep, h, mi, mi, frac.isEmpty() ? "" : "." + frac, zone));
    Arbitrary<String> dates = Combinators.combine(
            Arbitraries.integers().between(1, 9999),
            Arbitraries.integers().between(0, 13),
            Arbitraries.integers().between(0, 32))
        .as((y, mo, d) -> String.format("%04d-%02d-%02d", y, mo, d));
    Arbitrary<String> noise =
        Arbitraries.strings().withChars("0123456789-: T.Z").ofMaxLength(30);
    return Arbitraries.oneOf(wellFormed, dates, noise);
  }

  private static byte[] framed(String s) {
    return ("[" + s + "]").getBytes(StandardCharsets.ISO_8859_1); // a slice inside a larger array
  }

  @Property(tries = 5000)
  void tryLong(@ForAll("numberish") String s) {
    Values fast = new Values();
    if (fast.tryLong(framed(s), 1, 1 + s.length())) {
      Values slow = new Values();
      assertThat(slow.tryLong(s)).as(s).isTrue();
      assertThat(fast.longValue).as(s).isEqualTo(slow.longValue);
    }
  }

  @Property(tries = 5000)
  void tryDouble(@ForAll("numberish") String s) {
    Values fast = new Values();
    if (fast.tryDouble(framed(s), 1, 1 + s.length())) {
      Values slow = new Values();
      assertThat(slow.tryDouble(s, true)).as(s).isTrue();
      assertThat(Double.doubleToRawLongBits(fast.doubleValue))
          .as(s)
          .isEqualTo(Double.doubleToRawLongBits(slow.doubleValue));
    }
  }

  @Property(tries = 5000)
  void parseTimestamp(@ForAll("timestampish") String s) {
    long fast = Values.parseTimestamp(framed(s), 1, 1 + s.length());
    if (fast != Long.MIN_VALUE) {
      assertThat(fast).as(s).isEqualTo(Values.parseTimestamp(s));
    }
  }

  @Property(tries = 2000)
  void commonTimestamps_areDecidedByTheFastPath(@ForAll("timestampish") String s) {
    long slow = Values.parseTimestamp(s);
    boolean plain = s.length() == 10
        || (s.length() >= 19 && !s.contains("Z") && !s.contains("+") && s.lastIndexOf('-') < 10);
    if (slow != Long.MIN_VALUE && plain) {
      assertThat(Values.parseTimestamp(framed(s), 1, 1 + s.length())).as(s).isEqualTo(slow);
    }
  }
}
