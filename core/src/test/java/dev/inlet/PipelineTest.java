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

  @TempDir Path lake;

  static SourceFile csv(String year, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return SourceFile.builder().id("mem:" + year).name("file-" + year).partition("year", year)
        .opener(offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset)).build();
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
    return Pipeline.builder().source(source).converter(CsvToParquet.create()).sink(LocalWarehouse.at(lake))
        .catalog(catalog).table(TABLE);
  }

  @Test
  void run_flushesTheCatalogOnce_afterAllFiles() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n"), csv("2016", "a\n2\n3\n")), catalog)
        .build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.rowsOut()).isEqualTo(3);
    assertThat(catalog.flushes).hasValue(1);
    assertThat(catalog.partitions(TABLE)).extracting(Partition::values)
        .containsExactly(List.of("2015"), List.of("2016"));
  }

  @Test
  void run_whenEveryFileFails_doesNotFlush_andReportsEachFailure() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a,b\n1,2,3\n")), catalog).build().run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures()).singleElement()
        .satisfies(f -> assertThat(f.error()).isInstanceOf(MalformedInputException.class));
    assertThat(catalog.flushes).hasValue(0);
    assertThat(catalog.loadTable(TABLE)).isEmpty();
  }

  @Test
  void run_whenFlushFails_saysTheDataIsCommitted() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    catalog.failFlush = new InletException("crawler ended FAILED");

    assertThatThrownBy(() -> pipeline(() -> List.of(csv("2015", "a\n1\n")), catalog).build().run())
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
    PipelineResult result = pipeline(() -> files, LocalCatalog.at(lake)).converter(slow).parallelism(2)
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
        }).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(maxRunning.get()).isEqualTo(2);
    assertThat(result.files()).extracting(f -> f.file().name())
        .containsExactly("file-2011", "file-2012", "file-2013", "file-2014", "file-2015", "file-2016");
    assertThat(events).contains("start file-2013", "bytes file-2013 7", "done file-2013");
    assertThat(events.get(events.size() - 1)).isEqualTo("finished 6");
  }

  @Test
  void twoFilesOfOneRun_writingOnePartition_oneFails_andNoRowsAreHidden() {
    // Both files say year=2015; in one run, with both converting at once, the catalog cannot tell yet.
    SourceFile a = SourceFile.builder().id("mem:a").name("a").partition("year", "2015")
        .opener(offset -> new ByteArrayInputStream("x\n1\n".getBytes(StandardCharsets.UTF_8))).build();
    SourceFile b = SourceFile.builder().id("mem:b").name("b").partition("year", "2015")
        .opener(offset -> new ByteArrayInputStream("x\n2\n".getBytes(StandardCharsets.UTF_8))).build();
    LocalCatalog catalog = LocalCatalog.at(lake);
    PipelineResult result = pipeline(() -> List.of(a, b), catalog).parallelism(2).build().run();

    assertThat(result.failures()).singleElement().satisfies(f -> assertThat(f.error())
        .hasMessageContaining("partition year=2015 holds the data of source"));
    FileResult ok = result.files().stream().filter(FileResult::succeeded).findFirst().orElseThrow();
    assertThat(catalog.partitions(TABLE)).singleElement().satisfies(p ->
        assertThat(p.parameters()).containsEntry(Pipeline.PARAM_SOURCE_ID, ok.file().id()));
  }

  @Test
  void aThrowingListener_neverFailsTheIngestion() {
    CountingCatalog catalog = new CountingCatalog(LocalCatalog.at(lake));
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n"), csv("2016", "a\n2\n")), catalog)
        .listener(new PipelineListener() {
          @Override
          public void fileStarted(SourceFile file) {
            throw new IllegalStateException("display broke");
          }

          @Override
          public void fileSucceeded(FileResult r) {
            throw new IllegalStateException("display broke again");
          }
        }).build().run();

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
    PipelineResult result = pipeline(() -> List.of(csv("2015", "a\n1\n")), catalog).sink(failing).build().run();

    assertThat(result.failures()).singleElement().satisfies(f -> assertThat(f.error()).hasMessage("disk full"));
    assertThat(catalog.loadTable(TABLE)).as("no table created for data that never became visible").isEmpty();
  }

  @Test
  void builder_rejectsBadParallelism() {
    assertThatThrownBy(() -> Pipeline.builder().parallelism(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be >= 1: 0");
  }

  @Test
  void countingStream_reportsAtEof() throws IOException {
    List<Long> reports = new ArrayList<>();
    try (InputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[10]), reports::add)) {
      in.readAllBytes();
    }
    assertThat(reports).containsExactly(10L);
  }
}
