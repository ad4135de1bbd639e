package dev.inlet.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 exactly as {@code new InputStreamReader(in, UTF_8)} does (each malformed sequence becomes one
 * U+FFFD, as the decoder delimits it), and counts the replacements, remembering where the first one is in the
 * chars read. Does not close the stream. Not thread-safe.
 */
final class Utf8Reader extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8
      .newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 15);
  private boolean eof;
  private boolean done;
  private long charsRead;
  private long replacements;
  private long firstReplacement = -1;

  Utf8Reader(InputStream in) {
    this.in = in;
    bytes.flip();
  }

  /** The malformed sequences replaced so far. */
  long replacements() {
    return replacements;
  }

  /** The index, among the chars read from this reader, of the first replacement, or -1. */
  long firstReplacement() {
    return firstReplacement;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (true) {
      if (done) {
        break;
      }
      CoderResult r = decoder.decode(bytes, out, eof);
      if (r.isError()) {
        if (!out.hasRemaining()) {
          break; // replaced on the next read
        }
        if (firstReplacement < 0) {
          firstReplacement = charsRead + out.position() - off;
        }
        replacements++;
        out.put('\uFFFD');
        bytes.position(bytes.position() + r.length());
        continue;
      }
      if (r.isOverflow()) {
        break;
      }
      if (eof) { // underflow at the end of the input: all bytes decoded
        if (decoder.flush(out).isOverflow()) {
          break;
        }
        done = true;
        break;
      }
      if (out.position() > off) {
        break; // give what is decoded rather than block for more
      }
      fill();
    }
    int n = out.position() - off;
    charsRead += n;
    return n == 0 && done ? -1 : n;
  }

  private void fill() throws IOException {
    bytes.compact();
    int n;
    do {
      n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    } while (n == 0);
    if (n < 0) {
      eof = true;
    } else {
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  @Override
  public void close() {
    // the stream belongs to the caller
  }
}
