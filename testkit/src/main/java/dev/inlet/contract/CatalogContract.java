package dev.inlet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Catalog;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Catalog} guarantees: creation, schema evolution under each {@link EvolutionPolicy}, exact
 * rejection messages that change nothing, partitions added/repointed/sorted, listing, and no version bump for a
 * registration that changes nothing. Extend it with a factory of catalogs on fresh storage. Each test uses its own
 * database, so storage may be shared between tests. Each registration is followed by {@link Catalog#flush}, as in a
 * pipeline; a catalog that records only at {@code flush} says so with {@link #registersOnFlush()}, and one that
 * derives partitions from folders ({@link Catalog#needsInPlaceLayout()}) skips the tests of partitions at other
 * locations (repointed, guarded, moved).
 */
public abstract class CatalogContract {
  /**
   * {@return a catalog evolving schemas under {@code policy}} Catalogs created within one test must share their
   * storage (a table registered through one is seen by the others).
   *
   * @param policy how the catalog treats a schema change
   * @throws Exception if the catalog cannot be made; the test fails
   */
  protected abstract Catalog newCatalog(EvolutionPolicy policy) throws Exception;

  /**
   * {@return the location registered for {@code table}; any URI string ending in {@code /}}
   *
   * @param table the table
   */
  protected String location(TableId table) {
    return "s3://inlet-contract/" + dev.inlet.Layout.tablePath(table) + "/";
  }

  /** The catalog under test, made by {@link #newCatalog} under {@link EvolutionPolicy#UPDATE} before each test. */
  protected Catalog catalog;
  /** A database of its own for each test. */
  protected String database;
  /** The table {@code service_requests} in {@link #database}. */
  protected TableId table;

  /** The schema a test registers first: an id, a timestamp and a text column. */
  protected static final Schema BASE = Schema.of(
      Column.of("case_enquiry_id", ColumnType.INT),
      Column.of("open_dt", ColumnType.TIMESTAMP),
      Column.of("subject", ColumnType.STRING));

  @BeforeEach
  void setUpCatalog() throws Exception {
    catalog = newCatalog(EvolutionPolicy.UPDATE);
    database = "contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    table = TableId.of(database, "service_requests");
  }

  /**
   * {@return the partition {@code year=<year>} of the test's table, at its folder under the table's location}
   *
   * @param year the partition value
   */
  protected Partition partition(String year) {
    return partition(year, location(table) + "year=" + year + "/");
  }

  /**
   * {@return the partition {@code year=<year>} at {@code location}, without parameters}
   *
   * @param year the partition value
   * @param location the partition's folder, ending in {@code /}
   */
  protected static Partition partition(String year, String location) {
    return new Partition(List.of(year), location, Map.of());
  }

  /**
   * {@return a registration of the test's table at {@link #location}, partitioned by {@code year}}
   *
   * @param schema the table's columns
   * @param partitions the partitions to add
   */
  protected TableRegistration registration(Schema schema, Partition... partitions) {
    TableRegistration.Builder b = TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(schema)
        .partitionKeys(List.of("year"));
    for (Partition p : partitions) {
      b.addPartition(p);
    }
    return b.build();
  }

  private static Schema with(Schema schema, Column... more) {
    Schema.Builder b = Schema.builder();
    schema.columns().forEach(b::column);
    for (Column c : more) {
      b.column(c);
    }
    return b.build();
  }

  private static Schema replace(Schema schema, String name, ColumnType type) {
    Schema.Builder b = Schema.builder();
    schema.columns().forEach(c -> b.column(c.name().equals(name) ? Column.of(name, type) : c));
    return b.build();
  }

  /**
   * Whether the catalog under test registers in {@link Catalog#flush} rather than in {@link Catalog#register} (as a
   * crawler catalog does: {@code register} only checks and remembers, the crawl at {@code flush} records the table);
   * false by default. The contract flushes after every registration either way, as a pipeline does at the end of a
   * run; when this is true it takes the table as recorded after the flush for what {@code register} returned.
   *
   * @return true if registrations are recorded by {@code flush}
   */
  protected boolean registersOnFlush() {
    return false;
  }

  /**
   * Registers, then flushes, as a pipeline does.
   *
   * @param registration the registration
   * @return the table as recorded (see {@link #registersOnFlush()})
   */
  protected Table register(TableRegistration registration) {
    Table registered = catalog.register(registration);
    catalog.flush(registration.table());
    return registersOnFlush() ? catalog.loadTable(registration.table()).orElseThrow() : registered;
  }

  /**
   * Skips a test of partitions at other locations than their Hive folders ({@code year=2015/v-a/}), which a catalog
   * that {@linkplain Catalog#needsInPlaceLayout() derives partitions from folders} cannot record.
   */
  private void assumeRecordsPartitionLocations() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        catalog.needsInPlaceLayout(),
        catalog.getClass().getSimpleName()
            + " derives partitions from folders (needsInPlaceLayout): partitions at other locations do not apply");
  }

  private Table load() {
    return catalog.loadTable(table).orElseThrow();
  }

  @Test
  void register_whenAbsent_createsTableWithColumnsKeysLocationAndParameters() {
    Table registered = register(TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(BASE)
        .partitionKeys(List.of("year"))
        .addPartition(partition("2015"))
        .parameter("inlet.source", "boston311")
        .build());

    Table loaded = load();
    assertThat(loaded.id()).isEqualTo(table);
    assertThat(loaded.schema()).isEqualTo(BASE);
    assertThat(loaded.partitionKeys()).containsExactly(Column.of("year", ColumnType.STRING));
    assertThat(loaded.location()).isEqualTo(location(table));
    assertThat(loaded.parameters())
        .containsEntry("inlet.source", "boston311")
        .containsEntry("classification", "parquet");
    assertThat(loaded.version()).isNotNull().isEqualTo(registered.version());
    assertThat(catalog.partitions(table)).containsExactly(partition("2015"));
  }

  @Test
  void loadTableAndPartitions_whenAbsent_areEmpty() {
    assertThat(catalog.loadTable(table)).isEmpty();
    assertThat(catalog.partitions(table)).isEmpty();
  }

  @Test
  void register_withNewColumns_appendsThemInFileOrder_afterCatalogColumns() {
    register(registration(BASE));
    Schema file = Schema.of(
        Column.of("latitude", ColumnType.DOUBLE),
        Column.of("subject", ColumnType.STRING),
        Column.of("case_enquiry_id", ColumnType.INT),
        Column.of("source", ColumnType.STRING));

    register(registration(file));

    assertThat(load().schema())
        .isEqualTo(with(
            BASE,
            Column.of("latitude", ColumnType.DOUBLE),
            Column.of("source", ColumnType.STRING)));
  }

  @Test
  void register_withIntWidenedToBigint_widensColumnUnderUpdate() {
    register(registration(BASE));
    register(registration(replace(BASE, "case_enquiry_id", ColumnType.BIGINT)));
    assertThat(load().schema()).isEqualTo(replace(BASE, "case_enquiry_id", ColumnType.BIGINT));
  }

  @Test
  void register_withNarrowerFileType_keepsCatalogTypeAndVersion() {
    Schema wide = replace(BASE, "case_enquiry_id", ColumnType.BIGINT);
    String version = register(registration(wide)).version();
    register(registration(BASE));
    assertThat(load().schema()).isEqualTo(wide);
    assertThat(load().version()).isEqualTo(version);
  }

  @Test
  void register_withColumnNamesInOtherCase_matchesThem() {
    register(registration(BASE));
    String version = load().version();
    register(registration(Schema.of(Column.of("CASE_ENQUIRY_ID", ColumnType.INT))));
    assertThat(load().schema()).isEqualTo(BASE);
    assertThat(load().version()).isEqualTo(version);
  }

  @Test
  void register_withIncompatibleType_failsWithExactMessage_andChangesNothing() {
    register(registration(BASE, partition("2015")));
    Table before = load();

    assertThatThrownBy(() -> register(registration(
            with(replace(BASE, "subject", ColumnType.DOUBLE), Column.of("x", ColumnType.STRING)),
            partition("2016"))))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage("Cannot register " + table
            + ": column subject is double in the file but string in the catalog");

    assertThat(load().schema()).isEqualTo(before.schema());
    assertThat(load().version()).isEqualTo(before.version());
    assertThat(catalog.partitions(table)).containsExactly(partition("2015"));
  }

  @Test
  void register_withOtherPartitionKeys_failsAndChangesNothing() {
    register(registration(BASE));
    String version = load().version();
    assertThatThrownBy(() -> register(TableRegistration.builder()
            .table(table)
            .location(location(table))
            .schema(BASE)
            .partitionKeys(List.of("month"))
            .build()))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageStartingWith("Cannot register " + table + ": partition keys [month]");
    assertThat(load().version()).isEqualTo(version);
  }

  @Test
  void addColumnsOnly_addsColumns_butRejectsWidening() throws Exception {
    catalog = newCatalog(EvolutionPolicy.ADD_COLUMNS_ONLY);
    register(registration(BASE));

    register(registration(with(BASE, Column.of("source", ColumnType.STRING))));
    assertThat(load().schema()).isEqualTo(with(BASE, Column.of("source", ColumnType.STRING)));

    String version = load().version();
    assertThatThrownBy(
            () -> register(registration(replace(BASE, "case_enquiry_id", ColumnType.BIGINT))))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage("Cannot register " + table
            + ": column case_enquiry_id is bigint in the file but int in the catalog");
    assertThat(load().version()).isEqualTo(version);
  }

  @Test
  void fail_rejectsNewColumns_butAcceptsFewerColumns() throws Exception {
    catalog = newCatalog(EvolutionPolicy.FAIL);
    register(registration(BASE));
    String version = load().version();

    assertThatThrownBy(() ->
            register(registration(with(BASE, Column.of("source", ColumnType.STRING)))))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageStartingWith(
            "Cannot register " + table + ": column source is in the file but not in the catalog")
        .hasMessageContaining("FAIL");
    assertThat(load().version()).isEqualTo(version);

    register(registration(Schema.of(Column.of("subject", ColumnType.STRING)), partition("2015")));
    assertThat(load().schema()).isEqualTo(BASE);
    assertThat(catalog.partitions(table)).containsExactly(partition("2015"));
  }

  @Test
  void partitions_areAdded_repointed_andSortedByValues() {
    assumeRecordsPartitionLocations();
    register(registration(BASE, partition("2020")));
    register(registration(BASE, partition("2015"), partition("2017")));
    Partition moved = partition("2015", location(table) + "year=2015-moved/");
    register(registration(BASE, moved));

    assertThat(catalog.partitions(table))
        .containsExactly(moved, partition("2017"), partition("2020"));
  }

  private TableRegistration guarded(Partition p, String expected) {
    TableRegistration.Builder b = TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(BASE)
        .partitionKeys(List.of("year"))
        .addPartition(p);
    return (expected == null ? b.expectAbsent(p.values()) : b.expectLocation(p.values(), expected))
        .build();
  }

  @Test
  void guardedRepoint_fromTheLocationRead_succeeds_andIsIdempotent() {
    assumeRecordsPartitionLocations();
    register(registration(BASE, partition("2015", location(table) + "year=2015/v-a/")));
    Partition next = partition("2015", location(table) + "year=2015/v-b/");

    register(guarded(next, location(table) + "year=2015/v-a/"));
    register(guarded(next, location(table) + "year=2015/v-a/")); // a retry of the same registration

    assertThat(catalog.partitions(table)).containsExactly(next);
  }

  @Test
  void guardedRepoint_afterAnotherRunRepointed_failsNamingEverything_andChangesNothing() {
    assumeRecordsPartitionLocations();
    String a = location(table) + "year=2015/v-a/";
    String b = location(table) + "year=2015/v-b/";
    register(registration(BASE, partition("2015", a)));
    register(guarded(partition("2015", b), a)); // the other run won
    String version = load().version();

    assertThatThrownBy(() ->
            register(guarded(partition("2015", location(table) + "year=2015/v-c/"), a)))
        .isInstanceOf(dev.inlet.CommitConflictException.class)
        .hasMessage("Cannot repoint partition year=2015 of " + table + ": expected it at " + a
            + " but the catalog" + " has it at " + b
            + "; another run replaced it; rerun to ingest over the newer data");
    assertThat(catalog.partitions(table)).containsExactly(partition("2015", b));
    assertThat(load().version()).isEqualTo(version);
  }

  @Test
  void guardedAdd_ofAPartitionAnotherRunAddedMeanwhile_fails_andAGuardedAddOnANewTableSucceeds() {
    assumeRecordsPartitionLocations();
    Partition first = partition("2015", location(table) + "year=2015/v-a/");
    register(guarded(first, null));
    assertThat(catalog.partitions(table)).containsExactly(first);

    assertThatThrownBy(() ->
            register(guarded(partition("2015", location(table) + "year=2015/v-b/"), null)))
        .isInstanceOf(dev.inlet.CommitConflictException.class)
        .hasMessageContaining(
            "expected it to be absent but the catalog has it at " + first.location())
        .hasMessageContaining("another run replaced it; rerun");
    assertThat(catalog.partitions(table)).containsExactly(first);
  }

  @Test
  void partitionedTableOfTheOlderLayout_movesToTheNewLocation_keepingPartitionsNotReregistered() {
    assumeRecordsPartitionLocations();
    String old = "s3://inlet-contract/bronze/" + table.table() + "/";
    register(TableRegistration.builder()
        .table(table)
        .location(old)
        .schema(BASE)
        .partitionKeys(List.of("year"))
        .addPartition(partition("2015", old + "year=2015/v-a/"))
        .addPartition(partition("2016", old + "year=2016/v-a/"))
        .build());

    Partition moved = partition("2015", location(table) + "year=2015/v-b/");
    register(TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(BASE)
        .partitionKeys(List.of("year"))
        .addPartition(moved)
        .expectLocation(List.of("2015"), old + "year=2015/v-a/")
        .build());

    assertThat(load().location()).isEqualTo(location(table));
    assertThat(catalog.partitions(table))
        .containsExactly(moved, partition("2016", old + "year=2016/v-a/"));
  }

  @Test
  void parameters_areMergedOverExistingOnes() {
    register(TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(BASE)
        .parameter("a", "1")
        .parameter("b", "1")
        .build());
    register(TableRegistration.builder()
        .table(table)
        .location(location(table))
        .schema(BASE)
        .parameter("b", "2")
        .parameter("c", "2")
        .build());
    assertThat(load().parameters())
        .containsEntry("a", "1")
        .containsEntry("b", "2")
        .containsEntry("c", "2");
  }

  @Test
  void reRegister_unchanged_keepsVersion_whileAChangeBumpsIt() {
    Table first = register(registration(BASE, partition("2015")));
    Table again = register(registration(BASE, partition("2015")));
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(load().version()).isEqualTo(first.version());
    assertThat(load().updateTime()).isEqualTo(first.updateTime());

    register(registration(BASE, partition("2016")));
    assertThat(load().version()).isNotEqualTo(first.version());
  }

  @Test
  void listTables_sortedByName_andEmptyForUnknownDatabase() {
    for (String name : List.of("zeta", "alpha", "mid")) {
      register(TableRegistration.builder()
          .table(TableId.of(database, name))
          .location(location(TableId.of(database, name)))
          .schema(BASE)
          .build());
    }
    assertThat(catalog.listTables(database))
        .containsExactly(
            TableId.of(database, "alpha"),
            TableId.of(database, "mid"),
            TableId.of(database, "zeta"));
    assertThat(catalog.listTables(database + "_none")).isEmpty();
  }

  @Test
  void removePartitions_removesThoseGiven_keepsTableAndOthers_andIgnoresUnknownValues() {
    register(registration(BASE, partition("2015"), partition("2016"), partition("2017")));
    Schema schemaBefore = load().schema();

    int removed =
        catalog.removePartitions(table, List.of(List.of("2015"), List.of("2017"), List.of("1999")));

    assertThat(removed).isEqualTo(2);
    assertThat(catalog.partitions(table)).containsExactly(partition("2016"));
    assertThat(load().schema()).isEqualTo(schemaBefore);
    assertThat(catalog.removePartitions(table, List.of(List.of("2015")))).isZero();
  }

  @Test
  void removePartitions_ofUnknownTable_fails() {
    assertThatThrownBy(
            () -> catalog.removePartitions(TableId.of(database, "nope"), List.of(List.of("2015"))))
        .isInstanceOf(dev.inlet.InletException.class)
        .hasMessageContaining("Cannot remove partitions of");
  }
}
