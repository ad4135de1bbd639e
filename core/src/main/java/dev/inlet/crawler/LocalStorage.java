package dev.inlet.crawler;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Storage} over a local folder. Listing skips hidden folders ({@code .} or {@code _} prefix) without
 * entering them; each read opens the file, reads with positional reads and closes it. Thread-safe.
 */
public final class LocalStorage implements Storage {
  private final Path root;

  private LocalStorage(Path root) {
    this.root = root;
  }

  /**
   * A storage rooted at {@code folder}.
   *
   * @throws IllegalArgumentException if {@code folder} is not a directory
   */
  public static LocalStorage at(Path folder) {
    Objects.requireNonNull(folder, "folder");
    Path root = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("Cannot crawl " + root + ": not a directory");
    }
    return new LocalStorage(root);
  }

  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return uri(root);
  }

  @Override
  public String location(String folder) {
    return folder.isEmpty() ? location() : uri(root.resolve(folder));
  }

  private static String uri(Path dir) {
    String uri = dir.toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }

  @Override
  public List<StoredFile> list() throws IOException {
    List<StoredFile> files = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return !dir.equals(root) && Crawler.isHidden(dir.getFileName().toString())
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          String rel = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
          files.add(new StoredFile(rel, attrs.size(), attrs.lastModifiedTime().toInstant()));
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
    try (FileChannel ch = FileChannel.open(root.resolve(path), StandardOpenOption.READ)) {
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
  public String toString() {
    return location();
  }
}
