package dev.inlet.testing;

import dev.inlet.DataFile;
import dev.inlet.Staging;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test {@link Staging} writing each output to {@code <dir>/<k>=<v>/.../part-<n>.parquet} and recording it. It
 * tracks which streams were closed, so tests can assert the converter closes what it opened.
 */
public final class TempDirStaging implements Staging {
  /** One output as the converter saw it. */
  public record Output(Map<String, String> partition, Path path) {}

  private final Path dir;
  private final List<Output> outputs = new ArrayList<>();
  private final List<Boolean> closed = new ArrayList<>();
  private boolean committed;
  private boolean aborted;

  public TempDirStaging(Path dir) {
    this.dir = dir;
  }

  @Override
  public OutputStream newOutput(Map<String, String> partition) throws IOException {
    if (committed || aborted) {
      throw new IllegalStateException("Staging already " + (committed ? "committed" : "aborted"));
    }
    Path folder = dir;
    for (Map.Entry<String, String> e : partition.entrySet()) {
      folder = folder.resolve(e.getKey() + "=" + e.getValue());
    }
    Files.createDirectories(folder);
    Path file = folder.resolve(String.format("part-%05d.parquet", outputs.size()));
    int index = outputs.size();
    outputs.add(new Output(new LinkedHashMap<>(partition), file));
    closed.add(false);
    return new FilterOutputStream(Files.newOutputStream(file)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        closed.set(index, true);
        super.close();
      }
    };
  }

  @Override
  public List<DataFile> commit() throws IOException {
    if (closed.contains(false)) {
      throw new IllegalStateException("Cannot commit: an output is still open");
    }
    committed = true;
    List<DataFile> files = new ArrayList<>();
    for (Output o : outputs) {
      files.add(new DataFile(o.partition(), o.path().toUri().toString(), Files.size(o.path())));
    }
    return files;
  }

  @Override
  public void abort() {
    aborted = true;
    for (Output o : outputs) {
      try {
        Files.deleteIfExists(o.path());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    if (!committed) {
      abort();
    }
  }

  public List<Output> outputs() {
    return Collections.unmodifiableList(outputs);
  }

  /** Whether every stream handed out was closed. */
  public boolean allClosed() {
    return !closed.contains(false);
  }

  /** Paths of the outputs in {@code partition}. */
  public List<Path> paths(Map<String, String> partition) {
    List<Path> paths = new ArrayList<>();
    for (Output o : outputs) {
      if (o.partition().equals(partition)) {
        paths.add(o.path());
      }
    }
    return paths;
  }

  public List<Path> paths() {
    List<Path> paths = new ArrayList<>();
    for (Output o : outputs) {
      paths.add(o.path());
    }
    return paths;
  }
}
