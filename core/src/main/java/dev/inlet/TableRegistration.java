package dev.inlet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a pipeline asks a {@link Catalog} to record after committing a source file's data: the table (created if
 * absent, its schema evolved under the catalog's policy otherwise) and the partitions that now hold data (added,
 * or repointed if they exist). Immutable.
 */
public final class TableRegistration {
  private final TableId table;
  private final String location;
  private final Schema schema;
  private final List<String> partitionKeys;
  private final List<Partition> partitions;
  private final Map<String, String> parameters;

  private TableRegistration(Builder b) {
    this.table = b.table;
    this.location = b.location;
    this.schema = b.schema;
    this.partitionKeys = List.copyOf(b.partitionKeys);
    this.partitions = List.copyOf(b.partitions);
    this.parameters = Map.copyOf(b.parameters);
  }

  public static Builder builder() {
    return new Builder();
  }

  public TableId table() {
    return table;
  }

  /** URI string of the table's folder, ending in {@code /}. */
  public String location() {
    return location;
  }

  /** The data columns of the files being registered. */
  public Schema schema() {
    return schema;
  }

  /** Partition key names (all of Hive type string). */
  public List<String> partitionKeys() {
    return partitionKeys;
  }

  public List<Partition> partitions() {
    return partitions;
  }

  /** Table parameters to set (merged over existing ones). */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** Builds a {@link TableRegistration}; table, location and schema are required. */
  public static final class Builder {
    private TableId table;
    private String location;
    private Schema schema;
    private final List<String> partitionKeys = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();

    private Builder() {}

    public Builder table(TableId table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    public Builder location(String location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    public Builder schema(Schema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    public Builder partitionKeys(List<String> keys) {
      for (String k : keys) {
        TableId.requireName("partition key", k);
      }
      partitionKeys.clear();
      partitionKeys.addAll(keys);
      return this;
    }

    public Builder addPartition(Partition partition) {
      partitions.add(Objects.requireNonNull(partition, "partition"));
      return this;
    }

    public Builder parameter(String key, String value) {
      parameters.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @throws IllegalStateException if table, location or schema is missing, or a partition's value count differs
     *     from the number of partition keys
     */
    public TableRegistration build() {
      if (table == null || location == null || schema == null) {
        throw new IllegalStateException("Cannot build TableRegistration: table, location and schema are required");
      }
      for (Partition p : partitions) {
        if (p.values().size() != partitionKeys.size()) {
          throw new IllegalStateException("Cannot register " + table + ": partition " + p.values() + " has "
              + p.values().size() + " values but the table has partition keys " + partitionKeys);
        }
      }
      return new TableRegistration(this);
    }
  }
}
