package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The hand-written decimal parser, fast paths included (Clinger's for up to 15 digits, Eisel-Lemire's for 16 to
 * 19), gives exactly the double {@link Double#parseDouble} gives, bit for bit.
 */
class DoubleParsingPropertyTest {

  private static void assertSameAsJdk(String text) {
    Values v = new Values();
    assertThat(v.tryDouble(text, true)).as(text).isTrue();
    assertThat(Double.doubleToRawLongBits(v.doubleValue))
        .as(text)
        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
  }

  @Provide
  Arbitrary<String> decimals() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(19);
    return Arbitraries.oneOf(
            digits, Arbitraries.strings().numeric().ofMinLength(16).ofMaxLength(19))
        .flatMap(d -> Arbitraries.integers()
            .between(0, d.length())
            .flatMap(dot -> Arbitraries.of("", "-")
                .map(sign ->
                    sign + d.substring(0, dot) + (dot < d.length() ? "." + d.substring(dot) : ""))))
        .filter(s -> !s.endsWith(".") && !s.equals("-"));
  }

  @Property(tries = 20_000)
  void anyDecimalOfUpTo19Digits(@ForAll("decimals") String text) {
    assertSameAsJdk(text.startsWith(".") || text.startsWith("-.") ? text.replace(".", "0.") : text);
  }

  @Property(tries = 20_000)
  void coordinatesAtFullPrecision(
      @ForAll @DoubleRange(min = -180, max = 180) double x,
      @ForAll @IntRange(min = 14, max = 19) int significant) {
    String exact =
        new BigDecimal(x).round(new java.math.MathContext(significant)).toPlainString();
    assertSameAsJdk(exact);
    assertSameAsJdk(Double.toString(x).contains("E") ? exact : Double.toString(x));
  }

  @Property(tries = 20_000)
  void nearHalfwayBetweenTwoDoubles(
      @ForAll @DoubleRange(min = 0.01, max = 1e6) @net.jqwik.api.constraints.Scale(12) double x) {
    BigDecimal mid =
        new BigDecimal(x).add(new BigDecimal(Math.nextUp(x))).divide(BigDecimal.valueOf(2));
    String text = mid.round(new java.math.MathContext(19)).toPlainString();
    if (text.replace("-", "").replace(".", "").replaceFirst("^0+", "").length() <= 19) {
      assertSameAsJdk(text);
    }
  }

  @Example
  void knownValues() {
    assertSameAsJdk("42.36746096159494");
    assertSameAsJdk("-71.17771654145871");
    assertSameAsJdk("42.299399551336535");
    assertSameAsJdk("9999999999999999999");
    assertSameAsJdk("0.0000000000000000001");
    assertSameAsJdk("1.0000000000000002220446049250313"); // 32 digits: the slow path
    assertSameAsJdk("9007199254740993"); // 2^53 + 1: halfway between two doubles, rounds to even
    assertSameAsJdk("9007199254740995");
  }
}
