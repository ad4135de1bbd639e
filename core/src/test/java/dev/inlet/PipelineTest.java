package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ForwardingStaging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline behaviour with real local components and in-memory source files. */
class PipelineTest {
  static final TableId TABLE = TableId.of("db", "t");

  @TempDir
  Path lake;

  static SourceFile csv(String year, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return SourceFile.builder()
        .id("mem:" + year)
        .name("file-" + year)
        .partition("year", year)
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  /** A catalog that counts flushes and can be told to fail them, delegating to a local catalog. */
  static final class CountingCatalog implements Catalog {
    final Catalog delegate;
    final AtomicInteger flushes = new AtomicInteger();
    volatile RuntimeException failFlush;

    CountingCatalog(Catalog delegate) {
      this.delegate = delegate;
    }

    @Override
    public Table register(TableRegistration registration) {
      return delegate.register(registration);
    }

    @Override
    public Optional<Table> loadTable(TableId table) {
      return delegate.loadTable(table);
    }

    @Override
    public List<Partition> partitions(TableId table) {
      return delegate.partitions(table);
    }

    @Override
    public List<TableId> listTables(String database) {
      return delegate.listTables(database);
    }

    @Override
    public void flush(TableId table) {
      flushes.incrementAndGet();
      if (failFlush != null) {
        throw failFlush;
      }
    }
  }

  private Pipeline.Builder pipeline(Source source, Catalog catalog) {
    return Pipeline.builder()
        .source(source)
        .converter(CsvToParquet.create())
        .sink(LocalWarehouse.at(lake))
        .catalog(catalog)
        .table(TABLE);
  }

  @Test
  void anOutOfMemoryError_isNotAFileFailure_runThrowsIt_andNothingIsCommitted() throws IOException {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space (injected)");
    AtomicInteger calls = new AtomicInteger();
    Converter starving = (file, in, staging, progress) -> {
      calls.incrementAndGet();
      throw oom;
    };
    Pipeline p = pipeline(() -> List.of(csv("2011", "a\n1\n")), LocalCatalog.at(lake))
        .converter(starving)
        .attempts(3)
        .build();

    assertThatThrownBy(p::run).isSameAs(oom);
    assertThat(calls).as("not retried as if the file were at fault").hasValue(1);
    assertThat(LocalCatalog.at(lake).loadTable(TABLE)).isEmpty();
  }

  @Test
  void anOrdinaryError_staysThatFilesFailure() {
    Converter broken = (file, in, staging, progress) -> {
      throw new AssertionError("a bug in one converter");
    };
    PipelineResult r = pipeline(() -> List.of(csv("2011", "a\n1\n")), LocalCatalog.at(lake))
        .converter(broken)
        .build()
        .run();

    assertThat(r.failures()).hasSize(1);
    assertThat(r.failures().get(0).error()).isInstanceOf(AssertionError.class);
  }

  @Test
  void run_flushesTheCatalogOnce_afterAllFiles() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    PipelineResult result = pipeline(
            () -> List.of(csv("2015", "a\n1\n"), csv("2016", "a\n2\n3\n")), catalog)
        .build()
        .run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.rowsOut()).isEqualTo(3);
    assertThat(catalog.flushes).hasValue(1);
    assertThat(catalog.partitions(TABLE))
        .extracting(Partition::values)
        .containsExactly(List.of("2015"), List.of("2016"));
  }

  @Test
  void run_whenEveryFileFails_doesNotFlush_andReportsEachFailure() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    PipelineResult result =
        pipeline(() -> List.of(csv("2015", "a,b\n1,2,3\n")), catalog).build().run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error()).isInstanceOf(MalformedInputException.class));
    assertThat(catalog.flushes).hasValue(0);
    assertThat(catalog.loadTable(TABLE)).isEmpty();
  }

  @Test
  void run_whenFlushFails_saysTheDataIsCommitted() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    catalog.failFlush = new InletException("crawler ended FAILED");

    assertThatThrownBy(() ->
            pipeline(() -> List.of(csv("2015", "a\n1\n")), catalog).build().run())
        .isInstanceOf(InletException.class)
        .hasMessageContaining("Cannot finish registering db.t: crawler ended FAILED")
        .hasMessageContaining("committed at " + LocalWarehouse.at(lake).location(TABLE));
  }

  @Test
  void run_whenSourceCannotBeListed_throwsSourceUnavailable() {
    Source broken = () -> {
      throw new IOException("connection refused");
    };
    assertThatThrownBy(() -> pipeline(broken, LocalCatalog.at(lake)).build().run())
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessage("Cannot list source files for db.t: connection refused");
  }

  @Test
  void run_processesFilesInParallel_upToTheLimit_andReportsProgress() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Converter slow = (file, in, staging, progress) -> {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(100);
        return CsvToParquet.create().convert(file, in, staging, progress);
      } catch (InterruptedException e) {
        throw new IOException(e);
      } finally {
        running.decrementAndGet();
      }
    };
    List<SourceFile> files = new ArrayList<>();
    for (int y = 2011; y <= 2016; y++) {
      files.add(csv(String.valueOf(y), "a\n" + y + "\n"));
    }
    List<String> events = new CopyOnWriteArrayList<>();
    PipelineResult result = pipeline(() -> files, LocalCatalog.at(lake))
        .converter(slow)
        .parallelism(2)
        .listener(new PipelineListener() {
          @Override
          public void fileStarted(SourceFile file) {
            events.add("start " + file.name());
          }

          @Override
          public void bytesRead(SourceFile file, long bytesSoFar) {
            events.add("bytes " + file.name() + " " + bytesSoFar);
          }

          @Override
          public void fileSucceeded(FileResult r) {
            events.add("done " + r.file().name());
          }

          @Override
          public void runFinished(PipelineResult r) {
            events.add("finished " + r.files().size());
          }
        })
        .build()
        .run();

    assertThat(result.succeeded()).isTrue();
    assertThat(maxRunning.get()).isEqualTo(2);
    assertThat(result.files())
        .extracting(f -> f.file().name())
        .containsExactly(
            "file-2011", "file-2012", "file-2013", "file-2014", "file-2015", "file-2016");
    assertThat(events).contains("start file-2013", "bytes file-2013 7", "done file-2013");
    assertThat(events.get(events.size() - 1)).isEqualTo("finished 6");
  }

  @Test
  void twoFilesOfOneRun_writingOnePartition_oneFails_andNoRowsAreHidden() {
    // Both files say year=2015; in one run, with both converting at once, the catalog cannot tell
    // yet.
    SourceFile a = SourceFile.builder()
        .id("mem:a")
        .name("a")
        .partition("year", "2015")
        .opener(offset -> new ByteArrayInputStream("x\n1\n".getBytes(StandardCharsets.UTF_8)))
        .build();
    SourceFile b = SourceFile.builder()
        .id("mem:b")
        .name("b")
        .partition("year", "2015")
        .opener(offset -> new ByteArrayInputStream("x\n2\n".getBytes(StandardCharsets.UTF_8)))
        .build();
    LocalCatalog catalog = LocalCatalog.at(lake);
    PipelineResult result =
        pipeline(() -> List.of(a, b), catalog).parallelism(2).build().run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error())
            .hasMessageContaining("partition year=2015 holds the data of source"));
    FileResult ok =
        result.files().stream().filter(FileResult::succeeded).findFirst().orElseThrow();
    assertThat(catalog.partitions(TABLE))
        .singleElement()
        .satisfies(p -> assertThat(p.parameters())
            .containsEntry(Pipeline.PARAM_SOURCE_ID, ok.file().id()));
  }

  @Test
  void aThrowingListener_neverFailsTheIngestion() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    PipelineResult result = pipeline(
            () -> List.of(csv("2015", "a\n1\n"), csv("2016", "a\n2\n")), catalog)
        .listener(new PipelineListener() {
          @Override
          public void fileStarted(SourceFile file) {
            throw new IllegalStateException("display broke");
          }

          @Override
          public void fileSucceeded(FileResult r) {
            throw new IllegalStateException("display broke again");
          }
        })
        .build()
        .run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.rowsOut()).isEqualTo(2);
    assertThat(catalog.flushes).hasValue(1);
  }

  @Test
  void aFileThatFailsToCommit_leavesTheCatalogUntouched() {
    Sink failing = new Sink() {
      final LocalWarehouse real = LocalWarehouse.at(lake);

      @Override
      public Staging stage(TableId table, SourceFile file) throws IOException {
        return new ForwardingStaging(real.stage(table, file)) {
          @Override
          public List<DataFile> commit() throws IOException {
            throw new IOException("disk full");
          }
        };
      }

      @Override
      public String location(TableId table) {
        return real.location(table);
      }
    };
    LocalCatalog catalog = LocalCatalog.at(lake);
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n")), catalog)
        .sink(failing)
        .build()
        .run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error())
            .hasMessage("Cannot commit the outputs in "
                + LocalWarehouse.at(lake).location(TABLE) + ": disk full"));
    assertThat(catalog.loadTable(TABLE))
        .as("no table created for data that never became visible")
        .isEmpty();
  }

  @Test
  void throwIfFailed_throwsNamingEveryFailedFile_withTheFirstFailureAsCause() {
    PipelineResult result = pipeline(
            () -> List.of(
                csv("2015", "a,b\n1,2,3\n"), csv("2016", "a\n1\n"), csv("2017", "a,b\n1\n2,3,4\n")),
            LocalCatalog.at(lake))
        .parallelism(1)
        .build()
        .run();

    assertThatThrownBy(result::throwIfFailed)
        .isInstanceOf(PipelineFailedException.class)
        .isInstanceOf(InletException.class)
        .hasMessageStartingWith("Cannot ingest 2 of 3 file(s) into db.t: file-2015: ")
        .hasMessageContaining("; file-2017: ")
        .hasMessageEndingWith(
            "(nothing of the failed files is visible; 1 file(s) ingested, 0 unchanged)")
        .hasCause(result.failures().get(0).error())
        .satisfies(e -> {
          assertThat(e.getSuppressed()).containsExactly(result.failures().get(1).error());
          assertThat(((PipelineFailedException) e).result()).isSameAs(result);
        });
  }

  @Test
  void throwIfFailed_returnsTheResult_whenNothingFailed() {
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n")), LocalCatalog.at(lake))
        .build()
        .run();

    assertThat(result.throwIfFailed()).isSameAs(result);
    assertThat(pipeline(List::of, LocalCatalog.at(lake))
            .build()
            .run()
            .throwIfFailed()
            .files())
        .isEmpty();
  }

  @Test
  void status_tellsIngestedUnchangedAndFailedApart_succeededStaysTrueForUnchanged() {
    dev.inlet.local.LocalStateStore state = dev.inlet.local.LocalStateStore.at(lake);
    SourceFile same = csv("2015", "a\n1\n").toBuilder()
        .version(new SourceVersion("\"v1\"", null, null, null))
        .build();
    pipeline(() -> List.of(same), LocalCatalog.at(lake))
        .stateStore(state)
        .build()
        .run()
        .throwIfFailed();

    PipelineResult result = pipeline(
            () -> List.of(same, csv("2016", "a\n2\n"), csv("2017", "a,b\n1,2,3\n")),
            LocalCatalog.at(lake))
        .stateStore(state)
        .parallelism(1)
        .build()
        .run();

    assertThat(result.files())
        .extracting(FileResult::status)
        .containsExactly(
            FileResult.Status.UNCHANGED, FileResult.Status.INGESTED, FileResult.Status.FAILED);
    assertThat(result.files()).extracting(FileResult::succeeded).containsExactly(true, true, false);
    assertThat(result.files()).extracting(FileResult::skipped).containsExactly(true, false, false);
    assertThat(result.ingested()).extracting(f -> f.file().name()).containsExactly("file-2016");
    assertThat(result.skipped()).extracting(f -> f.file().name()).containsExactly("file-2015");
    assertThat(result.failures()).extracting(f -> f.file().name()).containsExactly("file-2017");
    assertThat(result.summary())
        .isEqualTo("1 of 3 file(s) ingested into db.t, 1 unchanged, 1 failed: 1 rows"
            + " written, 0 rejected");
  }

  @Test
  void aFailedFile_logsAtWarn_andTheRunSummaryAtError() {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      pipeline(
              () -> List.of(csv("2015", "a,b\n1,2,3\n"), csv("2016", "a\n1\n")),
              LocalCatalog.at(lake))
          .build()
          .run();
    } finally {
      System.setErr(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .filteredOn(l -> l.contains("file-2015"))
        .anySatisfy(l -> assertThat(l)
            .contains("WARN dev.inlet.Pipeline - Failed to ingest file-2015 into db.t"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l)
            .contains("ERROR dev.inlet.Pipeline - 1 of 2 file(s) ingested"
                + " into db.t, 0 unchanged, 1 failed")
            .endsWith("failed: file-2015"));
  }

  @Test
  void anIoErrorWhileWritingData_namesThePartitionBeingWritten_andNothingIsRegistered() {
    Sink full = new Sink() {
      final LocalWarehouse real = LocalWarehouse.at(lake);

      @Override
      public Staging stage(TableId table, SourceFile file) throws IOException {
        return new ForwardingStaging(real.stage(table, file)) {
          @Override
          public java.io.OutputStream newOutput(java.util.Map<String, String> partition)
              throws IOException {
            java.io.OutputStream out = delegate.newOutput(partition);
            return new java.io.FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
              }

              @Override
              public void write(int b) throws IOException {
                throw new IOException("No space left on device");
              }
            };
          }
        };
      }

      @Override
      public String location(TableId table) {
        return real.location(table);
      }
    };
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n")), LocalCatalog.at(lake))
        .sink(full)
        .attempts(1)
        .build()
        .run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error())
            .isInstanceOf(IOException.class)
            .hasMessage("Cannot write to " + LocalWarehouse.at(lake).location(TABLE)
                + "year=2015/: No space left on" + " device"));
    assertThat(LocalCatalog.at(lake).loadTable(TABLE)).isEmpty();
  }

  @Test
  void anIoErrorWhileWritingTheState_namesTheStateFile() throws IOException {
    dev.inlet.local.LocalStateStore state = dev.inlet.local.LocalStateStore.at(lake);
    java.nio.file.Path file = state.stateFile(TABLE);
    // The lock file beside the state file is a folder: the state can be read (there is none), not
    // written.
    java.nio.file.Files.createDirectories(file.resolveSibling(file.getFileName() + ".lock"));

    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n")), LocalCatalog.at(lake))
        .stateStore(state)
        .build()
        .run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error().getMessage())
            .startsWith(
                "Cannot record the state of mem:2015 in db.t: writing " + file + " failed"));
  }

  @Test
  void catalogAndStateFiles_getThePermissionsOfTheDataFiles() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    dev.inlet.local.LocalStateStore state = dev.inlet.local.LocalStateStore.at(lake);
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n")), LocalCatalog.at(lake))
        .stateStore(state)
        .build()
        .run()
        .throwIfFailed();
    java.nio.file.Path data = java.nio.file.Path.of(
        java.net.URI.create(result.files().get(0).dataFiles().get(0).location()));

    var dataPermissions = java.nio.file.Files.getPosixFilePermissions(data);
    assertThat(java.nio.file.Files.getPosixFilePermissions(LocalCatalog.at(lake).tableFile(TABLE)))
        .isEqualTo(dataPermissions);
    assertThat(java.nio.file.Files.getPosixFilePermissions(state.stateFile(TABLE)))
        .isEqualTo(dataPermissions);
  }

  @Test
  void builder_rejectsBadParallelism() {
    assertThatThrownBy(() -> Pipeline.builder().parallelism(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be >= 1: 0");
  }

  @Test
  void countingStream_reportsAtEof() throws IOException {
    List<Long> reports = new ArrayList<>();
    try (InputStream in =
        new CountingInputStream(new ByteArrayInputStream(new byte[10]), reports::add)) {
      in.readAllBytes();
    }
    assertThat(reports).containsExactly(10L);
  }
}
