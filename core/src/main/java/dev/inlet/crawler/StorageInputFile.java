package dev.inlet.crawler;

import dev.inlet.storage.FileStore;
import dev.inlet.storage.StoredFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over one {@link StoredFile} of a {@link FileStore}: every read is a range read. Single
 * bytes ({@code read()}) are served from a buffer filled with at most {@value #TAIL} bytes up to the end of the
 * file, so a footer read (seek to length - 8, read the footer length and the magic, byte by byte or at once, then
 * read the footer in one go) costs exactly two range reads: the last 8 bytes, then the footer.
 */
final class StorageInputFile implements InputFile {
  static final int TAIL = 8;

  private final FileStore storage;
  private final StoredFile file;

  StorageInputFile(FileStore storage, StoredFile file) {
    this.storage = storage;
    this.file = file;
  }

  @Override
  public long getLength() {
    return file.size();
  }

  @Override
  public SeekableInputStream newStream() {
    return new RangeStream();
  }

  @Override
  public String toString() {
    return storage.location(file.path());
  }

  private final class RangeStream extends SeekableInputStream {
    private long pos;
    private final ByteBuffer buf = ByteBuffer.allocate(TAIL).limit(0);
    private long bufStart = -1;

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0 || newPos > file.size()) {
        throw new EOFException(
            "Cannot seek to " + newPos + " in " + file.path() + " of " + file.size() + " bytes");
      }
      pos = newPos;
    }

    private boolean buffered(long p) {
      return bufStart >= 0 && p >= bufStart && p < bufStart + buf.limit();
    }

    @Override
    public int read() throws IOException {
      if (pos >= file.size()) {
        return -1;
      }
      if (!buffered(pos)) {
        int n = (int) Math.min(TAIL, file.size() - pos);
        buf.clear().limit(n);
        storage.read(file.path(), pos, buf);
        buf.flip();
        bufStart = pos;
      }
      return buf.get((int) (pos++ - bufStart)) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos >= file.size()) {
        return -1;
      }
      int n = (int) Math.min(len, file.size() - pos);
      readFully(b, off, n);
      return n;
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
      readFully(ByteBuffer.wrap(bytes));
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws IOException {
      readFully(ByteBuffer.wrap(bytes, start, len));
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
      if (!into.hasRemaining()) {
        return 0;
      }
      if (pos >= file.size()) {
        return -1;
      }
      int n = (int) Math.min(into.remaining(), file.size() - pos);
      ByteBuffer slice = into.slice().limit(n);
      readFully(slice);
      into.position(into.position() + n);
      return n;
    }

    @Override
    public void readFully(ByteBuffer into) throws IOException {
      while (into.hasRemaining() && buffered(pos)) {
        into.put(buf.get((int) (pos++ - bufStart)));
      }
      if (into.hasRemaining()) {
        if (pos + into.remaining() > file.size()) {
          throw new EOFException("Cannot read " + into.remaining() + " bytes at " + pos + " of "
              + file.path() + ": it has " + file.size() + " bytes");
        }
        int n = into.remaining();
        storage.read(file.path(), pos, into);
        pos += n;
      }
    }

    @Override
    public void close() {}
  }
}
