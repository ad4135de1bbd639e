package dev.inlet.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.TableId;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {
  private static final TableId TABLE = TableId.of("boston311", "service_requests");

  @Test
  void isWidening_acceptsOnlyIntToBigint_floatToDouble_andDecimalPrecisionGrowthAtSameScale() {
    assertThat(ColumnType.INT.widensTo(ColumnType.BIGINT)).isTrue();
    assertThat(ColumnType.FLOAT.widensTo(ColumnType.DOUBLE)).isTrue();
    assertThat(ColumnType.decimal(10, 2).widensTo(ColumnType.decimal(12, 2))).isTrue();

    assertThat(ColumnType.BIGINT.widensTo(ColumnType.INT)).isFalse();
    assertThat(ColumnType.INT.widensTo(ColumnType.DOUBLE)).isFalse();
    assertThat(ColumnType.INT.widensTo(ColumnType.STRING)).isFalse();
    assertThat(ColumnType.decimal(10, 2).widensTo(ColumnType.decimal(12, 3))).isFalse();
    assertThat(ColumnType.INT.widensTo(ColumnType.INT)).isFalse();
  }

  @Test
  void evolve_describesAddedAndWidenedColumns() {
    Schema catalog = Schema.of(Column.of("id", ColumnType.INT), Column.of("lat", ColumnType.FLOAT));
    Schema file = Schema.of(
        Column.of("id", ColumnType.BIGINT),
        Column.of("ward", ColumnType.STRING),
        Column.of("lat", ColumnType.FLOAT));

    SchemaEvolution.Change change =
        SchemaEvolution.evolve(TABLE, catalog, file, EvolutionPolicy.UPDATE);

    assertThat(change.schema())
        .isEqualTo(Schema.of(
            Column.of("id", ColumnType.BIGINT),
            Column.of("lat", ColumnType.FLOAT),
            Column.of("ward", ColumnType.STRING)));
    assertThat(change.added()).containsExactly(Column.of("ward", ColumnType.STRING));
    assertThat(change.widened()).containsExactly(Column.of("id", ColumnType.BIGINT));
    assertThat(change.describe()).isEqualTo("added [ward string]; widened [id bigint]");
    assertThat(SchemaEvolution.evolve(TABLE, catalog, catalog, EvolutionPolicy.UPDATE)
            .describe())
        .isEqualTo("unchanged");
  }

  @Test
  void merge_underFail_withNewColumns_namesThemAndTheFix() {
    Schema catalog = Schema.of(Column.of("id", ColumnType.INT));
    Schema file = Schema.of(
        Column.of("id", ColumnType.INT),
        Column.of("ward", ColumnType.STRING),
        Column.of("source", ColumnType.STRING));
    assertThatThrownBy(() -> EvolutionPolicy.FAIL.evolve(TABLE, catalog, file))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(
            "Cannot register boston311.service_requests: columns [ward, source] are in the file but not in"
                + " the catalog, and the evolution policy is FAIL; use UPDATE or ADD_COLUMNS_ONLY to add columns");
  }

  @Test
  void merge_keepsCatalogColumnsMissingFromTheFile() {
    Schema catalog =
        Schema.of(Column.of("id", ColumnType.INT), Column.of("ward", ColumnType.STRING));
    Schema file = Schema.of(Column.of("ward", ColumnType.STRING));
    assertThat(EvolutionPolicy.FAIL.evolve(TABLE, catalog, file)).isEqualTo(catalog);
  }

  private static Schema strings(String... names) {
    Schema.Builder b = Schema.builder();
    for (String n : names) {
      b.column(n, ColumnType.STRING);
    }
    return b.build();
  }

  @Test
  void evolve_whenFileSharesFewerThanHalfOfTheTablesColumns_failsInsteadOfAddingThem() {
    Schema table = dev.inlet.boston311.Boston311.LEGACY_SCHEMA;
    for (EvolutionPolicy policy : EvolutionPolicy.values()) {
      assertThatThrownBy(
              () -> SchemaEvolution.evolve(TABLE, table, strings("<!doctype html>"), policy))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessage(
              "Cannot register boston311.service_requests: the file shares 0 of the table's 30 columns"
                  + " (new in the file: [<!doctype html>]); it looks like other data than the table's: check the"
                  + " source, or register it as another table");
    }
    Schema mostlyOther =
        strings("case_enquiry_id", "open_dt", "foo", "bar", "c1", "c2", "c3", "c4", "c5");
    assertThatThrownBy(
            () -> SchemaEvolution.evolve(TABLE, table, mostlyOther, EvolutionPolicy.UPDATE))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining(
            "shares 2 of the table's 30 columns (new in the file: [foo, bar, c1, c2, c3, ...])");
  }

  @Test
  void evolve_whenFileHasFewOfTheTablesColumnsButNoNewOnes_acceptsIt() {
    Schema table = dev.inlet.boston311.Boston311.LEGACY_SCHEMA;
    SchemaEvolution.Change change =
        SchemaEvolution.evolve(TABLE, table, strings("subject", "ward"), EvolutionPolicy.UPDATE);
    assertThat(change.changed()).isFalse();
  }

  @Test
  void evolve_whenFileSharesHalfOfTheTablesColumns_addsTheRest() {
    Schema table = strings("a", "b", "c", "d");
    SchemaEvolution.Change change = SchemaEvolution.evolve(
        TABLE, table, strings("A", "b", "x", "y", "z"), EvolutionPolicy.ADD_COLUMNS_ONLY);
    assertThat(change.added()).extracting(Column::name).containsExactly("x", "y", "z");
  }

  @Test
  void evolve_whenLegacy29ColumnFileMeets30ColumnTable_evolves() {
    Schema table = dev.inlet.boston311.Boston311.LEGACY_SCHEMA;
    Schema.Builder b29 = Schema.builder();
    for (Column c : table.columns()) {
      if (!c.name().equals("source")) {
        b29.column(c.name(), c.type());
      }
    }
    Schema file29 = b29.build();
    assertThat(
            SchemaEvolution.evolve(TABLE, table, file29, EvolutionPolicy.FAIL).changed())
        .isFalse();
    assertThat(
            SchemaEvolution.evolve(TABLE, file29, table, EvolutionPolicy.UPDATE).added())
        .extracting(Column::name)
        .containsExactly("source");
  }

  @Test
  void evolve_whenTableHasNoColumnsYet_takesTheFileSchema() {
    Schema file = strings("foo", "bar");
    assertThat(SchemaEvolution.evolve(
                TABLE, Schema.of(java.util.List.of()), file, EvolutionPolicy.UPDATE)
            .schema())
        .isEqualTo(file);
  }
}
