package dev.inlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The rules of {@link EvolutionPolicy#evolve}, in one place. Stateless and thread-safe. */
final class SchemaMerge {
  /** How many new column names the overlap message shows. */
  private static final int NEW_NAMES_SHOWN = 5;

  private SchemaMerge() {}

  static Schema evolve(TableId table, Schema catalog, Schema file, EvolutionPolicy policy) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(policy, "policy");
    checkOverlap(table, catalog, file);
    List<Column> merged = new ArrayList<>(catalog.size() + file.size());
    for (Column c : catalog.columns()) {
      Column f = file.column(c.name()).orElse(null);
      if (f == null || f.type().equals(c.type()) || f.type().widensTo(c.type())) {
        merged.add(c);
      } else if (policy == EvolutionPolicy.UPDATE && c.type().widensTo(f.type())) {
        merged.add(Column.of(c.name(), f.type()));
      } else {
        throw new SchemaMismatchException("Cannot register " + table + ": column " + c.name()
            + " is " + f.type().hiveName() + " in the file but " + c.type().hiveName()
            + " in the catalog");
      }
    }
    List<String> added = new ArrayList<>();
    for (Column f : file.columns()) {
      if (catalog.indexOf(f.name()) < 0) {
        merged.add(f);
        added.add(f.name());
      }
    }
    if (!added.isEmpty() && policy == EvolutionPolicy.FAIL) {
      throw new SchemaMismatchException("Cannot register " + table + ": "
          + (added.size() == 1 ? "column " + added.get(0) + " is" : "columns " + added + " are")
          + " in the file but not in the catalog, and the evolution policy is FAIL;"
          + " use UPDATE or ADD_COLUMNS_ONLY to add columns");
    }
    return Schema.of(merged);
  }

  private static void checkOverlap(TableId table, Schema catalog, Schema file) {
    if (catalog.size() == 0) {
      return;
    }
    int shared = 0;
    for (Column c : catalog.columns()) {
      if (file.indexOf(c.name()) >= 0) {
        shared++;
      }
    }
    if (shared * 2 >= catalog.size() || shared == file.size()) {
      return; // enough in common, or nothing new to add
    }
    List<String> fresh = new ArrayList<>();
    int more = 0;
    for (Column f : file.columns()) {
      if (catalog.indexOf(f.name()) < 0) {
        if (fresh.size() < NEW_NAMES_SHOWN) {
          fresh.add(f.name());
        } else {
          more++;
        }
      }
    }
    String names = fresh.toString();
    if (more > 0) {
      names = names.substring(0, names.length() - 1) + ", ...]";
    }
    throw new SchemaMismatchException(
        "Cannot register " + table + ": the file shares " + shared + " of the table's "
            + catalog.size() + " columns (new in the file: " + names
            + "); it looks like other data than the table's:"
            + " check the source, or register it as another table");
  }
}
