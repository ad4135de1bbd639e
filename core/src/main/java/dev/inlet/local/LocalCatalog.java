package dev.inlet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.Catalog;
import dev.inlet.CommitConflictException;
import dev.inlet.EvolutionPolicy;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.RetryPolicy;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.internal.PartitionValues;
import dev.inlet.internal.catalog.GlueShapes;
import dev.inlet.internal.catalog.Registrar;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Catalog} kept in JSON files next to the data: one file per table at
 * {@code <warehouse>/_catalog/<database>/<table>.json}, holding the table exactly as {@code aws glue get-table}
 * prints it plus its partitions as {@code aws glue get-partitions} prints them:
 * <code>{"Table": {...}, "Partitions": [...]}</code>. The same table can therefore be diffed against, or pushed to,
 * real Glue (see {@link GlueShapes}).
 *
 * <p>Each change bumps the table's {@code VersionId}. It is made under the table's lock (held in this JVM and, for
 * other processes, on {@code <table>.json.lock}) after re-reading the entry, so concurrent registrations never lose
 * an update: the new state goes to a temporary file in the same folder, is synced, and replaces the table file by
 * an atomic rename. A failed write leaves the previous file intact. A registration that changes nothing does not
 * rewrite the file nor bump the version. Thread-safe; processes sharing a warehouse are safe too on file systems
 * where {@link FileChannel#lock()} works (local disks; not every network file system).
 *
 * <p>Partitions a registration {@linkplain TableRegistration#guarded guards} are compared with the entry re-read
 * under the lock: a partition that another run repointed since the writer read it fails the whole registration with
 * {@link CommitConflictException}, and nothing is written.
 *
 * <p>A new table whose location another table of the catalog has is refused ({@link InletException}): tables never
 * share a folder.
 *
 * <p>A partitioned table recorded at another location than the registration's (a table of the older layout
 * {@code bronze/<table>/}, see {@link dev.inlet.Layout}) moves: its location becomes the registration's, the
 * partitions registered point at their new folders, the others keep their absolute locations and stay readable.
 */
public final class LocalCatalog implements Catalog {
  /** The folder under the warehouse root holding the catalog. */
  public static final String CATALOG_DIR = "_catalog";

  /** How long a change waits for a table's lock unless the builder says otherwise. */
  public static final java.time.Duration DEFAULT_LOCK_TIMEOUT = java.time.Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(LocalCatalog.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path root;
  private final EvolutionPolicy policy;
  private final java.time.Duration lockTimeout;
  private final Registrar registrar;
  private final FileStore store = new FileStore();

  private LocalCatalog(Path warehouse, EvolutionPolicy policy, java.time.Duration lockTimeout) {
    this.lockTimeout = lockTimeout;
    this.root = warehouse.toAbsolutePath().normalize().resolve(CATALOG_DIR);
    this.policy = policy;
    this.registrar = new Registrar(policy, RetryPolicy.immediate(1));
  }

  /**
   * A catalog in {@code warehouse} with the {@link EvolutionPolicy#UPDATE} policy.
   *
   * @param warehouse the warehouse root
   * @return the catalog
   */
  public static LocalCatalog at(Path warehouse) {
    return builder().warehouse(warehouse).build();
  }

  /**
   * A new builder; the warehouse is required.
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
   * The file holding {@code table}.
   *
   * @param table the table
   * @return the JSON file of the table's entry (it may not exist)
   */
  public Path tableFile(TableId table) {
    return root.resolve(table.database()).resolve(table.table() + ".json");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The catalogs' one register algorithm ({@code dev.inlet.internal.catalog.Registrar}): reads and merges
   * without a lock; a registration that changes nothing returns here, writing nothing. Otherwise it takes the
   * table's lock, re-reads, and if another writer changed the entry in between, merges again on the newer version
   * under the lock, so registrations through {@code LocalCatalog}s never lose an update nor conflict.
   */
  @Override
  public Table register(TableRegistration registration) {
    return registrar.register(store, registration, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * The catalog's files as the {@link Registrar} sees them: a commit takes the table's lock and re-reads; if another
   * writer changed the entry in between, it plans again on the newer version under the lock (so it never loses a
   * race) and writes that.
   */
  private final class FileStore implements Registrar.Store<Entry> {
    @Override
    public Optional<Registrar.Current<Entry>> read(TableId id) {
      return LocalCatalog.this.read(id).map(FileStore::current);
    }

    private static Registrar.Current<Entry> current(Entry e) {
      Map<List<String>, Registrar.StoredPartition> parts = new LinkedHashMap<>();
      e.partitions.forEach(
          p -> parts.put(p.partition.values(), new Registrar.StoredPartition(p.partition, null)));
      return new Registrar.Current<>(e.table, parts, e);
    }

    @Override
    public void checkNew(TableRegistration registration) {
      requireOwnLocation(registration.table(), registration.location());
    }

    @Override
    public Table commit(
        Optional<Registrar.Current<Entry>> read,
        Registrar.Plan plan,
        Function<Optional<Registrar.Current<Entry>>, Optional<Registrar.Plan>> replan) {
      TableId id = plan.registration().table();
      String readVersion = read.map(c -> c.table().version()).orElse(null);
      return update(id, fresh -> {
        if (Objects.equals(version(fresh), readVersion)) {
          return Optional.of(entry(fresh, plan));
        }
        LOG.debug(
            "{} changed from version {} to {} while registering; merging again",
            id,
            readVersion,
            version(fresh));
        return replan.apply(fresh.map(FileStore::current)).map(again -> entry(fresh, again));
      });
    }

    /** The entry after applying {@code plan} to {@code base}. */
    private Entry entry(Optional<Entry> base, Registrar.Plan plan) {
      Instant now = plan.table().updateTime();
      Map<List<String>, PartitionEntry> parts = new TreeMap<>(PartitionValues.ORDER);
      base.ifPresent(b -> b.partitions.forEach(p -> parts.put(p.partition.values(), p)));
      plan.creates().forEach((values, p) -> parts.put(values, new PartitionEntry(p, now)));
      plan.updates().forEach((values, p) -> {
        PartitionEntry old = parts.get(values);
        parts.put(values, new PartitionEntry(p, old == null ? now : old.creationTime));
      });
      return new Entry(
          plan.table(), base.map(Entry::createTime).orElse(now), new ArrayList<>(parts.values()));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One atomic change under the table's lock; bumps the version only if a partition was removed.
   */
  @Override
  public int removePartitions(TableId table, List<List<String>> values) {
    Objects.requireNonNull(table, "table");
    List<List<String>> remove = List.copyOf(values);
    if (read(table).isEmpty()) {
      throw new InletException(
          "Cannot remove partitions of " + table + ": no such table in the catalog at " + root);
    }
    int[] removed = {0};
    update(table, fresh -> {
      Entry cur = fresh.orElseThrow(() -> new InletException(
          "Cannot remove partitions of " + table + ": the table was deleted meanwhile"));
      List<PartitionEntry> kept = new ArrayList<>(cur.partitions.size());
      for (PartitionEntry p : cur.partitions) {
        if (!remove.contains(p.partition.values())) {
          kept.add(p);
        }
      }
      removed[0] = cur.partitions.size() - kept.size();
      if (removed[0] == 0) {
        return Optional.empty();
      }
      Table t = cur.table.toBuilder()
          .updateTime(Instant.now().truncatedTo(ChronoUnit.SECONDS))
          .build();
      return Optional.of(new Entry(t, cur.createTime, kept));
    });
    return removed[0];
  }

  @Override
  public Optional<Table> loadTable(TableId table) {
    return read(table).map(e -> e.table);
  }

  @Override
  public List<Partition> partitions(TableId table) {
    return read(table)
        .map(e -> {
          List<Partition> ps = new ArrayList<>(e.partitions.size());
          e.partitions.forEach(p -> ps.add(p.partition));
          return ps;
        })
        .orElse(List.of());
  }

  @Override
  public List<TableId> listTables(String database) {
    Path dir = root.resolve(TableId.of(database, "x").database());
    List<TableId> tables = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return tables;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.startsWith(".")) {
          tables.add(TableId.of(database, name.substring(0, name.length() - ".json".length())));
        }
      }
    } catch (IOException e) {
      throw new InletException(
          "Cannot list tables of " + database + ": reading " + dir + " failed: " + e, e);
    }
    tables.sort(Comparator.comparing(TableId::table));
    return tables;
  }

  /**
   * The databases that hold at least one table, sorted by name.
   *
   * @return the database names
   */
  public List<String> listDatabases() {
    List<String> databases = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return databases;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (!name.startsWith(".") && !listTables(name).isEmpty()) {
          databases.add(name);
        }
      }
    } catch (IOException e) {
      throw new InletException("Cannot list databases: reading " + root + " failed: " + e, e);
    }
    databases.sort(Comparator.naturalOrder());
    return databases;
  }

  /**
   * The table as {@code aws glue get-table} prints it (<code>{"Table": {...}}</code>), or empty if absent.
   *
   * @param table the table
   * @return the table's JSON, pretty-printed
   */
  public Optional<String> tableJson(TableId table) {
    return readTree(table).map(doc -> {
      ObjectNode out = MAPPER.createObjectNode();
      out.set("Table", doc.get("Table"));
      return pretty(out);
    });
  }

  /**
   * The partitions as {@code aws glue get-partitions} prints them, or empty if the table is absent.
   *
   * @param table the table
   * @return the partitions' JSON, pretty-printed
   */
  public Optional<String> partitionsJson(TableId table) {
    return readTree(table).map(doc -> {
      ObjectNode out = MAPPER.createObjectNode();
      out.set(
          "Partitions", doc.has("Partitions") ? doc.get("Partitions") : MAPPER.createArrayNode());
      return pretty(out);
    });
  }

  /**
   * Writes {@code next} as version {@code expectedVersion + 1} (or {@code 0} for a new table) if the stored version
   * is still {@code expectedVersion} (null: the table must not exist). The low-level optimistic write.
   *
   * @throws CommitConflictException if the stored version differs; nothing is written
   */
  Table commit(TableId id, String expectedVersion, Entry next) {
    return update(id, fresh -> {
      String stored = version(fresh);
      if (!Objects.equals(stored, expectedVersion)) {
        throw new CommitConflictException(
            "Cannot register " + id + ": the catalog entry changed from version "
                + (expectedVersion == null ? "none" : expectedVersion) + " to "
                + (stored == null ? "none" : stored)
                + " while registering; re-run to retry");
      }
      return Optional.of(next);
    });
  }

  /**
   * Under the table's lock (in this JVM and on the file system): reads the entry, computes its next state (empty:
   * nothing to change) and writes it with the next version.
   */
  private Table update(TableId id, Function<Optional<Entry>, Optional<Entry>> change) {
    Path file = tableFile(id);
    try {
      Files.createDirectories(file.getParent());
      try (TableLock ignored =
          TableLock.acquire(id, file.resolveSibling(file.getFileName() + ".lock"), lockTimeout)) {
        Optional<Entry> fresh = read(id);
        Optional<Entry> next = change.apply(fresh);
        if (next.isEmpty()) {
          return fresh.orElseThrow().table;
        }
        String stored = version(fresh);
        String version = stored == null ? "0" : Long.toString(Long.parseLong(stored) + 1);
        Table table = next.get().table.toBuilder().version(version).build();
        write(file, document(new Entry(table, next.get().createTime, next.get().partitions)));
        LOG.debug(
            "Registered {} version {}: {} columns, {} partitions",
            id,
            version,
            table.schema().size(),
            next.get().partitions.size());
        return table;
      }
    } catch (IOException e) {
      throw new InletException(
          "Cannot register " + id + ": writing " + file + " failed: " + e
              + "; the previous catalog entry is intact, re-run to retry",
          e);
    } catch (NumberFormatException e) {
      throw new InletException(
          "Cannot register " + id + ": VersionId in " + file + " is not a number", e);
    }
  }

  /**
   * The lock of one table, exclusive across threads and processes: a {@link ReentrantLock} per lock file in this JVM
   * (keyed by the file's real path, so two catalogs reaching the same folder through different paths or links share
   * it), held while the one {@link FileChannel} of this JVM on that file holds an OS lock ({@code fcntl}/{@code
   * LockFileEx}) for the other processes. One channel per file and JVM matters: on POSIX systems closing any channel
   * of a file drops every lock the process holds on it. The lock file is never deleted (deleting it while a writer
   * holds it would let the next writer lock a new file); entries of the in-JVM map are removed when no thread holds or
   * waits for them, so the map does not grow with the number of tables ever touched.
   */
  private static final class TableLock implements AutoCloseable {
    private static final Map<Path, TableLock> HELD = new ConcurrentHashMap<>();
    private final Path key;
    private final ReentrantLock lock = new ReentrantLock();
    private int users; // guarded by HELD's compute for this key
    private FileChannel channel;
    private FileLock fileLock;

    private TableLock(Path key) {
      this.key = key;
    }

    /**
     * Takes the lock within {@code timeout}, else fails with {@link CommitConflictException}: a writer that holds
     * it longer is suspended or hung (the OS releases the locks of a process that ended).
     */
    static TableLock acquire(TableId id, Path lockFile, java.time.Duration timeout)
        throws IOException {
      try {
        // Without opening a channel: closing one would drop a lock another thread of this JVM holds
        // on the file.
        Files.createFile(lockFile);
      } catch (java.nio.file.FileAlreadyExistsException exists) {
        // The usual case.
      }
      Path key = lockFile.toRealPath();
      TableLock t = HELD.compute(key, (k, cur) -> {
        TableLock l = cur == null ? new TableLock(k) : cur;
        l.users++;
        return l;
      });
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        if (!t.lock.tryLock(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
          HELD.compute(key, (k, cur) -> --cur.users == 0 ? null : cur);
          throw held(id, lockFile, timeout, "another thread of this process");
        }
      } catch (InterruptedException e) {
        HELD.compute(key, (k, cur) -> --cur.users == 0 ? null : cur);
        Thread.currentThread().interrupt();
        throw new InletException(
            "Cannot register " + id + ": interrupted while waiting for the lock " + lockFile, e);
      }
      try {
        t.channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        while ((t.fileLock = t.channel.tryLock()) == null) {
          if (System.nanoTime() - deadline >= 0) {
            throw held(id, lockFile, timeout, "another process");
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InletException(
                "Cannot register " + id + ": interrupted while waiting for the lock " + lockFile,
                e);
          }
        }
        return t;
      } catch (IOException | RuntimeException e) {
        t.release();
        throw e;
      }
    }

    private static CommitConflictException held(
        TableId id, Path lockFile, java.time.Duration timeout, String who) {
      return new CommitConflictException(
          "Cannot register " + id + ": " + who + " has held the catalog lock "
              + lockFile + " for more than " + timeout.toSeconds()
              + " s; a run is probably suspended or hung (the lock"
              + " of a process that ended is released by the OS): let it finish or stop it, then rerun");
    }

    @Override
    public void close() throws IOException {
      release();
    }

    private void release() throws IOException {
      try {
        if (channel != null) {
          channel.close(); // releases fileLock
        }
      } finally {
        channel = null;
        fileLock = null;
        lock.unlock();
        HELD.compute(key, (k, cur) -> --cur.users == 0 ? null : cur);
      }
    }
  }

  private static String version(Optional<Entry> entry) {
    return entry.map(e -> e.table.version()).orElse(null);
  }

  /**
   * Refuses to create {@code id} at a location another table of this catalog has: tables never share a folder, or
   * reruns of one would delete the files of the other.
   */
  private void requireOwnLocation(TableId id, String location) {
    for (String database : listDatabases()) {
      for (TableId other : listTables(database)) {
        if (!other.equals(id)
            && read(other).map(e -> e.table.location().equals(location)).orElse(false)) {
          throw new InletException("Cannot register " + id + ": its location " + location
              + " belongs to table "
              + other + "; two tables in one folder would replace each other's files, give " + id
              + " its own location (sinks lay tables out as bronze/<database>/<table>/)");
        }
      }
    }
  }

  private Optional<Entry> read(TableId id) {
    return readTree(id).map(doc -> {
      Table table = GlueJson.table(doc.get("Table"));
      List<PartitionEntry> parts = new ArrayList<>();
      for (JsonNode p : doc.path("Partitions")) {
        parts.add(new PartitionEntry(GlueJson.partition(p), GlueJson.creationTime(p)));
      }
      return new Entry(table, GlueJson.createTime(doc.get("Table")), parts);
    });
  }

  private Optional<JsonNode> readTree(TableId id) {
    Path file = tableFile(id);
    try {
      JsonNode doc = MAPPER.readTree(Files.readAllBytes(file));
      if (doc == null || !doc.has("Table")) {
        throw new InletException("Cannot read catalog entry " + file + ": no Table object in it;"
            + " restore or delete the file");
      }
      return Optional.of(doc);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new InletException(
          "Cannot read catalog entry " + file + ": " + e.getMessage()
              + "; restore or delete the file",
          e);
    }
  }

  private static ObjectNode document(Entry e) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.set("Table", GlueJson.table(e.table, e.createTime));
    ArrayNode parts = doc.putArray("Partitions");
    for (PartitionEntry p : e.partitions) {
      parts.add(GlueJson.partition(e.table.id(), e.table.schema(), p.partition, p.creationTime));
    }
    return doc;
  }

  private static void write(Path file, ObjectNode doc) throws IOException {
    byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    LocalFiles.writeAtomically(file, bytes);
  }

  private static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot print JSON", e);
    }
  }

  /** A stored table: the table, when it was created, and its partitions sorted by values. */
  record Entry(Table table, Instant createTime, List<PartitionEntry> partitions) {
    Entry {
      partitions = List.copyOf(partitions);
    }
  }

  /** A stored partition and when it was created. */
  record PartitionEntry(Partition partition, Instant creationTime) {}

  /** Builds a {@link LocalCatalog}; the warehouse is required. */
  public static final class Builder {
    private Path warehouse;
    private EvolutionPolicy policy = EvolutionPolicy.UPDATE;
    private java.time.Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;

    private Builder() {}

    /**
     * How long a change waits for a table's lock, held by another writer, before it fails with
     * {@link CommitConflictException}; default {@link LocalCatalog#DEFAULT_LOCK_TIMEOUT}. Writers hold it for
     * milliseconds, so only a suspended or hung writer makes another wait this long.
     *
     * @param timeout the wait, positive
     * @return this builder
     */
    public Builder lockTimeout(java.time.Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("lockTimeout must be positive: " + timeout);
      }
      this.lockTimeout = timeout;
      return this;
    }

    /**
     * The warehouse root; the catalog lives in its {@value LocalCatalog#CATALOG_DIR} folder.
     *
     * @param warehouse the warehouse root
     * @return this builder
     */
    public Builder warehouse(Path warehouse) {
      if (warehouse == null) {
        throw new IllegalArgumentException("warehouse must not be null");
      }
      this.warehouse = warehouse;
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
     * Builds the catalog.
     *
     * @return the catalog
     * @throws IllegalStateException if the warehouse is missing
     */
    public LocalCatalog build() {
      if (warehouse == null) {
        throw new IllegalStateException("Cannot build LocalCatalog: warehouse is missing");
      }
      return new LocalCatalog(warehouse, policy, lockTimeout);
    }
  }
}
