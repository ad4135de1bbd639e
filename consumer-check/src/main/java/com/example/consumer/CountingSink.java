package com.example.consumer;

import dev.inlet.DataFile;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A custom sink: another sink, with a count of the files and bytes it committed (what a user would add for metrics or
 * an audit log). Every {@link Staging} method is forwarded, the default ones too: a decorator that leaves
 * {@code removeReplaced} to the interface's no-op default keeps old version folders forever, which
 * {@code SinkContract} reports.
 */
public final class CountingSink implements Sink {
  private final Sink delegate;
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  public CountingSink(Sink delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** Files committed through this sink. */
  public long committedFiles() {
    return files.get();
  }

  /** Bytes of the files committed through this sink. */
  public long committedBytes() {
    return bytes.get();
  }

  @Override
  public Staging stage(TableId table, SourceFile file) throws IOException {
    return new CountingStaging(delegate.stage(table, file));
  }

  @Override
  public String location(TableId table) {
    return delegate.location(table);
  }

  @Override
  public String location(TableId table, Map<String, String> partition) {
    return delegate.location(table, partition);
  }

  private final class CountingStaging implements Staging {
    private final Staging staging;

    CountingStaging(Staging staging) {
      this.staging = staging;
    }

    @Override
    public OutputStream newOutput(Map<String, String> partition) throws IOException {
      return staging.newOutput(partition);
    }

    @Override
    public List<DataFile> commit() throws IOException {
      List<DataFile> committed = staging.commit();
      files.addAndGet(committed.size());
      bytes.addAndGet(committed.stream().mapToLong(DataFile::sizeBytes).sum());
      return committed;
    }

    @Override
    public void removeReplaced() throws IOException {
      staging.removeReplaced();
    }

    @Override
    public void removeReplaced(Collection<String> replaced) throws IOException {
      staging.removeReplaced(replaced);
    }

    @Override
    public void removeCommitted() throws IOException {
      staging.removeCommitted();
    }

    @Override
    public OutputStream newRejectsOutput() throws IOException {
      return staging.newRejectsOutput();
    }

    @Override
    public void abort() {
      staging.abort();
    }

    @Override
    public void close() {
      staging.close();
    }
  }
}
