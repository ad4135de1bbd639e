package dev.inlet.reliability;

import static dev.inlet.testing.TestHttpServer.status;
import static dev.inlet.testing.TestHttpServer.versioned;
import static dev.inlet.testing.TestHttpServer.versionedCut;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.DataFile;
import dev.inlet.InletException;
import dev.inlet.MalformedInputException;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.csv.BadRowPolicy;
import dev.inlet.http.HttpDownloader;
import dev.inlet.http.HttpSource;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalStateStore;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ForwardingStaging;
import dev.inlet.testing.Lake;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults in transport, storage and catalog, injected on 127.0.0.1: each run ends correctly or fails clearly, and the
 * lake afterwards holds exactly the expected rows, read back by DuckDB through the catalog and by listing folders.
 */
class FaultInjectionTest {
  static final int ROWS = 3000;

  @TempDir
  Path lake;

  final TestHttpServer server = TestHttpServer.start();
  final HttpDownloader downloader = HttpDownloader.builder()
      .backoff(Duration.ZERO, Duration.ofMillis(20))
      .maxAttempts(4)
      .build();

  @AfterEach
  void stop() {
    server.close();
  }

  private Pipeline.Builder pipeline(Sink sink) {
    return Pipeline.builder()
        .source(HttpSource.builder()
            .downloader(downloader)
            .file(server.uri("/y2015.csv"), "events 2015", Map.of("year", "2015"))
            .build())
        .converter(Synthetic.converter())
        .sink(sink)
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE)
        .stateStore(LocalStateStore.at(lake));
  }

  private void assertLakeHolds(int version) throws Exception {
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
        .isEqualTo(Map.of("2015", Synthetic.ids(2015, version, ROWS)));
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id"))
        .isEqualTo(Synthetic.ids(2015, version, ROWS));
  }

  @Test
  void connectionCutTwiceMidBody_resumesWithRangeAndIfRange_andTheLakeIsByteForByteTheCleanResult()
      throws Exception {
    byte[] body = Synthetic.csv(2015, 1, ROWS);
    server.script(
        "/y2015.csv",
        versionedCut(body, "\"e1\"", 10_000),
        versionedCut(body, "\"e1\"", 40_000),
        versioned(body, "\"e1\""));

    PipelineResult result = pipeline(LocalWarehouse.at(lake)).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.bytesIn()).isEqualTo(body.length);
    List<TestHttpServer.Request> requests = server.requests("/y2015.csv");
    assertThat(requests).hasSize(3);
    assertThat(requests.get(1).header("Range")).isEqualTo("bytes=10000-");
    assertThat(requests.get(1).header("If-Range")).isEqualTo("\"e1\"");
    assertThat(requests.get(2).header("Range")).isEqualTo("bytes=40000-");
    assertLakeHolds(1);
    // The hash of the resumed bytes is the hash of the file: a rerun with a changed ETag but same
    // bytes skips.
    server.script("/y2015.csv", versioned(body, "\"e2\""));
    assertThat(pipeline(LocalWarehouse.at(lake)).build().run().skipped())
        .singleElement()
        .satisfies(f -> assertThat(f.skipReason()).contains("SHA-256"));
  }

  @Test
  void fileChangedOnTheServerWhileDownloading_restartsTheFileCleanly_andIngestsTheNewVersion()
      throws Exception {
    byte[] v1 = Synthetic.csv(2015, 1, ROWS);
    byte[] v2 = Synthetic.csv(2015, 2, ROWS);
    // Cut mid-way, then the file is re-published: If-Range no longer matches, the server sends the
    // new file whole.
    server.script("/y2015.csv", versionedCut(v1, "\"e1\"", 20_000), versioned(v2, "\"e2\""));

    PipelineResult result = pipeline(LocalWarehouse.at(lake)).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(server.requests("/y2015.csv"))
        .hasSize(3); // cut, resume refused (200 of e2), restart
    assertLakeHolds(2);
  }

  @Test
  void fileChangedWhileDownloading_withOneAttempt_failsClearly_andLeavesNothing() throws Exception {
    server.script(
        "/y2015.csv",
        versionedCut(Synthetic.csv(2015, 1, ROWS), "\"e1\"", 20_000),
        versioned(Synthetic.csv(2015, 2, ROWS), "\"e2\""));

    PipelineResult result =
        pipeline(LocalWarehouse.at(lake)).attempts(1).build().run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error())
            .hasMessageContaining("changed on the server while downloading")
            .hasMessageNotContaining("secret"));
    assertThat(LocalCatalog.at(lake).partitions(Synthetic.TABLE)).isEmpty();
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id")).isEmpty();
  }

  @Test
  void serverWithoutRangeSupport_isReadFromTheStartAgain_skippingWhatWasDelivered()
      throws Exception {
    byte[] body = Synthetic.csv(2015, 1, ROWS);
    server.script(
        "/y2015.csv", TestHttpServer.truncated(body, 25_000), TestHttpServer.okIgnoringRange(body));

    PipelineResult result = pipeline(LocalWarehouse.at(lake)).build().run();

    assertThat(result.succeeded()).isTrue();
    assertLakeHolds(1);
  }

  @Test
  void http503Then429WithRetryAfter_areRetried_andTheRunSucceeds() throws Exception {
    server.script(
        "/y2015.csv",
        status(503),
        status(429, "Retry-After", "0"),
        versioned(Synthetic.csv(2015, 1, ROWS), "\"e1\""));

    PipelineResult result = pipeline(LocalWarehouse.at(lake)).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(server.requests("/y2015.csv")).hasSize(3);
    assertLakeHolds(1);
  }

  @Test
  void http503Forever_failsClearly_andKeepsThePreviousVersionVisible() throws Exception {
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 1, ROWS), "\"e1\""));
    pipeline(LocalWarehouse.at(lake)).build().run();
    server.script("/y2015.csv", status(503));

    PipelineResult result =
        pipeline(LocalWarehouse.at(lake)).fullRefresh().build().run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error()).hasMessageContaining("HTTP 503 after 4 attempts"));
    assertLakeHolds(1);
  }

  @Test
  void storageFailingMidWrite_abortsAndRetriesTheFile_leavingNoStagingFile() throws Exception {
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 1, ROWS), "\"e1\""));
    AtomicInteger failures = new AtomicInteger(1);
    Sink failingOnce = new FaultySink(
        LocalWarehouse.at(lake), (step) -> step.equals("write") && failures.getAndDecrement() > 0);

    PipelineResult result = pipeline(failingOnce).build().run();

    assertThat(result.succeeded()).isTrue();
    assertLakeHolds(1);
    try (Stream<Path> files = Files.walk(lake.resolve("bronze"))) {
      assertThat(files.filter(Files::isRegularFile))
          .allSatisfy(f -> assertThat(f.getFileName().toString()).doesNotStartWith("."));
    }
  }

  @Test
  void crashAfterCommitBeforeTheCatalogIsRepointed_keepsTheOldVersionVisible_andTheRerunCleansUp()
      throws Exception {
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 1, ROWS), "\"e1\""));
    pipeline(LocalWarehouse.at(lake)).build().run();
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 2, ROWS), "\"e2\""));
    Sink crashing = new FaultySink(LocalWarehouse.at(lake), step -> step.equals("after-commit"));

    PipelineResult crashed = pipeline(crashing).attempts(1).build().run();

    assertThat(crashed.succeeded()).isFalse();
    // Through the catalog: still exactly version 1. A folder lister sees the orphan new version
    // too.
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
        .isEqualTo(Map.of("2015", Synthetic.ids(2015, 1, ROWS)));
    // The rerun sweeps the orphan: committed before the rerun read the catalog, it can never be
    // registered. (The
    // default grace of an hour covers timestamp granularity and clock skew; no run overlaps here.)
    PipelineResult rerun = pipeline(LocalWarehouse.builder()
            .root(lake)
            .orphanGrace(java.time.Duration.ZERO)
            .build())
        .build()
        .run();
    assertThat(rerun.succeeded()).isTrue();
    assertThat(rerun.skipped()).isEmpty();
    assertLakeHolds(2);
  }

  @Test
  void reingestingAPartition_whileReadersQueryThroughTheCatalog_neverShowsAMixOrAnEmptyPartition()
      throws Exception {
    int rows1 = 4000;
    int rows2 = 2500;
    // Several files per partition: a new file every 1000 rows.
    Pipeline.Builder p = Pipeline.builder()
        .source(HttpSource.builder()
            .downloader(downloader)
            .file(server.uri("/y2015.csv"), "events 2015", Map.of("year", "2015"))
            .build())
        .converter(Synthetic.converter().toBuilder().maxFileBytes(1).build())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(Synthetic.TABLE);
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 1, rows1), "\"e1\""));
    p.build().run();
    List<String> v1 = Synthetic.ids(2015, 1, rows1);
    List<String> v2 = Synthetic.ids(2015, 2, rows2);
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> wrong = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        try {
          List<String> ids =
              Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id").get("2015");
          if (ids.equals(v1)) {
            seen.add("v1");
          } else if (ids.equals(v2)) {
            seen.add("v2");
          } else {
            wrong.add(new AssertionError("a reader saw " + ids.size() + " rows"));
          }
        } catch (java.sql.SQLException e) {
          // The folder the reader looked up was removed under it: the query fails, it never sees
          // wrong rows.
          seen.add("failed");
        } catch (Exception e) {
          wrong.add(e);
        }
      }
    });
    reader.start();
    for (int i = 0; i < 2; i++) {
      int version = i % 2 == 0 ? 2 : 1;
      server.script(
          "/y2015.csv",
          versioned(
              Synthetic.csv(2015, version, version == 2 ? rows2 : rows1), "\"e" + version + "\""));
      assertThat(p.build().run().succeeded()).isTrue();
    }
    done.set(true);
    reader.join();
    assertThat(wrong).isEmpty();
    assertThat(seen).contains("v1");
    assertThat(Lake.throughCatalog(LocalCatalog.at(lake), Synthetic.TABLE, "id"))
        .isEqualTo(Map.of("2015", v1));
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id")).isEqualTo(v1);
  }

  @Test
  void badRows_skip_countsThem_andWritesOnlyTheGoodRows() throws Exception {
    server.script("/y2015.csv", versioned(withBadRows(), "\"e1\""));

    PipelineResult result = pipeline(LocalWarehouse.at(lake))
        .converter(Synthetic.converter().toBuilder().badRows(BadRowPolicy.SKIP).build())
        .build()
        .run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.rowsRejected()).isEqualTo(2);
    assertThat(result.files().get(0).rowsIn()).isEqualTo(ROWS + 2);
    assertLakeHolds(1);
    assertThat(Files.exists(lake.resolve("bronze/rel/events/_rejects"))).isFalse();
  }

  @Test
  void badRows_quarantine_writesThemWithFileLineAndReason_underHiddenRejects() throws Exception {
    server.script("/y2015.csv", versioned(withBadRows(), "\"e1\""));

    PipelineResult result = pipeline(LocalWarehouse.at(lake))
        .converter(
            Synthetic.converter().toBuilder().badRows(BadRowPolicy.QUARANTINE).build())
        .build()
        .run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.rowsRejected()).isEqualTo(2);
    assertLakeHolds(1);
    Path rejects;
    try (Stream<Path> files = Files.list(lake.resolve("bronze/rel/events/_rejects"))) {
      rejects = files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(rejects);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("file,line,column,reason,record");
    assertThat(lines.get(1))
        .startsWith("events 2015,12,id,")
        .contains("'not-a-number' is not a bigint")
        .endsWith(",\"not-a-number,bad\"");
    assertThat(lines.get(2))
        .startsWith("events 2015,102,,")
        .contains("3 fields but the header has 2");
  }

  @Test
  void badRows_failByDefault_failsTheFileNamingTheLine_andLeavesNothing() throws Exception {
    server.script("/y2015.csv", versioned(withBadRows(), "\"e1\""));

    PipelineResult result = pipeline(LocalWarehouse.at(lake)).build().run();

    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error())
            .isInstanceOf(MalformedInputException.class)
            .hasMessageContaining("line 12"));
    assertThat(result.files().get(0).rowsRejected()).isZero();
    assertThat(LocalCatalog.at(lake).partitions(Synthetic.TABLE)).isEmpty();
    assertThat(Lake.inFolders(lake.resolve("bronze"), "id")).isEmpty();
  }

  @Test
  void secondSourceWritingAPartitionOfAnother_failsClearly_andHidesNothing() throws Exception {
    server.script("/y2015.csv", versioned(Synthetic.csv(2015, 1, ROWS), "\"e1\""));
    server.script("/other.csv", versioned(Synthetic.csv(2015, 2, 10), "\"o1\""));
    pipeline(LocalWarehouse.at(lake)).build().run();

    PipelineResult other = pipeline(LocalWarehouse.at(lake))
        .source(HttpSource.builder()
            .downloader(downloader)
            .file(server.uri("/other.csv"), "other", Map.of("year", "2015"))
            .build())
        .build()
        .run();

    assertThat(other.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error())
            .isInstanceOf(InletException.class)
            .hasMessageContaining("partition year=2015")
            .hasMessageContaining(
                "holds the data of source " + HttpDownloader.redact(server.uri("/y2015.csv"))));
    assertLakeHolds(1);
  }

  /** The synthetic file with a bad value at line 12 and a too-wide record at line 102. */
  private static byte[] withBadRows() {
    List<String> lines = new ArrayList<>(
        List.of(new String(Synthetic.csv(2015, 1, ROWS), StandardCharsets.UTF_8).split("\n")));
    lines.add(11, "not-a-number,bad");
    lines.add(101, "1,2,3");
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** A sink that throws at a named step when told to: "write" (in an output), "after-commit". */
  static final class FaultySink implements Sink {
    private final Sink delegate;
    private final java.util.function.Predicate<String> failAt;

    FaultySink(Sink delegate, java.util.function.Predicate<String> failAt) {
      this.delegate = delegate;
      this.failAt = failAt;
    }

    @Override
    public Staging stage(TableId table, SourceFile file) throws IOException {
      return new ForwardingStaging(delegate.stage(table, file)) {
        @Override
        public OutputStream newOutput(Map<String, String> partition) throws IOException {
          OutputStream out = this.delegate.newOutput(partition);
          return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              if (failAt.test("write")) {
                throw new IOException("injected: storage write failed");
              }
              out.write(b, off, len);
            }
          };
        }

        @Override
        public List<DataFile> commit() throws IOException {
          List<DataFile> files = this.delegate.commit();
          if (failAt.test("after-commit")) {
            throw new IllegalStateException("injected: crash after commit");
          }
          return files;
        }

        @Override
        public void removeReplaced() throws IOException {
          if (failAt.test("remove")) {
            throw new IOException("injected: deleting the replaced files failed");
          }
          this.delegate.removeReplaced();
        }

        @Override
        public void removeReplaced(java.util.Collection<String> replaced) throws IOException {
          if (failAt.test("remove")) {
            throw new IOException("injected: deleting the replaced files failed");
          }
          this.delegate.removeReplaced(replaced);
        }
      };
    }

    @Override
    public String location(TableId table) {
      return delegate.location(table);
    }
  }
}
