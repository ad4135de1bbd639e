package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnNamesTest {
  private static final String VALID = "[a-z_][a-z0-9_]*";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Inspection ID|inspection_id",
        "Created Date|created_date",
        "CamelCase|camel_case",
        "Zip-Code (5)|zip_code_5",
        "HTTPStatus|http_status",
        "createdDate|created_date",
        "Address2|address2",
        "2nd Street|_2nd_street",
        "_id|_id",
        "__id__|_id",
        "already_snake|already_snake",
        "  Unique   Key  |unique_key",
        "Año Fiscal|ano_fiscal",
        "Straße|strasse",
        "Øresund Bridge|oresund_bridge",
        "名前 Name|name",
        "x_COORDINATE (State Plane)|x_coordinate_state_plane",
        "Incident Zip|incident_zip",
        "BBL|bbl",
      })
  void snakeCase_examples(String in, String out) {
    assertThat(ColumnNames.snakeCase(in)).isEqualTo(out).matches(VALID);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"''", "'   '", "'(#)'", "'名前'", "'___'"})
  void snakeCase_nothingLeft_fails(String in) {
    assertThatThrownBy(() -> ColumnNames.snakeCase(in))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot snake_case column name")
        .hasMessageContaining("no letter or digit");
  }

  @Test
  void snakeCase_isIdempotent() {
    assertThat(ColumnNames.snakeCase(ColumnNames.snakeCase("Zip-Code (5)")))
        .isEqualTo("zip_code_5");
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> asciiish =
        Arbitraries.strings().withChars(" _-()#./AbCzZ09éßØ名\t\uFEFF").ofMaxLength(20);
    return Arbitraries.oneOf(asciiish, Arbitraries.strings().ofMaxLength(20));
  }

  @Property(tries = 2000)
  void snakeCase_isAlwaysAValidNameOrFails(@ForAll("names") String name) {
    String out;
    try {
      out = ColumnNames.snakeCase(name);
    } catch (IllegalArgumentException e) {
      // only when no ASCII letter or digit (after transliteration) is in the name
      assertThat(e.getMessage()).startsWith("Cannot snake_case column name");
      return;
    }
    assertThat(out).matches(VALID).doesNotEndWith("_").doesNotContain("__");
    assertThat(ColumnNames.snakeCase(out)).isEqualTo(out);
  }
}
