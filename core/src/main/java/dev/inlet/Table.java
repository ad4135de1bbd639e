package dev.inlet;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A catalog table as Glue models it: Parquet data columns, string partition keys, a location, parameters, and a
 * version that changes at every update (used for optimistic concurrency). Immutable.
 */
public final class Table {
  private final TableId id;
  private final String location;
  private final Schema schema;
  private final List<Column> partitionKeys;
  private final Map<String, String> parameters;
  private final String version;
  private final Instant updateTime;

  private Table(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.location = Objects.requireNonNull(b.location, "location");
    this.schema = Objects.requireNonNull(b.schema, "schema");
    this.partitionKeys = List.copyOf(b.partitionKeys);
    this.parameters = Collections.unmodifiableMap(new TreeMap<>(b.parameters));
    this.version = b.version;
    this.updateTime = b.updateTime;
  }

  /** {@return a builder of a table} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this table's values, to change some} */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .location(location)
        .schema(schema)
        .partitionKeys(partitionKeys)
        .parameters(parameters)
        .version(version)
        .updateTime(updateTime);
  }

  /** {@return the table's database and name} */
  public TableId id() {
    return id;
  }

  /**
   * URI string of the table's folder, ending in {@code /}.
   *
   * @return the table's location, a URI string ending in {@code /}
   */
  public String location() {
    return location;
  }

  /**
   * Data columns (the columns inside the Parquet files).
   *
   * @return the data columns (inside the Parquet files), without partition keys
   */
  public Schema schema() {
    return schema;
  }

  /** {@return the partition keys, in order} */
  public List<Column> partitionKeys() {
    return partitionKeys;
  }

  /** {@return the table's parameters (e.g. {@code classification}), sorted by key} */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** {@return the catalog's version of this table (Glue's {@code VersionId}); null if not known} */
  public String version() {
    return version;
  }

  /** {@return when the table was last changed; null if not known} */
  public Instant updateTime() {
    return updateTime;
  }

  @Override
  public String toString() {
    return id + " " + schema + " partitioned by " + partitionKeys + " at " + location;
  }

  /** Builds a {@link Table}. */
  public static final class Builder {
    private TableId id;
    private String location;
    private Schema schema;
    private List<Column> partitionKeys = List.of();
    private Map<String, String> parameters = Map.of();
    private String version;
    private Instant updateTime;

    private Builder() {}

    /**
     * Sets the table's database and name.
     *
     * @param id the table
     * @return this builder
     */
    public Builder id(TableId id) {
      this.id = id;
      return this;
    }

    /**
     * Sets the table's location.
     *
     * @param location a URI string ending in {@code /}
     * @return this builder
     */
    public Builder location(String location) {
      this.location = location;
      return this;
    }

    /**
     * Sets the data columns.
     *
     * @param schema the columns inside the Parquet files
     * @return this builder
     */
    public Builder schema(Schema schema) {
      this.schema = schema;
      return this;
    }

    /**
     * Sets the partition keys.
     *
     * @param partitionKeys the keys, in order
     * @return this builder
     */
    public Builder partitionKeys(List<Column> partitionKeys) {
      this.partitionKeys = List.copyOf(partitionKeys);
      return this;
    }

    /**
     * Sets the table's parameters.
     *
     * @param parameters the parameters
     * @return this builder
     */
    public Builder parameters(Map<String, String> parameters) {
      this.parameters = Map.copyOf(parameters);
      return this;
    }

    /**
     * Sets the catalog's version of the table.
     *
     * @param version the version, or null
     * @return this builder
     */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /**
     * Sets when the table was last changed.
     *
     * @param updateTime the time, or null
     * @return this builder
     */
    public Builder updateTime(Instant updateTime) {
      this.updateTime = updateTime;
      return this;
    }

    /** {@return the table} */
    public Table build() {
      return new Table(this);
    }
  }
}
