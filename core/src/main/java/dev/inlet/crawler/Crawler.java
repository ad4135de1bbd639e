package dev.inlet.crawler;

import dev.inlet.Catalog;
import dev.inlet.Column;
import dev.inlet.EvolutionPolicy;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import dev.inlet.crawler.CrawlPlan.Action;
import dev.inlet.crawler.CrawlPlan.ColumnChange;
import dev.inlet.crawler.CrawlPlan.Conflict;
import dev.inlet.crawler.CrawlPlan.PartitionAction;
import dev.inlet.crawler.CrawlPlan.PartitionChange;
import dev.inlet.crawler.CrawlPlan.Skipped;
import dev.inlet.crawler.CrawlPlan.TableChange;
import dev.inlet.internal.Names;
import dev.inlet.internal.PartitionValues;
import dev.inlet.internal.catalog.SchemaEvolution;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.StoredFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalogs Parquet data that Inlet did not write (or wrote in an older run), the way an AWS Glue crawler does, but
 * deterministically and reading only Parquet footers: first {@link #plan} (lists the include paths, reads footers,
 * infers tables and compares them with a catalog, changing nothing), then {@link #apply} (records the plan through
 * {@link Catalog}, so it works for any catalog).
 *
 * <p>Inference, as Glue with "create a single schema for each S3 path" (CombineCompatibleSchemas):
 * <ul>
 *   <li>Each include path ({@link Builder#target}) is one table root, named after its last folder; with
 *       {@link Builder#tableDepth(int) tableDepth(n)}, each folder {@code n} levels below it is one.</li>
 *   <li>Folders below a table root are partitions: {@code key=value} folders give the key {@code key} (values are
 *       Hive-unescaped), other folders {@code partition_0}, {@code partition_1}, ...; all keys are strings.</li>
 *   <li>The table's columns are the union of its files' columns (names lower-cased; files in path order; merged
 *       by {@link SchemaEvolution}, so {@code int} and {@code bigint} combine to {@code bigint}). A file whose
 *       column types cannot combine is a conflict: its partition is left out.</li>
 *   <li>Files and folders whose names start with {@code .} or {@code _} are ignored, as Hive does. Files that
 *       cannot be read are listed in {@link CrawlPlan#skipped()} with the reason and do not stop the crawl.</li>
 *   <li>If the plan would create more than {@link Builder#maxTables(int)} tables, {@link #plan} fails.</li>
 * </ul>
 * Immutable and thread-safe; each {@link #plan} runs its own short-lived thread pool for footer reads.
 */
public final class Crawler {
  /** Table parameter holding the start time of the last crawl that changed the table (ISO-8601). */
  public static final String PARAM_LAST_CRAWL = "inlet.crawler.last_crawl";
  /** Partition parameter set on partitions whose data is gone, under {@link DeletePolicy#DEPRECATE_IN_DATABASE}. */
  public static final String PARAM_DEPRECATED = "inlet.crawler.deprecated";

  private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);

  private final List<FileStore> targets;
  private final String database;
  private final String tablePrefix;
  private final int tableDepth;
  private final SchemaChangePolicy schemaChangePolicy;
  private final DeletePolicy deletePolicy;
  private final RecrawlPolicy recrawlPolicy;
  private final int maxTables;
  private final int parallelism;

  private Crawler(Builder b) {
    this.targets = List.copyOf(b.targets);
    this.database = b.database;
    this.tablePrefix = b.tablePrefix;
    this.tableDepth = b.tableDepth;
    this.schemaChangePolicy = b.schemaChangePolicy;
    this.deletePolicy = b.deletePolicy;
    this.recrawlPolicy = b.recrawlPolicy;
    this.maxTables = b.maxTables;
    this.parallelism = b.parallelism;
  }

  /**
   * A new builder; at least one target and the database are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a file or folder name is hidden from Hive, Athena and this crawler ({@code .} or {@code _} prefix). */
  static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  /** The URI of {@code folder} below {@code store}'s root (empty: the root), ending in {@code /}. */
  static String folderUri(FileStore store, String folder) {
    return folder.isEmpty() ? store.location() : store.location(folder + "/");
  }

  // ---- plan
  // ----------------------------------------------------------------------------------------------------

  /**
   * Lists the include paths, reads the footers of the files to crawl, infers tables and compares them with
   * {@code catalog}. Reads the catalog, never writes it.
   *
   * @param catalog the catalog to compare with
   * @return the plan, for review and {@link #apply}
   * @throws InletException if listing an include path fails, or the plan would create more than
   *     {@code maxTables} tables (nothing is planned)
   */
  public CrawlPlan plan(Catalog catalog) {
    Objects.requireNonNull(catalog, "catalog");
    long start = System.nanoTime();
    Instant crawlTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<Skipped> skipped = new ArrayList<>();
    List<Conflict> conflicts = new ArrayList<>();
    Map<TableId, TableFiles> found = new TreeMap<>(Comparator.comparing(TableId::table));
    int listed = 0;
    int hidden = 0;
    List<String> locations = new ArrayList<>();
    for (FileStore storage : targets) {
      locations.add(storage.location());
      List<StoredFile> files;
      try {
        files = storage.list("");
      } catch (IOException | UncheckedIOException e) {
        throw new InletException(
            "Cannot crawl " + storage.location() + ": listing failed: " + e
                + "; check the path and the permissions to list it",
            e);
      }
      listed += files.size();
      for (StoredFile f : files) {
        String[] segments = f.path().split("/");
        if (java.util.Arrays.stream(segments).anyMatch(Crawler::isHidden)) {
          hidden++;
          continue;
        }
        if (segments.length <= tableDepth) {
          skipped.add(new Skipped(
              storage.location() + f.path(),
              "above the table folders (tableDepth " + tableDepth + "): files must be at least "
                  + (tableDepth + 1) + " levels below the include path"));
          continue;
        }
        String root = String.join("/", java.util.Arrays.copyOfRange(segments, 0, tableDepth));
        String rootName =
            tableDepth == 0 ? lastSegment(storage.location()) : segments[tableDepth - 1];
        TableId id = TableId.of(database, tableName(rootName));
        TableFiles t = found.get(id);
        if (t == null) {
          t = new TableFiles(id, storage, root);
          found.put(id, t);
        } else if (t.storage != storage || !t.root.equals(root)) {
          conflicts.add(new Conflict(
              id,
              folderUri(storage, root),
              "folder maps to table " + id + " like " + folderUri(t.storage, t.root)
                  + ", which was crawled instead; crawl it with another table prefix"));
          t.clashes.add(folderUri(storage, root));
          continue;
        }
        if (t.clashes.contains(folderUri(storage, root))) {
          continue;
        }
        String below = root.isEmpty() ? f.path() : f.path().substring(root.length() + 1);
        t.files.add(new FileAt(f, below));
      }
    }

    // Existing tables and partitions; what to read.
    Map<StoredFile, FileStore> toRead = new LinkedHashMap<>();
    for (TableFiles t : found.values()) {
      t.existing = catalog.loadTable(t.id).orElse(null);
      t.existingPartitions = t.existing == null ? List.of() : catalog.partitions(t.id);
      t.incremental = recrawlPolicy == RecrawlPolicy.CRAWL_NEW_FOLDERS_ONLY
          && t.existing != null
          && t.existing.parameters().containsKey(PARAM_LAST_CRAWL);
      Set<String> known = new HashSet<>();
      t.existingPartitions.forEach(p -> known.add(p.location()));
      for (FileAt f : t.files) {
        if (!t.incremental || !known.contains(folderUri(t.storage, folderOf(t, f)))) {
          toRead.put(f.file, t.storage);
        }
      }
    }
    Map<StoredFile, Footers.Read> schemas = readFooters(toRead);

    List<TableChange> changes = new ArrayList<>();
    for (TableFiles t : found.values()) {
      TableChange c = reconcile(t, schemas, crawlTime, conflicts, skipped);
      if (c != null) {
        changes.add(c);
      }
    }
    List<TableChange> creates =
        changes.stream().filter(c -> c.action() == Action.CREATE).toList();
    if (creates.size() > maxTables) {
      throw new InletException("Cannot crawl " + String.join(", ", locations) + ": it would create "
          + creates.size() + " tables ("
          + String.join(
              ", ", creates.stream().limit(10).map(c -> c.table().table()).toList())
          + (creates.size() > 10 ? ", ..." : "") + ") but maxTables is "
          + maxTables
          + "; nothing was changed. Check the include path and tableDepth, or raise maxTables");
    }
    CrawlPlan plan = new CrawlPlan(
        database, crawlTime, locations, changes, conflicts, skipped, listed, toRead.size(), hidden);
    LOG.info(
        "Crawled {} into {} in {} ms: {} files listed, {} footers read, {} tables, {} conflicts, {} skipped",
        locations,
        database,
        (System.nanoTime() - start) / 1_000_000,
        listed,
        toRead.size(),
        changes.size(),
        conflicts.size(),
        skipped.size());
    return plan;
  }

  /** Reads footers in parallel: each file's footer or why it is unreadable. */
  private Map<StoredFile, Footers.Read> readFooters(Map<StoredFile, FileStore> files) {
    Map<StoredFile, Footers.Read> out = new HashMap<>();
    if (files.isEmpty()) {
      return out;
    }
    int threads = Math.min(parallelism, files.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, "inlet-crawler");
      th.setDaemon(true);
      return th;
    });
    try {
      Map<StoredFile, Future<Footers.Read>> futures = new LinkedHashMap<>();
      files.forEach((f, s) -> futures.put(f, pool.submit(() -> Footers.read(s, f))));
      for (Map.Entry<StoredFile, Future<Footers.Read>> e : futures.entrySet()) {
        try {
          out.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          out.put(e.getKey(), new Footers.Unreadable("unreadable: " + ex.getCause()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InletException("Cannot crawl: interrupted while reading footers", e);
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private TableChange reconcile(
      TableFiles t,
      Map<StoredFile, Footers.Read> schemas,
      Instant crawlTime,
      List<Conflict> conflicts,
      List<Skipped> skipped) {
    // Partition depth: the most common folder depth; files elsewhere are skipped.
    Map<Integer, Integer> depths = new TreeMap<>();
    t.files.forEach(f -> depths.merge(f.folders().length, 1, Integer::sum));
    int depth = depths.entrySet().stream()
        .max(Map.Entry.<Integer, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
        .map(Map.Entry::getKey)
        .orElse(0);
    List<FileAt> files = new ArrayList<>();
    for (FileAt f : t.files) {
      if (f.folders().length == depth) {
        files.add(f);
      } else {
        skipped.add(new Skipped(
            folderUri(t.storage, folderOf(t, f)) + f.file.name(),
            "at folder depth "
                + f.folders().length + " below " + folderUri(t.storage, t.root)
                + " but the table's partitions are "
                + depth + " folders deep; move it or crawl its folder as another table"));
      }
    }
    List<String> keys = partitionKeys(files, depth);

    // Union of the files' schemas, in path order; partitions of incompatible files are left out.
    Schema crawled = null;
    Set<String> conflicted = new HashSet<>();
    Map<String, Integer> readable = new TreeMap<>();
    Set<String> present = new HashSet<>();
    Map<String, Long> rowsByFolder = new HashMap<>(); // of the readable files
    int read = 0;
    for (FileAt f : files) {
      String folder = folderOf(t, f);
      present.add(folder);
      Footers.Read s = schemas.get(f.file);
      if (s == null) {
        continue; // incremental: a known partition, not read
      }
      read++;
      String uri = folderUri(t.storage, folder) + f.file.name();
      if (s instanceof Footers.Unreadable u) {
        skipped.add(new Skipped(uri, u.reason()));
        continue;
      }
      Footers.Footer footer = (Footers.Footer) s;
      Schema schema = footer.schema();
      if (crawled == null) {
        crawled = schema;
      } else {
        try {
          crawled = SchemaEvolution.evolve(t.id, crawled, schema, EvolutionPolicy.UPDATE)
              .schema();
        } catch (SchemaMismatchException e) {
          conflicts.add(new Conflict(
              t.id, uri, incompatibility(crawled, schema) + "; its partition folder is left out"));
          conflicted.add(folder);
          continue;
        }
      }
      readable.merge(folder, 1, Integer::sum);
      rowsByFolder.merge(folder, footer.rows(), Long::sum);
    }
    conflicted.forEach(readable::remove);
    String location = folderUri(t.storage, t.root);
    Map<String, String> params = Map.of(PARAM_LAST_CRAWL, crawlTime.toString());

    Map<List<String>, String> folders = new TreeMap<>(PartitionValues.ORDER);
    Map<List<String>, Integer> fileCounts = new HashMap<>();
    Map<String, Long> rowsByLocation = new HashMap<>();
    for (Map.Entry<String, Integer> e : readable.entrySet()) {
      rowsByLocation.put(
          folderUri(t.storage, e.getKey()), rowsByFolder.getOrDefault(e.getKey(), 0L));
      List<String> values = values(e.getKey(), t.root, keys);
      // Of several version folders of one partition (Layout), the newest (they sort by time) is the
      // partition.
      folders.merge(
          values,
          folderUri(t.storage, e.getKey()),
          (a, b) -> b.compareTo(a) > 0 && dev.inlet.Layout.isVersionDir(lastSegment(b)) ? b : a);
      fileCounts.merge(values, e.getValue(), Integer::sum);
    }

    if (t.existing == null) {
      if (crawled == null) {
        return null;
      }
      List<PartitionChange> parts = new ArrayList<>();
      folders.forEach((v, loc) -> parts.add(new PartitionChange(
          v,
          PartitionAction.ADD,
          loc,
          null,
          fileCounts.get(v),
          rows(Map.of(), rowsByLocation.get(loc)))));
      return new TableChange(
          t.id,
          Action.CREATE,
          location,
          keys,
          crawled,
          List.of(),
          List.of(),
          parts,
          0,
          read,
          false,
          params);
    }

    Table existing = t.existing;
    List<String> haveKeys = existing.partitionKeys().stream()
        .map(k -> k.name().toLowerCase(Locale.ROOT))
        .toList();
    Schema current = existing.schema();
    if (!haveKeys.equals(keys) && !(t.incremental && folders.isEmpty())) {
      conflicts.add(new Conflict(
          t.id,
          null,
          "partition keys " + keys + " inferred from the folders under "
              + location + " but " + haveKeys
              + " in the catalog; partition keys cannot change, crawl into another"
              + " database or table prefix"));
      return new TableChange(
          t.id,
          Action.CONFLICT,
          location,
          keys,
          crawled == null ? current : crawled,
          List.of(),
          List.of(),
          List.of(),
          0,
          read,
          t.incremental,
          Map.of());
    }
    Schema target = current;
    List<ColumnChange> columns = new ArrayList<>();
    List<ColumnChange> logged = new ArrayList<>();
    if (crawled != null) {
      EvolutionPolicy policy = schemaChangePolicy == SchemaChangePolicy.ADD_NEW_COLUMNS_ONLY
          ? EvolutionPolicy.ADD_COLUMNS_ONLY
          : EvolutionPolicy.UPDATE;
      SchemaEvolution.Change change;
      try {
        change = SchemaEvolution.evolve(t.id, current, crawled, policy);
      } catch (SchemaMismatchException e) {
        conflicts.add(new Conflict(
            t.id,
            null,
            e.getMessage() + " (policy " + schemaChangePolicy + "); the table is left unchanged"));
        return new TableChange(
            t.id,
            Action.CONFLICT,
            location,
            keys,
            crawled,
            List.of(),
            List.of(),
            List.of(),
            0,
            read,
            t.incremental,
            Map.of());
      }
      List<ColumnChange> diff = new ArrayList<>();
      change
          .widened()
          .forEach(w -> diff.add(
              new ColumnChange(w.name(), current.column(w.name()).orElseThrow().type(), w.type())));
      change.added().forEach(a -> diff.add(new ColumnChange(a.name(), null, a.type())));
      if (schemaChangePolicy == SchemaChangePolicy.LOG) {
        logged.addAll(diff);
      } else {
        columns.addAll(diff);
        target = change.schema();
      }
    }

    Map<List<String>, Partition> have = new TreeMap<>(PartitionValues.ORDER);
    t.existingPartitions.forEach(p -> have.put(p.values(), p));
    List<PartitionChange> parts = new ArrayList<>();
    int unchanged = 0;
    for (Map.Entry<List<String>, String> e : folders.entrySet()) {
      Partition old = have.get(e.getKey());
      if (old == null) {
        parts.add(new PartitionChange(
            e.getKey(),
            PartitionAction.ADD,
            e.getValue(),
            null,
            fileCounts.get(e.getKey()),
            rows(Map.of(), rowsByLocation.get(e.getValue()))));
      } else if (!old.location().equals(e.getValue())) {
        Map<String, String> p = new LinkedHashMap<>(old.parameters());
        p.remove(PARAM_DEPRECATED);
        parts.add(new PartitionChange(
            e.getKey(),
            PartitionAction.REPOINT,
            e.getValue(),
            old.location(),
            fileCounts.get(e.getKey()),
            rows(p, rowsByLocation.get(e.getValue()))));
      } else if (old.parameters().containsKey(PARAM_DEPRECATED)) {
        Map<String, String> p = new LinkedHashMap<>(old.parameters());
        p.remove(PARAM_DEPRECATED);
        parts.add(new PartitionChange(
            e.getKey(),
            PartitionAction.REPOINT,
            e.getValue(),
            old.location(),
            fileCounts.get(e.getKey()),
            p));
      } else {
        unchanged++;
      }
    }
    if (!t.incremental) {
      Set<List<String>> presentValues = new HashSet<>();
      present.forEach(f -> presentValues.add(values(f, t.root, keys)));
      for (Partition old : have.values()) {
        if (presentValues.contains(old.values()) || folders.containsKey(old.values())) {
          continue;
        }
        switch (deletePolicy) {
          case DELETE_FROM_DATABASE ->
            parts.add(new PartitionChange(
                old.values(), PartitionAction.REMOVE, old.location(), null, 0, old.parameters()));
          case DEPRECATE_IN_DATABASE -> {
            if (!old.parameters().containsKey(PARAM_DEPRECATED)) {
              Map<String, String> p = new LinkedHashMap<>(old.parameters());
              p.put(PARAM_DEPRECATED, crawlTime.toString());
              parts.add(new PartitionChange(
                  old.values(), PartitionAction.DEPRECATE, old.location(), null, 0, p));
            } else {
              unchanged++;
            }
          }
          case LOG ->
            parts.add(new PartitionChange(
                old.values(), PartitionAction.GONE, old.location(), null, 0, old.parameters()));
        }
      }
    }
    parts.sort(Comparator.comparing(PartitionChange::values, PartitionValues.ORDER));
    boolean changes =
        !columns.isEmpty() || parts.stream().anyMatch(p -> p.action() != PartitionAction.GONE);
    return new TableChange(
        t.id,
        changes ? Action.UPDATE : Action.UNCHANGED,
        existing.location(),
        keys,
        target,
        columns,
        logged,
        parts,
        unchanged,
        read,
        t.incremental,
        params);
  }

  /** Why {@code file} cannot combine with {@code table}: the first column whose types neither equal nor widen. */
  private static String incompatibility(Schema table, Schema file) {
    for (Column c : file.columns()) {
      Column t = table.column(c.name()).orElse(null);
      if (t != null
          && !t.type().equals(c.type())
          && !c.type().widensTo(t.type())
          && !t.type().widensTo(c.type())) {
        return "column " + c.name() + " is " + c.type().hiveName() + " in this file but "
            + t.type().hiveName() + " in the files before it";
      }
    }
    return "schema cannot combine with the files before it";
  }

  private static List<String> partitionKeys(List<FileAt> files, int depth) {
    List<String> keys = new ArrayList<>(depth);
    for (int level = 0; level < depth; level++) {
      String key = null;
      boolean same = true;
      for (FileAt f : files) {
        String segment = f.folders()[level];
        int eq = segment.indexOf('=');
        String k = eq > 0 ? segment.substring(0, eq).toLowerCase(Locale.ROOT) : null;
        if (k == null || (key != null && !key.equals(k))) {
          same = false;
          break;
        }
        key = k;
      }
      keys.add(
          same && key != null && Names.isGlueName(key) && !keys.contains(key)
              ? key
              : "partition_" + level);
    }
    return keys;
  }

  private static List<String> values(String folder, String root, List<String> keys) {
    String below =
        root.isEmpty() ? folder : folder.substring(Math.min(folder.length(), root.length() + 1));
    String[] segments = below.isEmpty() ? new String[0] : withoutVersion(below.split("/"));
    List<String> values = new ArrayList<>(segments.length);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      String key = i < keys.size() ? keys.get(i) : null;
      if (key != null && !key.startsWith("partition_") && s.indexOf('=') > 0) {
        values.add(PartitionValues.unescape(s.substring(s.indexOf('=') + 1)));
      } else if (key != null
          && key.startsWith("partition_")
          && s.toLowerCase(Locale.ROOT).startsWith(key + "=")) {
        values.add(PartitionValues.unescape(s.substring(key.length() + 1)));
      } else {
        values.add(s);
      }
    }
    return values;
  }

  private static String folderOf(TableFiles t, FileAt f) {
    return f.file.folder();
  }

  private String tableName(String folder) {
    String name = (tablePrefix + folder).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (name.length() > 255) {
      name = name.substring(0, 255);
    }
    return name.isEmpty() ? "table" : name;
  }

  /**
   * {@code parameters} with {@value dev.inlet.Pipeline#PARAM_ROWS} set to the rows the footers of the partition's
   * files count, so that the pipeline's shrink guard can compare a re-publication with a crawled partition.
   */
  private static Map<String, String> rows(Map<String, String> parameters, Long rows) {
    if (rows == null) {
      return parameters;
    }
    Map<String, String> p = new LinkedHashMap<>(parameters);
    p.put(dev.inlet.Pipeline.PARAM_ROWS, Long.toString(rows));
    return p;
  }

  private static String lastSegment(String location) {
    String l = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    String name = l.substring(l.lastIndexOf('/') + 1);
    return PartitionValues.unescape(name);
  }

  /** The files of one inferred table. */
  private static final class TableFiles {
    final TableId id;
    final FileStore storage;
    final String root;
    final List<FileAt> files = new ArrayList<>();
    final Set<String> clashes = new HashSet<>();
    Table existing;
    List<Partition> existingPartitions;
    boolean incremental;

    TableFiles(TableId id, FileStore storage, String root) {
      this.id = id;
      this.storage = storage;
      this.root = root;
    }
  }

  /** A file and its path below its table root. */
  private record FileAt(StoredFile file, String below) {
    /** The partition folders: the folders below the table root, without a trailing Layout version folder. */
    String[] folders() {
      int slash = below.lastIndexOf('/');
      return slash < 0
          ? new String[0]
          : withoutVersion(below.substring(0, slash).split("/"));
    }
  }

  /** {@code segments} without a last segment that is a {@link dev.inlet.Layout#isVersionDir version folder}. */
  private static String[] withoutVersion(String[] segments) {
    return segments.length > 0 && dev.inlet.Layout.isVersionDir(segments[segments.length - 1])
        ? java.util.Arrays.copyOf(segments, segments.length - 1)
        : segments;
  }

  // ---- apply
  // ---------------------------------------------------------------------------------------------------

  /**
   * Records {@code plan} in {@code catalog}: for each table to create or update, one {@link Catalog#register} with
   * the planned columns, partition keys, added/repointed/deprecated partitions and {@value #PARAM_LAST_CRAWL};
   * then {@link Catalog#removePartitions} for partitions to remove. Tables in conflict or unchanged are not
   * touched. The catalog's own {@link EvolutionPolicy} still applies: a stricter one than the plan's policy fails.
   *
   * @param plan the plan, from {@link #plan}
   * @param catalog the catalog to record it in
   * @return the tables as recorded after the change, in plan order
   * @throws InletException (or a subtype) if the catalog refuses a change; tables applied before it stay applied,
   *     and re-planning then applying completes the rest
   */
  public List<Table> apply(CrawlPlan plan, Catalog catalog) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(catalog, "catalog");
    List<Table> out = new ArrayList<>();
    for (TableChange t : plan.tables()) {
      if (!t.changes()) {
        continue;
      }
      TableRegistration.Builder reg = TableRegistration.builder()
          .table(t.table())
          .location(t.location())
          .schema(t.schema())
          .partitionKeys(t.partitionKeys());
      t.parameters().forEach(reg::parameter);
      List<List<String>> remove = new ArrayList<>();
      for (PartitionChange p : t.partitions()) {
        switch (p.action()) {
          case ADD, REPOINT, DEPRECATE ->
            reg.addPartition(new Partition(p.values(), p.location(), p.parameters()));
          case REMOVE -> remove.add(p.values());
          case GONE -> {}
        }
      }
      Table table = catalog.register(reg.build());
      if (!remove.isEmpty()) {
        catalog.removePartitions(t.table(), remove);
      }
      out.add(table);
    }
    LOG.debug("Applied the crawl plan of {}: {} tables changed", plan.database(), out.size());
    return out;
  }

  @Override
  public String toString() {
    List<String> l = new ArrayList<>();
    targets.forEach(s -> l.add(s.location()));
    return "Crawler" + l + " into " + database;
  }

  /** Builds a {@link Crawler}; at least one target and the database are required. */
  public static final class Builder {
    private final List<FileStore> targets = new ArrayList<>();
    private String database;
    private String tablePrefix = "";
    private int tableDepth;
    private SchemaChangePolicy schemaChangePolicy = SchemaChangePolicy.UPDATE_IN_DATABASE;
    private DeletePolicy deletePolicy = DeletePolicy.DEPRECATE_IN_DATABASE;
    private RecrawlPolicy recrawlPolicy = RecrawlPolicy.CRAWL_EVERYTHING;
    private int maxTables = Integer.MAX_VALUE;
    private int parallelism = 8;

    private Builder() {}

    /**
     * Adds an include path (one table root, or the parent of table roots with {@link #tableDepth}): the files under
     * a store's root ({@link dev.inlet.storage.LocalFileStore}, {@code S3FileStore} of inlet-aws). The crawler only
     * lists and reads byte ranges (a Parquet footer: the last 8 bytes, then the footer); it never writes.
     *
     * @param storage the store whose root is the include path
     * @return this builder
     * @throws IllegalArgumentException if {@code storage} is null
     */
    public Builder target(FileStore storage) {
      if (storage == null) {
        throw new IllegalArgumentException("target must not be null");
      }
      targets.add(storage);
      return this;
    }

    /**
     * The catalog database of the tables (Glue naming rules).
     *
     * @param database the database name
     * @return this builder
     */
    public Builder database(String database) {
      TableId.of(database, "x");
      this.database = database;
      return this;
    }

    /**
     * Prepended to every table name (as Glue's table prefix); empty by default.
     *
     * @param prefix the prefix; lower-case letters, digits and {@code _}, or empty
     * @return this builder
     * @throws IllegalArgumentException if the prefix is null or not a valid name
     */
    public Builder tablePrefix(String prefix) {
      if (prefix == null || !prefix.isEmpty() && !Names.isGlueName(prefix)) {
        throw new IllegalArgumentException(
            "Invalid table prefix '" + prefix + "': use lower-case letters, digits and '_'");
      }
      this.tablePrefix = prefix;
      return this;
    }

    /**
     * How many folders below an include path the table roots are: 0 (default) makes the include path the table;
     * 1 makes each of its folders a table ({@code lake/bronze} holding {@code service_requests/year=...}).
     *
     * @param depth the folder depth of the table roots, 0..10
     * @return this builder
     * @throws IllegalArgumentException if {@code depth} is out of range
     */
    public Builder tableDepth(int depth) {
      if (depth < 0 || depth > 10) {
        throw new IllegalArgumentException("Invalid tableDepth " + depth + ": use 0..10");
      }
      this.tableDepth = depth;
      return this;
    }

    /**
     * How the plan treats columns added or widened in the files; {@link SchemaChangePolicy#UPDATE_IN_DATABASE} by
     * default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder schemaChangePolicy(SchemaChangePolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("schemaChangePolicy must not be null");
      }
      this.schemaChangePolicy = policy;
      return this;
    }

    /**
     * What the plan does with partitions whose folders hold no data any more;
     * {@link DeletePolicy#DEPRECATE_IN_DATABASE} by default, as Glue's.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder deletePolicy(DeletePolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("deletePolicy must not be null");
      }
      this.deletePolicy = policy;
      return this;
    }

    /**
     * Which folders a crawl reads; {@link RecrawlPolicy#CRAWL_EVERYTHING} by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder recrawlPolicy(RecrawlPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("recrawlPolicy must not be null");
      }
      this.recrawlPolicy = policy;
      return this;
    }

    /**
     * The most tables one crawl may create (Glue's TableThreshold); unlimited by default.
     *
     * @param max the limit, 1 or more
     * @return this builder
     */
    public Builder maxTables(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("Invalid maxTables " + max + ": must be at least 1");
      }
      this.maxTables = max;
      return this;
    }

    /**
     * How many footers are read at once (8 by default; more helps on S3, where each read is a request).
     *
     * @param threads footers read at once, 1..256
     * @return this builder
     */
    public Builder parallelism(int threads) {
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException("Invalid parallelism " + threads + ": use 1..256");
      }
      this.parallelism = threads;
      return this;
    }

    /**
     * Builds the crawler.
     *
     * @return the crawler
     * @throws IllegalStateException if no target or no database was set
     */
    public Crawler build() {
      if (targets.isEmpty() || database == null) {
        throw new IllegalStateException("Cannot build Crawler: "
            + (targets.isEmpty() ? "no target (include path)" : "no database") + " set");
      }
      return new Crawler(this);
    }
  }
}
