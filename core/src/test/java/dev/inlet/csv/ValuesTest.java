package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {
  private static long micros(String isoLocal) {
    return ChronoUnit.MICROS.between(
        LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.parse(isoLocal));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2022-01-21 13:47:00|2022-01-21T13:47:00",
        "2022-01-21T13:47:00|2022-01-21T13:47:00",
        "2025-08-01 06:35:06.539+00|2025-08-01T06:35:06.539",
        "2025-08-01 06:35:06.5+0000|2025-08-01T06:35:06.5",
        "2025-08-01 06:35:06.123456789Z|2025-08-01T06:35:06.123456",
        "2025-08-01 06:35:06-05:00|2025-08-01T11:35:06",
        "2025-08-01 06:35:06+05:30|2025-08-01T01:05:06",
        "2024-02-29|2024-02-29T00:00:00",
        "1969-12-31 23:59:59.999999|1969-12-31T23:59:59.999999",
      })
  void parseTimestamp_acceptsPublishedFormats(String text, String expectedUtc) {
    assertThat(Values.parseTimestamp(text)).isEqualTo(micros(expectedUtc));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2023-02-29 00:00:00",
        "2022-13-01 00:00:00",
        "2022-01-21 24:00:00",
        "2022-01-21 13:47",
        "2022-01-21 13:47:00.",
        "2022-01-21 13:47:00.1234567890",
        "2022-01-21 13:47:00+5",
        "2022-01-21 13:47:00 UTC",
        "22-01-21 13:47:00",
        "2022/01/21 13:47:00",
        "Wed Jan 19 11:42:16 EST 2022",
      })
  void parseTimestamp_rejectsOthers(String text) {
    assertThat(Values.parseTimestamp(text)).isEqualTo(Long.MIN_VALUE);
  }

  @Property(tries = 300)
  void parseTimestamp_agreesWithJavaTime(
      @ForAll @LongRange(min = -2_000_000_000L, max = 4_000_000_000L) long epochSecond,
      @ForAll @IntRange(min = 0, max = 999_999) int micros,
      @ForAll @IntRange(min = -12 * 4, max = 14 * 4) int quarterHours) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, micros * 1000, ZoneOffset.UTC);
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60);
    // Always print seconds and micros: LocalDateTime.toString() drops ":00" seconds, a format no
    // file uses.
    String text =
        t.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS"))
            + offset.getId().replace("Z", "+00:00");
    long expected = ChronoUnit.MICROS.between(
        LocalDateTime.of(1970, 1, 1, 0, 0),
        t.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    assertThat(Values.parseTimestamp(text)).as(text).isEqualTo(expected);
  }

  @Test
  void tryLong_acceptsLongRangeOnly() {
    Values v = new Values();
    assertThat(v.tryLong("9223372036854775807")).isTrue();
    assertThat(v.longValue).isEqualTo(Long.MAX_VALUE);
    assertThat(v.tryLong("-9223372036854775808")).isTrue();
    assertThat(v.longValue).isEqualTo(Long.MIN_VALUE);
    assertThat(v.tryLong("9223372036854775808")).isFalse();
    assertThat(v.tryLong("-")).isFalse();
    assertThat(v.tryLong("1.0")).isFalse();
    assertThat(v.tryLong("+42")).isTrue();
    assertThat(v.longValue).isEqualTo(42);
  }

  @Test
  void tryDouble_rejectsJavaOnlySpellings() {
    Values v = new Values();
    assertThat(v.tryDouble("NaN", true)).isFalse();
    assertThat(v.tryDouble("Infinity", true)).isFalse();
    assertThat(v.tryDouble("1d", true)).isFalse();
    assertThat(v.tryDouble("0x1p3", true)).isFalse();
    assertThat(v.tryDouble("1e5", false)).isFalse();
    assertThat(v.tryDouble("1e5", true)).isTrue();
    assertThat(v.tryDouble("-71.0587", false)).isTrue();
    assertThat(v.doubleValue).isEqualTo(-71.0587);
  }

  @Property(tries = 3000)
  void tryDouble_fastPathRoundsExactlyLikeParseDouble(
      @ForAll double d,
      @ForAll @LongRange(min = -99_999_999_999_999_999L, max = 99_999_999_999_999_999L) long digits,
      @ForAll @IntRange(min = 0, max = 25) int scale) {
    Values v = new Values();
    String plain = new java.math.BigDecimal(digits).movePointLeft(scale).toPlainString();
    for (String s : new String[] {
      Double.toString(d), plain, "+" + plain, plain + "0", "0" + plain.replace("-", "")
    }) {
      boolean java = !Double.isNaN(d) && !Double.isInfinite(d) || !s.equals(Double.toString(d));
      if (java && Values.isDecimalText(s, true)) {
        assertThat(v.tryDouble(s, true)).as(s).isTrue();
        assertThat(Double.doubleToRawLongBits(v.doubleValue))
            .as(s)
            .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
      } else {
        assertThat(v.tryDouble(s, true)).as(s).isFalse();
      }
    }
  }

  @Test
  void hasLeadingZero_marksCodesNotNumbers() {
    assertThat(Values.hasLeadingZero("02127")).isTrue();
    assertThat(Values.hasLeadingZero("0706")).isTrue();
    assertThat(Values.hasLeadingZero("-012")).isTrue();
    assertThat(Values.hasLeadingZero("00.5")).isTrue();
    assertThat(Values.hasLeadingZero("0")).isFalse();
    assertThat(Values.hasLeadingZero("0.5")).isFalse();
    assertThat(Values.hasLeadingZero("10")).isFalse();
  }

  @Test
  void trim_stripsNoBreakSpaces() {
    assertThat(Values.trim("\u00A0 x \u00A0")).isEqualTo("x");
    String same = "abc";
    assertThat(Values.trim(same)).isSameAs(same);
  }

  @Test
  void parseDecimal_padsScaleButNeverRounds() {
    assertThat(Values.parseDecimal("1.5", 5, 2)).isEqualByComparingTo("1.50");
    assertThat(Values.parseDecimal("1.50", 5, 1)).isEqualByComparingTo("1.5");
    assertThat(Values.parseDecimal("1.55", 5, 1)).isNull();
    assertThat(Values.parseDecimal("12345", 5, 2)).isNull();
  }
}
