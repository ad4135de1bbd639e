package dev.inlet.local;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sink} writing to a local folder (the warehouse), laid out by {@link Layout}:
 * {@code <warehouse>/bronze/<table>/<key>=<value>/part-<source>-<seq>.parquet}.
 *
 * <p>Outputs are written under hidden staging names ({@link Layout#stagingName(String)}), which Hive, Athena, Spark
 * and DuckDB skip, and become visible on {@link Staging#commit()}: each file is synced, then atomically renamed to
 * its final name (replacing the file of that name from an earlier run), then the source file's older files with a
 * higher sequence number in the same partitions are deleted, so a rerun replaces, never duplicates. A crash before
 * the renames leaves only hidden staging files, which {@link #removeStaleStaging(Path, Duration)} cleans up.
 * Thread-safe: stagings of different source files may run at once.
 */
public final class LocalWarehouse implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(LocalWarehouse.class);

  private final Path root;

  private LocalWarehouse(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** A sink writing under {@code warehouse} (created when first written to). */
  public static LocalWarehouse at(Path warehouse) {
    if (warehouse == null) {
      throw new IllegalArgumentException("warehouse must not be null");
    }
    return new LocalWarehouse(warehouse);
  }

  /** The warehouse root, absolute. */
  public Path root() {
    return root;
  }

  @Override
  public Staging stage(TableId table, SourceFile file) throws IOException {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(file, "file");
    return new LocalStaging(tableDir(table), file.id());
  }

  @Override
  public String location(TableId table) {
    return directoryUri(tableDir(table));
  }

  /**
   * Deletes the staging files under {@code warehouse}'s {@code bronze} folder last modified more than
   * {@code olderThan} ago: leftovers of writers that crashed. Pick an age longer than any write can take, so that
   * files of running writers are kept.
   *
   * @return how many files were deleted
   */
  public static int removeStaleStaging(Path warehouse, Duration olderThan) throws IOException {
    Path zone = warehouse.toAbsolutePath().normalize().resolve(Layout.ZONE);
    if (!Files.isDirectory(zone)) {
      return 0;
    }
    Instant cutoff = Instant.now().minus(olderThan);
    int[] removed = {0};
    Files.walkFileTree(zone, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (Layout.isStagingName(f.getFileName().toString())
            && attrs.lastModifiedTime().toInstant().isBefore(cutoff) && Files.deleteIfExists(f)) {
          removed[0]++;
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (removed[0] > 0) {
      LOG.info("Removed {} stale staging files under {}", removed[0], zone);
    }
    return removed[0];
  }

  private Path tableDir(TableId table) {
    return root.resolve(Layout.tablePath(table));
  }

  static String directoryUri(Path dir) {
    String uri = dir.toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  /** The outputs of one source file. Used by one thread at a time. */
  private static final class LocalStaging implements Staging {
    private final Path tableDir;
    private final String sourceId;
    private final List<Output> outputs = new ArrayList<>();
    private final Map<Path, Integer> nextSeq = new LinkedHashMap<>();
    private boolean committed;
    private boolean aborted;

    LocalStaging(Path tableDir, String sourceId) {
      this.tableDir = tableDir;
      this.sourceId = sourceId;
    }

    @Override
    public OutputStream newOutput(Map<String, String> partition) throws IOException {
      requireOpen("open an output");
      String partitionPath = Layout.partitionPath(partition);
      Path dir = partitionPath.isEmpty() ? tableDir : tableDir.resolve(partitionPath);
      Files.createDirectories(dir);
      int seq = nextSeq.merge(dir, 1, Integer::sum) - 1;
      String name = Layout.fileName(sourceId, seq);
      Path staged = dir.resolve(Layout.stagingName(name));
      Output out = new Output(partition, staged, dir.resolve(name),
          Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      outputs.add(out);
      return out;
    }

    @Override
    public List<DataFile> commit() throws IOException {
      requireOpen("commit");
      for (Output o : outputs) {
        if (!o.closed) {
          throw new IllegalStateException("Cannot commit " + o.finalPath.getFileName() + " of source " + sourceId
              + ": its output stream is still open; close every output before commit");
        }
      }
      try {
        for (Output o : outputs) {
          LocalFiles.sync(o.staged);
        }
        List<DataFile> files = new ArrayList<>(outputs.size());
        for (Output o : outputs) {
          Files.move(o.staged, o.finalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          files.add(new DataFile(o.partition, o.finalPath.toUri().toString(), Files.size(o.finalPath)));
        }
        committed = true;
        for (Map.Entry<Path, Integer> e : nextSeq.entrySet()) {
          deleteOlderFiles(e.getKey(), e.getValue());
          LocalFiles.syncDirectory(e.getKey());
        }
        return files;
      } finally {
        if (!committed) {
          abort();
        }
      }
    }

    /** Deletes this source's committed files in {@code dir} with a sequence number of {@code firstStale} or more. */
    private void deleteOlderFiles(Path dir, int firstStale) throws IOException {
      String prefix = Layout.filePrefix(sourceId);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*.parquet")) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          String seq = name.substring(prefix.length(), name.length() - ".parquet".length());
          if (seq.chars().allMatch(Character::isDigit) && !seq.isEmpty() && Integer.parseInt(seq) >= firstStale) {
            Files.deleteIfExists(f);
          }
        }
      }
    }

    @Override
    public void abort() {
      if (committed || aborted) {
        return;
      }
      aborted = true;
      for (Output o : outputs) {
        try {
          o.close();
        } catch (IOException e) {
          LOG.debug("Closing staged {} failed while aborting: {}", o.staged, e.toString());
        }
        try {
          Files.deleteIfExists(o.staged);
        } catch (NoSuchFileException e) {
          // Already gone.
        } catch (IOException e) {
          LOG.warn("Cannot delete staged file {}: {}; it stays hidden, removeStaleStaging cleans it up", o.staged,
              e.toString());
        }
      }
    }

    @Override
    public void close() {
      abort();
    }

    private void requireOpen(String what) {
      if (committed || aborted) {
        throw new IllegalStateException("Cannot " + what + " for source " + sourceId + ": the staging is already "
            + (committed ? "committed" : "aborted"));
      }
    }
  }

  /** A staged output stream that remembers whether it was closed. */
  private static final class Output extends FilterOutputStream {
    final Map<String, String> partition;
    final Path staged;
    final Path finalPath;
    boolean closed;

    Output(Map<String, String> partition, Path staged, Path finalPath, OutputStream out) {
      super(out);
      this.partition = partition;
      this.staged = staged;
      this.finalPath = finalPath;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        super.close();
      }
    }
  }
}
