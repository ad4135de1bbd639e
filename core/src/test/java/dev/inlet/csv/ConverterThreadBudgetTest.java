package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Catalog;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.ForwardingStaging;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's one thread budget: files running at once share {@code converterThreads} instead of each taking the
 * converter's own number. Counts the conversion threads ({@code inlet-convert}) alive when each file's output is
 * closed, after its last chunk was handed out and before its workers end: every worker a conversion started.
 */
class ConverterThreadBudgetTest {
  private static final TableId TABLE = TableId.of("db", "budget");

  @TempDir
  Path lake;

  /** Conversion threads seen, by identity. */
  private final Set<Thread> seen = ConcurrentHashMap.newKeySet();
  /** Holds each file's output open until every file of the run got there, so that the files overlap. */
  private volatile CountDownLatch together;

  private void look() {
    Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("inlet-convert"))
        .forEach(seen::add);
  }

  /** A local sink whose outputs count the conversion threads when they close. */
  private Sink counting() {
    Sink local = LocalWarehouse.at(lake);
    return new Sink() {
      @Override
      public Staging stage(TableId table, SourceFile file) throws IOException {
        return new ForwardingStaging(local.stage(table, file)) {
          @Override
          public OutputStream newOutput(Map<String, String> partition) throws IOException {
            return new FilterOutputStream(delegate.newOutput(partition)) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                look();
                together.countDown();
                try {
                  together.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                look();
                super.close();
              }
            };
          }
        };
      }

      @Override
      public String location(TableId table) {
        return local.location(table);
      }
    };
  }

  /** A file of some 600 records of about 30 bytes: dozens of 512-byte chunks. */
  private static SourceFile file(String year) {
    StringBuilder csv = new StringBuilder("id,name,amount\n");
    for (int i = 0; i < 600; i++) {
      csv.append(i)
          .append(",name-")
          .append(year)
          .append('-')
          .append(i)
          .append(',')
          .append(i * 1.5)
          .append('\n');
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    return SourceFile.builder()
        .id("mem:" + year)
        .name("file " + year)
        .partition("year", year)
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  private PipelineResult run(int files, int parallelism, int converterThreads) {
    List<SourceFile> list = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      list.add(file(Integer.toString(2015 + i)));
    }
    together = new CountDownLatch(Math.min(files, parallelism));
    Catalog catalog = LocalCatalog.at(lake);
    return Pipeline.builder()
        .source(() -> list)
        .converter(CsvToParquet.builder().threads(4).chunkBytes(512).build())
        .sink(counting())
        .catalog(catalog)
        .table(TABLE)
        .parallelism(parallelism)
        .converterThreads(converterThreads)
        .build()
        .run()
        .throwIfFailed();
  }

  @Test
  void twoFilesAtOnce_shareTheBudget_insteadOfTakingTheConvertersFourThreadsEach() {
    PipelineResult r = run(2, 2, 4);

    assertThat(r.ingested()).hasSize(2);
    assertThat(seen).hasSize(4); // 2 files x 2 threads, not 2 x 4
  }

  @Test
  void aLoneFile_getsTheWholeBudget_upToTheConvertersOwnNumber() {
    run(1, 2, 4);
    assertThat(seen).hasSize(4);

    seen.clear();
    run(1, 2, 16);
    assertThat(seen).hasSize(4); // the converter's own 4
  }

  @Test
  void moreFilesAtOnceThanThreads_convertEachOnItsFileThread() {
    run(3, 3, 2);
    assertThat(seen).isEmpty(); // one thread each: the file threads convert, no worker starts
  }

  @Test
  void aBudgetAsLargeAsTheProduct_letsThemMultiply_soTheCountSeesEveryWorker() {
    run(2, 2, 8);
    assertThat(seen).hasSize(8);
  }

  @Test
  void withThreads_lowersTheThreads_neverRaisesThem_andKeepsTheFingerprint() {
    CsvToParquet four = CsvToParquet.builder().threads(4).build();
    assertThat(four.withThreads(8)).isSameAs(four);
    assertThat(four.withThreads(4)).isSameAs(four);
    CsvToParquet two = four.withThreads(2);
    assertThat(two).isNotSameAs(four);
    assertThat(two.fingerprint()).isEqualTo(four.fingerprint());
  }
}
