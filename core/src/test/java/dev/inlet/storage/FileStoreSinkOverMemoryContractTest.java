package dev.inlet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Sink;
import dev.inlet.contract.SinkContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The sink contract for {@link FileStoreSink} over a third store, in memory: the sink rules hold over the SPI
 * alone, without a local file system's folders or renames. Also checks that no output is left in progress.
 */
class FileStoreSinkOverMemoryContractTest extends SinkContract {
  private final MemoryFileStore store = new MemoryFileStore("lake");

  @Override
  protected Sink newSink() {
    return FileStoreSink.builder().store(store).build();
  }

  @Override
  protected List<String> listObjects(String location) {
    String prefix = store.path(location).orElseThrow();
    List<String> names = new ArrayList<>();
    for (String p : store.paths()) {
      if (p.startsWith(prefix)) {
        names.add(p.substring(prefix.length()));
      }
    }
    for (String p : store.inProgress()) {
      if (p.startsWith(prefix)) {
        names.add(".in-progress/" + p.substring(prefix.length()));
      }
    }
    return names;
  }

  @Override
  protected byte[] read(String location) {
    return store.bytes(store.path(location).orElseThrow());
  }

  @AfterEach
  void nothingLeftInProgress() {
    assertThat(store.inProgress()).isEmpty();
  }
}
