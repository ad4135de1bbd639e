package dev.inlet.internal.catalog;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one implementation of schema evolution, shared by every catalog and the crawler: merges a file's schema
 * into a table's schema under an {@link EvolutionPolicy}.
 *
 * <p>Rules, with column names compared ignoring case:
 * <ul>
 *   <li>The table keeps its columns in their order (with their names as recorded); new file columns are appended
 *       in file order. Catalog columns missing from the file are kept (readers return null).</li>
 *   <li>Same type: unchanged. A file type narrower than the catalog's ({@code int} in the file, {@code bigint} in
 *       the catalog): unchanged, readers widen. Allowed under every policy.</li>
 *   <li>A file type wider than the catalog's ({@link #isWidening(ColumnType, ColumnType)}): the catalog column is
 *       widened under {@link EvolutionPolicy#UPDATE}, rejected otherwise.</li>
 *   <li>Any other type change: rejected with
 *       {@code "Cannot register <db>.<table>: column X is A in the file but B in the catalog"}.</li>
 *   <li>New columns: rejected under {@link EvolutionPolicy#FAIL}.</li>
 *   <li>Overlap: a file that brings new columns but has fewer than half of the columns of a table that has
 *       columns (present by name) is rejected under every policy: it is most likely other data (an error page,
 *       another data set), and registering it would add its "columns" to the table for good. A file with half
 *       or more may add the rest (the 29-column legacy Boston 311 files and the 30-column re-publications share
 *       29); a file with only some of the table's columns and no new ones adds nothing and is accepted.</li>
 * </ul>
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
   * The table schema after registering a file with schema {@code file} in a table with schema {@code catalog}.
   *
   * @throws SchemaMismatchException if {@code policy} forbids the change
   */
  public static Schema merge(TableId table, Schema catalog, Schema file, EvolutionPolicy policy) {
    return evolve(table, catalog, file, policy).schema();
  }

  /**
   * Like {@link #merge}, also telling what changed.
   *
   * @throws SchemaMismatchException if {@code policy} forbids the change
   */
  public static Change evolve(TableId table, Schema catalog, Schema file, EvolutionPolicy policy) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(policy, "policy");
    checkOverlap(table, catalog, file);
    List<Column> merged = new ArrayList<>(catalog.size() + file.size());
    List<Column> widened = new ArrayList<>();
    for (Column c : catalog.columns()) {
      Column f = file.column(c.name()).orElse(null);
      if (f == null || f.type().equals(c.type()) || isWidening(f.type(), c.type())) {
        merged.add(c);
      } else if (policy == EvolutionPolicy.UPDATE && isWidening(c.type(), f.type())) {
        Column w = Column.of(c.name(), f.type());
        merged.add(w);
        widened.add(w);
      } else {
        throw new SchemaMismatchException(typeMismatch(table, c.name(), f.type(), c.type()));
      }
    }
    List<Column> added = new ArrayList<>();
    for (Column f : file.columns()) {
      if (catalog.indexOf(f.name()) < 0) {
        added.add(f);
      }
    }
    if (!added.isEmpty() && policy == EvolutionPolicy.FAIL) {
      List<String> names = new ArrayList<>(added.size());
      for (Column a : added) {
        names.add(a.name());
      }
      throw new SchemaMismatchException("Cannot register " + table + ": "
          + (names.size() == 1 ? "column " + names.get(0) + " is" : "columns " + names + " are")
          + " in the file but not in the catalog, and the evolution policy is FAIL;"
          + " use UPDATE or ADD_COLUMNS_ONLY to add columns");
    }
    merged.addAll(added);
    return new Change(Schema.of(merged), added, widened);
  }

  /** How many new column names the overlap message shows. */
  private static final int NEW_NAMES_SHOWN = 5;

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

  /**
   * Whether values of type {@code from} can always be read as {@code to} without loss, and the two differ:
   * {@code int -> bigint}, {@code float -> double}, and {@code decimal(p,s) -> decimal(q,s)} with {@code q > p}.
   */
  public static boolean isWidening(ColumnType from, ColumnType to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    switch (from.kind()) {
      case INT:
        return to.kind() == ColumnType.Kind.BIGINT;
      case FLOAT:
        return to.kind() == ColumnType.Kind.DOUBLE;
      case DECIMAL:
        return to.kind() == ColumnType.Kind.DECIMAL
            && to.scale() == from.scale()
            && to.precision() > from.precision();
      default:
        return false;
    }
  }

  /** The message for a forbidden type change, shared by every catalog. */
  public static String typeMismatch(
      TableId table, String column, ColumnType inFile, ColumnType inCatalog) {
    return "Cannot register " + table + ": column " + column + " is " + inFile.hiveName()
        + " in the file but " + inCatalog.hiveName() + " in the catalog";
  }
}
