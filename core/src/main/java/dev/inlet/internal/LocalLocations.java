package dev.inlet.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Not API. The one rule for checking a cataloged location on this machine: a {@code file:} URI of the default file
 * system is checked on disk; any other location (s3://, a file system of another machine) cannot be and is trusted.
 * The bronze {@link dev.inlet.Pipeline} (a recorded file gone) and the silver refinement (a partition folder without
 * Parquet) use it, as does DuckDB's view of a table.
 */
public final class LocalLocations {
  private LocalLocations() {}

  /**
   * {@return the path {@code location} names on this machine, or empty if it is not a {@code file:} URI of the
   * default file system (the location is then trusted)}
   *
   * @param location a URI string
   */
  public static Optional<Path> path(String location) {
    if (location == null || !location.regionMatches(true, 0, "file:", 0, 5)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(URI.create(location)));
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return Optional.empty(); // not a path of this machine's default file system
    }
  }

  /**
   * {@return whether {@code dir} is a folder holding a {@code *.parquet} file (directly: a partition's version
   * folder), as a reader of the partition finds it}
   *
   * @param dir the folder
   * @throws IOException if the folder exists but cannot be listed, with a message naming it (callers wrap it in
   *     their API's exception: this package uses no API type, so it forms no package cycle)
   */
  public static boolean holdsParquet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.parquet")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      throw new IOException(
          "Cannot list the partition folder " + dir + ": " + e.getMessage()
              + "; check its permissions",
          e);
    }
  }

  /**
   * {@return whether {@code location} is a folder on this machine that holds no Parquet file (gone, emptied), false
   * for a location that cannot be checked here}
   *
   * @param location a folder's URI string
   * @throws IOException if the folder exists but cannot be listed
   */
  public static boolean missingParquet(String location) throws IOException {
    Optional<Path> dir = path(location);
    return dir.isPresent() && !holdsParquet(dir.get());
  }
}
