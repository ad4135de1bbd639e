package dev.inlet.crawler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Schema;
import dev.inlet.TableId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a crawl found and what applying it would change in a catalog: tables to create, columns to add or widen,
 * partitions to add, repoint, deprecate or remove, and what it could not reconcile (conflicts, unreadable files).
 * Made by {@link Crawler#plan}, applied by {@link Crawler#apply}; printable as a review diff ({@link #toText()}) and
 * as JSON ({@link #toJson()}). Immutable.
 */
public final class CrawlPlan {
  /** What happens to a table. */
  public enum Action {
    /** The table does not exist and will be created. */
    CREATE,
    /** The table exists and will change (columns or partitions). */
    UPDATE,
    /** The table exists and nothing will change (logged-only differences may still be listed). */
    UNCHANGED,
    /** The table could not be reconciled with the catalog (see {@link #conflicts()}); nothing will change. */
    CONFLICT
  }

  /** What happens to a partition. */
  public enum PartitionAction {
    /** The partition does not exist and will be added. */
    ADD,
    /** The partition exists with another location and will point at the crawled folder. */
    REPOINT,
    /** The folder holds no data any more; the partition will be marked {@value Crawler#PARAM_DEPRECATED}. */
    DEPRECATE,
    /** The folder holds no data any more; the partition will be removed. */
    REMOVE,
    /** The folder holds no data any more; reported only ({@link DeletePolicy#LOG}). */
    GONE
  }

  /**
   * A column added ({@code previous} null) or widened.
   *
   * @param name column name
   * @param previous the catalog's type, null for an added column
   * @param type the type after the change
   */
  public record ColumnChange(String name, ColumnType previous, ColumnType type) {
    /**
     * Checks that {@code name} and {@code type} are given.
     *
     * @param name column name
     * @param previous the catalog's type, null for an added column
     * @param type the type after the change
     */
    public ColumnChange {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * A partition change.
   *
   * @param values partition values in key order
   * @param action what happens
   * @param location the folder the partition will point at (for removals: where it pointed)
   * @param previousLocation for {@link PartitionAction#REPOINT}, where it pointed; otherwise null
   * @param files data files found in the folder (0 for removals)
   * @param parameters partition parameters to record
   */
  public record PartitionChange(
      List<String> values,
      PartitionAction action,
      String location,
      String previousLocation,
      int files,
      Map<String, String> parameters) {
    /**
     * Checks that {@code action} and {@code location} are given and copies the values and parameters.
     *
     * @param values partition values in key order
     * @param action what happens
     * @param location the folder the partition will point at (for removals: where it pointed)
     * @param previousLocation for {@link PartitionAction#REPOINT}, where it pointed; otherwise null
     * @param files data files found in the folder (0 for removals)
     * @param parameters partition parameters to record
     */
    public PartitionChange {
      values = List.copyOf(values);
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(location, "location");
      parameters = Map.copyOf(parameters);
    }
  }

  /**
   * The change to one table.
   *
   * @param table the table
   * @param action what happens to it
   * @param location its folder
   * @param partitionKeys partition key names inferred from the folders (all of type string)
   * @param schema the table's columns after applying (for {@link Action#CONFLICT}: as crawled)
   * @param columns columns added or widened by applying
   * @param loggedColumns column changes found but not applied ({@link SchemaChangePolicy#LOG})
   * @param partitions partition changes, sorted by values
   * @param unchangedPartitions partitions found as recorded
   * @param filesRead data files whose footer was read for this table
   * @param incremental whether only new folders were read ({@link RecrawlPolicy#CRAWL_NEW_FOLDERS_ONLY})
   * @param parameters table parameters to record
   */
  public record TableChange(
      TableId table,
      Action action,
      String location,
      List<String> partitionKeys,
      Schema schema,
      List<ColumnChange> columns,
      List<ColumnChange> loggedColumns,
      List<PartitionChange> partitions,
      int unchangedPartitions,
      int filesRead,
      boolean incremental,
      Map<String, String> parameters) {
    /**
     * Checks that table, action, location and schema are given and copies the lists and parameters.
     *
     * @param table the table
     * @param action what happens to it
     * @param location its folder
     * @param partitionKeys partition key names inferred from the folders (all of type string)
     * @param schema the table's columns after applying (for {@link Action#CONFLICT}: as crawled)
     * @param columns columns added or widened by applying
     * @param loggedColumns column changes found but not applied ({@link SchemaChangePolicy#LOG})
     * @param partitions partition changes, sorted by values
     * @param unchangedPartitions partitions found as recorded
     * @param filesRead data files whose footer was read for this table
     * @param incremental whether only new folders were read ({@link RecrawlPolicy#CRAWL_NEW_FOLDERS_ONLY})
     * @param parameters table parameters to record
     */
    public TableChange {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(location, "location");
      partitionKeys = List.copyOf(partitionKeys);
      Objects.requireNonNull(schema, "schema");
      columns = List.copyOf(columns);
      loggedColumns = List.copyOf(loggedColumns);
      partitions = List.copyOf(partitions);
      parameters = Map.copyOf(parameters);
    }

    /**
     * Whether applying changes the catalog for this table.
     *
     * @return true for {@link Action#CREATE} and {@link Action#UPDATE}
     */
    public boolean changes() {
      return action == Action.CREATE || action == Action.UPDATE;
    }
  }

  /**
   * Something the crawl could not reconcile; the named file's folder (or the whole table if {@code path} is null)
   * is left out of the plan.
   */
  public record Conflict(TableId table, String path, String reason) {
    /**
     * Checks that {@code table} and {@code reason} are given.
     *
     * @param table the table
     * @param path the file whose folder is left out, or null for the whole table
     * @param reason why it could not be reconciled
     */
    public Conflict {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A file that was skipped, with the reason (not Parquet, truncated, an unsupported type, misplaced, ...). */
  public record Skipped(String path, String reason) {
    /**
     * Checks that {@code path} and {@code reason} are given.
     *
     * @param path the file
     * @param reason why it was skipped
     */
    public Skipped {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String database;
  private final Instant crawlTime;
  private final List<String> locations;
  private final List<TableChange> tables;
  private final List<Conflict> conflicts;
  private final List<Skipped> skipped;
  private final int filesListed;
  private final int filesRead;
  private final int hiddenFiles;

  CrawlPlan(
      String database,
      Instant crawlTime,
      List<String> locations,
      List<TableChange> tables,
      List<Conflict> conflicts,
      List<Skipped> skipped,
      int filesListed,
      int filesRead,
      int hiddenFiles) {
    this.database = database;
    this.crawlTime = crawlTime;
    this.locations = List.copyOf(locations);
    this.tables = List.copyOf(tables);
    this.conflicts = List.copyOf(conflicts);
    this.skipped = List.copyOf(skipped);
    this.filesListed = filesListed;
    this.filesRead = filesRead;
    this.hiddenFiles = hiddenFiles;
  }

  /**
   * The catalog database the crawl writes into.
   *
   * @return the database name
   */
  public String database() {
    return database;
  }

  /**
   * When the crawl started; recorded as {@value Crawler#PARAM_LAST_CRAWL} on the tables it changes.
   *
   * @return the crawl's start time
   */
  public Instant crawlTime() {
    return crawlTime;
  }

  /**
   * The crawled include paths.
   *
   * @return the include paths
   */
  public List<String> locations() {
    return locations;
  }

  /**
   * Every table found, sorted by name, changed or not.
   *
   * @return the table changes
   */
  public List<TableChange> tables() {
    return tables;
  }

  /**
   * What the crawl could not reconcile; the affected folders or tables are left out of the plan.
   *
   * @return the conflicts
   */
  public List<Conflict> conflicts() {
    return conflicts;
  }

  /**
   * Files skipped as unreadable or misplaced (hidden files are not listed, only counted).
   *
   * @return the skipped files
   */
  public List<Skipped> skipped() {
    return skipped;
  }

  /**
   * Files found under the include paths, hidden ones included.
   *
   * @return the number of files listed
   */
  public int filesListed() {
    return filesListed;
  }

  /**
   * Files whose footer was read.
   *
   * @return the number of footers read
   */
  public int filesRead() {
    return filesRead;
  }

  /**
   * Files skipped because a folder or file name starts with {@code .} or {@code _}.
   *
   * @return the number of hidden files
   */
  public int hiddenFiles() {
    return hiddenFiles;
  }

  /**
   * Whether applying the plan changes the catalog.
   *
   * @return true if some table is created or updated
   */
  public boolean hasChanges() {
    return tables.stream().anyMatch(TableChange::changes);
  }

  /**
   * The table change for {@code table}, or null.
   *
   * @param table the table
   * @return its change, or null if the crawl did not find it
   */
  public TableChange table(TableId table) {
    return tables.stream().filter(t -> t.table().equals(table)).findFirst().orElse(null);
  }

  /**
   * The plan as a review diff: {@code +} added, {@code ~} changed, {@code -} removed, {@code !} needs attention.
   * Partition locations are shown relative to their table's location when below it.
   *
   * @return the diff, one line per change
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    long changed = tables.stream().filter(TableChange::changes).count();
    sb.append("Crawl of ")
        .append(String.join(", ", locations))
        .append(" into database ")
        .append(database)
        .append('\n');
    sb.append("  ")
        .append(filesListed)
        .append(" files listed, ")
        .append(filesRead)
        .append(" footers read, ")
        .append(hiddenFiles)
        .append(" hidden files ignored\n");
    sb.append("  ")
        .append(tables.size())
        .append(" tables found: ")
        .append(count(Action.CREATE))
        .append(" to create, ")
        .append(count(Action.UPDATE))
        .append(" to update, ")
        .append(count(Action.UNCHANGED))
        .append(" unchanged, ")
        .append(conflicts.size())
        .append(" conflicts, ")
        .append(skipped.size())
        .append(" files skipped\n");
    if (changed == 0) {
      sb.append("  No changes.\n");
    }
    for (TableChange t : tables) {
      sb.append('\n');
      appendTable(sb, t);
    }
    if (!conflicts.isEmpty()) {
      sb.append("\n! Conflicts (left out of the plan)\n");
      for (Conflict c : conflicts) {
        sb.append("!   ")
            .append(c.table())
            .append(c.path() == null ? "" : " " + c.path())
            .append(": ")
            .append(c.reason())
            .append('\n');
      }
    }
    if (!skipped.isEmpty()) {
      sb.append("\n! Skipped files\n");
      for (Skipped s : skipped) {
        sb.append("!   ").append(s.path()).append(": ").append(s.reason()).append('\n');
      }
    }
    return sb.toString();
  }

  private long count(Action a) {
    return tables.stream().filter(t -> t.action() == a).count();
  }

  private static void appendTable(StringBuilder sb, TableChange t) {
    String mark = switch (t.action()) {
      case CREATE -> "+";
      case UPDATE -> "~";
      case UNCHANGED -> "=";
      case CONFLICT -> "!";
    };
    sb.append(mark)
        .append(" table ")
        .append(t.table())
        .append(
            switch (t.action()) {
              case CREATE -> " (new)";
              case UPDATE -> " (update)";
              case UNCHANGED -> " (unchanged)";
              case CONFLICT -> " (conflict: not changed)";
            })
        .append(t.incremental() ? ", new folders only" : "")
        .append('\n');
    sb.append("    location ").append(t.location()).append('\n');
    if (t.action() == Action.CREATE) {
      sb.append("    columns (").append(t.schema().size()).append(")\n");
      int width = t.schema().names().stream().mapToInt(String::length).max().orElse(0);
      for (Column c : t.schema().columns()) {
        sb.append("+     ")
            .append(pad(c.name(), width))
            .append("  ")
            .append(c.type().hiveName())
            .append('\n');
      }
      sb.append("    partition keys ")
          .append(
              t.partitionKeys().isEmpty()
                  ? "(none)"
                  : String.join(
                      ", ", t.partitionKeys().stream().map(k -> k + " string").toList()))
          .append('\n');
    } else {
      for (ColumnChange c : t.columns()) {
        appendColumn(sb, c, "");
      }
      for (ColumnChange c : t.loggedColumns()) {
        appendColumn(sb, c, "  (logged only, not applied)");
      }
    }
    if (!t.partitions().isEmpty() || t.unchangedPartitions() > 0) {
      sb.append("    partitions: ");
      List<String> counts = new ArrayList<>();
      for (PartitionAction a : PartitionAction.values()) {
        long n = t.partitions().stream().filter(p -> p.action() == a).count();
        if (n > 0) {
          counts.add(n + " " + a.name().toLowerCase(java.util.Locale.ROOT));
        }
      }
      if (t.unchangedPartitions() > 0) {
        counts.add(t.unchangedPartitions() + " unchanged");
      }
      sb.append(String.join(", ", counts)).append('\n');
    }
    for (PartitionChange p : t.partitions()) {
      String name = partitionName(t.partitionKeys(), p.values());
      switch (p.action()) {
        case ADD ->
          sb.append("+     ")
              .append(name)
              .append("  ")
              .append(relative(t.location(), p.location()))
              .append("  (")
              .append(p.files())
              .append(p.files() == 1 ? " file)" : " files)");
        case REPOINT ->
          sb.append("~     ")
              .append(name)
              .append("  ")
              .append(p.previousLocation())
              .append(" -> ")
              .append(relative(t.location(), p.location()));
        case REMOVE ->
          sb.append("-     ")
              .append(name)
              .append("  ")
              .append(relative(t.location(), p.location()))
              .append("  (no data)");
        case DEPRECATE ->
          sb.append("~     ")
              .append(name)
              .append("  ")
              .append(relative(t.location(), p.location()))
              .append("  (no data: marked deprecated)");
        case GONE ->
          sb.append("!     ")
              .append(name)
              .append("  ")
              .append(relative(t.location(), p.location()))
              .append("  (no data: logged only, kept)");
      }
      sb.append('\n');
    }
  }

  private static void appendColumn(StringBuilder sb, ColumnChange c, String suffix) {
    if (c.previous() == null) {
      sb.append("+     column ").append(c.name()).append("  ").append(c.type().hiveName());
    } else {
      sb.append("~     column ")
          .append(c.name())
          .append("  ")
          .append(c.previous().hiveName())
          .append(" -> ")
          .append(c.type().hiveName());
    }
    sb.append(suffix).append('\n');
  }

  private static String partitionName(List<String> keys, List<String> values) {
    List<String> parts = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      parts.add((i < keys.size() ? keys.get(i) : "?") + "=" + values.get(i));
    }
    return String.join("/", parts);
  }

  private static String relative(String base, String location) {
    return location.startsWith(base) && location.length() > base.length()
        ? location.substring(base.length())
        : location;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /**
   * The plan as pretty-printed JSON, every field spelled out.
   *
   * @return the JSON document
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("database", database);
    root.put("crawlTime", crawlTime.toString());
    locations.forEach(root.putArray("locations")::add);
    root.put("filesListed", filesListed);
    root.put("filesRead", filesRead);
    root.put("hiddenFiles", hiddenFiles);
    root.put("hasChanges", hasChanges());
    ArrayNode ts = root.putArray("tables");
    for (TableChange t : tables) {
      ObjectNode n = ts.addObject();
      n.put("table", t.table().toString());
      n.put("action", t.action().name());
      n.put("location", t.location());
      n.put("incremental", t.incremental());
      t.partitionKeys().forEach(n.putArray("partitionKeys")::add);
      ArrayNode cols = n.putArray("schema");
      t.schema()
          .columns()
          .forEach(
              c -> cols.addObject().put("name", c.name()).put("type", c.type().hiveName()));
      columnChanges(n.putArray("columnChanges"), t.columns());
      columnChanges(n.putArray("loggedColumnChanges"), t.loggedColumns());
      ArrayNode ps = n.putArray("partitionChanges");
      for (PartitionChange p : t.partitions()) {
        ObjectNode pn = ps.addObject();
        p.values().forEach(pn.putArray("values")::add);
        pn.put("action", p.action().name());
        pn.put("location", p.location());
        if (p.previousLocation() != null) {
          pn.put("previousLocation", p.previousLocation());
        }
        pn.put("files", p.files());
      }
      n.put("unchangedPartitions", t.unchangedPartitions());
      n.put("filesRead", t.filesRead());
    }
    ArrayNode cs = root.putArray("conflicts");
    conflicts.forEach(c -> cs.addObject()
        .put("table", c.table().toString())
        .put("path", c.path())
        .put("reason", c.reason()));
    ArrayNode ss = root.putArray("skipped");
    skipped.forEach(s -> ss.addObject().put("path", s.path()).put("reason", s.reason()));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot print the crawl plan as JSON", e);
    }
  }

  private static void columnChanges(ArrayNode out, List<ColumnChange> changes) {
    for (ColumnChange c : changes) {
      ObjectNode n = out.addObject().put("name", c.name());
      if (c.previous() != null) {
        n.put("previous", c.previous().hiveName());
      }
      n.put("type", c.type().hiveName());
    }
  }

  @Override
  public String toString() {
    return toText();
  }
}
