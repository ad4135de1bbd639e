package dev.inlet.testing;

import dev.inlet.DataFile;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link Sink} whose stagings run a hook right after their commit, before the pipeline registers the files: the
 * window in which overlapping runs interleave. Tests pause there (a slow catalog, a GC pause) or wait on a latch.
 */
public final class AfterCommitSink implements Sink {
  private final Sink delegate;
  private final Runnable afterCommit;

  public AfterCommitSink(Sink delegate, Runnable afterCommit) {
    this.delegate = delegate;
    this.afterCommit = afterCommit;
  }

  /** Pauses a random 0 to {@code maxMillis} ms after each commit. */
  public static Sink jittered(Sink delegate, int maxMillis) {
    return new AfterCommitSink(delegate, () -> {
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(maxMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public Staging stage(TableId table, SourceFile file) throws IOException {
    return new ForwardingStaging(delegate.stage(table, file)) {
      @Override
      public List<DataFile> commit() throws IOException {
        List<DataFile> files = delegate.commit();
        afterCommit.run();
        return files;
      }
    };
  }

  @Override
  public String location(TableId table) {
    return delegate.location(table);
  }
}
