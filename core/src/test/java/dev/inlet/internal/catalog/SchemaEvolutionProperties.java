package dev.inlet.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SchemaEvolutionProperties {
  private static final TableId TABLE = TableId.of("boston311", "service_requests");
  private static final List<String> NAMES = List.of(
      "case_id", "open_dt", "latitude", "subject", "source", "ward", "closed_dt", "on_time");

  @Provide
  Arbitrary<ColumnType> types() {
    return Arbitraries.of(
        ColumnType.STRING,
        ColumnType.BOOLEAN,
        ColumnType.INT,
        ColumnType.BIGINT,
        ColumnType.FLOAT,
        ColumnType.DOUBLE,
        ColumnType.DATE,
        ColumnType.TIMESTAMP,
        ColumnType.BINARY,
        ColumnType.decimal(10, 2),
        ColumnType.decimal(12, 2),
        ColumnType.decimal(12, 3));
  }

  @Provide
  Arbitrary<Schema> schemas() {
    return Arbitraries.of(NAMES)
        .list()
        .uniqueElements()
        .ofMaxSize(NAMES.size())
        .flatMap(names -> types().list().ofSize(names.size()).map(ts -> {
          List<Column> cols = new ArrayList<>();
          for (int i = 0; i < names.size(); i++) {
            cols.add(Column.of(names.get(i), ts.get(i)));
          }
          return Schema.of(cols);
        }));
  }

  /**
   * A table schema and a file schema that has at least half of its columns (in any order, with any types) and
   * maybe others: the pairs the overlap rule lets through, for the properties about merging.
   */
  @Provide
  Arbitrary<Schema[]> overlapping() {
    return schemas()
        .flatMap(catalog -> Arbitraries.shuffle(NAMES).flatMap(order -> {
          int keepMin = (catalog.size() + 1) / 2;
          return Arbitraries.integers()
              .between(keepMin, catalog.size())
              .flatMap(keep -> Arbitraries.integers()
                  .between(0, NAMES.size())
                  .flatMap(extra -> types().list().ofSize(NAMES.size()).map(ts -> {
                    List<String> names = new ArrayList<>();
                    for (String n : order) {
                      boolean inCatalog = catalog.indexOf(n) >= 0;
                      long keptSoFar =
                          names.stream().filter(x -> catalog.indexOf(x) >= 0).count();
                      long newSoFar = names.size() - keptSoFar;
                      if (inCatalog ? keptSoFar < keep : newSoFar < extra) {
                        names.add(n);
                      }
                    }
                    List<Column> cols = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                      // a shared column keeps the table's type unless the drawn one is a widening
                      // either way
                      ColumnType t = ts.get(i);
                      Column c = catalog.column(names.get(i)).orElse(null);
                      if (c != null && !t.widensTo(c.type()) && !c.type().widensTo(t)) {
                        t = c.type();
                      }
                      cols.add(Column.of(names.get(i), t));
                    }
                    return new Schema[] {catalog, Schema.of(cols)};
                  })));
        }));
  }

  /** The rule in its plainest form: may a column of type {@code file} be registered over {@code catalog}? */
  private static boolean allowed(ColumnType file, ColumnType catalog, EvolutionPolicy policy) {
    return file.equals(catalog)
        || file.widensTo(catalog)
        || (policy == EvolutionPolicy.UPDATE && catalog.widensTo(file));
  }

  /**
   * The overlap rule in its plainest form: the file has at least half of the table's columns, or adds none (or
   * the table has none).
   */
  private static boolean overlaps(Schema catalog, Schema file) {
    long shared = catalog.names().stream().filter(n -> file.indexOf(n) >= 0).count();
    boolean addsNone = file.names().stream().allMatch(n -> catalog.indexOf(n) >= 0);
    return catalog.size() == 0 || 2 * shared >= catalog.size() || addsNone;
  }

  private static boolean mergeable(Schema catalog, Schema file, EvolutionPolicy policy) {
    if (!overlaps(catalog, file)) {
      return false;
    }
    for (Column f : file.columns()) {
      Column c = catalog.column(f.name()).orElse(null);
      if (c == null ? policy == EvolutionPolicy.FAIL : !allowed(f.type(), c.type(), policy)) {
        return false;
      }
    }
    return true;
  }

  @Property
  void mergingASchemaWithItself_changesNothing(
      @ForAll("schemas") Schema schema, @ForAll EvolutionPolicy policy) {
    SchemaEvolution.Change change = SchemaEvolution.evolve(TABLE, schema, schema, policy);
    assertThat(change.schema()).isEqualTo(schema);
    assertThat(change.changed()).isFalse();
  }

  @Property
  void merge_throwsExactlyWhenAColumnChangeIsForbidden(
      @ForAll("schemas") Schema catalog,
      @ForAll("schemas") Schema file,
      @ForAll EvolutionPolicy policy) {
    if (mergeable(catalog, file, policy)) {
      policy.evolve(TABLE, catalog, file);
    } else {
      assertThatThrownBy(() -> policy.evolve(TABLE, catalog, file))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageStartingWith("Cannot register boston311.service_requests: "
              + (overlaps(catalog, file) ? "column" : "the file shares "));
    }
  }

  @Property
  void merge_whenFileSharesLessThanHalfOfTheTable_throwsNamingTheCountUnderEveryPolicy(
      @ForAll("schemas") Schema catalog,
      @ForAll("schemas") Schema file,
      @ForAll EvolutionPolicy policy) {
    Assume.that(!overlaps(catalog, file));
    long shared = catalog.names().stream().filter(n -> file.indexOf(n) >= 0).count();
    assertThatThrownBy(() -> policy.evolve(TABLE, catalog, file))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageStartingWith("Cannot register boston311.service_requests: the file shares "
            + shared + " of the table's " + catalog.size() + " columns (new in the file: [");
  }

  @Property
  void merge_keepsCatalogColumnsInOrder_thenAppendsNewOnesInFileOrder(
      @ForAll("overlapping") Schema[] pair, @ForAll EvolutionPolicy policy) {
    Schema catalog = pair[0];
    Schema file = pair[1];
    Assume.that(mergeable(catalog, file, policy));
    Schema merged = policy.evolve(TABLE, catalog, file);
    List<String> expected = new ArrayList<>(catalog.names());
    for (String name : file.names()) {
      if (catalog.indexOf(name) < 0) {
        expected.add(name);
      }
    }
    assertThat(merged.names()).isEqualTo(expected);
  }

  @Property
  void merge_isIdempotent(@ForAll("overlapping") Schema[] pair, @ForAll EvolutionPolicy policy) {
    Schema catalog = pair[0];
    Schema file = pair[1];
    Assume.that(mergeable(catalog, file, policy));
    Schema once = policy.evolve(TABLE, catalog, file);
    SchemaEvolution.Change twice = SchemaEvolution.evolve(TABLE, once, file, policy);
    assertThat(twice.schema()).isEqualTo(once);
    assertThat(twice.changed()).isFalse();
  }

  @Property
  void merge_neverNarrows_catalogNorFileTypes(
      @ForAll("overlapping") Schema[] pair, @ForAll EvolutionPolicy policy) {
    Schema catalog = pair[0];
    Schema file = pair[1];
    Assume.that(mergeable(catalog, file, policy));
    Schema merged = policy.evolve(TABLE, catalog, file);
    for (Column c : catalog.columns()) {
      ColumnType now = merged.column(c.name()).orElseThrow().type();
      assertThat(now.equals(c.type()) || c.type().widensTo(now)).isTrue();
      if (policy != EvolutionPolicy.UPDATE) {
        assertThat(now).isEqualTo(c.type());
      }
    }
    for (Column f : file.columns()) {
      ColumnType now = merged.column(f.name()).orElseThrow().type();
      assertThat(now.equals(f.type()) || f.type().widensTo(now)).isTrue();
    }
  }

  @Property
  void forbiddenTypeChange_alwaysThrowsTheExactMessage(
      @ForAll("types") ColumnType inFile,
      @ForAll("types") ColumnType inCatalog,
      @ForAll EvolutionPolicy policy) {
    Assume.that(!allowed(inFile, inCatalog, policy));
    Schema catalog = Schema.builder().column("col_x", inCatalog).build();
    Schema file = Schema.builder().column("COL_X", inFile).build();
    assertThatThrownBy(() -> policy.evolve(TABLE, catalog, file))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage("Cannot register boston311.service_requests: column col_x is "
            + inFile.hiveName() + " in the file but " + inCatalog.hiveName() + " in the catalog");
  }

  @Property
  void columnNames_matchIgnoringCase(
      @ForAll("schemas") Schema schema, @ForAll EvolutionPolicy policy) {
    List<Column> upper = new ArrayList<>();
    schema
        .columns()
        .forEach(c -> upper.add(Column.of(c.name().toUpperCase(Locale.ROOT), c.type())));
    assertThat(policy.evolve(TABLE, schema, Schema.of(upper))).isEqualTo(schema);
  }

  @Property
  void isWidening_isStrictAndOneWay(@ForAll("types") ColumnType a, @ForAll("types") ColumnType b) {
    if (a.widensTo(b)) {
      assertThat(a).isNotEqualTo(b);
      assertThat(b.widensTo(a)).isFalse();
    }
  }
}
