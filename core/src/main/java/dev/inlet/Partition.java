package dev.inlet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partition of a catalog table, shaped as Glue has it.
 *
 * @param values partition values in the order of the table's partition keys
 * @param location URI string of the partition's folder, ending in {@code /}
 * @param parameters free-form parameters (Inlet records the source publication here)
 */
public record Partition(List<String> values, String location, Map<String, String> parameters) {
  /**
   * Creates the record.
   *
   * @param values partition values in the order of the table's partition keys
   * @param location URI string of the partition's folder, ending in {@code /}
   * @param parameters free-form parameters (Inlet records the source publication here)
   */
  public Partition {
    values = List.copyOf(values);
    Objects.requireNonNull(location, "location");
    parameters = Map.copyOf(parameters);
  }
}
