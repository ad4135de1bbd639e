package dev.inlet.examples;

import dev.inlet.InletException;
import dev.inlet.Layout;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.crawler.CrawlPlan;
import dev.inlet.crawler.Crawler;
import dev.inlet.crawler.DeletePolicy;
import dev.inlet.crawler.RecrawlPolicy;
import dev.inlet.crawler.SchemaChangePolicy;
import dev.inlet.local.LocalCatalog;
import dev.inlet.storage.FileStore;
import dev.inlet.storage.LocalFileStore;
import dev.inlet.storage.StoredFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code catalog rebuild}: rebuilds the local catalog from the data files in the lake, reading only Parquet footers
 * (the crawler). Catalog files that cannot be read are set aside first ({@code <table>.json.unreadable-<time>}).
 * Each table folder under {@code bronze/} is crawled into its table: partitions whose folder has data are added or
 * repointed to the newest version folder, partitions whose folder is gone are removed, partitions that are right
 * keep their parameters (the ingest provenance). A table in both layouts (a half-moved lake: {@code bronze/<table>/}
 * and {@code bronze/<database>/<table>/}) is crawled once over both folders, the new layout winning for a partition
 * in both. {@code --database X} crawls only the tables of X ({@code bronze/X/<table>/}, and {@code bronze/<table>/}
 * of the layout without the database folder). The ingest state is left as it is: the next {@code ingest} skips
 * what the rebuilt catalog serves and ingests again what it does not.
 */
final class CatalogCommand {
  private CatalogCommand() {}

  static int run(String[] raw, PrintStream out, PrintStream err) {
    if (raw.length == 0 || !raw[0].equals("rebuild")) {
      throw new IllegalArgumentException(
          "catalog takes a subcommand: catalog rebuild --warehouse DIR"
              + " [--database NAME] [--dry-run]");
    }
    List<String> rest = new ArrayList<>(List.of(raw).subList(1, raw.length));
    Args args =
        Args.parse(rest.toArray(String[]::new)).allow("--warehouse", "--database", "--dry-run");
    if (!args.has("--warehouse")) {
      throw new IllegalArgumentException(
          "catalog rebuild needs --warehouse DIR (the lake whose catalog to rebuild)");
    }
    Path warehouse = Path.of(args.get("--warehouse", null)).toAbsolutePath().normalize();
    String database = args.get("--database", Boston311.DATABASE);
    boolean dryRun = args.has("--dry-run");
    Path bronze = warehouse.resolve(Layout.ZONE);
    if (!Files.isDirectory(bronze)) {
      err.println("Cannot rebuild the catalog of " + warehouse + ": there is no data folder "
          + bronze + "; check --warehouse, or ingest first (e.g. ingest --sample --warehouse "
          + warehouse + ")");
      return 1;
    }
    LocalCatalog catalog = LocalCatalog.at(warehouse);
    try {
      List<TableFolder> found = tableFolders(bronze, database);
      if (args.has("--database")) {
        found.removeIf(t -> !t.database().equals(database)); // only the database asked for
      }
      Map<TableId, List<TableFolder>> tables = new LinkedHashMap<>();
      found.forEach(t -> tables
          .computeIfAbsent(TableId.of(t.database(), t.table()), k -> new ArrayList<>())
          .add(t));
      if (!dryRun) {
        setAsideUnreadable(catalog, tables.keySet(), out);
      }
      int changed = 0;
      int conflicts = 0;
      for (Map.Entry<TableId, List<TableFolder>> t : tables.entrySet()) {
        Crawler crawler = Crawler.builder()
            .target(storage(t.getValue()))
            .database(t.getKey().database())
            .tableDepth(0)
            .schemaChangePolicy(SchemaChangePolicy.UPDATE_IN_DATABASE)
            .deletePolicy(DeletePolicy.DELETE_FROM_DATABASE)
            .recrawlPolicy(RecrawlPolicy.CRAWL_EVERYTHING)
            .build();
        CrawlPlan plan = crawler.plan(catalog);
        plan.toText()
            .lines()
            .forEach(l -> out.println(Printable.of(l))); // column names come from the portal
        conflicts += plan.conflicts().size();
        if (plan.hasChanges() && !dryRun) {
          changed += crawler.apply(plan, catalog).size();
        }
      }
      if (tables.isEmpty()) {
        out.println("No table folders under " + bronze + ": nothing to rebuild.");
      } else if (dryRun) {
        out.println("Dry run: nothing applied.");
      } else {
        out.println("Rebuilt the catalog at " + warehouse.resolve(LocalCatalog.CATALOG_DIR)
            + " from " + bronze + ": " + changed + " of " + tables.size() + " table(s) changed.");
      }
      return conflicts == 0 ? 0 : 1;
    } catch (InletException e) {
      err.println(Printable.of(e.getMessage()));
      return 1;
    } catch (IOException e) {
      err.println(
          "Cannot rebuild the catalog of " + warehouse + ": reading " + bronze + " failed: " + e);
      return 1;
    }
  }

  /** A folder holding one table's data, and the database it belongs to. */
  record TableFolder(Path folder, String database, String table) {
    /** Whether the folder is in the layout with the database folder, {@code bronze/<database>/<table>/}. */
    boolean inDatabaseFolder() {
      return !folder.getParent().getFileName().toString().equals(Layout.ZONE);
    }
  }

  /**
   * What to crawl for one table: its folder, or, in a half-moved lake ({@code bronze/<table>/} and
   * {@code bronze/<database>/<table>/} both present), both folders as one (see {@link TwoLayouts}).
   */
  private static FileStore storage(List<TableFolder> folders) {
    if (folders.size() == 1) {
      return LocalFileStore.at(folders.get(0).folder());
    }
    TableFolder newer =
        folders.stream().filter(TableFolder::inDatabaseFolder).findFirst().orElseThrow();
    TableFolder older =
        folders.stream().filter(f -> !f.inDatabaseFolder()).findFirst().orElseThrow();
    return new TwoLayouts(LocalFileStore.at(newer.folder()), LocalFileStore.at(older.folder()));
  }

  /**
   * One table's files in both layouts of a half-moved lake, as one read-only {@link FileStore} rooted at the new
   * folder: the files of the new folder, and those of the old folder whose partition folder (without its version
   * folder) the new folder does not have, so that the new layout wins for a partition present in both. Locations and
   * reads go to the folder a file is in. Only what the crawler uses: writes are refused.
   */
  static final class TwoLayouts implements FileStore {
    private final FileStore newer;
    private final FileStore older;
    /** The folders (relative to the table root) that hold files of the old layout. */
    private final Set<String> olderFolders = new HashSet<>();

    private final Set<String> olderFiles = new HashSet<>();

    TwoLayouts(FileStore newer, FileStore older) {
      this.newer = newer;
      this.older = older;
    }

    @Override
    public String location() {
      return newer.location();
    }

    @Override
    public synchronized List<StoredFile> list(String prefix) throws IOException {
      if (!prefix.isEmpty()) {
        throw new UnsupportedOperationException(
            "Cannot list " + prefix + " of both layouts: only the whole table");
      }
      List<StoredFile> files = new ArrayList<>(newer.list(""));
      Set<String> partitions = new HashSet<>();
      files.forEach(f -> partitions.add(partition(f.folder())));
      olderFolders.clear();
      olderFiles.clear();
      for (StoredFile f : older.list("")) {
        if (!partitions.contains(partition(f.folder()))) {
          files.add(f);
          olderFolders.add(f.folder());
          olderFiles.add(f.path());
        }
      }
      files.sort(java.util.Comparator.comparing(StoredFile::path));
      return files;
    }

    @Override
    public void read(String path, long position, ByteBuffer into) throws IOException {
      boolean old;
      synchronized (this) {
        old = olderFiles.contains(path);
      }
      (old ? older : newer).read(path, position, into);
    }

    @Override
    public synchronized String location(String path) {
      String folder = path.endsWith("/")
          ? path.substring(0, path.length() - 1)
          : path.substring(0, Math.max(0, path.lastIndexOf('/')));
      return path.isEmpty()
          ? location()
          : (olderFolders.contains(folder) ? older : newer).location(path);
    }

    @Override
    public java.util.Optional<String> path(String location) {
      return newer.path(location);
    }

    @Override
    public java.io.InputStream open(String path) throws IOException {
      boolean old;
      synchronized (this) {
        old = olderFiles.contains(path);
      }
      return (old ? older : newer).open(path);
    }

    @Override
    public dev.inlet.storage.StagedOutput create(String path, WriteMode mode) {
      throw readOnly("write " + path);
    }

    @Override
    public void delete(java.util.Collection<String> paths) {
      throw readOnly("delete files");
    }

    @Override
    public int deleteFolder(String folder) {
      throw readOnly("delete " + folder);
    }

    private UnsupportedOperationException readOnly(String what) {
      return new UnsupportedOperationException("Cannot " + what + " in " + location()
          + ": both layouts of a table are crawled read-only");
    }

    /** A data folder without its last segment if that is a {@link Layout#isVersionDir version folder}. */
    private static String partition(String folder) {
      int slash = folder.lastIndexOf('/');
      String last = folder.substring(slash + 1);
      return Layout.isVersionDir(last) ? (slash < 0 ? "" : folder.substring(0, slash)) : folder;
    }
  }

  /**
   * The table folders under {@code bronze}: {@code bronze/<table>/} (partition folders {@code key=value} or data files
   * right below; the database is {@code defaultDatabase}), or {@code bronze/<database>/<table>/} when a folder holds
   * only plain folders.
   */
  static List<TableFolder> tableFolders(Path bronze, String defaultDatabase) throws IOException {
    List<TableFolder> out = new ArrayList<>();
    for (Path d : visibleFolders(bronze)) {
      if (looksLikeTable(d)) {
        out.add(new TableFolder(d, defaultDatabase, d.getFileName().toString()));
      } else {
        for (Path t : visibleFolders(d)) {
          out.add(new TableFolder(t, d.getFileName().toString(), t.getFileName().toString()));
        }
      }
    }
    return out;
  }

  private static boolean looksLikeTable(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.anyMatch(c -> {
        String name = c.getFileName().toString();
        return !name.startsWith(".")
            && !name.startsWith("_")
            && (Files.isRegularFile(c) || name.contains("="));
      });
    }
  }

  private static List<Path> visibleFolders(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && !name.startsWith("_")) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Moves catalog files that cannot be read out of the way, so that the crawl can write them anew. */
  private static void setAsideUnreadable(
      LocalCatalog catalog, Iterable<TableId> tables, PrintStream out) throws IOException {
    for (TableId id : tables) {
      try {
        catalog.loadTable(id);
      } catch (InletException e) {
        Path file = catalog.tableFile(id);
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable-"
            + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""));
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        out.println("Set aside the unreadable catalog file " + file + " as " + aside + " ("
            + Printable.of(e.getMessage().lines().findFirst().orElse("")) + ")");
      }
    }
  }
}
