package dev.inlet.csv;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Staging;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/** Stages exactly one output as a hidden sibling of {@code target}; commit renames it over the target. */
final class SingleFileStaging implements Staging {
  private final Path target;
  private Path staged;
  private boolean done;

  SingleFileStaging(Path target) {
    this.target = target.toAbsolutePath();
  }

  @Override
  public OutputStream newOutput(Map<String, String> partition) throws IOException {
    if (staged != null) {
      throw new IOException(
          "Cannot write " + target + ": the conversion produced more than one output file");
    }
    Files.createDirectories(target.getParent());
    staged = target.resolveSibling(Layout.stagingName(target.getFileName().toString()));
    return Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  @Override
  public List<DataFile> commit() throws IOException {
    if (staged == null) {
      throw new IOException("Cannot write " + target + ": nothing was converted");
    }
    try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    done = true;
    return List.of(new DataFile(Map.of(), target.toUri().toString(), Files.size(target)));
  }

  @Override
  public void abort() {
    if (staged != null && !done) {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException e) {
        // Best effort: a hidden staging file is invisible to readers.
      }
      done = true;
    }
  }

  @Override
  public void close() {
    abort();
  }
}
