package dev.inlet.internal.catalog;

import dev.inlet.Column;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Schema evolution as catalogs and the crawler use it: {@link EvolutionPolicy#evolve}, which holds the rules, and
 * what it changed.
 *
 * Stateless and thread-safe.
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  /**
   * What a merge changes in a table schema.
   *
   * @param schema the table schema after the merge
   * @param added columns appended, in file order
   * @param widened catalog columns whose type was widened, with their new type
   */
  public record Change(Schema schema, List<Column> added, List<Column> widened) {
    public Change {
      Objects.requireNonNull(schema, "schema");
      added = List.copyOf(added);
      widened = List.copyOf(widened);
    }

    /** Whether the table schema changes. */
    public boolean changed() {
      return !added.isEmpty() || !widened.isEmpty();
    }

    /** A short description for logs, e.g. {@code "added [x string]; widened [n bigint]"} or {@code "unchanged"}. */
    public String describe() {
      if (!changed()) {
        return "unchanged";
      }
      List<String> parts = new ArrayList<>(2);
      if (!added.isEmpty()) {
        parts.add("added " + added);
      }
      if (!widened.isEmpty()) {
        parts.add("widened " + widened);
      }
      return String.join("; ", parts);
    }
  }

  /**
   * The table schema after registering a file with schema {@code file} in a table with schema {@code catalog}
   * (the {@link EvolutionPolicy#evolve} of {@code policy}), and what changed.
   *
   * @throws SchemaMismatchException if {@code policy} forbids the change
   */
  public static Change evolve(TableId table, Schema catalog, Schema file, EvolutionPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    Schema merged = policy.evolve(table, catalog, file);
    // the merge keeps the table's columns in their order and appends the new ones
    List<Column> widened = new ArrayList<>();
    for (int i = 0; i < catalog.size(); i++) {
      Column now = merged.columns().get(i);
      if (!now.type().equals(catalog.columns().get(i).type())) {
        widened.add(now);
      }
    }
    List<Column> added = merged.columns().subList(catalog.size(), merged.size());
    return new Change(merged, added, widened);
  }
}
