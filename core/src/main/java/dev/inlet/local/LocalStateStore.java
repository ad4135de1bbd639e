package dev.inlet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.InletException;
import dev.inlet.SourceState;
import dev.inlet.SourceVersion;
import dev.inlet.StateStore;
import dev.inlet.TableId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link StateStore} in the warehouse: one JSON file per table at {@code <warehouse>/_state/<database>/<table>.json},
 * <code>{"sources": {"&lt;source id&gt;": {...}}}</code>, next to the catalog and invisible to query engines (the
 * folder starts with {@code _}). Each {@link #put} re-reads the file under the table's lock (in this JVM and on
 * {@code <table>.json.lock}), writes a temporary file, syncs it and renames it over the old one, so a crash leaves
 * the previous state intact and concurrent writers lose no update. Thread-safe.
 */
public final class LocalStateStore implements StateStore {
  /** The folder under the warehouse root holding the state. */
  public static final String STATE_DIR = "_state";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The in-JVM lock per lock file, with how many threads hold or wait for it; removed when none does. */
  private static final Map<Path, Held> LOCKS = new ConcurrentHashMap<>();

  private static final class Held {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by LOCKS' compute for this key
  }

  private final Path root;

  private LocalStateStore(Path warehouse) {
    this.root = warehouse.toAbsolutePath().normalize().resolve(STATE_DIR);
  }

  /**
   * The state store of {@code warehouse}.
   *
   * @param warehouse the warehouse root; the state lives in its {@value #STATE_DIR} folder
   * @return the state store
   * @throws IllegalArgumentException if {@code warehouse} is null
   */
  public static LocalStateStore at(Path warehouse) {
    if (warehouse == null) {
      throw new IllegalArgumentException("warehouse must not be null");
    }
    return new LocalStateStore(warehouse);
  }

  /**
   * The file holding {@code table}'s state.
   *
   * @param table the table
   * @return the JSON file of the table's state (it may not exist)
   */
  public Path stateFile(TableId table) {
    return root.resolve(table.database()).resolve(table.table() + ".json");
  }

  @Override
  public Optional<SourceState> get(TableId table, String sourceId) {
    JsonNode node = read(table).path("sources").get(sourceId);
    return node == null ? Optional.empty() : Optional.of(fromJson(sourceId, node));
  }

  @Override
  public List<SourceState> all(TableId table) {
    List<SourceState> states = new ArrayList<>();
    read(table)
        .path("sources")
        .fields()
        .forEachRemaining(e -> states.add(fromJson(e.getKey(), e.getValue())));
    return List.copyOf(states);
  }

  /** {@return true: the file holds every source's state} */
  @Override
  public boolean listsSources() {
    return true;
  }

  @Override
  public void put(TableId table, SourceState state) {
    Path file = stateFile(table);
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    Held held = LOCKS.compute(lockFile, (k, cur) -> {
      Held h = cur == null ? new Held() : cur;
      h.users++;
      return h;
    });
    held.lock.lock();
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        ObjectNode doc = read(table);
        ObjectNode sources =
            doc.has("sources") ? (ObjectNode) doc.get("sources") : doc.putObject("sources");
        sources.set(state.sourceId(), toJson(state));
        write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
      }
    } catch (IOException e) {
      throw new InletException(
          "Cannot record the state of " + state.sourceId() + " in " + table + ": writing " + file
              + " failed: " + e + "; the data is committed, the next run downloads the file again",
          e);
    } finally {
      held.lock.unlock();
      LOCKS.compute(lockFile, (k, cur) -> --cur.users == 0 ? null : cur);
    }
  }

  /** How many lock files this JVM holds an in-process lock entry for (for tests: 0 when no put runs). */
  static int lockEntries() {
    return LOCKS.size();
  }

  private ObjectNode read(TableId table) {
    Path file = stateFile(table);
    try {
      JsonNode doc = MAPPER.readTree(Files.readAllBytes(file));
      if (doc instanceof ObjectNode o) {
        return o;
      }
      throw new InletException(
          "Cannot read ingest state " + file + ": not a JSON object; delete the file (the"
              + " next run then downloads every source file again)");
    } catch (NoSuchFileException e) {
      return MAPPER.createObjectNode();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new InletException(
          "Cannot read ingest state " + file
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": " + e.getOriginalMessage().lines().findFirst().orElse("")
              + "; delete the file (the next run then downloads every source file again and replaces its partitions;"
              + " the lake keeps serving its data meanwhile)",
          e);
    } catch (IOException e) {
      throw new InletException(
          "Cannot read ingest state " + file + ": " + e.getMessage() + "; delete the file (the"
              + " next run then downloads every source file again)",
          e);
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    LocalFiles.writeAtomically(file, bytes);
  }

  private static ObjectNode toJson(SourceState s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("listed", version(s.listed()));
    n.set("fetched", version(s.fetched()));
    putIfSet(n, "sha256", s.sha256());
    putIfSet(n, "converter", s.converter());
    ArrayNode files = n.putArray("files");
    s.files().forEach(files::add);
    putIfSet(n, "ingestedAt", s.ingestedAt() == null ? null : s.ingestedAt().toString());
    if (!s.rows().isEmpty()) {
      ObjectNode rows = n.putObject("rows");
      new java.util.TreeMap<>(s.rows()).forEach(rows::put);
    }
    return n;
  }

  private static ObjectNode version(SourceVersion v) {
    ObjectNode n = MAPPER.createObjectNode();
    putIfSet(n, "etag", v.etag());
    putIfSet(
        n, "lastModified", v.lastModified() == null ? null : v.lastModified().toString());
    if (v.size() != null) {
      n.put("size", v.size());
    }
    putIfSet(n, "publishedName", v.publishedName());
    return n;
  }

  private static SourceState fromJson(String id, JsonNode n) {
    List<String> files = new ArrayList<>();
    n.path("files").forEach(f -> files.add(f.asText()));
    java.util.Map<String, Long> rows = new java.util.LinkedHashMap<>();
    n.path("rows")
        .fields()
        .forEachRemaining(e -> rows.put(e.getKey(), e.getValue().asLong()));
    return new SourceState(
        id,
        version(n.path("listed")),
        version(n.path("fetched")),
        text(n, "sha256"),
        text(n, "converter"),
        files,
        n.has("ingestedAt") ? Instant.parse(n.get("ingestedAt").asText()) : null,
        rows);
  }

  private static SourceVersion version(JsonNode n) {
    return new SourceVersion(
        text(n, "etag"),
        n.has("lastModified") ? Instant.parse(n.get("lastModified").asText()) : null,
        n.has("size") ? n.get("size").asLong() : null,
        text(n, "publishedName"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void putIfSet(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  @Override
  public String toString() {
    return "LocalStateStore[" + root + "]";
  }
}
