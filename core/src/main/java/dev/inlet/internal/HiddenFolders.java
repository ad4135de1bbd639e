package dev.inlet.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.UUID;

/**
 * The one rule for the hidden name a local folder gets while it is deleted ({@code .<name>.replaced-<uuid>}: hidden
 * from readers, as the leading dot makes it, so none sees half a folder), shared by {@code LocalFileStore}, which
 * makes them, and {@code LocalWarehouse.removeStaleStaging}, which sweeps the ones a failed delete left.
 */
public final class HiddenFolders {
  private static final String MARK = ".replaced-";

  private HiddenFolders() {}

  /**
   * A new hidden name for the folder named {@code folderName}, unique.
   *
   * @param folderName the folder's name (its last segment)
   * @return {@code .<folderName>.replaced-<uuid>}
   */
  public static String replacedName(String folderName) {
    return "." + folderName + MARK + UUID.randomUUID();
  }

  /**
   * Whether {@code name} is a name made by {@link #replacedName(String)}.
   *
   * @param name a file or folder name
   * @return true for a replaced folder's hidden name
   */
  public static boolean isReplacedName(String name) {
    return name.startsWith(".") && name.contains(MARK);
  }

  /**
   * Deletes {@code top} and everything below it, links not followed; a file or folder gone meanwhile is fine.
   *
   * @param top the folder
   * @return how many files were deleted
   * @throws IOException if a file or folder cannot be deleted (the ones before it are)
   */
  public static int deleteTree(Path top) throws IOException {
    int[] deleted = {0};
    Files.walkFileTree(top, new GoneIsFine() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (Files.deleteIfExists(f)) {
          deleted[0]++;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
    return deleted[0];
  }

  /**
   * The newest last-modified time of {@code top} and everything below it: when a failed delete last touched it.
   *
   * @param top the folder
   * @return the newest time
   * @throws IOException if it cannot be walked
   */
  public static Instant newest(Path top) throws IOException {
    Instant[] newest = {Instant.MIN};
    Files.walkFileTree(top, new GoneIsFine() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        newer(attrs);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
        newer(attrs);
        return FileVisitResult.CONTINUE;
      }

      private void newer(BasicFileAttributes attrs) {
        Instant t = attrs.lastModifiedTime().toInstant();
        if (t.isAfter(newest[0])) {
          newest[0] = t;
        }
      }
    });
    return newest[0];
  }

  /** A walk over a tree that may shrink meanwhile: an entry deleted before it is visited is passed over. */
  private abstract static class GoneIsFine extends SimpleFileVisitor<Path> {
    @Override
    public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE;
      }
      throw e;
    }
  }
}
