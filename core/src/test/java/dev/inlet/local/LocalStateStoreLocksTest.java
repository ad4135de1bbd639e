package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.SourceState;
import dev.inlet.TableId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM locks of the state store are dropped when no writer holds or waits for them. */
class LocalStateStoreLocksTest {
  @TempDir
  Path lake;

  @Test
  void theLockMapDoesNotGrowWithTheTablesEverWritten() throws Exception {
    LocalStateStore store = LocalStateStore.at(lake);
    int before = LocalStateStore.lockEntries();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int t = 0; t < 20; t++) {
        TableId table = TableId.of("db", "t" + t);
        for (int s = 0;
            s < 5;
            s++) { // several writers of one table at once: they share, then drop, one entry
          String source = "src-" + s;
          writes.add(pool.submit(() -> store.put(
              table, new SourceState(source, null, null, "00", "c", List.of(), Instant.EPOCH))));
        }
      }
      for (Future<?> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(LocalStateStore.lockEntries()).isEqualTo(before);
    for (int t = 0; t < 20; t++) {
      for (int s = 0; s < 5; s++) {
        assertThat(store.get(TableId.of("db", "t" + t), "src-" + s))
            .as("no update lost")
            .isPresent();
      }
    }
  }
}
