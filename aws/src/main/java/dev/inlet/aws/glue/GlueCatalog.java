package dev.inlet.aws.glue;

import dev.inlet.Catalog;
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
import dev.inlet.internal.catalog.GlueShapes;
import dev.inlet.internal.catalog.Registrar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchDeletePartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchUpdatePartitionRequestEntry;
import software.amazon.awssdk.services.glue.model.BatchUpdatePartitionResponse;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.ErrorDetail;
import software.amazon.awssdk.services.glue.model.GetPartitionsResponse;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * A {@link Catalog} in the AWS Glue Data Catalog, registering tables directly (no crawler): exactly what Athena
 * needs to read Parquet ({@code EXTERNAL_TABLE}, {@code classification=parquet}, Parquet input/output format and
 * SerDe, Hive type names, string partition keys), optionally with Athena partition projection.
 *
 * <p>{@link #register} (the register algorithm every Inlet catalog shares, with Glue's {@code VersionId} as the
 * compare-and-set) creates the database and table if absent. Otherwise it merges the schema under the
 * {@link EvolutionPolicy}, works out which partitions to add or repoint, and, if
 * anything changes (schema, parameters or partitions), writes the table with {@code UpdateTable} guarded by the
 * {@code VersionId} read: the optimistic lock serializes concurrent registrations, and the table's version changes
 * at every change. A lost race is re-read and retried up to {@code maxRetries} times, then
 * {@link CommitConflictException}. Then it adds partitions with {@code BatchCreatePartition} (at most 100 per call)
 * and repoints existing ones whose location, parameters or columns differ ({@code BatchUpdatePartition}). Every
 * partition carries the table's current columns (a partition schema differing from the table's makes Athena fail
 * with {@code HIVE_PARTITION_SCHEMA_MISMATCH}), so a schema change updates all existing partitions too. A
 * registration that changes nothing makes no write call.
 *
 * <p>Glue cannot change a table and its partitions atomically: the table is written first, then partitions. A
 * failure in between leaves the table updated and some partitions missing or stale; registering again completes it.
 * A schema change the policy forbids writes nothing.
 *
 * <p><b>Compare-and-set of partitions.</b> Partitions a registration {@linkplain TableRegistration#guarded guards}
 * are checked against {@code GetPartitions} when the plan is made, and again right before the partition writes,
 * after the table's {@code UpdateTable} guarded by {@code VersionId} succeeded; a partition that is no longer where the
 * writer read it fails the registration with {@link CommitConflictException} before any partition of it is written
 * (only the table update, which carries no data location for a partitioned table, may have happened). Glue has no
 * conditional partition write, so this is not atomic. The window left: two runs that pass their second check before
 * either writes its partitions (the time of one {@code GetPartitions} and one {@code BatchUpdatePartition}) both
 * repoint, the later write wins, both succeed and each deletes only the folder it read (the same one): the lake
 * serves the later run's files, the earlier run's new folder stays unreferenced (never a partition pointing at a
 * deleted folder, since a folder is deleted only by a run that read it from the catalog after it was written). A
 * partition another run created between the second check and this run's {@code BatchCreatePartition} fails the
 * registration with {@link CommitConflictException} if no other partition of it was created, else with an
 * {@link InletException} (not a conflict: other partitions already point at the new files, which therefore stay). A request the SDK retries after it was applied could, in theory, write a location
 * again after another run replaced and deleted it; Inlet cannot rule that out with Glue's API.
 *
 * <p>A partitioned table recorded at another location than the registration's (the older layout
 * {@code bronze/<table>/}) moves: its location becomes the registration's; partitions keep their own locations.
 *
 * <p>Errors are {@link InletException}s ({@code "Cannot <verb> <db.table>: ..."}, the SDK exception as cause); the
 * client's retry strategy alone handles throttling (the catalog does not retry on top of it), and a
 * {@code ThrottlingException} left after its retries surfaces as an {@link InletException}. Thread-safe. A {@link GlueClient} given to the builder is not closed by
 * {@link #close()}; one the catalog built itself is.
 */
public final class GlueCatalog implements Catalog, AutoCloseable {
  /** Glue's limit of entries per {@code BatchDeletePartition} call. */
  static final int MAX_DELETE_BATCH = 25;

  private static final Duration MAX_RACE_BACKOFF = Duration.ofSeconds(2);
  /** Glue's limit of entries per {@code BatchCreatePartition} and {@code BatchUpdatePartition} call. */
  static final int MAX_BATCH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(GlueCatalog.class);

  private final GlueClient glue;
  private final boolean ownsClient;
  private final EvolutionPolicy policy;
  private final String catalogId;
  private final PartitionProjection projection;
  private final Registrar registrar;
  private final GlueStore store = new GlueStore();

  private GlueCatalog(Builder b, GlueClient glue, boolean ownsClient) {
    this.glue = glue;
    this.ownsClient = ownsClient;
    this.policy = b.policy;
    this.catalogId = b.catalogId;
    this.projection = b.projection;
    this.registrar = new Registrar(
        b.policy,
        RetryPolicy.builder()
            .attempts(b.maxRetries + 1)
            .jitter(RetryPolicy.Jitter.EQUAL)
            .backoff(
                b.retryBackoff.compareTo(MAX_RACE_BACKOFF) > 0 ? MAX_RACE_BACKOFF : b.retryBackoff,
                MAX_RACE_BACKOFF)
            .build());
  }

  /**
   * A catalog with all defaults and its own {@code GlueClient.create()} (default credentials and region).
   *
   * @return the GlueCatalog
   */
  public static GlueCatalog create() {
    return builder().build();
  }

  /**
   * A new builder of a {@link GlueCatalog}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public EvolutionPolicy evolutionPolicy() {
    return policy;
  }

  /**
   * @throws SchemaMismatchException if the schema change or partition keys are not allowed; nothing was written
   * @throws CommitConflictException if other writers changed the table at each of {@code 1 + maxRetries} attempts
   * @throws InletException if a Glue call fails
   */
  @Override
  public Table register(TableRegistration registration) {
    TableId id = registration.table();
    if (projection != null && !registration.partitionKeys().equals(List.of(projection.key()))) {
      throw new InletException("Cannot register " + id
          + ": partition projection is configured for key "
          + projection.key() + " but the table is partitioned by " + registration.partitionKeys()
          + "; configure projection only for tables partitioned by " + projection.key() + " alone");
    }
    return registrar.register(store, registration, java.time.Instant.now());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Calls {@code BatchDeletePartition} with at most 25 partitions per call, only for values that are partitions
   * of the table (one {@code GetPartitions} first). Not atomic across calls.
   */
  @Override
  public int removePartitions(TableId table, List<List<String>> values) {
    if (getTable(table, "remove partitions of").isEmpty()) {
      throw new InletException(
          "Cannot remove partitions of " + table + ": the table does not exist in Glue");
    }
    java.util.Set<List<String>> existing = new java.util.HashSet<>();
    gluePartitions(table, "remove partitions of").forEach(p -> existing.add(p.values()));
    List<software.amazon.awssdk.services.glue.model.PartitionValueList> remove = new ArrayList<>();
    for (List<String> v : new java.util.LinkedHashSet<>(values)) {
      if (existing.contains(v)) {
        remove.add(software.amazon.awssdk.services.glue.model.PartitionValueList.builder()
            .values(v)
            .build());
      }
    }
    int removed = 0;
    for (int from = 0; from < remove.size(); from += MAX_DELETE_BATCH) {
      var chunk = remove.subList(from, Math.min(remove.size(), from + MAX_DELETE_BATCH));
      BatchDeletePartitionResponse response = call(
          "remove partitions of",
          table,
          "BatchDeletePartition",
          () -> glue.batchDeletePartition(r -> r.catalogId(catalogId)
              .databaseName(table.database())
              .tableName(table.table())
              .partitionsToDelete(chunk)));
      for (PartitionError e : response.errors()) {
        if (!"EntityNotFoundException".equals(code(e.errorDetail()))) {
          throw new InletException(
              "Cannot remove partitions of " + table + ": Glue could not delete partition "
                  + e.partitionValues() + ": " + code(e.errorDetail()) + ": "
                  + (e.errorDetail() == null ? "no detail" : e.errorDetail().errorMessage())
                  + "; partitions removed before it stay removed, re-run to complete");
        }
      }
      removed += chunk.size() - response.errors().size();
    }
    LOG.debug("Removed {} partitions of {}", removed, table);
    return removed;
  }

  @Override
  public Optional<Table> loadTable(TableId table) {
    return getTable(table, "load").map(t -> toTable(table, t, "load"));
  }

  @Override
  public List<Partition> partitions(TableId table) {
    List<Partition> out = new ArrayList<>();
    for (software.amazon.awssdk.services.glue.model.Partition p :
        gluePartitions(table, "list partitions of")) {
      out.add(new Partition(
          p.values(),
          p.storageDescriptor() == null ? "" : p.storageDescriptor().location(),
          p.parameters()));
    }
    out.sort(Comparator.comparing(Partition::values, PartitionValues.ORDER));
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Tables whose names Inlet cannot represent as a {@link TableId} (e.g. with a hyphen) are left out.
   */
  @Override
  public List<TableId> listTables(String database) {
    TableId.of(database, "x");
    List<software.amazon.awssdk.services.glue.model.Table> found =
        call("list tables of", database, "GetTables", () -> {
          List<software.amazon.awssdk.services.glue.model.Table> out = new ArrayList<>();
          try {
            for (GetTablesResponse page :
                glue.getTablesPaginator(r -> r.catalogId(catalogId).databaseName(database))) {
              out.addAll(page.tableList());
            }
          } catch (EntityNotFoundException e) {
            return List.of();
          }
          return out;
        });
    List<TableId> tables = new ArrayList<>();
    for (software.amazon.awssdk.services.glue.model.Table t : found) {
      try {
        tables.add(TableId.of(database, t.name()));
      } catch (IllegalArgumentException e) {
        LOG.debug("Skipping Glue table {}.{}: {}", database, t.name(), e.getMessage());
      }
    }
    tables.sort(Comparator.comparing(TableId::table));
    return tables;
  }

  /** Closes the {@link GlueClient} if this catalog built it; a provided client stays open. */
  @Override
  public void close() {
    if (ownsClient) {
      glue.close();
    }
  }

  // ---- register steps
  // ------------------------------------------------------------------------------------------

  /**
   * Glue as the {@link Registrar} sees it: a table is read with {@code GetTable} and {@code GetPartitions}, created
   * with {@code CreateTable} (a table that appeared meanwhile is a lost race) or written with {@code UpdateTable}
   * guarded by the {@code VersionId} read (a {@code ConcurrentModificationException} is a lost race); then the
   * partitions are checked again and written.
   */
  private final class GlueStore
      implements Registrar.Store<software.amazon.awssdk.services.glue.model.Table> {
    @Override
    public Optional<Registrar.Current<software.amazon.awssdk.services.glue.model.Table>> read(
        TableId id) {
      return getTable(id, "register").map(t -> {
        Map<List<String>, Registrar.StoredPartition> parts = new LinkedHashMap<>();
        for (software.amazon.awssdk.services.glue.model.Partition p :
            gluePartitions(id, "register")) {
          StorageDescriptor sd = p.storageDescriptor();
          List<String> columns = null;
          if (sd != null) {
            columns = new ArrayList<>();
            for (var c : sd.columns()) {
              columns.add(Registrar.signature(c.name(), c.type()));
            }
          }
          parts.put(
              p.values(),
              new Registrar.StoredPartition(
                  new Partition(p.values(), location(p), p.parameters()), columns));
        }
        return new Registrar.Current<>(toTable(id, t, "register"), parts, t);
      });
    }

    @Override
    public Map<String, String> parameters(String location) {
      return projection == null ? Map.of() : projection.parameters(location);
    }

    @Override
    public Table commit(
        Optional<Registrar.Current<software.amazon.awssdk.services.glue.model.Table>> read,
        Registrar.Plan plan,
        java.util.function.Function<
                Optional<Registrar.Current<software.amazon.awssdk.services.glue.model.Table>>,
                Optional<Registrar.Plan>>
            replan)
        throws Registrar.Lost {
      TableRegistration reg = plan.registration();
      TableId id = reg.table();
      if (read.isEmpty()) {
        create(plan);
        software.amazon.awssdk.services.glue.model.Table created = reread(id);
        recheck(reg);
        writePartitions(
            reg, inputs(created.storageDescriptor(), plan.creates()), new LinkedHashMap<>());
        return toTable(id, created, "register");
      }
      software.amazon.awssdk.services.glue.model.Table current = read.get().handle();
      StorageDescriptor sd = current.storageDescriptor().toBuilder()
          .columns(
              glueColumns(plan.table().schema(), current.storageDescriptor().columns()))
          .location(plan.table()
              .location()) // a table of the older layout moves; partitions keep their own
          .build();
      update(current, plan, sd);
      recheck(reg);
      writePartitions(reg, inputs(sd, plan.creates()), inputs(sd, plan.updates()));
      return toTable(id, reread(id), "register");
    }
  }

  private static Map<List<String>, PartitionInput> inputs(
      StorageDescriptor sd, Map<List<String>, Partition> ps) {
    Map<List<String>, PartitionInput> out = new LinkedHashMap<>();
    ps.forEach(
        (values, p) -> out.put(values, partitionInput(sd, values, p.location(), p.parameters())));
    return out;
  }

  /** Creates the table (and database) of {@code plan}. */
  private void create(Registrar.Plan plan) throws Registrar.Lost {
    Table t = plan.table();
    TableId id = t.id();
    ensureDatabase(id);
    List<software.amazon.awssdk.services.glue.model.Column> keys = new ArrayList<>();
    for (Column k : t.partitionKeys()) {
      keys.add(glueColumn(k));
    }
    TableInput input = TableInput.builder()
        .name(id.table())
        .tableType(GlueShapes.TABLE_TYPE)
        .parameters(t.parameters())
        .storageDescriptor(storageDescriptor(t.schema(), t.location()))
        .partitionKeys(keys)
        .build();
    Conflict conflict = call("register", id, "CreateTable", () -> {
      try {
        glue.createTable(r -> r.catalogId(catalogId).databaseName(id.database()).tableInput(input));
        LOG.info(
            "Created Glue table {} with {} columns at {}", id, t.schema().size(), t.location());
        return null;
      } catch (AlreadyExistsException e) {
        return new Conflict("CreateTable", e);
      }
    });
    if (conflict != null) {
      throw new Registrar.Lost(conflict.describe(), conflict.cause);
    }
  }

  /**
   * Writes the table of {@code plan} guarded by the version read (also when only partitions change, so that the
   * table's version changes at every change and concurrent registrations are serialized); returns a conflict if
   * the version is stale, else null.
   */
  private void update(
      software.amazon.awssdk.services.glue.model.Table current,
      Registrar.Plan plan,
      StorageDescriptor sd)
      throws Registrar.Lost {
    TableId id = TableId.of(current.databaseName(), current.name());
    TableInput input = TableInput.builder()
        .name(current.name())
        .description(current.description())
        .owner(current.owner())
        .retention(current.retention())
        .storageDescriptor(sd)
        .partitionKeys(current.partitionKeys())
        .tableType(current.tableType())
        .parameters(plan.table().parameters())
        .viewOriginalText(current.viewOriginalText())
        .viewExpandedText(current.viewExpandedText())
        .targetTable(current.targetTable())
        .build();
    Conflict conflict = call("register", id, "UpdateTable", () -> {
      try {
        glue.updateTable(r -> r.catalogId(catalogId)
            .databaseName(id.database())
            .tableInput(input)
            .versionId(current.versionId()));
        if (plan.change().changed()) {
          LOG.info(
              "Evolved Glue table {} from version {}: {}",
              id,
              current.versionId(),
              plan.change().describe());
        }
        return null;
      } catch (ConcurrentModificationException e) {
        return new Conflict("UpdateTable", e);
      }
    });
    if (conflict != null) {
      throw new Registrar.Lost(conflict.describe(), conflict.cause);
    }
  }

  private void ensureDatabase(TableId id) {
    call("register", id, "GetDatabase/CreateDatabase", () -> {
      try {
        glue.getDatabase(r -> r.catalogId(catalogId).name(id.database()));
      } catch (EntityNotFoundException absent) {
        try {
          glue.createDatabase(r -> r.catalogId(catalogId)
              .databaseInput(DatabaseInput.builder().name(id.database()).build()));
          LOG.debug("Created Glue database {}", id.database());
        } catch (AlreadyExistsException raced) {
          LOG.debug("Glue database {} was created concurrently", id.database());
        }
      }
      return null;
    });
  }

  /**
   * Adds partitions (repointing those another writer added meanwhile, if they differ) and updates others; every
   * input carries the table's columns.
   */
  private void writePartitions(
      TableRegistration reg,
      Map<List<String>, PartitionInput> creates,
      Map<List<String>, PartitionInput> updates) {
    TableId id = reg.table();
    List<List<String>> racedAll = createPartitions(id, new ArrayList<>(creates.values()));
    for (List<String> raced : racedAll) {
      PartitionInput input = creates.get(raced);
      software.amazon.awssdk.services.glue.model.Partition now = call(
          "register",
          id,
          "GetPartition",
          () -> glue.getPartition(r -> r.catalogId(catalogId)
                  .databaseName(id.database())
                  .tableName(id.table())
                  .partitionValues(raced))
              .partition());
      CommitConflictException lost =
          reg.conflict(raced, location(now), input.storageDescriptor().location());
      if (lost != null && racedAll.size() == creates.size()) {
        throw lost; // every create raced and no update was sent: nothing of this registration was
        // written
      }
      if (lost != null) {
        // Not a CommitConflictException: partitions of this registration already point at its new
        // files.
        throw new InletException(
            "Cannot register " + id + ": partition " + raced + " was added by another run"
                + " while this one registered (" + lost.getMessage()
                + "); partitions registered before it are kept,"
                + " rerun to complete",
            lost);
      }
      if (differs(now, input)) {
        updates.put(raced, input);
      }
    }
    updatePartitions(id, updates);
  }

  /**
   * Right before writing partitions: checks again, with one {@code GetPartitions}, that every partition {@code reg}
   * guards is still where its writer read it, so that a run that repointed it since {@link #plan} was made is seen.
   *
   * @throws CommitConflictException if one moved; no partition of {@code reg} was written
   */
  private void recheck(TableRegistration reg) {
    if (reg.partitions().stream().noneMatch(p -> reg.guarded(p.values()))) {
      return;
    }
    Map<List<String>, software.amazon.awssdk.services.glue.model.Partition> now =
        new LinkedHashMap<>();
    for (software.amazon.awssdk.services.glue.model.Partition p :
        gluePartitions(reg.table(), "register")) {
      now.put(p.values(), p);
    }
    for (Partition p : reg.partitions()) {
      CommitConflictException conflict =
          reg.conflict(p.values(), location(now.get(p.values())), p.location());
      if (conflict != null) {
        throw conflict;
      }
    }
  }

  private static String location(software.amazon.awssdk.services.glue.model.Partition p) {
    return p == null
        ? null
        : p.storageDescriptor() == null ? "" : p.storageDescriptor().location();
  }

  private software.amazon.awssdk.services.glue.model.Table reread(TableId id) {
    return getTable(id, "register")
        .orElseThrow(() -> new InletException("Cannot register " + id
            + ": the table disappeared from Glue while registering (deleted by another writer?); re-run to recreate"
            + " it"));
  }

  /** Creates partitions in chunks; returns the values of those that already existed. */
  private List<List<String>> createPartitions(TableId id, List<PartitionInput> inputs) {
    List<List<String>> existed = new ArrayList<>();
    for (int from = 0; from < inputs.size(); from += MAX_BATCH) {
      List<PartitionInput> chunk = inputs.subList(from, Math.min(inputs.size(), from + MAX_BATCH));
      BatchCreatePartitionResponse response = call(
          "register",
          id,
          "BatchCreatePartition",
          () -> glue.batchCreatePartition(r -> r.catalogId(catalogId)
              .databaseName(id.database())
              .tableName(id.table())
              .partitionInputList(chunk)));
      for (PartitionError e : response.errors()) {
        if ("AlreadyExistsException".equals(code(e.errorDetail()))) {
          existed.add(e.partitionValues());
        } else {
          throw partitionFailure(id, "add", e.partitionValues(), e.errorDetail());
        }
      }
      LOG.debug("Added {} partitions to {}", chunk.size() - response.errors().size(), id);
    }
    return existed;
  }

  private void updatePartitions(TableId id, Map<List<String>, PartitionInput> updates) {
    List<BatchUpdatePartitionRequestEntry> entries = new ArrayList<>();
    updates.forEach((values, input) -> entries.add(BatchUpdatePartitionRequestEntry.builder()
        .partitionValueList(values)
        .partitionInput(input)
        .build()));
    for (int from = 0; from < entries.size(); from += MAX_BATCH) {
      List<BatchUpdatePartitionRequestEntry> chunk =
          entries.subList(from, Math.min(entries.size(), from + MAX_BATCH));
      BatchUpdatePartitionResponse response = call(
          "register",
          id,
          "BatchUpdatePartition",
          () -> glue.batchUpdatePartition(r -> r.catalogId(catalogId)
              .databaseName(id.database())
              .tableName(id.table())
              .entries(chunk)));
      if (!response.errors().isEmpty()) {
        var e = response.errors().get(0);
        throw partitionFailure(id, "update", e.partitionValueList(), e.errorDetail());
      }
      LOG.debug("Updated {} partitions of {}", chunk.size(), id);
    }
  }

  private static InletException partitionFailure(
      TableId id, String verb, List<String> values, ErrorDetail d) {
    return new InletException(
        "Cannot register " + id + ": Glue could not " + verb + " partition " + values + ": "
            + code(d) + ": " + (d == null ? "no detail" : d.errorMessage())
            + "; partitions registered before it are kept, re-run to complete");
  }

  private static String code(ErrorDetail d) {
    return d == null ? null : d.errorCode();
  }

  private static PartitionInput partitionInput(
      StorageDescriptor tableSd,
      List<String> values,
      String location,
      Map<String, String> parameters) {
    return PartitionInput.builder()
        .values(values)
        .storageDescriptor(tableSd.toBuilder().location(location).build())
        .parameters(parameters)
        .build();
  }

  private static boolean differs(
      software.amazon.awssdk.services.glue.model.Partition old, PartitionInput input) {
    StorageDescriptor sd = old.storageDescriptor();
    return sd == null
        || !Objects.equals(sd.location(), input.storageDescriptor().location())
        || !old.parameters().equals(input.parameters())
        || !sameColumns(sd, input.storageDescriptor());
  }

  private static boolean sameColumns(StorageDescriptor a, StorageDescriptor b) {
    if (a == null || b == null || a.columns().size() != b.columns().size()) {
      return false;
    }
    for (int i = 0; i < a.columns().size(); i++) {
      var x = a.columns().get(i);
      var y = b.columns().get(i);
      if (!x.name().equalsIgnoreCase(y.name()) || !x.type().equalsIgnoreCase(y.type())) {
        return false;
      }
    }
    return true;
  }

  // ---- Glue reads and mapping
  // ------------------------------------------------------------------------------------

  private Optional<software.amazon.awssdk.services.glue.model.Table> getTable(
      TableId id, String verb) {
    return call(verb, id, "GetTable", () -> {
      try {
        return Optional.of(glue.getTable(
                r -> r.catalogId(catalogId).databaseName(id.database()).name(id.table()))
            .table());
      } catch (EntityNotFoundException e) {
        return Optional.empty();
      }
    });
  }

  private List<software.amazon.awssdk.services.glue.model.Partition> gluePartitions(
      TableId id, String verb) {
    return call(verb, id, "GetPartitions", () -> {
      List<software.amazon.awssdk.services.glue.model.Partition> out = new ArrayList<>();
      try {
        for (GetPartitionsResponse page : glue.getPartitionsPaginator(
            r -> r.catalogId(catalogId).databaseName(id.database()).tableName(id.table()))) {
          out.addAll(page.partitions());
        }
      } catch (EntityNotFoundException e) {
        return List.of();
      }
      return out;
    });
  }

  private static Table toTable(
      TableId id, software.amazon.awssdk.services.glue.model.Table t, String verb) {
    StorageDescriptor sd = t.storageDescriptor();
    if (sd == null || sd.location() == null) {
      throw new InletException("Cannot " + verb + " " + id
          + ": the Glue table has no storage location;" + " it is not a table of files (a view?)");
    }
    List<Column> keys = new ArrayList<>();
    for (var k : t.partitionKeys()) {
      keys.add(column(id, verb, k));
    }
    List<Column> cols = new ArrayList<>();
    for (var c : sd.columns()) {
      cols.add(column(id, verb, c));
    }
    return Table.builder()
        .id(id)
        .location(sd.location())
        .schema(Schema.of(cols))
        .partitionKeys(keys)
        .parameters(t.parameters())
        .version(t.versionId())
        .updateTime(t.updateTime())
        .build();
  }

  private static Column column(
      TableId id, String verb, software.amazon.awssdk.services.glue.model.Column c) {
    try {
      return Column.of(c.name(), ColumnType.parse(c.type()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InletException(
          "Cannot " + verb + " " + id + ": column " + c.name() + " has Glue type " + c.type()
              + ", which Inlet does not support",
          e);
    }
  }

  private static StorageDescriptor storageDescriptor(Schema schema, String location) {
    List<software.amazon.awssdk.services.glue.model.Column> cols = new ArrayList<>();
    schema.columns().forEach(c -> cols.add(glueColumn(c)));
    return StorageDescriptor.builder()
        .columns(cols)
        .location(location)
        .inputFormat(GlueShapes.INPUT_FORMAT)
        .outputFormat(GlueShapes.OUTPUT_FORMAT)
        .serdeInfo(SerDeInfo.builder()
            .serializationLibrary(GlueShapes.SERDE)
            .parameters(Map.of("serialization.format", "1"))
            .build())
        .build();
  }

  /** Glue columns for {@code schema}, keeping comments and parameters of columns whose type is unchanged. */
  private static List<software.amazon.awssdk.services.glue.model.Column> glueColumns(
      Schema schema, List<software.amazon.awssdk.services.glue.model.Column> old) {
    List<software.amazon.awssdk.services.glue.model.Column> out = new ArrayList<>();
    for (Column c : schema.columns()) {
      software.amazon.awssdk.services.glue.model.Column kept = null;
      for (var o : old) {
        if (o.name().equalsIgnoreCase(c.name())
            && o.type().equalsIgnoreCase(c.type().hiveName())) {
          kept = o;
        }
      }
      out.add(kept != null ? kept : glueColumn(c));
    }
    return out;
  }

  private static software.amazon.awssdk.services.glue.model.Column glueColumn(Column c) {
    return software.amazon.awssdk.services.glue.model.Column.builder()
        .name(c.name())
        .type(c.type().hiveName())
        .build();
  }

  /** Runs a Glue call, translating SDK failures into {@code "Cannot <verb> <what>: ..."}. */
  private <T> T call(String verb, Object what, String operation, Supplier<T> glueCall) {
    // One retry layer only: the client's retry strategy retries throttling and transient errors;
    // the catalog does
    // not retry them again (that would multiply the attempts).
    try {
      return glueCall.get();
    } catch (AwsServiceException e) {
      throw failure(verb, what, operation, e);
    } catch (SdkException e) {
      throw new InletException(
          "Cannot " + verb + " " + what + ": calling Glue " + operation + " failed: "
              + e.getMessage() + "; check the network, endpoint and region, then retry",
          e);
    }
  }

  private InletException failure(
      String verb, Object what, String operation, AwsServiceException e) {
    {
      String code =
          e.awsErrorDetails() == null ? "an error" : e.awsErrorDetails().errorCode();
      String message =
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      return new InletException(
          "Cannot " + verb + " " + what + ": Glue " + operation + " failed with " + code + ": "
              + message + hint(code, operation),
          e);
    }
  }

  private static String hint(String code, String operation) {
    if ("ThrottlingException".equals(code)) {
      return "; Glue kept throttling after the client's retries, retry later or give the GlueClient a retry"
          + " strategy with more attempts";
    }
    if ("AccessDeniedException".equals(code)) {
      return "; grant glue:" + operation.replace("/", " and glue:")
          + " on the catalog, database and table";
    }
    return "";
  }

  /** A lost optimistic-concurrency race. */
  private static final class Conflict {
    final String operation;
    final AwsServiceException cause;

    Conflict(String operation, AwsServiceException cause) {
      this.operation = operation;
      this.cause = cause;
    }

    String describe() {
      return operation + " failed with " + cause.awsErrorDetails().errorCode() + ": "
          + cause.awsErrorDetails().errorMessage();
    }
  }

  /** Builds a {@link GlueCatalog}; every setting has a default. */
  public static final class Builder {
    private GlueClient client;
    private EvolutionPolicy policy = EvolutionPolicy.UPDATE;
    private String catalogId;
    private PartitionProjection projection;
    private int maxRetries = 5;
    private Duration retryBackoff = Duration.ofMillis(100);

    private Builder() {}

    /**
     * The client to use, not closed by the catalog; by default the catalog builds {@code GlueClient.create()}.
     *
     * @param client the SDK client to use; not closed by this object
     * @return this builder
     */
    public Builder client(GlueClient client) {
      if (client == null) {
        throw new IllegalArgumentException("client must not be null");
      }
      this.client = client;
      return this;
    }

    /**
     * How schemas evolve; {@link EvolutionPolicy#UPDATE} by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder evolutionPolicy(EvolutionPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("evolutionPolicy must not be null");
      }
      this.policy = policy;
      return this;
    }

    /**
     * The AWS account id of the Data Catalog; by default the caller's account.
     *
     * @param catalogId the 12-digit AWS account id of the Data Catalog
     * @return this builder
     */
    public Builder catalogId(String catalogId) {
      if (catalogId == null || !catalogId.matches("[0-9]{12}")) {
        throw new IllegalArgumentException(
            "Invalid catalogId '" + catalogId + "': use a 12-digit AWS account id");
      }
      this.catalogId = catalogId;
      return this;
    }

    /**
     * Sets Athena partition projection parameters on the tables this catalog registers; off by default.
     *
     * @param projection the projection parameters
     * @return this builder
     */
    public Builder partitionProjection(PartitionProjection projection) {
      if (projection == null) {
        throw new IllegalArgumentException("partitionProjection must not be null");
      }
      this.projection = projection;
      return this;
    }

    /**
     * How often a registration that lost an optimistic-lock race is retried (0..100); 5 by default. Throttled and
     * failed Glue calls are retried by the client's retry strategy only (the SDK's standard strategy: 3 attempts),
     * never again by the catalog; give the client another strategy for more.
     *
     * @param maxRetries how many retries after the first attempt
     * @return this builder
     */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 100) {
        throw new IllegalArgumentException("Invalid maxRetries " + maxRetries + ": use 0..100");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The first pause before retrying a lost race, doubled at each retry (capped at 2 s); 100 ms by default.
     *
     * @param retryBackoff the first pause, zero or more
     * @return this builder
     */
    public Builder retryBackoff(Duration retryBackoff) {
      if (retryBackoff == null || retryBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "Invalid retryBackoff " + retryBackoff + ": use zero or more");
      }
      this.retryBackoff = retryBackoff;
      return this;
    }

    /**
     * Builds the catalog; builds a {@code GlueClient.create()} if no client was given.
     *
     * @return the GlueCatalog
     */
    public GlueCatalog build() {
      return client != null
          ? new GlueCatalog(this, client, false)
          : new GlueCatalog(this, GlueClient.create(), true);
    }
  }
}
