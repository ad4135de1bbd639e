package dev.inlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The one partition-value codec: folder names that are always safe, and read back as the value written. */
class PartitionValuesProperties {

  @Provide
  Arbitrary<String> values() {
    // what makes escaping hard: every character Hive escapes, '%' next to hex digits, '+', dots,
    // non-ASCII, surrogates
    return Arbitraries.strings()
        .withChars("\"#%'*/:=?\\{[]^.+ aF09zé€\u007F\u0000\n\t")
        .withChars('\uD83D', '\uDE00', 'ß', '\u0085')
        .ofMinLength(1)
        .ofMaxLength(12);
  }

  @Property(tries = 2000)
  void unescapeInvertsEscape(@ForAll("values") String value) {
    assertThat(PartitionValues.unescape(PartitionValues.escape(value))).isEqualTo(value);
  }

  @Property(tries = 2000)
  void anyStringRoundTrips(@ForAll String value) {
    if (!value.isEmpty()) {
      assertThat(PartitionValues.unescape(PartitionValues.escape(value))).isEqualTo(value);
    }
  }

  @Property(tries = 2000)
  void escapedNamesAreOneSafeFolder(@ForAll("values") String value) {
    String name = PartitionValues.escape(value);
    assertThat(name)
        .isNotEmpty()
        .doesNotContain("/")
        .doesNotContain("\\")
        .isNotIn(".", "..")
        .doesNotStartWith(".");
    assertThat(name.chars()).allMatch(c -> c >= 0x20 && c != 0x7F);
  }

  @Property(tries = 500)
  void orderIsTheListOrderOfTheValues(
      @ForAll("lists") List<String> a, @ForAll("lists") List<String> b) {
    int c = Integer.signum(PartitionValues.ORDER.compare(a, b));
    assertThat(Integer.signum(PartitionValues.ORDER.compare(b, a))).isEqualTo(-c);
    assertThat(c == 0).isEqualTo(a.equals(b));
    // no value holds NUL and NUL sorts first, so joining with a trailing NUL each keeps the order
    assertThat(c).isEqualTo(Integer.signum(joined(a).compareTo(joined(b))));
  }

  private static String joined(List<String> values) {
    StringBuilder sb = new StringBuilder();
    values.forEach(v -> sb.append(v).append('\u0000'));
    return sb.toString();
  }

  @Provide
  Arbitrary<List<String>> lists() {
    return Arbitraries.strings().withChars("ab0").ofMaxLength(3).list().ofMaxSize(3);
  }

  @Example
  void emptyIsHivesDefaultPartition() {
    assertThat(PartitionValues.escape(""))
        .isEqualTo("__HIVE_DEFAULT_PARTITION__")
        .isEqualTo(PartitionValues.HIVE_DEFAULT_PARTITION);
  }

  @Example
  void escapesAsHiveDoes() {
    assertThat(PartitionValues.escape("a/b=c%d")).isEqualTo("a%2Fb%3Dc%25d");
    assertThat(PartitionValues.escape("..")).isEqualTo("%2E.");
    assertThat(PartitionValues.escape("2024-01-02 10:00")).isEqualTo("2024-01-02 10%3A00");
    assertThat(PartitionValues.escape("café+x")).isEqualTo("café+x");
  }

  @Example
  void unescapesFoldersOfOtherWriters() {
    assertThat(PartitionValues.unescape("caf%C3%A9"))
        .as("URL-encoded UTF-8, as DuckDB writes")
        .isEqualTo("café");
    assertThat(PartitionValues.unescape("caf%E9"))
        .as("not UTF-8: one character a %XX, as Hive reads")
        .isEqualTo("café");
    assertThat(PartitionValues.unescape("a+b")).isEqualTo("a+b");
    assertThat(PartitionValues.unescape("100%")).isEqualTo("100%");
    assertThat(PartitionValues.unescape("%zz%4")).isEqualTo("%zz%4");
    assertThat(PartitionValues.unescape("x%2fy%3A")).isEqualTo("x/y:");
  }

  @Example
  void orderPutsAShorterPrefixFirst() {
    List<List<String>> values = new ArrayList<>(List.of(
        List.of("2024", "10"), List.of("2024"), List.of("2023", "9"), List.of("2024", "02")));
    values.sort(PartitionValues.ORDER);
    assertThat(values)
        .containsExactly(
            List.of("2023", "9"), List.of("2024"), List.of("2024", "02"), List.of("2024", "10"));
  }

  @Example
  void keysMustStayTheSameIgnoringCase() {
    assertThat(PartitionValues.keysDiffer("db.t", List.of("Year"), List.of("year")))
        .isEmpty();
    assertThat(PartitionValues.keysDiffer("db.t", List.of("year"), List.of("year", "month")))
        .contains(
            "Cannot register db.t: partition keys [year, month] differ from the catalog's [year]; partition"
                + " keys cannot change, register into a new table");
  }

  @Example
  void glueNames() {
    assertThat(Names.isGlueName("service_requests_2024")).isTrue();
    assertThat(Names.isGlueName("a".repeat(255))).isTrue();
    assertThat(Names.isGlueName("a".repeat(256))).isFalse();
    assertThat(Names.isGlueName("Year")).isFalse();
    assertThat(Names.isGlueName("")).isFalse();
    assertThat(Names.isGlueName(null)).isFalse();
    assertThatThrownBy(() -> Names.requireGlueName("table", "my-table"))
        .hasMessage(
            "Invalid table name 'my-table': use lower-case letters, digits and '_' (at most 255), as Glue and"
                + " Athena require");
  }
}
