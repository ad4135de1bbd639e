package dev.inlet;

import java.util.List;
import java.util.Optional;

/**
 * {@link Catalog#none()}: records nothing; the Parquet files under the sink's location, in Hive partition folders,
 * are the table. Since no catalog points at a version, it needs a sink that replaces in place.
 */
final class NoCatalog implements Catalog {
  static final NoCatalog INSTANCE = new NoCatalog();

  private NoCatalog() {}

  /** Records nothing; returns the table the registration describes, without a version. */
  @Override
  public Table register(TableRegistration registration) {
    return Table.builder()
        .id(registration.table())
        .location(registration.location())
        .schema(registration.schema())
        .partitionKeys(registration.partitionKeys().stream()
            .map(k -> Column.of(k, ColumnType.STRING))
            .toList())
        .parameters(registration.parameters())
        .build();
  }

  @Override
  public Optional<Table> loadTable(TableId table) {
    return Optional.empty();
  }

  @Override
  public List<Partition> partitions(TableId table) {
    return List.of();
  }

  @Override
  public List<TableId> listTables(String database) {
    return List.of();
  }

  /** The files are the table: a reader lists the partition folders, which version folders would break. */
  @Override
  public boolean needsInPlaceLayout() {
    return true;
  }

  /** Removes nothing: there are no partitions. */
  @Override
  public int removePartitions(TableId table, List<List<String>> values) {
    return 0;
  }

  @Override
  public String toString() {
    return "Catalog.none()";
  }
}
