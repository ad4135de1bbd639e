package dev.inlet;

import dev.inlet.internal.PartitionValues;
import java.util.List;
import java.util.Optional;

/**
 * Records tables the way the AWS Glue Data Catalog does: database, table, Hive-typed columns, string partition
 * keys, location, Parquet input/output format and SerDe, parameters, and partitions with their own locations.
 *
 * <p>Table writes are guarded by the table's version: a concurrent writer gets a {@link CommitConflictException},
 * never a lost update. Whether a registration is one atomic change depends on the catalog (the local catalog's is;
 * Glue writes the table, then partitions in batches); partition writes are idempotent, so re-running a registration
 * that failed part-way completes it. Each implementation says what a failure leaves behind. Schemas evolve under
 * the catalog's {@link EvolutionPolicy}; a change the policy forbids raises {@link SchemaMismatchException} and
 * changes nothing. A catalog only ever records data that is already committed. Implementations are thread-safe.
 *
 * <p>Partition writes are guarded too: a partition the registration {@linkplain TableRegistration#guarded guards} is
 * repointed only if it is still where the writer read it, else {@link CommitConflictException} (naming the table,
 * partition, expected and found location) and nothing of the registration is applied. A writer that gets it must
 * delete its own new, unreferenced files and fail; a writer that succeeds may delete exactly the folder it swapped
 * out, which no catalog entry references any more.
 *
 * <p>Implementations: {@link dev.inlet.local.LocalCatalog}; {@code dev.inlet.aws.glue.GlueCatalog} and {@code
 * dev.inlet.aws.glue.GlueCrawlerCatalog} in inlet-aws; {@link #none()} to write Parquet without a catalog. A catalog
 * of one's own passes {@code dev.inlet.contract.CatalogContract} of inlet-testkit ({@code docs/extending.md}).
 */
public interface Catalog {
  /**
   * No catalog: a {@link Pipeline} writes the Parquet files and records nothing; the files under the sink's location,
   * in Hive partition folders ({@code year=2015/part-….parquet}), are the table, read by listing them (e.g. DuckDB's
   * {@code read_parquet('…/year=*}{@code /*.parquet', hive_partitioning = true)}). It needs a sink that
   * {@linkplain Sink#replacesInPlace() replaces in place} (a reader would see every version folder), which
   * {@link Pipeline.Builder#build()} checks. The state store then says which source wrote which partition, so it
   * must {@linkplain dev.inlet.StateStore#listsSources() list its sources} (a {@link
   * dev.inlet.local.LocalStateStore}; build checks that too): from it a changed source replaces its files, a source
   * that stops writing a partition is refused by the shrink guard (or, allowed, its files there are deleted), and a
   * second source writing a partition another one holds is refused. The pipeline trusts the state while the
   * recorded local files exist (files on S3 are trusted; {@code --full-refresh} rewrites them). Without a catalog
   * there is no schema check across runs (a file of another schema is written as it is); the shrink guard compares
   * with the rows the state records per partition ({@link SourceState#rows()}, also for an unpartitioned table), so a
   * re-publication with far fewer rows, or an error body shaped like a small CSV, fails before anything is replaced
   * (states recorded before the counts were kept only know whether a partition is written).
   *
   * @return the catalog that records nothing
   */
  static Catalog none() {
    return NoCatalog.INSTANCE;
  }

  /**
   * Creates the table (and its database) if absent, or evolves its schema; then adds the registration's partitions,
   * repointing any that exist.
   *
   * @param registration the table, schema, location and partitions to record
   * @return the table as recorded after the change
   * @throws SchemaMismatchException if the schema change is not allowed
   * @throws CommitConflictException if another writer won a race and retrying did not help, or a guarded partition
   *     is no longer where the registration expects it
   */
  Table register(TableRegistration registration);

  /**
   * Loads a table as recorded.
   *
   * @param table the table to load
   * @return the table, or empty if it does not exist
   */
  Optional<Table> loadTable(TableId table);

  /**
   * Lists a table's partitions.
   *
   * @param table the table whose partitions to list
   * @return the table's partitions, sorted by values; empty if the table does not exist
   */
  List<Partition> partitions(TableId table);

  /**
   * Lists the tables of a database.
   *
   * @param database the database name
   * @return the tables of {@code database}, sorted by name; empty if the database does not exist
   */
  List<TableId> listTables(String database);

  /**
   * Completes the registrations of {@code table} that this catalog defers, e.g. by running a crawler once for a
   * whole pipeline run instead of once per file. A {@link Pipeline} calls it at the end of a run in which at least
   * one file was registered. Catalogs that register at once do nothing (the default).
   *
   * @param table the table whose deferred registrations to complete
   * @throws InletException if the deferred work fails; the data files stay committed
   */
  default void flush(TableId table) {}

  /**
   * Whether this catalog derives partitions from the folders it finds (as a Glue crawler does: every folder level
   * is a partition key), so it needs a sink that {@link Sink#replacesInPlace() replaces in place}, without version
   * folders. {@link Pipeline.Builder#build()} refuses a pairing that breaks this, before anything runs. False by
   * default: the catalog records the locations it is given.
   *
   * @return true if this catalog needs a sink that replaces in place
   */
  default boolean needsInPlaceLayout() {
    return false;
  }

  /**
   * How this catalog evolves schemas; {@link EvolutionPolicy#UPDATE} unless the implementation says otherwise.
   *
   * @return the policy that {@link #register} and {@link #check} apply to schema changes
   */
  default EvolutionPolicy evolutionPolicy() {
    return EvolutionPolicy.UPDATE;
  }

  /**
   * Checks, without changing anything, that {@link #register} would accept {@code registration}'s schema and
   * partition keys. A {@link Pipeline} calls it before committing a file, so a schema the catalog would reject
   * aborts the file while nothing of it is visible.
   *
   * @param registration the registration to check
   * @throws SchemaMismatchException if the schema change or the partition keys are not allowed
   * @throws InletException if the table is unpartitioned and recorded at another location than the registration's
   *     (a table of the older layout, see {@link Layout}: its files cannot move one by one)
   */
  default void check(TableRegistration registration) {
    TableId id = registration.table();
    loadTable(id).ifPresent(t -> {
      if (t.partitionKeys().isEmpty()
          && registration.partitionKeys().isEmpty()
          && !t.location().equals(registration.location())) {
        throw new InletException(
            "Cannot register " + id + ": the unpartitioned table is recorded at "
                + t.location() + " (an older layout) but would now be written to "
                + registration.location()
                + "; move its files there and repoint the table, or register into a new table");
      }
      PartitionValues.keysDiffer(
              id.toString(),
              t.partitionKeys().stream().map(Column::name).toList(),
              registration.partitionKeys())
          .ifPresent(message -> {
            throw new SchemaMismatchException(message);
          });
      evolutionPolicy().evolve(id, t.schema(), registration.schema());
    });
  }

  /**
   * The Athena DDL of {@code table} as this catalog records it: {@code CREATE EXTERNAL TABLE ... STORED AS PARQUET
   * LOCATION ...}.
   *
   * @param table the table to print
   * @return the DDL statement
   * @throws InletException if the table does not exist
   */
  default String ddl(TableId table) {
    return AthenaDdl.of(loadTable(table)
        .orElseThrow(() -> new InletException("Cannot print the DDL of " + table
            + ": no such table in the catalog; register it" + " first")));
  }

  /**
   * Removes the partitions of {@code table} with the given values (in partition-key order); values that are not
   * partitions are ignored. The table and its schema are kept. Used by the crawler's
   * {@code DELETE_FROM_DATABASE} policy.
   *
   * @param table the table whose partitions to remove
   * @param values the values of each partition to remove, in partition-key order
   * @return how many partitions were removed
   * @throws UnsupportedOperationException if this catalog cannot remove partitions (the default)
   * @throws InletException if the table does not exist or the catalog fails; partitions removed before the failure
   *     stay removed
   */
  default int removePartitions(TableId table, List<List<String>> values) {
    throw new UnsupportedOperationException("Cannot remove partitions of " + table + ": "
        + getClass().getSimpleName() + " does not support removing partitions");
  }
}
