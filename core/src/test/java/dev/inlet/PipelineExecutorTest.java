package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline.Builder.executor: the files run on the caller's executor, at most parallelism at once. */
class PipelineExecutorTest {
  @TempDir
  Path lake;

  @Test
  void filesRunOnTheCallersExecutor_atMostParallelismAtOnce_andItStaysOpen() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<SourceFile> files = new ArrayList<>();
    for (int year = 2011; year <= 2022; year++) {
      byte[] bytes = ("a\n" + year + "\n").getBytes(StandardCharsets.UTF_8);
      files.add(SourceFile.builder()
          .id("mem:" + year)
          .name("file-" + year)
          .partition("year", "" + year)
          .opener(offset -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
              Thread.sleep(20); // let other files start if they may
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              running.decrementAndGet();
            }
            return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
          })
          .build());
    }
    AtomicInteger threadsUsed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
      threadsUsed.incrementAndGet();
      Thread t = new Thread(r, "callers-pool");
      t.setDaemon(true);
      return t;
    });
    try {
      List<String> threadNames = new java.util.concurrent.CopyOnWriteArrayList<>();
      PipelineResult result = Pipeline.builder()
          .source(() -> files)
          .converter(CsvToParquet.create())
          .sink(LocalWarehouse.at(lake))
          .catalog(LocalCatalog.at(lake))
          .table(TableId.of("db", "t"))
          .executor(pool)
          .parallelism(3)
          .listener(new PipelineListener() {
            @Override
            public void fileStarted(SourceFile file) {
              threadNames.add(Thread.currentThread().getName());
            }
          })
          .build()
          .run();

      assertThat(result.succeeded()).isTrue();
      assertThat(result.files())
          .extracting(f -> f.file().name())
          .containsExactlyElementsOf(
              files.stream().map(SourceFile::name).toList()); // in source order
      assertThat(result.rowsOut()).isEqualTo(12);
      assertThat(most.get()).isBetween(1, 3);
      assertThat(threadNames).hasSize(12).allMatch("callers-pool"::equals);
      assertThat(threadsUsed.get()).isLessThanOrEqualTo(3);
      assertThat(pool.isShutdown()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }
}
