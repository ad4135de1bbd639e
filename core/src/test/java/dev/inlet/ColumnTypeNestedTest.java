package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Nested (complex) Hive types, carried by name. */
class ColumnTypeNestedTest {
  @Test
  void parse_nestedHiveNames_keepsThemLowerCasedWithoutSpaces() {
    ColumnType t = ColumnType.parse("STRUCT<a: INT, b: array<string>>");

    assertThat(t.kind()).isEqualTo(ColumnType.Kind.NESTED);
    assertThat(t.hiveName()).isEqualTo("struct<a:int,b:array<string>>");
    assertThat(t).isEqualTo(ColumnType.nested("struct<a:int,b:array<string>>"));
    assertThat(t).isNotEqualTo(ColumnType.nested("struct<a:int,b:array<int>>"));
    assertThat(ColumnType.parse("map<string,bigint>").hiveName()).isEqualTo("map<string,bigint>");
  }

  @Test
  void nested_withUnbalancedOrUnknownName_fails() {
    assertThatThrownBy(() -> ColumnType.nested("array<array<string>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid nested type 'array<array<string>': unbalanced '<' and '>'");
    assertThatThrownBy(() -> ColumnType.nested("array<a>>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> ColumnType.nested("uniontype<int>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected array<..>, map<..,..> or struct<name:type,..>");
  }
}
