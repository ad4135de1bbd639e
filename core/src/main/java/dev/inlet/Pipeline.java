package dev.inlet;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the files of a {@link Source} through a {@link Converter} into a {@link Sink} and records them in a
 * {@link Catalog}, as one table.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *     .source(Boston311Source.legacy().years(2015, 2020).build())
 *     .converter(Boston311.legacyConverter())
 *     .sink(LocalWarehouse.at(Path.of("lake")))
 *     .catalog(LocalCatalog.at(Path.of("lake")))
 *     .table(TableId.of("boston311", "service_requests"))
 *     .build();
 * PipelineResult result = pipeline.run();
 * }</pre>
 *
 * <p>A pipeline is immutable configuration, reusable and thread-safe; each {@link #run()} opens and closes what it
 * needs. Per file, a run: opens the bytes, converts them into staged outputs, checks the schema with the catalog,
 * commits the outputs, then registers the partitions. Files run in parallel up to {@link Builder#parallelism(int)}.
 * A failing file fails alone: its staged outputs are aborted, so nothing of it becomes visible, and the other files
 * go on. The catalog is only ever told about committed data.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /** Partition parameter naming the source file a partition's data came from. */
  public static final String PARAM_SOURCE_ID = "inlet.source.id";
  /** Partition parameter with the source file's human name. */
  public static final String PARAM_SOURCE_NAME = "inlet.source.name";
  /** Partition parameter with the published file name of the source (changes at re-publication). */
  public static final String PARAM_SOURCE_PUBLISHED_NAME = "inlet.source.published_name";
  /** Partition parameter with the source's last-modified time (ISO-8601). */
  public static final String PARAM_SOURCE_LAST_MODIFIED = "inlet.source.last_modified";
  /** Partition parameter with the source's ETag. */
  public static final String PARAM_SOURCE_ETAG = "inlet.source.etag";

  private final Source source;
  private final Converter converter;
  private final Sink sink;
  private final Catalog catalog;
  private final TableId table;
  private final List<PipelineListener> listeners;
  private final int parallelism;

  private Pipeline(Builder b) {
    this.source = b.source;
    this.converter = b.converter;
    this.sink = b.sink;
    this.catalog = b.catalog;
    this.table = b.table;
    this.listeners = List.copyOf(b.listeners);
    this.parallelism = b.parallelism;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().source(source).converter(converter).sink(sink).catalog(catalog).table(table)
        .parallelism(parallelism);
    b.listeners.addAll(listeners);
    return b;
  }

  /**
   * Lists the source and processes every file.
   *
   * @return per-file results; check {@link PipelineResult#succeeded()}
   * @throws SourceUnavailableException if the source cannot be listed (nothing was written)
   */
  public PipelineResult run() {
    long start = System.nanoTime();
    List<SourceFile> files;
    try {
      files = source.list();
    } catch (IOException e) {
      throw new SourceUnavailableException("Cannot list source files for " + table + ": " + e.getMessage(), e);
    }
    PipelineListener listener = new Fanout(listeners);
    listener.runStarted(table, files);
    LOG.debug("Running {} file(s) into {} at {} with parallelism {}", files.size(), table, sink.location(table),
        parallelism);

    List<FileResult> results = new ArrayList<>(files.size());
    if (!files.isEmpty()) {
      int threads = Math.min(parallelism, files.size());
      ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
      try {
        List<Future<FileResult>> futures = new ArrayList<>();
        for (SourceFile file : files) {
          futures.add(pool.submit(() -> process(file, listener)));
        }
        for (Future<FileResult> f : futures) {
          results.add(await(f));
        }
      } finally {
        pool.shutdownNow();
      }
    }
    if (results.stream().anyMatch(FileResult::succeeded)) {
      try {
        catalog.flush(table);
      } catch (InletException e) {
        throw new InletException("Cannot finish registering " + table + ": " + e.getMessage()
            + ". The data files are committed at " + sink.location(table) + "; re-running registers them.", e);
      }
    }
    PipelineResult result =
        new PipelineResult(table, sink.location(table), results, Duration.ofNanos(System.nanoTime() - start));
    LOG.info("Ingested {} of {} file(s) into {}: {} rows, {} bytes in, {} bytes out in {} ms",
        results.size() - result.failures().size(), results.size(), table, result.rowsOut(), result.bytesIn(),
        result.bytesOut(), result.duration().toMillis());
    listener.runFinished(result);
    return result;
  }

  private FileResult process(SourceFile file, PipelineListener listener) {
    long start = System.nanoTime();
    CountingInputStream counted = null;
    try {
      listener.fileStarted(file);
      ConversionResult conversion;
      List<DataFile> committed;
      try (Staging staging = sink.stage(table, file); InputStream raw = file.open()) {
        counted = new CountingInputStream(raw, n -> listener.bytesRead(file, n));
        conversion = converter.convert(file, counted, staging, rows -> listener.rowsConverted(file, rows));
        List<String> keys = partitionKeys(file, conversion);
        // Ask the catalog first, so a schema it would reject aborts the file before anything becomes visible.
        catalog.register(registration(conversion.schema(), keys).build());
        committed = staging.commit();
      }
      catalog.register(withPartitions(file, conversion, committed).build());
      FileResult result = new FileResult(file, conversion.rowsIn(), conversion.rowsOut(), counted.count(),
          committed.stream().mapToLong(DataFile::sizeBytes).sum(), partitionsOf(committed), committed,
          Duration.ofNanos(System.nanoTime() - start), null);
      LOG.info("Ingested {} into {}: {} rows, {} -> {} bytes, {} partition(s), {} ms", file.name(), table,
          result.rowsOut(), result.bytesIn(), result.bytesOut(), result.partitions().size(),
          result.duration().toMillis());
      listener.fileSucceeded(result);
      return result;
    } catch (Exception | Error e) {
      FileResult result = FileResult.failed(file, counted == null ? 0 : counted.count(),
          Duration.ofNanos(System.nanoTime() - start), e);
      LOG.info("Failed to ingest {} into {}: {}", file.name(), table, e.toString());
      listener.fileFailed(result);
      return result;
    }
  }

  private TableRegistration.Builder registration(Schema schema, List<String> partitionKeys) {
    return TableRegistration.builder().table(table).location(sink.location(table)).schema(schema)
        .partitionKeys(partitionKeys);
  }

  private TableRegistration.Builder withPartitions(
      SourceFile file, ConversionResult conversion, List<DataFile> committed) {
    TableRegistration.Builder reg = registration(conversion.schema(), partitionKeys(file, conversion));
    Map<String, String> params = provenance(file);
    for (Map<String, String> partition : partitionsOf(committed)) {
      reg.addPartition(new Partition(new ArrayList<>(partition.values()), sink.location(table, partition), params));
    }
    return reg;
  }

  /** The partition keys of what was written; the source's keys when nothing was. */
  private static List<String> partitionKeys(SourceFile file, ConversionResult conversion) {
    Set<List<String>> keySets = new LinkedHashSet<>();
    for (Map<String, String> p : conversion.rowsByPartition().keySet()) {
      keySets.add(List.copyOf(p.keySet()));
    }
    if (keySets.size() > 1) {
      throw new InletException("Cannot register " + file.name() + ": its partitions use different keys "
          + keySets + "; every output of a table must use the same partition keys");
    }
    return keySets.isEmpty() ? List.copyOf(file.partition().keySet()) : keySets.iterator().next();
  }

  private static List<Map<String, String>> partitionsOf(List<DataFile> files) {
    Set<Map<String, String>> seen = new LinkedHashSet<>();
    for (DataFile f : files) {
      seen.add(f.partition());
    }
    return List.copyOf(seen);
  }

  private static Map<String, String> provenance(SourceFile file) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put(PARAM_SOURCE_ID, file.id());
    params.put(PARAM_SOURCE_NAME, file.name());
    SourceVersion v = file.version();
    if (v.publishedName() != null) {
      params.put(PARAM_SOURCE_PUBLISHED_NAME, v.publishedName());
    }
    if (v.lastModified() != null) {
      params.put(PARAM_SOURCE_LAST_MODIFIED, v.lastModified().toString());
    }
    if (v.etag() != null) {
      params.put(PARAM_SOURCE_ETAG, v.etag());
    }
    return params;
  }

  private static FileResult await(Future<FileResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InletException("Cannot finish the pipeline run: interrupted", e);
    } catch (ExecutionException e) {
      // process() catches everything it can; this is a bug, not an input problem.
      throw new InletException("Cannot finish the pipeline run: " + e.getCause(), e.getCause());
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "inlet-file-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Fans events out to every listener in order. */
  private static final class Fanout implements PipelineListener {
    private final List<PipelineListener> listeners;

    Fanout(List<PipelineListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public void runStarted(TableId table, List<SourceFile> files) {
      listeners.forEach(l -> l.runStarted(table, files));
    }

    @Override
    public void fileStarted(SourceFile file) {
      listeners.forEach(l -> l.fileStarted(file));
    }

    @Override
    public void bytesRead(SourceFile file, long bytesSoFar) {
      listeners.forEach(l -> l.bytesRead(file, bytesSoFar));
    }

    @Override
    public void rowsConverted(SourceFile file, long rowsSoFar) {
      listeners.forEach(l -> l.rowsConverted(file, rowsSoFar));
    }

    @Override
    public void fileSucceeded(FileResult result) {
      listeners.forEach(l -> l.fileSucceeded(result));
    }

    @Override
    public void fileFailed(FileResult result) {
      listeners.forEach(l -> l.fileFailed(result));
    }

    @Override
    public void runFinished(PipelineResult result) {
      listeners.forEach(l -> l.runFinished(result));
    }
  }

  /** Builds a {@link Pipeline}; source, converter, sink, catalog and table are required. */
  public static final class Builder {
    private Source source;
    private Converter converter;
    private Sink sink;
    private Catalog catalog;
    private TableId table;
    private final List<PipelineListener> listeners = new ArrayList<>();
    private int parallelism = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    public Builder source(Source source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder converter(Converter converter) {
      this.converter = Objects.requireNonNull(converter, "converter");
      return this;
    }

    public Builder sink(Sink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    public Builder catalog(Catalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    public Builder table(TableId table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** Adds a listener; listeners are told in the order they were added. */
    public Builder listener(PipelineListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** How many files are processed at once; default: the number of processors. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /** @throws IllegalStateException naming every missing setting */
    public Pipeline build() {
      List<String> missing = new ArrayList<>();
      if (source == null) {
        missing.add("source");
      }
      if (converter == null) {
        missing.add("converter");
      }
      if (sink == null) {
        missing.add("sink");
      }
      if (catalog == null) {
        missing.add("catalog");
      }
      if (table == null) {
        missing.add("table");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Cannot build Pipeline: " + String.join(", ", missing)
            + (missing.size() == 1 ? " is" : " are") + " missing");
      }
      return new Pipeline(this);
    }
  }
}
