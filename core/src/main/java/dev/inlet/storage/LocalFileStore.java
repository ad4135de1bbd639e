package dev.inlet.storage;

import dev.inlet.Layout;
import dev.inlet.internal.HiddenFolders;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FileStore} over a local folder (created when first written to). A staged output is a hidden file beside
 * its path ({@link Layout#stagingName(String)}, which Hive, Athena, Spark and DuckDB skip and {@link #list} leaves
 * out); commit syncs it to disk, renames it atomically to its path and syncs the folder, so a crash leaves the old
 * file or the new, never a part. Create-only commits link instead of renaming, which fails if the path exists.
 * Listing skips hidden folders ({@code .} or {@code _} prefix) below the prefix without entering them (a prefix that
 * reaches into a folder's name, as {@code t/_rej} into {@code t/_rejects/}, asks for that folder); each read
 * opens the file, reads with positional reads and closes it. Thread-safe.
 */
public final class LocalFileStore implements FileStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFileStore.class);
  private static final int CREATE_ATTEMPTS = 3;

  private final Path root;

  private LocalFileStore(Path root) {
    this.root = root;
  }

  /**
   * A store rooted at {@code folder}, which need not exist yet.
   *
   * @param folder the root folder
   * @return the store
   */
  public static LocalFileStore at(Path folder) {
    Objects.requireNonNull(folder, "folder");
    return new LocalFileStore(folder.toAbsolutePath().normalize());
  }

  /**
   * The root folder, absolute and normalised.
   *
   * @return the root
   */
  public Path root() {
    return root;
  }

  @Override
  public String location() {
    String uri = root.toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  @Override
  public String location(String path) {
    if (path.isEmpty()) {
      return location();
    }
    String uri = resolve(path).toUri().toString();
    if (path.endsWith("/")) {
      return uri.endsWith("/") ? uri : uri + "/";
    }
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  @Override
  public Optional<String> path(String location) {
    Objects.requireNonNull(location, "location");
    Path p;
    try {
      URI uri = URI.create(location);
      if (!"file".equals(uri.getScheme())
          || java.util.Arrays.asList(uri.getPath().split("/")).stream()
              .anyMatch(s -> s.equals(".") || s.equals(".."))) {
        return Optional.empty();
      }
      p = Path.of(uri).normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      return Optional.empty();
    }
    if (!p.startsWith(root)) {
      Optional<Path> same = throughLinks(p);
      if (same.isEmpty()) {
        return Optional.empty();
      }
      p = same.get();
    }
    String rel = separators(root.relativize(p));
    return Optional.of(rel.isEmpty() || !location.endsWith("/") ? rel : rel + "/");
  }

  /**
   * {@code p} as a path below {@link #root} when it names a file of this store by another way through links (the
   * root is a link and {@code p} goes to its target, or the other way round): the real paths of the two compared,
   * those of the deepest existing folders for paths not there (any more); empty otherwise, and for a file inside
   * the root that is itself a link elsewhere.
   */
  private Optional<Path> throughLinks(Path p) {
    try {
      Path realRoot = real(root);
      Path realP = real(p);
      if (realRoot == null || realP == null || !realP.startsWith(realRoot)) {
        return Optional.empty();
      }
      return Optional.of(root.resolve(realRoot.relativize(realP)).normalize());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The real path of {@code p}: of its deepest existing ancestor, with the rest of {@code p} appended. */
  private static Path real(Path p) throws IOException {
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? null : existing.toRealPath().resolve(existing.relativize(p));
  }

  @Override
  public List<StoredFile> list(String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : resolve(prefix.substring(0, slash + 1));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<StoredFile> files = new ArrayList<>();
    // links followed: a table folder (or the root) that is a link to another disk lists its files,
    // as a reader
    // (and main's sink) sees them; a link loop fails the listing
    Files.walkFileTree(
        start,
        java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(start)) {
              return FileVisitResult.CONTINUE;
            }
            String rel = separators(root.relativize(dir)) + "/";
            if (!rel.startsWith(prefix) && !prefix.startsWith(rel)) {
              return FileVisitResult.SKIP_SUBTREE; // no path below it starts with the prefix
            }
            // hidden below the prefix only: a prefix that reaches into the name ("t/_rej" for
            // "t/_rejects/") asks for the folder
            String name = dir.getFileName().toString();
            boolean belowPrefix = rel.length() - name.length() - 1 >= prefix.length();
            return belowPrefix && (name.startsWith(".") || name.startsWith("_"))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String rel = separators(root.relativize(file));
            if (attrs.isRegularFile()
                && rel.startsWith(prefix)
                && !Layout.isStagingName(file.getFileName().toString())) {
              files.add(
                  new StoredFile(rel, attrs.size(), attrs.lastModifiedTime().toInstant()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // deleted while listing
            }
            throw e;
          }
        });
    files.sort(Comparator.comparing(StoredFile::path));
    return files;
  }

  @Override
  public void read(String path, long position, ByteBuffer into) throws IOException {
    try (FileChannel ch = FileChannel.open(resolve(path), StandardOpenOption.READ)) {
      long pos = position;
      while (into.hasRemaining()) {
        int n = ch.read(into, pos);
        if (n < 0) {
          throw new EOFException("Cannot read " + path + ": it ends at " + pos + " before the "
              + into.remaining() + " bytes wanted");
        }
        pos += n;
      }
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    return Files.newInputStream(resolve(path));
  }

  @Override
  public StagedOutput create(String path, WriteMode mode) throws IOException {
    Objects.requireNonNull(mode, "mode");
    if (path.endsWith("/")) {
      throw new IllegalArgumentException(
          "Cannot create " + path + ": it names a folder, not a file");
    }
    Path file = resolve(path);
    Path dir = file.getParent();
    Path staged = dir.resolve(Layout.stagingName(file.getFileName().toString()));
    for (int attempt = 1; ; attempt++) {
      List<Path> created = new ArrayList<>();
      for (Path d = dir; !d.equals(root) && !Files.isDirectory(d); d = d.getParent()) {
        created.add(d);
      }
      Files.createDirectories(dir);
      try {
        return new LocalOutput(
            path,
            file,
            staged,
            created,
            mode,
            Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      } catch (NoSuchFileException e) {
        // A concurrent abort removed the folder, empty, between the two steps: make it again.
        if (attempt == CREATE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Batched as a local file system needs it to be fast and durable: every file is synced first, then each renamed
   * to its path, then each folder written to synced once (a folder sync after each rename would cost a journal
   * commit per file).
   */
  @Override
  public long[] commit(List<StagedOutput> outputs) throws IOException {
    List<LocalOutput> local = new ArrayList<>(outputs.size());
    for (StagedOutput o : outputs) {
      if (!(o instanceof LocalOutput l) || !l.file.startsWith(root)) {
        return FileStore.super.commit(outputs);
      }
      local.add(l);
    }
    for (LocalOutput o : local) {
      o.prepare();
    }
    long[] sizes = new long[local.size()];
    java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
    try {
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = local.get(i).publish();
        folders.add(local.get(i).folder());
      }
    } finally {
      folders.forEach(LocalFileStore::syncDirectory);
    }
    return sizes;
  }

  @Override
  public void delete(Collection<String> paths) throws IOException {
    java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
    for (String path : paths) {
      Path file = resolve(path);
      if (Files.deleteIfExists(file)) {
        dirs.add(file.getParent());
      }
    }
    dirs.forEach(LocalFileStore::syncDirectory);
  }

  @Override
  public int deleteFolder(String folder) throws IOException {
    Path dir = folder(folder, "delete");
    Path hidden =
        dir.resolveSibling(HiddenFolders.replacedName(dir.getFileName().toString()));
    try {
      Files.move(dir, hidden, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException gone) {
      return 0;
    }
    int deleted;
    try { // a failure part-way leaves the hidden folder: say where, and who sweeps it
      deleted = HiddenFolders.deleteTree(hidden);
    } catch (IOException e) {
      throw new IOException(
          "Cannot delete folder " + folder + " of " + location() + ": " + e.getMessage()
              + "; its files were moved to the hidden folder " + hidden
              + " first, which readers and list() skip; what is left there is removed by"
              + " LocalWarehouse.removeStaleStaging once older than its age, or by hand",
          e);
    } finally {
      syncDirectory(dir.getParent());
    }
    return deleted;
  }

  @Override
  public void deleteEmptyFolders(String folder) throws IOException {
    for (Path d = folder(folder, "delete");
        d != null && d.startsWith(root) && !d.equals(root);
        d = d.getParent()) {
      try {
        Files.delete(d);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      }
      syncDirectory(d.getParent());
    }
  }

  @Override
  public String toString() {
    return location();
  }

  private Path folder(String folder, String verb) {
    if (!folder.endsWith("/") || folder.equals("/") || folder.endsWith("//")) {
      throw new IllegalArgumentException("Cannot " + verb + " folder '" + folder + "' of "
          + location() + ": give a folder below the root, ending in /");
    }
    return resolve(folder.substring(0, folder.length() - 1));
  }

  /** {@code path} below the root, refusing absolute paths and {@code .}/{@code ..} segments. */
  private Path resolve(String path) {
    Objects.requireNonNull(path, "path");
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty()
        || p.startsWith("/")
        || p.contains("\\")
        || java.util.Arrays.stream(p.split("/", -1))
            .anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
      throw new IllegalArgumentException("Invalid path '" + path + "' in " + location()
          + ": use a relative path with / between folders, without empty, . or .. segments");
    }
    return root.resolve(p);
  }

  private static String separators(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Syncs a directory so that renames in it survive a crash. Best effort: some platforms (Windows) cannot open a
   * directory, in which case the rename is still atomic, only its durability is up to the OS.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here; atomicity does not depend on it.
    }
  }

  /** A hidden file beside the path, renamed (or linked, create-only) to it on commit. */
  private static final class LocalOutput extends StagedOutput {
    private final String path;
    private final Path file;
    private final Path staged;
    private final List<Path> createdDirs;
    private final WriteMode mode;
    private final OutputStream out;
    private boolean closed;
    private boolean committed;
    private boolean aborted;

    LocalOutput(
        String path,
        Path file,
        Path staged,
        List<Path> createdDirs,
        WriteMode mode,
        OutputStream out) {
      this.path = path;
      this.file = file;
      this.staged = staged;
      this.createdDirs = createdDirs;
      this.mode = mode;
      this.out = out;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        out.close();
      }
    }

    @Override
    public long commit() throws IOException {
      prepare();
      long size = publish();
      syncDirectory(file.getParent());
      return size;
    }

    /** Checks the state and syncs the staged bytes to disk; aborts on failure. */
    void prepare() throws IOException {
      if (committed || aborted) {
        throw new IllegalStateException(
            "Cannot commit " + file + ": it is already " + (committed ? "committed" : "aborted"));
      }
      if (!closed) {
        throw new IllegalStateException(
            "Cannot commit " + file + ": its output stream is still open; close it first");
      }
      try {
        sync(staged);
      } catch (IOException | RuntimeException e) {
        abort();
        throw e;
      }
    }

    /** Renames (or, create-only, links) the synced file to its path; aborts on failure. The folder is not synced. */
    long publish() throws IOException {
      try {
        if (mode == WriteMode.CREATE_ONLY) {
          try {
            Files.createLink(file, staged);
          } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(
                file.toString(),
                null,
                "Cannot commit " + file
                    + ": the file already exists and the write is create-only; delete it or replace it");
          }
          Files.delete(staged);
        } else {
          Files.move(
              staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        return Files.size(file);
      } finally {
        if (!committed) {
          abort();
        }
      }
    }

    Path folder() {
      return file.getParent();
    }

    @Override
    public void abort() {
      if (committed || aborted) {
        return;
      }
      aborted = true;
      try {
        close();
      } catch (IOException e) {
        LOG.debug("Closing staged {} failed while aborting: {}", staged, e.toString());
      }
      try {
        Files.deleteIfExists(staged);
      } catch (IOException e) {
        LOG.warn(
            "Cannot delete staged file {}: {}; it stays hidden, removeStaleStaging cleans it up",
            staged,
            e.toString());
      }
      for (Path d : createdDirs) { // deepest first
        try {
          Files.delete(d); // only if empty: another writer may have written into it since
        } catch (IOException e) {
          LOG.debug("Keeping folder {}: {}", d, e.toString());
          return;
        }
      }
    }
  }
}
