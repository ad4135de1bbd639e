package dev.inlet.testing;

import dev.inlet.DataFile;
import dev.inlet.Staging;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** A {@link Staging} that forwards every call; tests override the steps they count or break. */
public class ForwardingStaging implements Staging {
  protected final Staging delegate;

  public ForwardingStaging(Staging delegate) {
    this.delegate = delegate;
  }

  @Override
  public OutputStream newOutput(Map<String, String> partition) throws IOException {
    return delegate.newOutput(partition);
  }

  @Override
  public OutputStream newRejectsOutput() throws IOException {
    return delegate.newRejectsOutput();
  }

  @Override
  public List<DataFile> commit() throws IOException {
    return delegate.commit();
  }

  @Override
  public void removeReplaced() throws IOException {
    delegate.removeReplaced();
  }

  @Override
  public void removeReplaced(java.util.Collection<String> replaced) throws IOException {
    delegate.removeReplaced(replaced);
  }

  @Override
  public void removeCommitted() throws IOException {
    delegate.removeCommitted();
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
