package dev.inlet.catalog;

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
    assertThat(SchemaEvolution.isWidening(ColumnType.INT, ColumnType.BIGINT)).isTrue();
    assertThat(SchemaEvolution.isWidening(ColumnType.FLOAT, ColumnType.DOUBLE)).isTrue();
    assertThat(SchemaEvolution.isWidening(ColumnType.decimal(10, 2), ColumnType.decimal(12, 2))).isTrue();

    assertThat(SchemaEvolution.isWidening(ColumnType.BIGINT, ColumnType.INT)).isFalse();
    assertThat(SchemaEvolution.isWidening(ColumnType.INT, ColumnType.DOUBLE)).isFalse();
    assertThat(SchemaEvolution.isWidening(ColumnType.INT, ColumnType.STRING)).isFalse();
    assertThat(SchemaEvolution.isWidening(ColumnType.decimal(10, 2), ColumnType.decimal(12, 3))).isFalse();
    assertThat(SchemaEvolution.isWidening(ColumnType.INT, ColumnType.INT)).isFalse();
  }

  @Test
  void evolve_describesAddedAndWidenedColumns() {
    Schema catalog = Schema.of(Column.of("id", ColumnType.INT), Column.of("lat", ColumnType.FLOAT));
    Schema file = Schema.of(Column.of("id", ColumnType.BIGINT), Column.of("ward", ColumnType.STRING),
        Column.of("lat", ColumnType.FLOAT));

    SchemaEvolution.Change change = SchemaEvolution.evolve(TABLE, catalog, file, EvolutionPolicy.UPDATE);

    assertThat(change.schema()).isEqualTo(Schema.of(Column.of("id", ColumnType.BIGINT),
        Column.of("lat", ColumnType.FLOAT), Column.of("ward", ColumnType.STRING)));
    assertThat(change.added()).containsExactly(Column.of("ward", ColumnType.STRING));
    assertThat(change.widened()).containsExactly(Column.of("id", ColumnType.BIGINT));
    assertThat(change.describe()).isEqualTo("added [ward string]; widened [id bigint]");
    assertThat(SchemaEvolution.evolve(TABLE, catalog, catalog, EvolutionPolicy.UPDATE).describe())
        .isEqualTo("unchanged");
  }

  @Test
  void merge_underFail_withNewColumns_namesThemAndTheFix() {
    Schema catalog = Schema.of(Column.of("id", ColumnType.INT));
    Schema file = Schema.of(Column.of("id", ColumnType.INT), Column.of("ward", ColumnType.STRING),
        Column.of("source", ColumnType.STRING));
    assertThatThrownBy(() -> SchemaEvolution.merge(TABLE, catalog, file, EvolutionPolicy.FAIL))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage("Cannot register boston311.service_requests: columns [ward, source] are in the file but not in"
            + " the catalog, and the evolution policy is FAIL; use UPDATE or ADD_COLUMNS_ONLY to add columns");
  }

  @Test
  void merge_keepsCatalogColumnsMissingFromTheFile() {
    Schema catalog = Schema.of(Column.of("id", ColumnType.INT), Column.of("ward", ColumnType.STRING));
    Schema file = Schema.of(Column.of("ward", ColumnType.STRING));
    assertThat(SchemaEvolution.merge(TABLE, catalog, file, EvolutionPolicy.FAIL)).isEqualTo(catalog);
  }
}
