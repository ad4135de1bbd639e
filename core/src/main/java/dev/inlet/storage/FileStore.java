package dev.inlet.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The files under one root folder (a local folder, an S3 prefix): list, read, write through a staged output that
 * becomes visible only on commit, delete. The one storage SPI of Inlet, modelled on Iceberg's {@code FileIO}: the
 * sinks ({@link dev.inlet.local.LocalWarehouse}, {@code S3Sink}) and the {@link dev.inlet.crawler.Crawler} work
 * through it, so a new backend is one class.
 *
 * <p>Paths are relative to the root, with {@code /} between folders, never starting with {@code /} and without
 * {@code .} or {@code ..} segments; a path ending in {@code /} names a folder. Folders exist only as prefixes of
 * files: a store need not create or keep empty ones. Implementations are thread-safe (several files are written
 * and read at once); each {@link StagedOutput} is used by one thread. A store built over a client the caller gave
 * it does not close that client.
 *
 * <p>Implementations: {@link LocalFileStore}; {@code dev.inlet.aws.s3.S3FileStore} in inlet-aws. A store of one's
 * own passes {@code dev.inlet.contract.FileStoreContract} of inlet-testkit ({@code docs/extending.md}) and becomes a
 * {@link dev.inlet.Sink} with {@link FileStoreSink}.
 */
public interface FileStore {
  /** How {@link #create(String, WriteMode)} treats a file that already exists at commit. */
  enum WriteMode {
    /** Commit replaces an existing file at the path, atomically: a reader sees the old file or the new one. */
    REPLACE,
    /**
     * Commit fails with a {@link java.nio.file.FileAlreadyExistsException} naming the file if one exists at the
     * path (S3: {@code If-None-Match: *}); the existing file is kept.
     */
    CREATE_ONLY
  }

  /**
   * The URI of the root folder, ending in {@code /}.
   *
   * @return e.g. {@code file:///data/lake/} or {@code s3://bucket/prefix/}
   */
  String location();

  /**
   * The URI of {@code path} below the root: a file, or a folder when {@code path} ends in {@code /} (the URI then
   * ends in {@code /} too); the empty path is the root.
   *
   * @param path a path below the root
   * @return the URI, as a string
   */
  String location(String path);

  /**
   * The path below the root that {@code location} (a URI as {@link #location(String)} makes them) names, ending in
   * {@code /} if {@code location} does; empty if it is not below this store's root or has a {@code .} or {@code ..}
   * segment.
   *
   * @param location a URI string
   * @return the path, or empty
   */
  Optional<String> path(String location);

  /**
   * Every file whose path starts with {@code prefix}, at any depth, sorted by path: {@code ""} is every file,
   * {@code a/b/} the files under folder {@code a/b}, {@code a/b/part-} those in or below {@code a/b} whose path goes
   * on with {@code part-}. Implementations may leave out files under folders whose name starts with {@code .} or
   * {@code _} (hidden, as Hive has it) below the prefix, but not a folder whose name the prefix reaches into
   * ({@code t/_rej} lists {@code t/_rejects/x.csv}); a missing folder lists as empty.
   *
   * @param prefix the prefix of the paths wanted
   * @return the files, sorted by path
   * @throws IOException if listing fails
   */
  List<StoredFile> list(String prefix) throws IOException;

  /**
   * Reads {@code into.remaining()} bytes of the file at {@code path}, starting at {@code position}, into
   * {@code into}, advancing its position.
   *
   * @param path the file
   * @param position the offset of the first byte to read
   * @param into where the bytes go
   * @throws java.io.EOFException if the file ends before
   * @throws java.nio.file.NoSuchFileException if there is no file at {@code path}
   * @throws IOException if reading fails
   */
  void read(String path, long position, ByteBuffer into) throws IOException;

  /**
   * Opens the file at {@code path} for reading from its start. The caller closes the stream.
   *
   * @param path the file
   * @return a stream over the file's bytes
   * @throws java.nio.file.NoSuchFileException if there is no file at {@code path}
   * @throws IOException if it cannot be opened
   */
  InputStream open(String path) throws IOException;

  /**
   * Starts writing the file at {@code path}: invisible to {@link #list}, {@link #read} and any reader of the
   * storage until {@link StagedOutput#commit()}, gone after {@link StagedOutput#abort()}. Missing folders are
   * created as needed (and an abort removes the ones it created, when empty).
   *
   * @param path the file to write, not ending in {@code /}
   * @param mode whether commit may replace an existing file
   * @return the output; write, close, then commit or abort
   * @throws IOException if the output cannot be created
   */
  StagedOutput create(String path, WriteMode mode) throws IOException;

  /**
   * Commits {@code outputs}, all made by this store's {@link #create} and closed, in order, as
   * {@link StagedOutput#commit()} on each would. A store may batch the work (a local store syncs every file, renames
   * each, then syncs each folder once). Stops at the first failure and throws it: the outputs before it may be
   * committed, the failing one is aborted, the ones after may be neither (abort them).
   *
   * @param outputs the outputs to commit
   * @return the committed sizes, in the order of {@code outputs}
   * @throws IllegalStateException if an output is open, committed or aborted
   * @throws java.nio.file.FileAlreadyExistsException if an output is create-only and its file exists
   * @throws IOException if an output cannot be made visible
   */
  default long[] commit(List<StagedOutput> outputs) throws IOException {
    long[] sizes = new long[outputs.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = outputs.get(i).commit();
    }
    return sizes;
  }

  /**
   * Deletes the files at {@code paths}; a path with no file is fine. An object store deletes in batches.
   *
   * @param paths the files
   * @throws IOException if a file exists and cannot be deleted (others may be deleted)
   */
  void delete(Collection<String> paths) throws IOException;

  /**
   * Deletes the file at {@code path}, if there is one.
   *
   * @param path the file
   * @throws IOException if it exists and cannot be deleted
   */
  default void delete(String path) throws IOException {
    delete(List.of(path));
  }

  /**
   * Deletes every file under the folder {@code folder} (ending in {@code /}), at any depth, including hidden ones.
   * A local store first hides the folder in one atomic rename, so a reader that still lists it finds nothing rather
   * than a part of its files; an object store deletes in batches.
   *
   * @param folder the folder, ending in {@code /}; not the root
   * @return how many files were deleted
   * @throws IOException if a file cannot be deleted (the ones before it are)
   */
  int deleteFolder(String folder) throws IOException;

  /**
   * Deletes {@code folder} (ending in {@code /}) and then its parents while they are empty, up to (not including)
   * the root. For stores with real folders; a folder with any entry stays. Object stores have no empty folders, so
   * the default does nothing.
   *
   * @param folder the folder, ending in {@code /}
   * @throws IOException if an empty folder cannot be deleted
   */
  default void deleteEmptyFolders(String folder) throws IOException {}
}
