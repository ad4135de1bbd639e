package dev.inlet.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A file being written through {@link FileStore#create(String, FileStore.WriteMode)}: invisible until
 * {@link #commit()}. Lifecycle: write, {@link #close()} (the bytes are all written but still hidden), then exactly
 * one of {@link #commit()} or {@link #abort()}. Used by one thread at a time.
 *
 * <p>Implementations: a local store writes a hidden temp file beside the path and renames it atomically on commit;
 * an S3 store streams a multipart upload (or holds a small file for one {@code PutObject}) and completes it on
 * commit.
 */
public abstract class StagedOutput extends OutputStream {
  /** For subclasses. */
  protected StagedOutput() {}

  /**
   * The path the file becomes visible at.
   *
   * @return the path below the store's root
   */
  public abstract String path();

  /**
   * Whether {@link #close()} was called (also after a commit or an abort).
   *
   * @return true once closed
   */
  public abstract boolean isClosed();

  /**
   * Makes the file visible at {@link #path()}, replacing a file there unless the mode is
   * {@link FileStore.WriteMode#CREATE_ONLY}. On failure the output is aborted: nothing new is visible.
   *
   * @return the size of the committed file in bytes
   * @throws IllegalStateException if the output is not closed, or already committed or aborted
   * @throws java.nio.file.FileAlreadyExistsException if the mode is create-only and a file exists at the path
   * @throws IOException if the file cannot be made visible, or writing it failed earlier
   */
  public abstract long commit() throws IOException;

  /**
   * Discards what was written, and the empty folders {@link FileStore#create} made for it. Idempotent; does nothing
   * after a commit. Closes the output if it is open.
   *
   * @throws IllegalStateException if the store cannot discard it (it stays invisible, e.g. an incomplete upload
   *     that a bucket lifecycle rule removes)
   */
  public abstract void abort();
}
