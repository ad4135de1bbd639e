package dev.inlet.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A third {@link FileStore}, in memory: shows the SPI is enough for a backend with neither folders nor renames, and
 * lets the shared sink code be tested without a file system. Outputs being written are kept apart
 * ({@link #inProgress()}) so tests can check nothing is left behind.
 */
final class MemoryFileStore implements FileStore {
  private record Entry(byte[] bytes, Instant written) {}

  private final String root;
  private final ConcurrentSkipListMap<String, Entry> files = new ConcurrentSkipListMap<>();
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

  MemoryFileStore(String name) {
    this.root = "mem://" + name + "/";
  }

  /** Paths of outputs created and neither committed nor aborted. */
  Set<String> inProgress() {
    return Set.copyOf(inProgress);
  }

  /** Every committed path, sorted. */
  List<String> paths() {
    return new ArrayList<>(files.keySet());
  }

  byte[] bytes(String path) {
    Entry e = files.get(path);
    return e == null ? null : e.bytes();
  }

  @Override
  public String location() {
    return root;
  }

  @Override
  public String location(String path) {
    return root + path;
  }

  @Override
  public Optional<String> path(String location) {
    if (!location.startsWith(root)) {
      return Optional.empty();
    }
    String p = location.substring(root.length());
    return Arrays.stream(p.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))
        ? Optional.empty()
        : Optional.of(p);
  }

  @Override
  public List<StoredFile> list(String prefix) {
    List<StoredFile> out = new ArrayList<>();
    for (Map.Entry<String, Entry> e : files.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(
          new StoredFile(e.getKey(), e.getValue().bytes().length, e.getValue().written()));
    }
    return out;
  }

  @Override
  public void read(String path, long position, ByteBuffer into) throws IOException {
    byte[] b = existing(path);
    if (position + into.remaining() > b.length) {
      throw new EOFException("Cannot read " + location(path) + ": it ends at " + b.length);
    }
    into.put(b, (int) position, into.remaining());
  }

  @Override
  public InputStream open(String path) throws IOException {
    return new ByteArrayInputStream(existing(path));
  }

  private byte[] existing(String path) throws NoSuchFileException {
    Entry e = files.get(check(path));
    if (e == null) {
      throw new NoSuchFileException(location(path));
    }
    return e.bytes();
  }

  @Override
  public StagedOutput create(String path, WriteMode mode) {
    check(path);
    if (path.endsWith("/")) {
      throw new IllegalArgumentException("Cannot create " + path + ": a folder");
    }
    inProgress.add(path);
    return new StagedOutput() {
      private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
      private boolean closed;
      private boolean committed;
      private boolean aborted;

      @Override
      public String path() {
        return path;
      }

      @Override
      public boolean isClosed() {
        return closed || aborted;
      }

      @Override
      public void write(int b) throws IOException {
        if (closed || aborted) {
          throw new IOException("Cannot write " + path + ": closed");
        }
        buf.write(b);
      }

      @Override
      public void close() {
        closed = true;
      }

      @Override
      public long commit() throws IOException {
        if (committed || aborted) {
          throw new IllegalStateException(
              "Cannot commit " + path + ": already " + (committed ? "committed" : "aborted"));
        }
        if (!closed) {
          throw new IllegalStateException(
              "Cannot commit " + path + ": its output stream is still open");
        }
        Entry e = new Entry(buf.toByteArray(), Instant.now());
        if (mode == WriteMode.CREATE_ONLY && files.putIfAbsent(path, e) != null) {
          abort();
          throw new FileAlreadyExistsException(
              location(path), null, "Cannot commit " + path + ": it exists");
        } else if (mode == WriteMode.REPLACE) {
          files.put(path, e);
        }
        committed = true;
        inProgress.remove(path);
        return e.bytes().length;
      }

      @Override
      public void abort() {
        if (!committed) {
          aborted = true;
          inProgress.remove(path);
        }
      }
    };
  }

  @Override
  public void delete(Collection<String> paths) {
    paths.forEach(p -> files.remove(check(p)));
  }

  @Override
  public int deleteFolder(String folder) {
    if (!folder.endsWith("/") || folder.equals("/")) {
      throw new IllegalArgumentException("Cannot delete folder " + folder + ": end it in /");
    }
    check(folder);
    List<String> gone = list(folder).stream().map(StoredFile::path).toList();
    gone.forEach(files::remove);
    return gone.size();
  }

  private String check(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty()
        || p.startsWith("/")
        || Arrays.stream(p.split("/", -1))
            .anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
      throw new IllegalArgumentException("Invalid path '" + path + "'");
    }
    return path;
  }
}
