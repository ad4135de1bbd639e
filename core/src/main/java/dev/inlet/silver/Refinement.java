package dev.inlet.silver;

import dev.inlet.Catalog;
import dev.inlet.Column;
import dev.inlet.InletException;
import dev.inlet.Layout;
import dev.inlet.Partition;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.internal.PartitionValues;
import dev.inlet.quality.PublishGate;
import dev.inlet.quality.PublishRefusedException;
import dev.inlet.quality.QualityResult;
import dev.inlet.sql.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds silver tables from their input tables, incrementally, committing each rebuilt partition as a new version
 * the way bronze partitions are committed. Immutable; {@link #run()} may be called again (each run re-plans).
 *
 * <p><b>Plan.</b> The input partitions are fingerprinted by their catalog locations (every bronze commit is a new
 * version folder). The table records, in its parameter {@value #INPUTS}, the input partitions and locations it was
 * last built from; each silver partition records those that fed it. When none changed, the run does nothing: no
 * query that writes, no file, no catalog change. Otherwise, with {@code C} the changed, added and removed input
 * partitions, it rebuilds the silver partitions whose recorded inputs meet {@code C} plus those the rows from
 * {@code C} land in now (from one lineage query over the {@code SELECT}'s {@code input_table} and
 * {@code input_partition} columns); a silver partition left without rows is removed. {@code fullRefresh} rebuilds
 * every partition. The record is only trusted while the partitions built from it still have their files: a
 * partition whose folder the {@link SilverWriter#isMissing writer} finds without data files (deleted by hand, by a
 * disk cleanup) is rebuilt too, and the run says so ({@link Listener#missing}, a warning in the log).
 *
 * <p><b>Commit.</b> The {@link SilverWriter} writes the rebuilt partitions to new version folders (at most
 * {@value #MAX_PARTITIONS_PER_STATEMENT} partitions per statement, Athena's limit), then one catalog registration
 * repoints them, each by compare-and-set against the location read when planning, and sets the table's input record;
 * only then are partitions without rows removed and the swapped-out folders deleted. A failure before the
 * registration deletes the new folders and leaves the previous silver as it was, readable and complete; a
 * {@link dev.inlet.CommitConflictException} means another run committed first.
 */
public final class Refinement {
  /** Table and partition parameter: the input partitions read, one {@code table<TAB>path<TAB>location} a line. */
  public static final String INPUTS = "inlet.silver.inputs";
  /** Partition parameter: the partition's row count. */
  public static final String ROWS = "inlet.silver.rows";
  /** Partition parameter: an order-independent fingerprint of the partition's rows, where the engine makes one. */
  public static final String DIGEST = "inlet.silver.digest";
  /** The lineage columns every silver {@code SELECT} gives, before its partition keys. */
  public static final List<String> LINEAGE_COLUMNS = List.of("input_table", "input_partition");
  /** Most partitions one writing statement produces (Athena: 100 per {@code UNLOAD}/CTAS). */
  public static final int MAX_PARTITIONS_PER_STATEMENT = 100;

  private static final Logger LOG = LoggerFactory.getLogger(Refinement.class);

  private final SilverWriter writer;
  private final Catalog catalog;
  private final List<SilverTable> tables;
  private final boolean fullRefresh;
  private final Listener listener;
  private final PublishGate gate;
  private final boolean allowShrink;

  private Refinement(Builder b) {
    this.writer = b.writer;
    this.catalog = b.catalog;
    this.tables = List.copyOf(b.tables);
    this.fullRefresh = b.fullRefresh;
    this.listener = b.listener;
    this.gate = b.gate;
    this.allowShrink = b.allowShrink;
  }

  /** {@return a builder; the writer, the catalog and at least one table are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** Progress of a run; every method does nothing by default. */
  public interface Listener {
    /**
     * Called, before planning, for each partition of the table whose folder the catalog records but which the
     * {@link SilverWriter#isMissing writer} finds without its data files (deleted by hand, by a disk cleanup): the
     * run rebuilds it, whether or not its inputs changed.
     *
     * @param table the table
     * @param partition the partition's values, in key order
     * @param location the folder the catalog records for it
     */
    default void missing(TableId table, List<String> partition, String location) {}

    /**
     * Called once per table after planning, before anything is written.
     *
     * @param table the table
     * @param rebuild how many partitions are rebuilt
     * @param unchanged how many partitions are kept as they are
     * @param remove how many partitions are removed
     */
    default void planned(TableId table, int rebuild, int unchanged, int remove) {}

    /**
     * Called once per table that has something to rebuild, with the {@link Builder#gate gate}'s checks of the new
     * version, before anything is written (only with a gate).
     *
     * @param table the table
     * @param result the table's result
     */
    default void checked(TableId table, QualityResult result) {}

    /**
     * Called once per table after its commit (or after deciding there is nothing to do).
     *
     * @param result the table's result
     */
    default void refined(TableResult result) {}
  }

  /**
   * What one run did to one silver table.
   *
   * @param table the silver table
   * @param rebuilt the values of the partitions rebuilt
   * @param unchanged how many partitions were kept as they were
   * @param removed the values of the partitions removed
   * @param rows rows written
   * @param seconds how long the table took
   */
  public record TableResult(
      TableId table,
      List<List<String>> rebuilt,
      int unchanged,
      List<List<String>> removed,
      long rows,
      double seconds) {
    /**
     * Creates the record.
     *
     * @param table the silver table
     * @param rebuilt the values of the partitions rebuilt
     * @param unchanged how many partitions were kept as they were
     * @param removed the values of the partitions removed
     * @param rows rows written
     * @param seconds how long the table took
     */
    public TableResult {
      rebuilt = List.copyOf(rebuilt);
      removed = List.copyOf(removed);
    }

    /** {@return whether the run changed nothing of this table} */
    public boolean noOp() {
      return rebuilt.isEmpty() && removed.isEmpty();
    }
  }

  /**
   * Refines every table, in the order given; stops at the first failure (tables refined before it stay committed).
   *
   * @return each table's result, in the order of the tables
   * @throws InletException if an input table is missing, the {@code SELECT} lacks the lineage columns or gives a
   *     NULL partition value, or the engine or catalog fails
   * @throws InletException also if a new version has less than half of the live version's rows (see
   *     {@link Builder#allowShrink})
   * @throws PublishRefusedException if the {@link Builder#gate gate} refused a table's new version (tables refined
   *     before it stay committed)
   * @throws dev.inlet.CommitConflictException if another run repointed a partition since this one planned
   */
  public List<TableResult> run() {
    List<TableResult> results = new ArrayList<>();
    for (SilverTable t : tables) {
      TableResult r = refine(t);
      listener.refined(r);
      results.add(r);
    }
    return List.copyOf(results);
  }

  private TableResult refine(SilverTable t) {
    long start = System.nanoTime();
    TableId id = t.id();
    List<SilverInputs.InputPartition> inputPartitions = new ArrayList<>();
    TreeMap<String, String> current = new TreeMap<>();
    for (TableId in : t.inputs()) {
      Table table = catalog
          .loadTable(in)
          .orElseThrow(() -> new InletException("Cannot refine " + id + ": its input " + in
              + " is not in the catalog; ingest it first"));
      List<String> keys = table.partitionKeys().stream().map(Column::name).toList();
      for (Partition p : catalog.partitions(in)) {
        SilverInputs.InputPartition ip = new SilverInputs.InputPartition(in, keys, p);
        inputPartitions.add(ip);
        current.put(in + "\t" + ip.path(), p.location());
      }
    }
    java.util.Optional<Table> existing = catalog.loadTable(id);
    Map<List<String>, Partition> silver = new LinkedHashMap<>();
    for (Partition p : catalog.partitions(id)) {
      silver.put(p.values(), p);
    }
    Map<String, String> recorded =
        existing.map(x -> decode(x.parameters().get(INPUTS))).orElse(Map.of());
    Set<String> changed = new TreeSet<>();
    for (Map.Entry<String, String> e : current.entrySet()) {
      if (!e.getValue().equals(recorded.get(e.getKey()))) {
        changed.add(e.getKey());
      }
    }
    for (String k : recorded.keySet()) {
      if (!current.containsKey(k)) {
        changed.add(k);
      }
    }
    boolean all = fullRefresh || existing.isEmpty();
    // the recorded inputs are only trusted while the partitions built from them still have their
    // files
    Set<List<String>> missing = new TreeSet<>(PartitionValues.ORDER);
    if (!all) {
      for (Partition p : silver.values()) {
        if (writer.isMissing(id, p.location())) {
          LOG.warn(
              "Silver partition {} of {} is missing its files at {}; rebuilding it",
              path(t.partitionKeys(), p.values()),
              id,
              p.location());
          listener.missing(id, p.values(), p.location());
          missing.add(p.values());
        }
      }
    }
    if (!all && changed.isEmpty() && missing.isEmpty()) {
      LOG.info("{}: inputs unchanged ({} input partitions); nothing to do", id, current.size());
      listener.planned(id, 0, silver.size(), 0);
      return new TableResult(id, List.of(), silver.size(), List.of(), 0, seconds(start));
    }
    writer.prepare(catalog, t.inputs());
    SilverInputs inputs =
        SilverInputs.of(writer.engine().dialect(), writer::relation, inputPartitions);
    String version = Layout.newVersion();
    String refined = writer.materialize(id, t.select(writer.engine().dialect(), inputs), version);
    try {
      return commit(
          t, id, refined, version, current, silver, existing, changed, missing, all, start);
    } finally {
      writer.release(id, refined, version);
    }
  }

  /** Plans, gates, writes and commits {@code id} from {@code refined}, the relation of its rows. */
  private TableResult commit(
      SilverTable t,
      TableId id,
      String refined,
      String version,
      TreeMap<String, String> current,
      Map<List<String>, Partition> silver,
      java.util.Optional<Table> existing,
      Set<String> changed,
      Set<List<String>> missing,
      boolean all,
      long start) {
    String select = "SELECT * FROM " + refined;
    List<String> keys = t.partitionKeys();

    // lineage: which input partitions feed which silver partition now, with row counts
    Map<List<String>, Set<String>> lineage = new TreeMap<>(PartitionValues.ORDER);
    Map<List<String>, Long> rows = new TreeMap<>(PartitionValues.ORDER);
    try (QueryResult r = writer.engine().query(lineageSql(select, keys))) {
      while (r.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          String v = r.string(i);
          if (v == null) {
            throw new InletException("Cannot refine " + id + ": its SELECT gives rows with a NULL "
                + keys.get(i) + " (a partition key); give every row a value, e.g. with coalesce");
          }
          values.add(v);
        }
        String source = r.string(keys.size()) + "\t" + r.string(keys.size() + 1);
        lineage.computeIfAbsent(values, v -> new TreeSet<>()).add(source);
        Object n = r.value(keys.size() + 2);
        rows.merge(
            values,
            n instanceof Number num ? num.longValue() : Long.parseLong(n.toString()),
            Long::sum);
      }
    }

    Map<List<String>, String> digests = digests(select, keys);
    Set<List<String>> rebuild = new TreeSet<>(PartitionValues.ORDER);
    if (all) {
      rebuild.addAll(lineage.keySet());
    } else if (!t.partitionLocal() && digests == null && !changed.isEmpty()) {
      rebuild.addAll(
          lineage.keySet()); // rows may move across partitions, and nothing tells which did
    } else {
      if (digests != null) {
        // a partition whose rows changed, whether or not its own inputs did (a dedup across inputs
        // moves rows)
        for (Map.Entry<List<String>, String> e : digests.entrySet()) {
          Partition p = silver.get(e.getKey());
          if (p == null || !e.getValue().equals(p.parameters().get(DIGEST))) {
            rebuild.add(e.getKey());
          }
        }
      }
      for (Map.Entry<List<String>, Partition> e : silver.entrySet()) {
        if (decode(e.getValue().parameters().get(INPUTS)).keySet().stream()
                .anyMatch(changed::contains)
            || stale(e.getValue(), current)) {
          rebuild.add(e.getKey());
        }
      }
      for (Map.Entry<List<String>, Set<String>> e : lineage.entrySet()) {
        if (e.getValue().stream().anyMatch(changed::contains) || !silver.containsKey(e.getKey())) {
          rebuild.add(e.getKey());
        }
      }
      rebuild.addAll(missing); // one left without rows is removed below
    }
    List<List<String>> remove = new ArrayList<>();
    for (List<String> v : new ArrayList<>(rebuild)) {
      if (!lineage.containsKey(v)) {
        rebuild.remove(v);
        if (silver.containsKey(v)) {
          remove.add(v);
        }
      }
    }
    if (all) {
      for (List<String> v : silver.keySet()) {
        if (!lineage.containsKey(v) && !remove.contains(v)) {
          remove.add(v);
        }
      }
    }
    int unchanged = (int) silver.keySet().stream()
        .filter(v -> !rebuild.contains(v) && !remove.contains(v))
        .count();
    listener.planned(id, rebuild.size(), unchanged, remove.size());
    LOG.info(
        "{}: {} changed input partitions, {} partitions missing their files; rebuilding {} partitions, {}"
            + " unchanged, {} to remove",
        id,
        changed.size(),
        missing.size(),
        rebuild.size(),
        unchanged,
        remove.size());

    long live = liveRows(silver);
    long next = rows.values().stream().mapToLong(Long::longValue).sum();
    if (!allowShrink && live > 0 && next * 2 < live && (!rebuild.isEmpty() || !remove.isEmpty())) {
      throw new InletException(
          "Cannot refine " + id + ": its new version would have " + next + " rows, less than"
              + " half of the " + live
              + " rows of the live version, which stays live. Check the inputs (a bronze"
              + " partition lost or replaced by a short file?); if they really shrank, run again allowing it (refine"
              + " --allow-shrink, Refinement.Builder.allowShrink)");
    }
    if (gate != null && (!rebuild.isEmpty() || !remove.isEmpty())) {
      // the version about to be written is the SELECT over the current inputs: check it before
      // writing anything
      QualityResult verdict = gate.check(id, refined + " staged", writer.engine());
      listener.checked(id, verdict);
      if (verdict.blocks()) {
        LOG.warn(
            "{}: the publish gate refused the new version; the previous version stays live", id);
        throw new PublishRefusedException(id, verdict);
      }
    }

    List<List<String>> order = new ArrayList<>(rebuild);
    Map<List<String>, String> written = new LinkedHashMap<>();
    dev.inlet.Schema schema = existing.map(Table::schema).orElse(null);
    try {
      for (int from = 0; from < order.size(); from += MAX_PARTITIONS_PER_STATEMENT) {
        List<List<String>> batch =
            order.subList(from, Math.min(order.size(), from + MAX_PARTITIONS_PER_STATEMENT));
        String sql = "SELECT * FROM (" + select + ") refined WHERE " + keyFilter(keys, batch);
        SilverWriter.Written w = writer.write(id, sql, keys, batch, version);
        written.putAll(w.locations());
        schema = w.schema();
        for (List<String> v : batch) {
          if (!w.locations().containsKey(v)) {
            throw new InletException(
                "Cannot refine " + id + ": the engine wrote no files for partition " + path(keys, v)
                    + " although the lineage query found " + rows.get(v) + " rows in it");
          }
        }
      }
      if (schema == null) {
        schema = dev.inlet.Schema.of(List.of());
      }
      TableRegistration.Builder reg = TableRegistration.builder()
          .table(id)
          .location(writer.location(id))
          .schema(schema)
          .partitionKeys(keys)
          .parameter(INPUTS, encode(current))
          .parameter("classification", "parquet");
      for (List<String> v : order) {
        Map<String, String> inputsOfPartition = new TreeMap<>();
        for (String source : lineage.get(v)) {
          inputsOfPartition.put(source, current.getOrDefault(source, ""));
        }
        Map<String, String> params = new TreeMap<>(
            Map.of(INPUTS, encode(inputsOfPartition), ROWS, Long.toString(rows.get(v))));
        if (digests != null && digests.containsKey(v)) {
          params.put(DIGEST, digests.get(v));
        }
        reg.addPartition(new Partition(v, written.get(v), params));
        Partition before = silver.get(v);
        if (before == null) {
          reg.expectAbsent(v);
        } else {
          reg.expectLocation(v, before.location());
        }
      }
      catalog.register(reg.build());
    } catch (RuntimeException e) {
      for (String location : written.values()) {
        try {
          writer.delete(location);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    if (!remove.isEmpty()) {
      catalog.removePartitions(id, remove);
    }
    for (List<String> v : order) {
      deleteSwappedOut(silver.get(v));
    }
    for (List<String> v : remove) {
      deleteSwappedOut(silver.get(v));
    }
    long total = order.stream().mapToLong(rows::get).sum();
    return new TableResult(id, order, unchanged, remove, total, seconds(start));
  }

  /** The rows the live version records ({@value #ROWS} of every partition), or -1 if a partition lacks it. */
  private static long liveRows(Map<List<String>, Partition> silver) {
    long n = 0;
    for (Partition p : silver.values()) {
      String v = p.parameters().get(ROWS);
      if (v == null) {
        return -1;
      }
      n += Long.parseLong(v);
    }
    return n;
  }

  private void deleteSwappedOut(Partition old) {
    if (old == null) {
      return;
    }
    try {
      writer.delete(old.location());
    } catch (RuntimeException e) {
      LOG.warn(
          "Cannot delete the replaced folder {}: {}; no catalog entry references it, delete it by hand",
          old.location(),
          e.getMessage());
    }
  }

  private static boolean stale(Partition p, Map<String, String> current) {
    for (Map.Entry<String, String> e : decode(p.parameters().get(INPUTS)).entrySet()) {
      if (!e.getValue().equals(current.get(e.getKey()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each partition's fingerprint (row count and an order-independent sum of row hashes) on an engine that can make
   * one (DuckDB: {@code hash} of the whole row), else null.
   */
  private Map<List<String>, String> digests(String select, List<String> keys) {
    if (writer.engine().dialect() != dev.inlet.sql.SqlDialect.DUCKDB) {
      return null;
    }
    String cols = String.join(", ", keys.stream().map(Refinement::quote).toList());
    Map<List<String>, String> out = new TreeMap<>(PartitionValues.ORDER);
    try (QueryResult r = writer
        .engine()
        .query("SELECT " + cols + ", CAST(count(*) AS VARCHAR) || ':' ||"
            + " CAST(sum(hash(refined)) AS VARCHAR) FROM (" + select + ") refined GROUP BY "
            + cols)) {
      while (r.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          values.add(r.string(i));
        }
        out.put(values, r.string(keys.size()));
      }
    }
    return out;
  }

  static String lineageSql(String select, List<String> keys) {
    String cols = String.join(", ", keys.stream().map(Refinement::quote).toList())
        + ", input_table, input_partition";
    return "SELECT " + cols + ", count(*) AS row_count FROM (" + select + ") refined GROUP BY "
        + cols;
  }

  static String keyFilter(List<String> keys, List<List<String>> partitions) {
    if (keys.size() == 1) {
      return quote(keys.get(0)) + " IN ("
          + String.join(", ", partitions.stream().map(v -> literal(v.get(0))).toList()) + ")";
    }
    List<String> ors = new ArrayList<>();
    for (List<String> v : partitions) {
      List<String> ands = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        ands.add(quote(keys.get(i)) + " = " + literal(v.get(i)));
      }
      ors.add("(" + String.join(" AND ", ands) + ")");
    }
    return String.join(" OR ", ors);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String path(List<String> keys, List<String> values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : "/").append(keys.get(i)).append('=').append(values.get(i));
    }
    return b.toString();
  }

  static String encode(Map<String, String> inputs) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(inputs).entrySet()) {
      b.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
    }
    return b.toString();
  }

  static Map<String, String> decode(String text) {
    Map<String, String> m = new TreeMap<>();
    if (text == null) {
      return m;
    }
    for (String line : text.split("\n")) {
      int last = line.lastIndexOf('\t');
      if (last > 0) {
        m.put(line.substring(0, last), line.substring(last + 1));
      }
    }
    return m;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Builds a {@link Refinement}; writer, catalog and at least one table are required. */
  public static final class Builder {
    private SilverWriter writer;
    private Catalog catalog;
    private final List<SilverTable> tables = new ArrayList<>();
    private boolean fullRefresh;
    private Listener listener = new Listener() {};
    private PublishGate gate;
    private boolean allowShrink;

    private Builder() {}

    /**
     * Sets where and how the tables are computed and written.
     *
     * @param writer where and how the tables are computed and written
     * @return this builder
     */
    public Builder writer(SilverWriter writer) {
      this.writer = Objects.requireNonNull(writer, "writer");
      return this;
    }

    /**
     * Sets the catalog holding the inputs, where the silver tables are committed.
     *
     * @param catalog the catalog holding the inputs, where the silver tables are committed
     * @return this builder
     */
    public Builder catalog(Catalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * Adds a table to refine; tables are refined in the order added.
     *
     * @param table the table
     * @return this builder
     */
    public Builder table(SilverTable table) {
      Objects.requireNonNull(table, "table");
      if (tables.stream().anyMatch(t -> t.id().equals(table.id()))) {
        throw new IllegalArgumentException("Cannot add " + table.id() + " twice");
      }
      if (table.partitionKeys().isEmpty()) {
        throw new IllegalArgumentException("Cannot refine " + table.id()
            + ": it has no partition keys; silver" + " tables are rebuilt per partition");
      }
      tables.add(table);
      return this;
    }

    /**
     * Rebuilds every partition, whether its inputs changed or not.
     *
     * @param fullRefresh true to rebuild every partition whatever changed
     * @return this builder
     */
    public Builder fullRefresh(boolean fullRefresh) {
      this.fullRefresh = fullRefresh;
      return this;
    }

    /**
     * Checks each table's new version before publishing it: when the gate's result {@link QualityResult#blocks()
     * blocks}, nothing is written, the previous version stays live and {@link #run()} throws
     * {@link PublishRefusedException}. The gate reads the version about to be written: the table's {@code SELECT}
     * over the current inputs, as a relation in the writer's engine (so it sees the whole new version, rebuilt and
     * unchanged partitions alike; a custom SQL check's own text still reads the live table). Runs only when there
     * is something to rebuild or remove. None by default.
     *
     * @param gate the gate the staged version must pass
     * @return this builder
     */
    public Builder gate(PublishGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * Allows a new version with less than half of the live version's rows. By default such a version fails the run
     * before anything is written (the previous stays live), as a bronze re-publication that shrinks by half does:
     * silver that lost half its rows at once is more likely a lost input than news.
     *
     * @param allowShrink true to publish a version with fewer rows than the last
     * @return this builder
     */
    public Builder allowShrink(boolean allowShrink) {
      this.allowShrink = allowShrink;
      return this;
    }

    /**
     * Sets who hears of each table's plan, checks and result.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @return the refinement
     * @throws IllegalStateException if the writer, the catalog or every table is missing
     */
    public Refinement build() {
      if (writer == null || catalog == null || tables.isEmpty()) {
        throw new IllegalStateException(
            "Cannot build a Refinement: writer, catalog and at least one table are" + " required");
      }
      return new Refinement(this);
    }
  }
}
