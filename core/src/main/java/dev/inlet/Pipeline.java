package dev.inlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * PipelineResult result = pipeline.run().throwIfFailed(); // a failed file is an exception, not a log line
 * }</pre>
 *
 * <p>A pipeline is immutable configuration, reusable and thread-safe; each {@link #run()} opens and closes what it
 * needs. Per file, a run: opens the bytes, converts them into staged outputs, checks the schema with the catalog,
 * commits the outputs (partitioned ones into a new version folder), repoints the partitions in the catalog, then
 * removes the files the commit replaced. Files run in parallel up to {@link Builder#parallelism(int)} (on threads the
 * run makes, or on the caller's {@link Builder#executor}). A failing
 * file fails alone: its staged outputs are aborted, so nothing of it becomes visible, and the other files go on.
 * The catalog is only ever told about committed data.
 *
 * <p>With a {@link Builder#stateStore(StateStore) state store}, a file that did not change since its last ingest
 * is skipped: without any request when the listing's version (e.g. the portal's last-modified time and size)
 * equals the recorded one, else with a conditional request ({@code If-None-Match}/{@code If-Modified-Since})
 * answered "not modified", else after downloading when the bytes' SHA-256 equals the recorded one (then nothing is
 * written). A changed converter fingerprint re-ingests everything; {@link Builder#fullRefresh()} ignores the state.
 * A file failing with an {@link IOException} (network, storage) is retried from the start as its
 * {@linkplain Builder#retryPolicy(RetryPolicy) retry policy} says (2 attempts in all by default).
 *
 * <p>The state is only trusted while the catalog serves it: a source recorded as ingested whose partition is
 * missing from the catalog (or whose data files are gone from a local lake) is ingested again, never reported
 * "unchanged". A re-publication that would replace a partition with far fewer rows (fewer than half by default,
 * and always 0 rows) fails before anything is replaced, unless allowed ({@link Builder#shrinkGuard(double)},
 * {@link Builder#allowShrink()}). Failed files log at WARN, a run with failures ends with an ERROR line; use
 * {@link PipelineResult#throwIfFailed()} to turn failures into an exception.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  /** A file's attempts: 2, 100..200 ms before the second, doubling up to 1..2 s. */
  static final RetryPolicy DEFAULT_RETRY = RetryPolicy.builder()
      .attempts(2)
      .backoff(Duration.ofMillis(200), Duration.ofSeconds(2))
      .jitter(RetryPolicy.Jitter.EQUAL)
      .build();

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
  /** Partition parameter with the source's size as listed. */
  public static final String PARAM_SOURCE_SIZE = "inlet.source.size";
  /** Partition parameter with the ETag the transport reported with the bytes. */
  public static final String PARAM_FETCHED_ETAG = "inlet.fetched.etag";
  /** Partition parameter with the Last-Modified time the transport reported with the bytes (ISO-8601). */
  public static final String PARAM_FETCHED_LAST_MODIFIED = "inlet.fetched.last_modified";
  /** Partition parameter with the length the transport reported with the bytes. */
  public static final String PARAM_FETCHED_SIZE = "inlet.fetched.size";
  /** Partition parameter with the hex SHA-256 of the source bytes ingested. */
  public static final String PARAM_SHA256 = "inlet.source.sha256";
  /** Partition parameter with the fingerprint of the converter that wrote the data. */
  public static final String PARAM_CONVERTER = "inlet.converter";
  /** Partition parameter with when the data was ingested (ISO-8601). */
  public static final String PARAM_INGESTED_AT = "inlet.ingested_at";
  /**
   * Partition parameter with the number of rows the partition holds (the rows its source file wrote into it); read
   * by the shrink guard. Partitions registered before it existed have none: the guard then knows only whether a
   * re-publication is empty.
   */
  public static final String PARAM_ROWS = "inlet.rows";
  /** The default of {@link Builder#shrinkGuard(double)}: a partition may not lose more than half of its rows. */
  public static final double DEFAULT_SHRINK_GUARD = 0.5;

  private final Source source;
  private final Converter converter;
  private final Sink sink;
  private final Catalog catalog;
  private final TableId table;
  private final List<PipelineListener> listeners;
  private final int parallelism;
  /** The most threads converting at once over all files of a run, shared by the files running at once. */
  private final int converterThreads;
  /** The caller's executor for the files, or null: the run makes its own daemon threads. */
  private final java.util.concurrent.Executor executor;

  private final StateStore stateStore;
  private final boolean fullRefresh;
  private final RetryPolicy retry;
  private final double shrinkGuard; // 0: any shrink allowed, even to 0 rows

  private Pipeline(Builder b) {
    this.shrinkGuard = b.shrinkGuard;
    this.stateStore = b.stateStore;
    this.fullRefresh = b.fullRefresh;
    this.retry = b.retry;
    this.source = b.source;
    this.converter = b.converter;
    this.sink = b.sink;
    this.catalog = b.catalog;
    this.table = b.table;
    this.listeners = List.copyOf(b.listeners);
    this.parallelism = b.parallelism;
    this.converterThreads = b.converterThreads;
    this.executor = b.executor;
  }

  /**
   * A new builder; source, converter, sink, catalog and table are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every setting of this pipeline, to derive a pipeline that differs in some.
   *
   * @return a new builder with this pipeline's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder()
        .source(source)
        .converter(converter)
        .sink(sink)
        .catalog(catalog)
        .table(table)
        .parallelism(parallelism)
        .converterThreads(converterThreads)
        .retryPolicy(retry);
    b.listeners.addAll(listeners);
    b.stateStore = stateStore;
    b.fullRefresh = fullRefresh;
    b.executor = executor;
    b.shrinkGuard = shrinkGuard;
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
      throw new SourceUnavailableException(
          "Cannot list source files for " + table + ": " + e.getMessage(), e);
    }
    PipelineListener listener = new Fanout(listeners);
    listener.runStarted(table, files);
    LOG.debug(
        "Running {} file(s) into {} at {} with parallelism {}",
        files.size(),
        table,
        sink.location(table),
        parallelism);

    List<FileResult> results = new ArrayList<>(files.size());
    if (!files.isEmpty()) {
      int workers = Math.min(parallelism, files.size());
      // One thread budget: the files running at once share the converter threads, instead of each
      // taking the
      // converter's own number (which multiplied with the parallelism)
      Converter shared = converter.withThreads(Math.max(1, converterThreads / workers));
      Pipeline effective =
          shared == converter ? this : toBuilder().converter(shared).build();
      ExecutorService own =
          executor == null ? Executors.newFixedThreadPool(workers, daemonThreads()) : null;
      java.util.concurrent.Executor pool = own != null ? own : executor;
      // Partition values -> the source file writing them in this run (the catalog only knows
      // finished ones).
      ConcurrentMap<List<String>, SourceFile> claims = new ConcurrentHashMap<>();
      // `workers` tasks take the files in order, so at most `parallelism` run at once on any
      // executor, and none
      // of them waits for another (a caller's executor may be shared)
      FileResult[] done = new FileResult[files.size()];
      AtomicInteger next = new AtomicInteger();
      List<java.util.concurrent.FutureTask<Void>> tasks = new ArrayList<>();
      try {
        for (int w = 0; w < workers; w++) {
          java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            for (int i = next.getAndIncrement();
                i < done.length && !Thread.currentThread().isInterrupted();
                i = next.getAndIncrement()) {
              done[i] = effective.process(files.get(i), listener, claims);
            }
            return null;
          });
          tasks.add(task);
          pool.execute(task);
        }
        for (java.util.concurrent.FutureTask<Void> task : tasks) {
          await(task);
        }
      } finally {
        for (java.util.concurrent.FutureTask<Void> task : tasks) {
          task.cancel(true);
        }
        if (own != null) {
          own.shutdownNow();
        }
      }
      for (FileResult r : done) {
        if (r == null) {
          throw new InletException(
              "Cannot finish the pipeline run: a file was not processed (interrupted)");
        }
        results.add(r);
      }
    }
    if (results.stream().anyMatch(FileResult::succeeded)) {
      try {
        catalog.flush(table);
      } catch (InletException e) {
        throw new InletException(
            "Cannot finish registering " + table + ": " + e.getMessage()
                + ". The data files are committed at " + sink.location(table)
                + "; re-running registers them.",
            e);
      }
    }
    PipelineResult result = new PipelineResult(
        table, sink.location(table), results, Duration.ofNanos(System.nanoTime() - start));
    if (result.failures().isEmpty()) {
      LOG.info(
          "{}; {} bytes in, {} bytes out in {} ms",
          result.summary(),
          result.bytesIn(),
          result.bytesOut(),
          result.duration().toMillis());
    } else {
      LOG.error(
          "{}; failed: {}",
          result.summary(),
          result.failures().stream()
              .map(f -> loggable(f.file().name()))
              .collect(java.util.stream.Collectors.joining(", ")));
    }
    listener.runFinished(result);
    return result;
  }

  private FileResult process(
      SourceFile file, PipelineListener listener, ConcurrentMap<List<String>, SourceFile> claims) {
    long start = System.nanoTime();
    listener.fileStarted(file);
    FileResult result;
    // One download for all attempts: a deadline of the transport holds for the file, not again per
    // attempt.
    SourceFile.Opener download = file.opener().oneDownload();
    long deadline = retry
        .deadline()
        .map(d -> start + Math.min(d.toNanos(), Long.MAX_VALUE / 4))
        .orElse(0L);
    for (int attempt = 1; ; attempt++) {
      result = attempt(file, download, listener, start, claims);
      if (result.succeeded() || attempt >= retry.attempts() || !retryable(result.error())) {
        break;
      }
      Duration delay = retry.delay(attempt);
      if (retry.deadline().isPresent() && deadline - System.nanoTime() - delay.toNanos() <= 0) {
        LOG.debug(
            "Not retrying {}: its retry deadline of {} would pass",
            file.name(),
            retry.deadline().get());
        break;
      }
      LOG.debug(
          "Retrying {} (attempt {} of {}) after {}",
          file.name(),
          attempt + 1,
          retry.attempts(),
          result.error().toString());
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (result.skipped()) {
      LOG.debug("Skipped {}: {}", file.name(), result.skipReason());
      listener.fileSkipped(result);
    } else if (result.succeeded()) {
      LOG.info(
          "Ingested {} into {}: {} rows ({} rejected), {} -> {} bytes, {} partition(s), {} ms",
          loggable(file.name()),
          table,
          result.rowsOut(),
          result.rowsRejected(),
          result.bytesIn(),
          result.bytesOut(),
          result.partitions().size(),
          result.duration().toMillis());
      listener.fileSucceeded(result);
    } else {
      LOG.warn(
          "Failed to ingest {} into {}: {}",
          loggable(file.name()),
          table,
          loggable(result.error().toString()));
      LOG.debug("Failure of {}", loggable(file.name()), result.error());
      listener.fileFailed(result);
    }
    return result;
  }

  /**
   * {@code text} (names and messages from a source, e.g. a portal) with control characters (C0 incl. CR and ESC, DEL,
   * C1) replaced by {@code ?}, so that a log line printed to a terminal cannot carry escape sequences or forge lines.
   */
  static String loggable(String text) {
    return text == null ? null : CONTROL.matcher(text).replaceAll("?");
  }

  private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cc}");

  /** Whether a failure is worth retrying the whole file: I/O (network, storage), not bad input or a conflict. */
  private static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InletException && !(t instanceof SourceUnavailableException)) {
        return false;
      }
      if (t instanceof java.io.InterruptedIOException) {
        return false;
      }
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private FileResult attempt(
      SourceFile file,
      SourceFile.Opener download,
      PipelineListener listener,
      long start,
      ConcurrentMap<List<String>, SourceFile> claims) {
    CountingInputStream counted = null;
    try {
      String fingerprint = fingerprint(converter);
      SourceState prior = null;
      List<String> unreferenced =
          List.of(); // files the state records but the catalog lost: removed once healed
      if (stateStore != null && !fullRefresh) {
        prior = stateStore
            .get(table, file.id())
            .filter(s -> fingerprint.equals(s.converter()))
            .orElse(null);
        String unserved = prior == null ? null : unserved(prior);
        if (unserved != null) {
          LOG.info(
              "Ingesting {} into {} again: the state says it was ingested {}, but {}",
              loggable(file.name()),
              table,
              prior.ingestedAt(),
              unserved);
          unreferenced = prior.files();
          prior = null;
        }
      }
      SourceState recorded =
          prior; // what this source last wrote, while served: the guards without a catalog
      if (prior != null && !inItsPartition(file, prior)) {
        // the same bytes, now listed in another partition: ingest them there (the guards see the
        // old partition)
        LOG.info(
            "Ingesting {} into {} again: it is now listed in partition {}, not where it was ingested {}",
            loggable(file.name()),
            table,
            Layout.partitionPath(file.partition()),
            prior.ingestedAt());
        prior = null;
      }
      if (prior != null && sameListing(file.version(), prior.listed())) {
        return FileResult.skipped(
            file,
            0,
            since(start),
            "unchanged: the listing shows the same version as" + " ingested " + prior.ingestedAt());
      }
      InputStream raw;
      if (prior != null
          && (prior.fetched().etag() != null || prior.fetched().lastModified() != null)) {
        raw = download.openIfChanged(prior.fetched());
        if (raw == null) {
          return FileResult.skipped(
              file, 0, since(start), "unchanged: the source answered not modified");
        }
      } else {
        raw = download.open(0);
      }
      MessageDigest sha = sha256();
      ConversionResult conversion;
      List<DataFile> committed;
      SourceVersion fetched;
      try (InputStream in = raw;
          Staging staging = new PathNaming(sink.stage(table, file))) {
        counted = new CountingInputStream(
            new DigestInputStream(in, sha), n -> listener.bytesRead(file, n));
        conversion =
            converter.convert(file, counted, staging, rows -> listener.rowsConverted(file, rows));
        counted.transferTo(
            OutputStream.nullOutputStream()); // hash every byte, even past what was converted
        String digest = HexFormat.of().formatHex(sha.digest());
        fetched = raw instanceof SourceFile.VersionedStream v ? v.version() : SourceVersion.UNKNOWN;
        if (prior != null && digest.equals(prior.sha256())) {
          staging.abort();
          stateStore.put(
              table,
              new SourceState(
                  file.id(),
                  file.version(),
                  fetched,
                  digest,
                  fingerprint,
                  prior.files(),
                  prior.ingestedAt(),
                  prior.rows()));
          return FileResult.skipped(
              file,
              counted.count(),
              since(start),
              "unchanged: the bytes have the SHA-256 ingested " + prior.ingestedAt());
        }
        List<String> keys = partitionKeys(file, conversion);
        // Ask the catalog first, so a schema it would reject aborts the file before anything
        // becomes visible.
        catalog.check(registration(conversion.schema(), keys).build());
        // The partitions as the catalog has them now, read once: the guards check against them, the
        // registration
        // repoints only by compare-and-set against their locations, and this run deletes only those
        // folders, once it
        // swapped them out.
        Map<List<String>, Partition> current = new LinkedHashMap<>();
        currentPartitions().forEach(p -> current.put(p.values(), p));
        requireOwnPartitions(file, conversion, claims, current);
        List<List<String>> emptied = requireNoShrink(file, conversion, current);
        requireNoUnpartitionedShrink(file, conversion, recorded);
        Map<List<String>, String> read = new LinkedHashMap<>();
        current.forEach((values, p) -> read.put(values, p.location()));
        committed = staging.commit();
        Instant now = Instant.now();
        TableRegistration.Builder reg = withPartitions(
            file, conversion, committed, provenance(file, fetched, digest, fingerprint, now));
        List<String> replaced = new ArrayList<>();
        for (Map<String, String> written : partitionsOf(committed)) {
          List<String> values = List.copyOf(written.values());
          if (written.isEmpty()) {
            continue;
          } else if (read.containsKey(values)) {
            reg.expectLocation(values, read.get(values));
            replaced.add(read.get(values));
          } else {
            reg.expectAbsent(values);
          }
        }
        for (String f : unreferenced) {
          String folder = f.substring(0, f.lastIndexOf('/') + 1);
          if (!read.containsValue(folder)
              && !replaced.contains(folder)
              && Layout.isVersionDir(folder.substring(
                  folder.lastIndexOf('/', folder.length() - 2) + 1, folder.length() - 1))) {
            replaced.add(
                folder); // a version folder of this source that the catalog no longer references
          }
        }
        try {
          catalog.register(reg.build());
        } catch (CommitConflictException e) {
          try {
            staging.removeCommitted(); // nothing references this run's new folders: the catalog
            // refused them
          } catch (IOException | RuntimeException cleanup) {
            e.addSuppressed(cleanup);
          }
          throw e;
        }
        if (catalog instanceof NoCatalog) {
          // no catalog stops serving an emptied partition: its files are the table, so they go
          emptied.forEach(values -> replaced.add(read.get(values)));
        }
        staging.removeReplaced(replaced);
        removeEmptied(file, emptied);
        if (stateStore != null) {
          stateStore.put(
              table,
              new SourceState(
                  file.id(),
                  file.version(),
                  fetched,
                  digest,
                  fingerprint,
                  committed.stream().map(DataFile::location).toList(),
                  now,
                  rowsByFolder(conversion)));
        }
      }
      return FileResult.builder(file)
          .rows(conversion.rowsIn(), conversion.rowsOut())
          .bytesIn(counted.count())
          .bytesOut(committed.stream().mapToLong(DataFile::sizeBytes).sum())
          .partitions(partitionsOf(committed))
          .dataFiles(committed)
          .duration(since(start))
          .rowsRejected(Math.max(0, conversion.rowsIn() - conversion.rowsOut()))
          .build();
    } catch (VirtualMachineError e) {
      throw e; // out of memory or a broken JVM: not this file's failure, and the next file would
      // fail alike
    } catch (Exception | Error e) {
      return FileResult.failed(file, counted == null ? 0 : counted.count(), since(start), e);
    }
  }

  /**
   * Fails if a partition this file wrote holds another source's data, registered before or being written by another
   * file of this run: the catalog points a partition at one version folder of one source, so two sources in one
   * partition would hide each other.
   */
  private void requireOwnPartitions(
      SourceFile file,
      ConversionResult conversion,
      ConcurrentMap<List<String>, SourceFile> claims,
      Map<List<String>, Partition> existing) {
    if (conversion.rowsByPartition().keySet().stream().allMatch(Map::isEmpty)) {
      return;
    }
    for (Map<String, String> written : conversion.rowsByPartition().keySet()) {
      SourceFile other = claims.putIfAbsent(List.copyOf(written.values()), file);
      if (other != null && !other.id().equals(file.id())) {
        throw sharedPartition(file, written, other.id(), other.name());
      }
    }
    for (Map<String, String> written : conversion.rowsByPartition().keySet()) {
      Partition p = existing.get(List.copyOf(written.values()));
      String owner = p == null ? null : p.parameters().get(PARAM_SOURCE_ID);
      if (owner != null && !owner.equals(file.id())) {
        throw sharedPartition(
            file, written, owner, p.parameters().getOrDefault(PARAM_SOURCE_NAME, owner));
      }
    }
  }

  /**
   * Why the catalog does not serve what {@code prior} records as ingested, or null if it does: the table or a
   * partition holding a recorded file is missing, or (for files on this machine) a recorded file or folder is
   * gone. A state without files (the source had no rows) is served by definition.
   *
   * @throws InletException if the catalog cannot be read (e.g. a damaged local catalog file); its message says
   *     what to do
   */
  private String unserved(SourceState prior) {
    if (prior.files().isEmpty()) {
      return null;
    }
    if (catalog instanceof NoCatalog) {
      return gone(prior.files()); // the files are the table
    }
    Optional<Table> t = catalog.loadTable(table);
    if (t.isEmpty()) {
      return "the catalog has no table " + table;
    }
    List<Partition> partitions =
        t.get().partitionKeys().isEmpty() ? List.of() : catalog.partitions(table);
    for (String f : prior.files()) {
      boolean cataloged = t.get().partitionKeys().isEmpty()
          ? f.startsWith(t.get().location())
          : partitions.stream().anyMatch(p -> f.startsWith(p.location()));
      if (!cataloged) {
        return "the catalog has no partition holding " + f;
      }
    }
    return gone(prior.files());
  }

  /** Whether every file {@code prior} records lies in the partition {@code file} is listed in now (if any). */
  private boolean inItsPartition(SourceFile file, SourceState prior) {
    if (file.partition().isEmpty()) {
      return true;
    }
    String folder = sink.location(table, file.partition());
    return prior.files().stream().allMatch(f -> f.startsWith(folder));
  }

  /** Which of {@code files} on this machine is gone, or null if none is (others are trusted). */
  private static String gone(List<String> files) {
    for (String f : files) {
      // a file of another machine or store (s3://) cannot be checked here: trust the catalog
      Optional<Path> local = dev.inlet.internal.LocalLocations.path(f);
      if (local.isPresent() && !Files.exists(local.get())) {
        return f + " is gone";
      }
    }
    return null;
  }

  /**
   * The shrink guard, before anything is committed: fails if a partition this file writes would go from the rows
   * the catalog records ({@value #PARAM_ROWS}) to fewer than {@link Builder#shrinkGuard(double)} of them, or if a
   * partition of this source is not written by the file at all (a header-only re-publication, or a file whose rows
   * no longer reach a year it had: the old rows would otherwise stay served as if current). A partition without a
   * recorded row count (registered before the parameter existed, or by a crawler) is only checked against 0 rows.
   *
   * @return the partitions (values) to remove from the catalog because the source, allowed to, no longer has them
   */
  private List<List<String>> requireNoShrink(
      SourceFile file, ConversionResult conversion, Map<List<String>, Partition> existing) {
    if (existing.isEmpty()) {
      return List.of();
    }
    Set<List<String>> written = new LinkedHashSet<>();
    conversion.rowsByPartition().forEach((p, rows) -> {
      if (rows > 0) {
        written.add(List.copyOf(p.values()));
      }
    });
    List<String> own = List.copyOf(file.partition().values());
    List<Partition> dropped = existing.values().stream()
        .filter(p -> !written.contains(p.values()))
        .filter(p -> {
          String owner = p.parameters().get(PARAM_SOURCE_ID);
          return file.id().equals(owner)
              || (owner == null && !own.isEmpty() && own.equals(p.values()));
        })
        .toList();
    if (shrinkGuard == 0) {
      return dropped.stream().map(Partition::values).toList();
    }
    List<String> shrinking = new ArrayList<>();
    dropped.forEach(p -> shrinking.add(describe(p) + " to 0 rows"));
    for (Map.Entry<Map<String, String>, Long> w : conversion.rowsByPartition().entrySet()) {
      Partition p = existing.get(List.copyOf(w.getKey().values()));
      Long now = p == null ? null : rows(p);
      if (now != null && w.getValue() > 0 && w.getValue() < shrinkGuard * now) {
        shrinking.add(describe(p) + " to "
            + String.format(java.util.Locale.ROOT, "%,d", w.getValue()) + " rows");
      } else if (p != null && now == null) {
        LOG.debug(
            "Partition {} of {} records no row count ({}); only a partition left without rows is refused",
            p.values(),
            table,
            PARAM_ROWS);
      }
    }
    if (shrinking.isEmpty()) {
      return List.of();
    }
    throw shrinks(file, conversion, shrinking);
  }

  /** The rows a conversion wrote per partition folder path ({@code ""} when unpartitioned), as states record them. */
  private static Map<String, Long> rowsByFolder(ConversionResult conversion) {
    Map<String, Long> rows = new LinkedHashMap<>();
    conversion
        .rowsByPartition()
        .forEach((p, n) -> rows.merge(Layout.partitionPath(p), n, Long::sum));
    return rows;
  }

  /**
   * An unpartitioned table has no partition that records its rows, so the shrink guard compares the file's rows with
   * the rows the state store recorded this source wrote there ({@link SourceState#rows()}; with or without a
   * catalog): a re-publication with far fewer rows (or an error body shaped like a small CSV) fails before anything
   * is replaced. States that recorded no rows (older ones, {@code CatalogStateStore}) are not checked.
   */
  private void requireNoUnpartitionedShrink(
      SourceFile file, ConversionResult conversion, SourceState recorded) {
    if (recorded == null || shrinkGuard == 0) {
      return;
    }
    Long before = recorded.rows().get("");
    if (before == null
        || before == 0
        || !conversion.rowsByPartition().keySet().stream().allMatch(Map::isEmpty)) {
      return; // not known, or the table is partitioned now
    }
    long now = conversion.rowsByPartition().getOrDefault(Map.of(), 0L);
    if (now < shrinkGuard * before || now == 0) {
      throw shrinks(
          file,
          conversion,
          List.of(String.format(
              java.util.Locale.ROOT, "the table from %,d rows to %,d rows", before, now)));
    }
  }

  private InletException shrinks(
      SourceFile file, ConversionResult conversion, List<String> changes) {
    String why = conversion.rowsOut() == 0
        ? "the file has no rows to write (" + conversion.rowsIn() + " data record(s) read)"
        : String.format(
            java.util.Locale.ROOT,
            "fewer than %.0f %% of the rows %s now (the shrink guard)",
            shrinkGuard * 100,
            changes.size() == 1 ? "it holds" : "they hold");
    return new InletException(
        "Cannot ingest " + file.name() + " into " + table + ": it would shrink "
            + String.join(", ", changes) + ", " + why
            + "; nothing was replaced, the catalog serves the rows it served"
            + " before. If the source really shrank, allow it (Pipeline.Builder.allowShrink(), or --allow-shrink)");
  }

  private String describe(Partition p) {
    Long rows = rows(p);
    return "partition " + partitionName(p)
        + (rows == null
            ? ""
            : " from " + String.format(java.util.Locale.ROOT, "%,d", rows) + " rows");
  }

  private String partitionName(Partition p) {
    if (catalog instanceof NoCatalog) {
      // the folder is the partition: its path below the table's location, as written
      String root = sink.location(table);
      String loc = p.location();
      return loc.startsWith(root) ? loc.substring(root.length(), loc.length() - 1) : loc;
    }
    Map<String, String> kv = new LinkedHashMap<>();
    List<Column> keys = catalog.loadTable(table).map(Table::partitionKeys).orElse(List.of());
    for (int i = 0; i < p.values().size(); i++) {
      kv.put(i < keys.size() ? keys.get(i).name() : "partition_" + i, p.values().get(i));
    }
    return Layout.partitionPath(kv);
  }

  private static Long rows(Partition p) {
    String rows = p.parameters().get(PARAM_ROWS);
    try {
      return rows == null ? null : Long.valueOf(rows);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The table's partitions as the catalog has them; without a catalog ({@link Catalog#none()}), as the state store
   * records them: each folder holding a file some source's state lists, owned by that source (so that the guards and
   * the removal of replaced files work from what was written).
   */
  private List<Partition> currentPartitions() {
    if (!(catalog instanceof NoCatalog)) {
      return catalog.partitions(table);
    }
    String root = sink.location(table);
    Map<String, Partition> byFolder = new LinkedHashMap<>();
    for (SourceState s : stateStore.all(table)) {
      for (String f : s.files()) {
        String folder = f.substring(0, f.lastIndexOf('/') + 1);
        if (!folder.startsWith(root) || folder.equals(root)) {
          continue; // an unpartitioned table or a file elsewhere: no partition to guard
        }
        List<String> values = new ArrayList<>();
        for (String segment :
            folder.substring(root.length(), folder.length() - 1).split("/")) {
          int eq = segment.indexOf('=');
          values.add(dev.inlet.internal.PartitionValues.unescape(
              eq < 0 ? segment : segment.substring(eq + 1)));
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put(PARAM_SOURCE_ID, s.sourceId());
        params.put(PARAM_SOURCE_NAME, s.sourceId());
        Long rows = s.rows().get(folder.substring(root.length(), folder.length() - 1));
        if (rows != null) {
          params.put(PARAM_ROWS, Long.toString(rows)); // the shrink guard's count without a catalog
        }
        byFolder.putIfAbsent(folder, new Partition(values, folder, params));
      }
    }
    return List.copyOf(byFolder.values());
  }

  /** Removes the partitions a source emptied (allowed by {@link Builder#allowShrink()}) from the catalog. */
  private void removeEmptied(SourceFile file, List<List<String>> emptied) {
    if (emptied.isEmpty()) {
      return;
    }
    try {
      catalog.removePartitions(table, emptied);
    } catch (UnsupportedOperationException e) {
      throw new InletException(
          "Cannot empty the partitions " + emptied + " of " + table + " that " + file.name()
              + " no longer has rows for: " + e.getMessage()
              + "; remove them from the catalog by hand",
          e);
    }
    LOG.info(
        "Removed partition(s) {} of {} from the catalog: {} has no rows for them any more (shrink allowed)",
        emptied,
        table,
        file.name());
  }

  private InletException sharedPartition(
      SourceFile file, Map<String, String> partition, String ownerId, String ownerName) {
    return new InletException("Cannot ingest " + file.name() + " into " + table + ": partition "
        + Layout.partitionPath(partition) + " holds the data of source " + ownerId + " ("
        + ownerName + "); a"
        + " partition holds one source file so that it can be replaced atomically; partition the table so that"
        + " sources do not share partitions");
  }

  private static boolean sameListing(SourceVersion now, SourceVersion recorded) {
    if (now.etag() == null && now.lastModified() == null) {
      return false; // the listing cannot tell versions apart
    }
    return now.equals(recorded);
  }

  /** A short, stable fingerprint of the converter: 16 hex digits of the SHA-256 of {@link Converter#fingerprint()}. */
  static String fingerprint(Converter converter) {
    byte[] d =
        sha256().digest(converter.fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private TableRegistration.Builder registration(Schema schema, List<String> partitionKeys) {
    return TableRegistration.builder()
        .table(table)
        .location(sink.location(table))
        .schema(schema)
        .partitionKeys(partitionKeys);
  }

  private TableRegistration.Builder withPartitions(
      SourceFile file,
      ConversionResult conversion,
      List<DataFile> committed,
      Map<String, String> params) {
    TableRegistration.Builder reg =
        registration(conversion.schema(), partitionKeys(file, conversion));
    Map<Map<String, String>, String> locations = new LinkedHashMap<>();
    for (DataFile f : committed) {
      if (!f.partition().isEmpty()) {
        locations.putIfAbsent(
            f.partition(), f.location().substring(0, f.location().lastIndexOf('/') + 1));
      }
    }
    locations.forEach((partition, location) -> {
      Map<String, String> withRows = new LinkedHashMap<>(params);
      Long rows = conversion.rowsByPartition().get(partition);
      if (rows != null) {
        withRows.put(PARAM_ROWS, rows.toString());
      }
      reg.addPartition(new Partition(new ArrayList<>(partition.values()), location, withRows));
    });
    return reg;
  }

  /**
   * The partition keys of what was written; when nothing was (a header-only file), the table's keys if it has
   * any (so that the shrink guard, not the catalog's key check, says the file has no rows), else the source's.
   */
  private List<String> partitionKeys(SourceFile file, ConversionResult conversion) {
    Set<List<String>> keySets = new LinkedHashSet<>();
    for (Map<String, String> p : conversion.rowsByPartition().keySet()) {
      keySets.add(List.copyOf(p.keySet()));
    }
    if (keySets.size() > 1) {
      throw new InletException(
          "Cannot register " + file.name() + ": its partitions use different keys " + keySets
              + "; every output of a table must use the same partition keys");
    }
    if (!keySets.isEmpty()) {
      return keySets.iterator().next();
    }
    List<String> tableKeys = catalog
        .loadTable(table)
        .map(t -> t.partitionKeys().stream().map(Column::name).toList())
        .orElse(List.of());
    return tableKeys.isEmpty() ? List.copyOf(file.partition().keySet()) : tableKeys;
  }

  private static List<Map<String, String>> partitionsOf(List<DataFile> files) {
    Set<Map<String, String>> seen = new LinkedHashSet<>();
    for (DataFile f : files) {
      seen.add(f.partition());
    }
    return List.copyOf(seen);
  }

  private static Map<String, String> provenance(
      SourceFile file, SourceVersion fetched, String sha256, String fingerprint, Instant now) {
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
    if (v.size() != null) {
      params.put(PARAM_SOURCE_SIZE, v.size().toString());
    }
    if (fetched.etag() != null) {
      params.put(PARAM_FETCHED_ETAG, fetched.etag());
    }
    if (fetched.lastModified() != null) {
      params.put(PARAM_FETCHED_LAST_MODIFIED, fetched.lastModified().toString());
    }
    if (fetched.size() != null) {
      params.put(PARAM_FETCHED_SIZE, fetched.size().toString());
    }
    params.put(PARAM_SHA256, sha256);
    params.put(PARAM_CONVERTER, fingerprint);
    params.put(PARAM_INGESTED_AT, now.toString());
    return params;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InletException("Cannot finish the pipeline run: interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof VirtualMachineError vm) {
        throw vm; // an OutOfMemoryError stays one: the caller may handle it, and no file result
        // hides it
      }
      // process() catches everything else; this is a bug, not an input problem.
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

  /**
   * Fans events out to every listener in order. A listener that throws is reported once at WARN and otherwise
   * ignored: showing progress must never fail, interrupt or half-commit the ingestion it reports on.
   */
  private static final class Fanout implements PipelineListener {
    private final List<PipelineListener> listeners;
    private final Set<PipelineListener> warned = ConcurrentHashMap.newKeySet();

    Fanout(List<PipelineListener> listeners) {
      this.listeners = listeners;
    }

    private void tell(java.util.function.Consumer<PipelineListener> event) {
      for (PipelineListener l : listeners) {
        try {
          event.accept(l);
        } catch (RuntimeException e) {
          if (warned.add(l)) {
            LOG.warn(
                "Listener {} threw; its exceptions are ignored (logged once per listener): {}",
                l,
                e.toString(),
                e);
          }
        }
      }
    }

    @Override
    public void runStarted(TableId table, List<SourceFile> files) {
      tell(l -> l.runStarted(table, files));
    }

    @Override
    public void fileStarted(SourceFile file) {
      tell(l -> l.fileStarted(file));
    }

    @Override
    public void bytesRead(SourceFile file, long bytesSoFar) {
      tell(l -> l.bytesRead(file, bytesSoFar));
    }

    @Override
    public void rowsConverted(SourceFile file, long rowsSoFar) {
      tell(l -> l.rowsConverted(file, rowsSoFar));
    }

    @Override
    public void fileSucceeded(FileResult result) {
      tell(l -> l.fileSucceeded(result));
    }

    @Override
    public void fileSkipped(FileResult result) {
      tell(l -> l.fileSkipped(result));
    }

    @Override
    public void fileFailed(FileResult result) {
      tell(l -> l.fileFailed(result));
    }

    @Override
    public void runFinished(PipelineResult result) {
      tell(l -> l.runFinished(result));
    }
  }

  /**
   * A staging that names the location being written in its I/O errors ("No space left on device" alone does not say
   * where), keeping them {@link IOException}s so that they are retried as before.
   */
  private final class PathNaming implements Staging {
    private final Staging delegate;

    PathNaming(Staging delegate) {
      this.delegate = delegate;
    }

    @Override
    public OutputStream newOutput(Map<String, String> partition) throws IOException {
      String where = sink.location(table, partition);
      try {
        return new NamingOutputStream(delegate.newOutput(partition), where);
      } catch (IOException e) {
        throw named("open an output in", where, e);
      }
    }

    @Override
    public OutputStream newRejectsOutput() throws IOException {
      String where = sink.location(table) + Layout.REJECTS_DIR + "/";
      try {
        return new NamingOutputStream(delegate.newRejectsOutput(), where);
      } catch (IOException e) {
        throw named("open an output in", where, e);
      }
    }

    @Override
    public List<DataFile> commit() throws IOException {
      try {
        return delegate.commit();
      } catch (IOException e) {
        throw named("commit the outputs in", sink.location(table), e);
      }
    }

    @Override
    public void removeReplaced() throws IOException {
      try {
        delegate.removeReplaced();
      } catch (IOException e) {
        throw named("remove replaced files in", sink.location(table), e);
      }
    }

    @Override
    public void removeReplaced(java.util.Collection<String> replaced) throws IOException {
      try {
        delegate.removeReplaced(replaced);
      } catch (IOException e) {
        throw named("remove replaced files in", sink.location(table), e);
      }
    }

    @Override
    public void removeCommitted() throws IOException {
      try {
        delegate.removeCommitted();
      } catch (IOException e) {
        throw named("remove the files committed in", sink.location(table), e);
      }
    }

    @Override
    public void abort() {
      delegate.abort();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** An output stream whose I/O errors name where it writes. */
  private static final class NamingOutputStream extends java.io.FilterOutputStream {
    private final String where;

    NamingOutputStream(OutputStream out, String where) {
      super(out);
      this.where = where;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw named("write to", where, e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw named("write to", where, e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw named("write to", where, e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } catch (IOException e) {
        throw named("finish writing to", where, e);
      }
    }
  }

  /**
   * {@code e} with the location in its message; interruptions (never retried) and file-system errors (which name
   * their path already) are returned as they are.
   */
  private static IOException named(String verb, String where, IOException e) {
    if (e instanceof java.io.InterruptedIOException
        || e instanceof java.nio.file.FileSystemException
        || (e.getMessage() != null && e.getMessage().startsWith("Cannot "))) {
      return e;
    }
    return new IOException("Cannot " + verb + " " + where + ": " + e.getMessage(), e);
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
    private int converterThreads = Runtime.getRuntime().availableProcessors();
    private java.util.concurrent.Executor executor;
    private StateStore stateStore;
    private boolean fullRefresh;
    private RetryPolicy retry = DEFAULT_RETRY;
    private double shrinkGuard = DEFAULT_SHRINK_GUARD;

    private Builder() {}

    /**
     * Fails a file, before anything is replaced, if it would replace a partition with fewer than
     * {@code minShare} of the rows the partition holds now (as its {@value Pipeline#PARAM_ROWS} parameter records),
     * or if it has no rows at all while the catalog holds partitions of this source; default
     * {@value Pipeline#DEFAULT_SHRINK_GUARD} (less than half the rows fails). {@code 1.0} refuses any shrink.
     *
     * @param minShare the least share of a partition's rows a replacement must keep
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 < minShare <= 1}
     */
    public Builder shrinkGuard(double minShare) {
      if (!(minShare > 0 && minShare <= 1)) {
        throw new IllegalArgumentException(
            "shrinkGuard must be > 0 and <= 1 (the share of a partition's rows a"
                + " re-publication must keep), or call allowShrink(): " + minShare);
      }
      this.shrinkGuard = minShare;
      return this;
    }

    /**
     * Lets a re-publication replace a partition with any number of rows, 0 included (its partitions are then
     * removed from the catalog): for sources that really shrink. Off by default.
     *
     * @return this builder
     */
    public Builder allowShrink() {
      this.shrinkGuard = 0;
      return this;
    }

    /**
     * Remembers what was ingested in {@code store} and skips unchanged source files at the next run; default: no
     * state, every run ingests every file.
     *
     * @param store the state store
     * @return this builder
     */
    public Builder stateStore(StateStore store) {
      this.stateStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Ingests every file whatever the state store says (and records the new state).
     *
     * @return this builder
     */
    public Builder fullRefresh() {
      this.fullRefresh = true;
      return this;
    }

    /**
     * How often a file failing with an I/O error (download, storage) is tried in all, from the start each time;
     * default 2. Bad input, schema and catalog conflicts are never retried. Shorthand for
     * {@link #retryPolicy(RetryPolicy)} with these attempts and the current policy's backoff.
     *
     * @param attempts tries in all, 1 or more
     * @return this builder
     */
    public Builder attempts(int attempts) {
      this.retry = retry.toBuilder().attempts(attempts).build();
      return this;
    }

    /**
     * How a file failing with an I/O error (download, storage) is tried again, from the start each time: its
     * attempts in all (default 2), the pause between them (default 100..200 ms before the second, doubling up to
     * 1..2 s, {@link RetryPolicy.Jitter#EQUAL equal jitter}) and, if set, a deadline after which no further attempt
     * of the file starts (measured from its first). Bad input, schema and catalog conflicts are never retried.
     *
     * <p>These attempts do not multiply the downloader's: an {@link dev.inlet.http.HttpDownloader} file shares
     * one request budget and one download deadline across all of them (see {@link SourceFile.Opener#oneDownload()}
     * and docs/reliability.md), so a failing download makes at most the downloader's attempts in requests
     * whatever this policy says.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where the source files come from; required.
     *
     * @param source the source
     * @return this builder
     */
    public Builder source(Source source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * How each source file becomes Parquet files; required.
     *
     * @param converter the converter
     * @return this builder
     */
    public Builder converter(Converter converter) {
      this.converter = Objects.requireNonNull(converter, "converter");
      return this;
    }

    /**
     * Where the Parquet files are written and committed; required.
     *
     * @param sink the sink
     * @return this builder
     */
    public Builder sink(Sink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Where the committed files are registered; required. {@link Catalog#none()} writes Parquet without a catalog
     * (with a sink that replaces in place).
     *
     * @param catalog the catalog
     * @return this builder
     */
    public Builder catalog(Catalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The table the files are written to and registered as; required.
     *
     * @param table the table
     * @return this builder
     */
    public Builder table(TableId table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Adds a listener; listeners are told in the order they were added.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(PipelineListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Runs the files on {@code executor} (e.g. an application's shared pool or virtual threads) instead of threads
     * the run makes and ends itself. At most {@link #parallelism} files run at once, as {@code parallelism} tasks
     * that take the files in turn; none of them blocks waiting for another. The executor stays the caller's.
     *
     * @param executor the executor that runs the files
     * @return this builder
     */
    public Builder executor(java.util.concurrent.Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The most threads converting at once over all files of a run; default: the number of processors. The files
     * running at once share them: each of {@code w} files (the {@link #parallelism}, or fewer if the run has fewer
     * files) converts on at most {@code max(1, threads / w)} threads ({@link Converter#withThreads}), so a run uses
     * at most {@code parallelism} file threads plus {@code threads} conversion threads (a file given one converts
     * on its file thread), not {@code parallelism} times the converter's own number. A lone file gets them all (up
     * to the converter's own number).
     *
     * @param threads the thread budget of the conversions, 1 or more
     * @return this builder
     */
    public Builder converterThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("converterThreads must be >= 1: " + threads);
      }
      this.converterThreads = threads;
      return this;
    }

    /**
     * How many files are processed at once; default: the number of processors.
     *
     * @param parallelism how many files at once, 1 or more
     * @return this builder
     */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Checks the settings and builds the pipeline.
     *
     * @return the pipeline
     * @throws IllegalStateException naming every missing setting, or if the catalog
     *     {@link Catalog#needsInPlaceLayout() needs} a sink that replaces in place and the sink does not
     */
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
      if (catalog instanceof NoCatalog && !sink.replacesInPlace()) {
        throw new IllegalStateException(
            "Cannot build Pipeline: with Catalog.none() the files are the table and"
                + " readers list its folders, where every version folder of the sink would show; build the sink with"
                + " replaceInPlace() (e.g. LocalWarehouse.builder().root(dir).replaceInPlace().build())");
      }
      if (catalog instanceof NoCatalog && (stateStore == null || !stateStore.listsSources())) {
        throw new IllegalStateException(
            "Cannot build Pipeline: with Catalog.none() only the state store knows which"
                + " source wrote which partition (to replace, never duplicate, a source's files and to guard shrinks);"
                + " give it one that lists its sources, e.g. stateStore(LocalStateStore.at(dir))");
      }
      if (catalog.needsInPlaceLayout() && !sink.replacesInPlace()) {
        throw new IllegalStateException(
            "Cannot build Pipeline: catalog " + catalog.getClass().getSimpleName()
                + " derives partitions from folders and would take the sink's version folders for a partition key;"
                + " build the sink with replaceInPlace() (e.g. S3Sink.builder().replaceInPlace()), or use a catalog"
                + " that records locations (GlueCatalog)");
      }
      return new Pipeline(this);
    }
  }
}
