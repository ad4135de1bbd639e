package dev.inlet.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File system helpers shared by the local sink and catalog. */
final class LocalFiles {
  private LocalFiles() {}

  /** Syncs {@code file}'s content to disk. */
  static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Syncs a directory so that renames in it survive a crash. Best effort: some platforms (Windows) cannot open a
   * directory, in which case the rename is still atomic, only its durability is up to the OS.
   */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here; atomicity does not depend on it.
    }
  }

  /**
   * Replaces {@code file} with {@code bytes} all at once: written to a hidden temp file beside it, forced to disk,
   * renamed over it atomically, then the folder is synced. A crash leaves the old file or the new, never a mix.
   * The file gets the permissions the process's umask gives, as data files do (not {@code createTempFile}'s 0600).
   */
  static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = Files.createFile(
        file.resolveSibling("." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp"));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(file.getParent());
  }
}
