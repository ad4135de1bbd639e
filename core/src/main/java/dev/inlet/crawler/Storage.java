package dev.inlet.crawler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The files under one root folder (a local folder, an S3 prefix): what the {@link Crawler} lists and reads. Paths
 * are relative to the root, with {@code /} between folders.
 *
 * <p>The crawler only lists and reads byte ranges (a Parquet footer: the last 8 bytes, then the footer); it never
 * writes. Implementations are thread-safe: the crawler reads several files at once. A storage built over a client
 * the caller gave it does not close that client.
 */
public interface Storage {
  /** URI of the root folder, ending in {@code /} ({@code file:///data/lake/}, {@code s3://bucket/prefix/}). */
  String location();

  /**
   * Every file below the root, at any depth, sorted by path. Implementations may leave out files under folders whose
   * name starts with {@code .} or {@code _} (hidden, as Hive has it); the crawler skips them either way.
   *
   * @throws IOException if listing fails
   */
  List<StoredFile> list() throws IOException;

  /**
   * Reads {@code into.remaining()} bytes of the file at {@code path}, starting at {@code position}, into
   * {@code into}, advancing its position.
   *
   * @throws java.io.EOFException if the file ends before
   * @throws IOException if reading fails
   */
  void read(String path, long position, ByteBuffer into) throws IOException;

  /** URI of the folder {@code folder} below the root (empty: the root), ending in {@code /}. */
  default String location(String folder) {
    return folder.isEmpty() ? location() : location() + folder + "/";
  }
}
