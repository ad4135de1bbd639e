package dev.inlet.parquet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over a given stream, counting bytes for the position. Closing the Parquet side
 * flushes but does not close the given stream: whoever opened it closes it. Small writes are buffered (64 KiB)
 * until a flush.
 */
final class StreamOutputFile implements OutputFile {
  static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream out;
  private CountingStream stream;

  StreamOutputFile(OutputStream out) {
    this.out = out;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    if (stream != null) {
      throw new IllegalStateException("Cannot create Parquet output twice over one stream");
    }
    stream = new CountingStream(out);
    return stream;
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return create(blockSizeHint);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return "stream";
  }

  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long pos;

    CountingStream(OutputStream out) {
      // page headers and footer arrive as many tiny writes: batch them before the (maybe unbuffered) stream
      this.out = new BufferedOutputStream(out, BUFFER_BYTES);
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
