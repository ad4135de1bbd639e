package dev.inlet.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A file found by {@link FileStore#list(String)}.
 *
 * @param path the path below the store's root, folders separated by {@code /}, never starting with {@code /}
 * @param size length in bytes
 * @param lastModified when the file was last written
 */
public record StoredFile(String path, long size, Instant lastModified) {
  /**
   * Checks the components.
   *
   * @param path the path below the store's root
   * @param size length in bytes
   * @param lastModified when the file was last written
   * @throws IllegalArgumentException if the path is empty or absolute, or the size negative
   */
  public StoredFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lastModified, "lastModified");
    if (path.isEmpty() || path.startsWith("/")) {
      throw new IllegalArgumentException(
          "Invalid stored file path '" + path + "': must be relative and not empty");
    }
    if (size < 0) {
      throw new IllegalArgumentException("Invalid size " + size + " of " + path);
    }
  }

  /**
   * The folder part of {@link #path()}.
   *
   * @return {@code a/b} for {@code a/b/c.parquet}, empty at the root
   */
  public String folder() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /**
   * The file name, without folders.
   *
   * @return {@code c.parquet} for {@code a/b/c.parquet}
   */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
