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
 *
 * <p><b>Compare-and-set.</b> A partition may carry the location its writer read from the catalog before committing
 * ({@link Builder#expectLocation}, or {@link Builder#expectAbsent} if it did not exist). The catalog then repoints it
 * only if it still points there (checked under the catalog's lock, or as close to atomically as the catalog allows,
 * see each implementation), and otherwise throws {@link CommitConflictException} without changing the partition:
 * two overlapping runs can then never both believe they replaced the same folder. A partition already at the
 * registered location passes (re-registering is idempotent). Partitions without an expectation are repointed
 * unconditionally.
 */
public final class TableRegistration {
  private final TableId table;
  private final String location;
  private final Schema schema;
  private final List<String> partitionKeys;
  private final List<Partition> partitions;
  private final Map<String, String> parameters;
  private final Map<List<String>, String> expected;

  private TableRegistration(Builder b) {
    this.table = b.table;
    this.location = b.location;
    this.schema = b.schema;
    this.partitionKeys = List.copyOf(b.partitionKeys);
    this.partitions = List.copyOf(b.partitions);
    this.parameters = Map.copyOf(b.parameters);
    this.expected = Map.copyOf(b.expected);
  }

  /**
   * A new builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The table to create or update.
   *
   * @return the table
   */
  public TableId table() {
    return table;
  }

  /**
   * URI string of the table's folder, ending in {@code /}.
   *
   * @return the table location
   */
  public String location() {
    return location;
  }

  /**
   * The data columns of the files being registered.
   *
   * @return the data schema, without the partition keys
   */
  public Schema schema() {
    return schema;
  }

  /**
   * Partition key names (all of Hive type string).
   *
   * @return the partition key names, in order; empty if unpartitioned
   */
  public List<String> partitionKeys() {
    return partitionKeys;
  }

  /**
   * The partitions to add or repoint, in the order they were added.
   *
   * @return the partitions
   */
  public List<Partition> partitions() {
    return partitions;
  }

  /**
   * Table parameters to set (merged over existing ones).
   *
   * @return the table parameters
   */
  public Map<String, String> parameters() {
    return parameters;
  }

  /**
   * Whether the partition with {@code values} is repointed only by compare-and-set (see the class comment).
   *
   * @param values the partition's values, in partition-key order
   * @return true if the partition is guarded
   */
  public boolean guarded(List<String> values) {
    return expected.containsKey(values);
  }

  /**
   * The location the writer read for the partition with {@code values}: empty if it expects the partition to be
   * absent, or if the partition is not {@link #guarded}.
   *
   * @param values the partition's values, in partition-key order
   * @return the expected location, if any
   */
  public java.util.Optional<String> expectedLocation(List<String> values) {
    String e = expected.get(values);
    return e == null || e.equals(ABSENT) ? java.util.Optional.empty() : java.util.Optional.of(e);
  }

  /**
   * The conflict a catalog reports when the partition with {@code values} is at {@code found} (null: absent) instead
   * of where this registration expects it, or null if there is none (unguarded, as expected, or already at
   * {@code registered}, the location this registration writes).
   *
   * @param values the partition's values, in partition-key order
   * @param found where the catalog has the partition now, or null if absent
   * @param registered the location this registration writes for the partition
   * @return the conflict to throw, or null if there is none
   */
  public CommitConflictException conflict(List<String> values, String found, String registered) {
    if (!guarded(values) || Objects.equals(found, registered)) {
      return null;
    }
    String want = expectedLocation(values).orElse(null);
    if (Objects.equals(want, found)) {
      return null;
    }
    StringBuilder partition = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      partition
          .append(i == 0 ? "" : "/")
          .append(i < partitionKeys.size() ? partitionKeys.get(i) : "?")
          .append('=')
          .append(values.get(i));
    }
    return new CommitConflictException("Cannot repoint partition " + partition + " of " + table
        + ": expected it "
        + (want == null ? "to be absent" : "at " + want) + " but the catalog has it "
        + (found == null ? "absent" : "at " + found)
        + "; another run replaced it; rerun to ingest over the newer"
        + " data"); // what of the run stays visible is the caller's to say (the pipeline: nothing)
  }

  private static final String ABSENT = "\0absent";

  /** Builds a {@link TableRegistration}; table, location and schema are required. */
  public static final class Builder {
    private TableId table;
    private String location;
    private Schema schema;
    private final List<String> partitionKeys = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<List<String>, String> expected = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The table to create or update; required.
     *
     * @param table the table
     * @return this builder
     */
    public Builder table(TableId table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * The URI string of the table's folder, ending in {@code /}; required.
     *
     * @param location the table location
     * @return this builder
     */
    public Builder location(String location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    /**
     * The data columns of the files being registered, without the partition keys; required.
     *
     * @param schema the data schema
     * @return this builder
     */
    public Builder schema(Schema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * The partition key names, in order (replacing any set before); each must be a valid Glue name.
     *
     * @param keys the partition key names
     * @return this builder
     */
    public Builder partitionKeys(List<String> keys) {
      for (String k : keys) {
        dev.inlet.internal.Names.requireGlueName("partition key", k);
      }
      partitionKeys.clear();
      partitionKeys.addAll(keys);
      return this;
    }

    /**
     * Adds a partition to add or repoint; its values must match the partition keys in number.
     *
     * @param partition the partition
     * @return this builder
     */
    public Builder addPartition(Partition partition) {
      partitions.add(Objects.requireNonNull(partition, "partition"));
      return this;
    }

    /**
     * Repoints the partition with {@code values} only if the catalog still has it at {@code location}, the location
     * the writer read before committing.
     *
     * @param values the partition's values, in partition-key order
     * @param location the partition location the writer read
     * @return this builder
     */
    public Builder expectLocation(List<String> values, String location) {
      expected.put(List.copyOf(values), Objects.requireNonNull(location, "location"));
      return this;
    }

    /**
     * Adds the partition with {@code values} only if the catalog still has no such partition.
     *
     * @param values the partition's values, in partition-key order
     * @return this builder
     */
    public Builder expectAbsent(List<String> values) {
      expected.put(List.copyOf(values), ABSENT);
      return this;
    }

    /**
     * Sets a table parameter (merged over the table's existing ones).
     *
     * @param key the parameter name
     * @param value the parameter value
     * @return this builder
     */
    public Builder parameter(String key, String value) {
      parameters.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the registration.
     *
     * @return the registration
     * @throws IllegalStateException if table, location or schema is missing, or a partition's value count differs
     *     from the number of partition keys
     */
    public TableRegistration build() {
      if (table == null || location == null || schema == null) {
        throw new IllegalStateException(
            "Cannot build TableRegistration: table, location and schema are required");
      }
      for (Partition p : partitions) {
        if (p.values().size() != partitionKeys.size()) {
          throw new IllegalStateException("Cannot register " + table + ": partition " + p.values()
              + " has " + p.values().size() + " values but the table has partition keys "
              + partitionKeys);
        }
      }
      return new TableRegistration(this);
    }
  }
}
