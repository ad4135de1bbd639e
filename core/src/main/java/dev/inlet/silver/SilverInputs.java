package dev.inlet.silver;

import dev.inlet.Partition;
import dev.inlet.TableId;
import dev.inlet.sql.SqlDialect;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link SilverTable}'s {@code SELECT} may read: each input table under a relation name the engine resolves,
 * and the input partitions as the catalog records them (with the source publication in their parameters), as a SQL
 * relation so the {@code SELECT} can join its rows to their lineage.
 */
public final class SilverInputs {
  /**
   * One recorded partition of an input table.
   *
   * @param table the input table
   * @param keys its partition keys, in order
   * @param partition the partition as the catalog records it
   */
  public record InputPartition(TableId table, List<String> keys, Partition partition) {
    /**
     * Creates the record.
     *
     * @param table the input table
     * @param keys its partition keys, in order
     * @param partition the partition as the catalog records it
     */
    public InputPartition {
      Objects.requireNonNull(table, "table");
      keys = List.copyOf(keys);
      Objects.requireNonNull(partition, "partition");
    }

    /** {@return the partition's Hive path, e.g. {@code year=2015}} */
    public String path() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          b.append('/');
        }
        b.append(keys.get(i)).append('=').append(partition.values().get(i));
      }
      return b.toString();
    }

    /**
     * {@return a parameter of the partition, or {@code null}}
     *
     * @param name the parameter's name
     */
    public String parameter(String name) {
      return partition.parameters().get(name);
    }
  }

  private final SqlDialect dialect;
  private final Function<TableId, String> relationNames;
  private final List<InputPartition> partitions;

  private SilverInputs(
      SqlDialect dialect,
      Function<TableId, String> relationNames,
      List<InputPartition> partitions) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.relationNames = Objects.requireNonNull(relationNames, "relationNames");
    this.partitions = List.copyOf(partitions);
  }

  /**
   * Inputs read under the names {@code relationNames} gives (e.g. {@code boston311.service_requests} for a DuckDB
   * view, {@code "boston311"."service_requests"} in Athena), with the input partitions as recorded.
   *
   * @param dialect the SQL dialect to write it in
   * @param relationNames the SQL name of each input table
   * @param partitions the recorded partitions of each input table
   * @return the inputs
   */
  public static SilverInputs of(
      SqlDialect dialect,
      Function<TableId, String> relationNames,
      List<InputPartition> partitions) {
    return new SilverInputs(dialect, relationNames, partitions);
  }

  /** {@return the dialect the {@code SELECT} is written in} */
  public SqlDialect dialect() {
    return dialect;
  }

  /**
   * {@return the SQL name under which the engine reads {@code table}}
   *
   * @param table an input table
   */
  public String relation(TableId table) {
    return relationNames.apply(table);
  }

  /** {@return the recorded partitions of every input table, sorted by table, then values} */
  public List<InputPartition> partitions() {
    return partitions;
  }

  /**
   * {@link #partitions()} of one input table.
   *
   * @param table an input table
   * @return the recorded partitions of {@code table}
   */
  public List<InputPartition> partitions(TableId table) {
    return partitions.stream().filter(p -> p.table().equals(table)).toList();
  }

  /**
   * {@return the parameters of each input partition, by the partition's Hive path; for lineage}
   *
   * @param table an input table
   */
  public Map<String, Map<String, String>> parametersByPath(TableId table) {
    java.util.LinkedHashMap<String, Map<String, String>> m = new java.util.LinkedHashMap<>();
    for (InputPartition p : partitions(table)) {
      m.put(p.path(), p.partition().parameters());
    }
    return m;
  }
}
