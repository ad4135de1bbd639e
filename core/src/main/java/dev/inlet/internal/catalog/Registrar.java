package dev.inlet.internal.catalog;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.CommitConflictException;
import dev.inlet.EvolutionPolicy;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.RetryPolicy;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.internal.PartitionValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one register algorithm of every catalog ({@code Catalog#register}): read the table and its partitions, plan
 * the change (create the table, or check the partition keys, evolve the schema with {@link SchemaEvolution}, merge
 * parameters, move a table of the older layout, check each guarded partition with
 * {@link TableRegistration#conflict}, work out which partitions to add or repoint), write it only if the table is
 * still at the version read, and on a lost race read again and retry, up to a limit, then
 * {@link CommitConflictException}. A registration that changes nothing writes nothing.
 *
 * <p>What differs between catalogs sits behind {@link Store}: how a table is read and how a plan is written under
 * compare-and-set (a lock and a file for the local catalog, Glue's {@code VersionId} for Glue).
 */
public final class Registrar {
  private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

  private final EvolutionPolicy policy;
  private final int maxRetries;
  private final RetryPolicy retry;

  /**
   * A registrar evolving schemas under {@code policy} that makes up to {@code retry.attempts()} attempts when it
   * loses a race, pausing {@code retry.delay(n)} before retry {@code n}.
   *
   * @param policy how schemas evolve
   * @param retry the attempts after lost races and the pause between them
   */
  public Registrar(EvolutionPolicy policy, RetryPolicy retry) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.maxRetries = retry.attempts() - 1;
  }

  /**
   * A table as a store holds it.
   *
   * @param table the table; its version is the store's compare-and-set token
   * @param partitions the partitions by values
   * @param handle what the store needs to write the table again (e.g. the Glue table it read)
   * @param <H> the store's handle type
   */
  public record Current<H>(Table table, Map<List<String>, StoredPartition> partitions, H handle) {
    /** Copies {@code partitions}, keeping their order (the order partitions are rewritten in). */
    public Current {
      partitions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(partitions));
    }
  }

  /**
   * A stored partition.
   *
   * @param partition the partition
   * @param columns the partition's own columns as {@link #signature} gives them, or null if the store records no
   *     columns per partition (they are always the table's); a partition whose columns differ from the table's is
   *     rewritten with the table's
   */
  public record StoredPartition(Partition partition, List<String> columns) {}

  /**
   * What a registration writes.
   *
   * @param registration the registration
   * @param table the table after the change (its version still the one read; its update time the registration's)
   * @param change the schema change, or null if the table is created
   * @param creates the partitions to add, by values
   * @param updates the partitions to repoint or rewrite, by values
   */
  public record Plan(
      TableRegistration registration,
      Table table,
      SchemaEvolution.Change change,
      Map<List<String>, Partition> creates,
      Map<List<String>, Partition> updates) {
    /**
     * Whether the table is created.
     *
     * @return true if the plan creates the table
     */
    public boolean createsTable() {
      return change == null;
    }
  }

  /**
   * Thrown by {@link Store#commit} when another writer changed the table since it was read; nothing of the plan was
   * written.
   */
  public static final class Lost extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A lost race.
     *
     * @param what what failed, e.g. {@code "UpdateTable failed with ConcurrentModificationException: ..."}
     * @param cause the store's error, or null
     */
    public Lost(String what, Throwable cause) {
      super(what, cause, false, false);
    }
  }

  /**
   * Where a catalog keeps its tables.
   *
   * @param <H> what the store keeps of a table it read, to write it again
   */
  public interface Store<H> {
    /**
     * The table with its version and partitions.
     *
     * @param id the table
     * @return the table, or empty if it does not exist
     */
    Optional<Current<H>> read(TableId id);

    /**
     * Writes {@code plan} if the table is still at {@code read}'s version (still absent if {@code read} is empty).
     * A store that can re-read under a lock may instead re-plan on the fresh table with {@code replan} (empty: the
     * registration changes nothing any more) and write that.
     *
     * @param read the table the plan was made on
     * @param plan what to write
     * @param replan plans the registration again on a fresh read
     * @return the table as recorded after the change
     * @throws Lost if another writer changed the table meanwhile; nothing was written
     */
    Table commit(
        Optional<Current<H>> read, Plan plan, Function<Optional<Current<H>>, Optional<Plan>> replan)
        throws Lost;

    /**
     * Checks a registration that would create its table, e.g. that no other table has its location.
     *
     * @param registration the registration
     */
    default void checkNew(TableRegistration registration) {}

    /**
     * Table parameters the store adds to every registration's (e.g. Athena partition projection).
     *
     * @param location the table's location before the change
     * @return the parameters; none by default
     */
    default Map<String, String> parameters(String location) {
      return Map.of();
    }
  }

  /**
   * Registers {@code registration} in {@code store}.
   *
   * @param store the store
   * @param registration the registration
   * @param now the registration's update time
   * @param <H> the store's handle type
   * @return the table as recorded after the change
   * @throws dev.inlet.SchemaMismatchException if the schema change or the partition keys are not allowed
   * @throws CommitConflictException if a guarded partition moved, or other writers won each attempt
   */
  public <H> Table register(Store<H> store, TableRegistration registration, Instant now) {
    TableId id = registration.table();
    for (int attempt = 0; ; attempt++) {
      Optional<Current<H>> current = store.read(id);
      Optional<Plan> plan = plan(store, current, registration, now);
      if (plan.isEmpty()) {
        LOG.debug(
            "Registration of {} changes nothing; version {} kept",
            id,
            current.get().table().version());
        return current.get().table();
      }
      try {
        return store.commit(current, plan.get(), fresh -> plan(store, fresh, registration, now));
      } catch (Lost lost) {
        if (attempt >= maxRetries) {
          throw new CommitConflictException(
              "Cannot register " + id + ": another writer changed the table at each" + " of "
                  + (attempt + 1) + " attempts (last: " + lost.getMessage() + "); re-run to retry",
              lost.getCause());
        }
        LOG.debug("Attempt {} to register {} lost a race: {}", attempt + 1, id, lost.getMessage());
        pause(attempt, id);
      }
    }
  }

  /**
   * What {@code registration} changes in {@code current}.
   *
   * @return the plan, or empty if nothing changes
   */
  private <H> Optional<Plan> plan(
      Store<H> store, Optional<Current<H>> current, TableRegistration reg, Instant now) {
    TableId id = reg.table();
    if (current.isEmpty()) {
      store.checkNew(reg);
      List<Column> keys = new ArrayList<>();
      reg.partitionKeys().forEach(k -> keys.add(Column.of(k, ColumnType.STRING)));
      Map<String, String> params = GlueShapes.tableParameters();
      params.putAll(reg.parameters());
      params.putAll(store.parameters(reg.location()));
      Table table = Table.builder()
          .id(id)
          .location(reg.location())
          .schema(reg.schema())
          .partitionKeys(keys)
          .parameters(params)
          .updateTime(now)
          .build();
      Map<List<String>, Partition> creates = new LinkedHashMap<>();
      for (Partition p : reg.partitions()) {
        CommitConflictException conflict = reg.conflict(p.values(), null, p.location());
        if (conflict != null) {
          throw conflict;
        }
        creates.put(p.values(), p);
      }
      return Optional.of(new Plan(reg, table, null, creates, new LinkedHashMap<>()));
    }
    Table table = current.get().table();
    Map<List<String>, StoredPartition> stored = current.get().partitions();
    PartitionValues.keysDiffer(
            id.toString(),
            table.partitionKeys().stream().map(Column::name).toList(),
            reg.partitionKeys())
        .ifPresent(message -> {
          throw new SchemaMismatchException(message);
        });
    SchemaEvolution.Change change =
        SchemaEvolution.evolve(id, table.schema(), reg.schema(), policy);
    Map<String, String> params = new LinkedHashMap<>(table.parameters());
    params.putAll(reg.parameters());
    params.putAll(store.parameters(table.location()));
    for (Partition p : reg.partitions()) {
      StoredPartition old = stored.get(p.values());
      CommitConflictException conflict =
          reg.conflict(p.values(), old == null ? null : old.partition().location(), p.location());
      if (conflict != null) {
        throw conflict; // a retry cannot help: the partition moved on
      }
    }
    boolean moved = !reg.partitionKeys().isEmpty() && !table.location().equals(reg.location());
    List<String> columns = signature(change.schema());
    Map<List<String>, Partition> creates = new LinkedHashMap<>();
    Map<List<String>, Partition> updates = new LinkedHashMap<>();
    for (Partition p : reg.partitions()) {
      StoredPartition old = stored.get(p.values());
      if (old == null) {
        creates.put(p.values(), p);
      } else if (!old.partition().equals(p)
          || (old.columns() != null && !old.columns().equals(columns))) {
        updates.put(p.values(), p);
      } else {
        updates.remove(p.values());
      }
    }
    for (StoredPartition old : stored.values()) {
      List<String> values = old.partition().values();
      if (!creates.containsKey(values)
          && !updates.containsKey(values)
          && old.columns() != null
          && !old.columns().equals(columns)) {
        updates.put(values, old.partition()); // a schema change reaches every partition's columns
      }
    }
    if (!change.changed()
        && !moved
        && params.equals(table.parameters())
        && creates.isEmpty()
        && updates.isEmpty()) {
      return Optional.empty();
    }
    if (moved) {
      LOG.info(
          "Moving {} from {} to {}: re-ingested partitions go to the new folder, the others stay where they"
              + " are",
          id,
          table.location(),
          reg.location());
    }
    if (change.changed()) {
      LOG.debug("Schema of {} evolves: {}", id, change.describe());
    }
    Table next = table.toBuilder()
        .location(moved ? reg.location() : table.location())
        .schema(change.schema())
        .parameters(params)
        .updateTime(now)
        .build();
    return Optional.of(new Plan(reg, next, change, creates, updates));
  }

  /**
   * The columns of {@code schema} as {@link StoredPartition#columns} compares them: lower-case name and Hive type.
   *
   * @param schema the schema
   * @return one {@code "name type"} string per column
   */
  public static List<String> signature(Schema schema) {
    List<String> out = new ArrayList<>(schema.size());
    schema.columns().forEach(c -> out.add(signature(c.name(), c.type().hiveName())));
    return out;
  }

  /**
   * One column as {@link StoredPartition#columns} compares it.
   *
   * @param name the column name
   * @param hiveType the Hive type name
   * @return {@code "name type"} in lower case
   */
  public static String signature(String name, String hiveType) {
    return name.toLowerCase(Locale.ROOT) + " " + hiveType.toLowerCase(Locale.ROOT);
  }

  private void pause(int attempt, TableId id) {
    try {
      Thread.sleep(retry.delay(attempt + 1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InletException("Cannot register " + id + ": interrupted while waiting to retry", e);
    }
  }
}
