package dev.inlet.csv;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a UTF-8 CSV byte stream into chunks of whole records, so that each chunk can be parsed by its own
 * {@link CsvRecordParser} on its own thread. A chunk closes at the first record boundary after
 * {@code targetBytes} bytes: after the line break that ends a record, and after any empty lines that follow, so
 * every chunk starts at the first byte of a record and no CRLF straddles two chunks. Record boundaries follow the
 * parser's rules: a quote opens a quoted field only as a field's first byte, a quoted field runs to a lone quote
 * ({@code ""} inside stands for one) and may hold line breaks; elsewhere a quote is an ordinary byte. Malformed
 * quoting (text after a closing quote, a quote never closed) cannot move a boundary before the place the
 * parser reports it, so errors surface in the chunk holding them.
 *
 * <p>Only quotes are examined byte by byte up to the target size, which keeps the cutting cheap next to parsing.
 * Where chunks are cut depends only on the bytes. A leading UTF-8 byte order mark is skipped. Only ASCII
 * delimiters: in UTF-8 they cannot occur inside a multi-byte character. Not thread-safe; does not close the
 * stream.
 */
final class CsvChunker {
  private static final byte QUOTE = '"';
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  /** How far a chunk's buffer reaches past its target size, to find the end of the last record. */
  static final int READ_BYTES = 1 << 20;

  private final InputStream in;
  private final byte delimiter;
  private final int targetBytes;
  private final int maxFieldBytes;
  /** Bytes read but belonging to the next chunk. */
  private byte[] carry = new byte[0];

  private int carryLength;
  private boolean eof;
  private boolean started;
  private int index;

  /** One chunk: {@code bytes[0, length)}, the {@code index}-th of the input (0 holds the header). */
  record Chunk(int index, byte[] bytes, int length) {}

  CsvChunker(InputStream in, char delimiter, int targetBytes) {
    this(in, delimiter, targetBytes, Integer.MAX_VALUE / 4);
  }

  /**
   * A chunker whose chunks grow past their target only for a record whose fields are at most
   * {@code maxFieldBytes} long: a longer field (such as a quote never closed) fails with {@link FieldTooLong}
   * when the chunk would grow.
   */
  CsvChunker(InputStream in, char delimiter, int targetBytes, int maxFieldBytes) {
    this.maxFieldBytes = maxFieldBytes;
    if (delimiter > 0x7F) {
      throw new IllegalArgumentException(
          "Cannot cut CSV into chunks by a non-ASCII delimiter: " + delimiter);
    }
    if (targetBytes < 1) {
      throw new IllegalArgumentException(
          "Chunks need a target size of 1 byte or more: " + targetBytes);
    }
    this.in = in;
    this.delimiter = (byte) delimiter;
    this.targetBytes = targetBytes;
  }

  /** The buffer size the next chunk wants: the target size and some room to read past it. */
  int bufferBytes() {
    return Math.max(carryLength, targetBytes) + READ_BYTES;
  }

  /**
   * The next chunk, or null at the end of the input. {@code reuse}, if not null, is an array to read into (an
   * earlier chunk's, no longer needed); a new one is made when it is null or smaller than {@link #bufferBytes()},
   * and the chunk's array grows past it only for a record longer than the target size.
   */
  Chunk next(byte[] reuse) throws IOException {
    int want = bufferBytes();
    byte[] buf = reuse != null && reuse.length >= want ? reuse : new byte[want];
    System.arraycopy(carry, 0, buf, 0, carryLength);
    int limit = carryLength;
    carryLength = 0;
    if (!started) {
      started = true;
      while (limit < 3 && !eof) {
        limit = read(buf, limit);
      }
      if (limit >= 3
          && (buf[0] & 0xFF) == 0xEF
          && (buf[1] & 0xFF) == 0xBB
          && (buf[2] & 0xFF) == 0xBF) {
        System.arraycopy(buf, 3, buf, 0, limit - 3);
        limit -= 3;
      }
    }
    byte d = delimiter;
    int p = 0;
    boolean quoted = false;
    // up to the target size only quotes matter: find each one, decide whether it opens or closes a
    // quoted field
    while (quoted || p < targetBytes) {
      if (p >= limit) {
        if (eof) {
          return finish(buf, limit);
        }
        buf = room(buf, limit);
        limit = read(buf, limit);
        continue;
      }
      long r = scanQuotes(buf, p, targetBytes, limit, eof, quoted, d);
      p = (int) (r >>> 2);
      quoted = (r & QUOTED_BIT) != 0;
      if ((r & MORE_BIT)
          != 0) { // a quote ends the data read so far: the next byte decides what it is
        buf = room(buf, limit);
        limit = read(buf, limit);
      }
    }
    // past the target, outside quotes: run to the end of this record, then past empty lines, and
    // cut
    boolean fieldStart = p == 0 || buf[p - 1] == d || buf[p - 1] == LF || buf[p - 1] == CR;
    boolean lineEnded = false;
    while (true) {
      if (p >= limit) {
        if (eof) {
          return finish(buf, limit);
        }
        buf = room(buf, limit);
        limit = read(buf, limit);
        continue;
      }
      byte c = buf[p];
      if (lineEnded) {
        if (c != CR && c != LF) {
          return cut(buf, p, limit);
        }
        p++;
        continue;
      }
      if (quoted) {
        if (c == QUOTE) {
          if (p + 1 == limit && !eof) {
            buf = room(buf, limit);
            limit = read(buf, limit);
            continue;
          }
          if (p + 1 < limit && buf[p + 1] == QUOTE) {
            p += 2;
            continue;
          }
          quoted = false;
        }
        p++;
        continue;
      }
      if (c == CR || c == LF) {
        lineEnded = true;
      } else if (c == QUOTE && fieldStart) {
        quoted = true;
      }
      fieldStart = c == d;
      p++;
    }
  }

  private static final long QUOTES = Swar.broadcast(QUOTE);
  private static final long QUOTED_BIT = 1;
  private static final long MORE_BIT = 2;

  /**
   * The quote state from {@code b[p]} on: scans outside quotes up to {@code target} and inside a quoted field to
   * its end, within the bytes read ({@code limit}); stops early at a quote in a quoted field that is the last
   * byte read (not at the end of the input), whose meaning depends on the next byte. Kept apart from the reading in {@link #next} so
   * that this loop compiles small, without the input stream's code inlined into it.
   *
   * @return the position reached {@code << 2}, plus {@link #MORE_BIT} if more input is needed, plus
   *     {@link #QUOTED_BIT} if inside a quoted field
   */
  static long scanQuotes(
      byte[] b, int p, int target, int limit, boolean eof, boolean quoted, byte d) {
    int end = Math.min(limit, target);
    while (true) {
      int q = p;
      int stop = quoted ? limit : end;
      q = Swar.indexOf(b, q, stop, QUOTES);
      if (q >= stop) {
        return (long) q << 2 | (quoted ? QUOTED_BIT : 0);
      }
      if (quoted) {
        if (q + 1 == limit) {
          if (!eof) {
            return (long) q << 2 | MORE_BIT | QUOTED_BIT;
          }
          return (long) (q + 1) << 2; // the closing quote at the end of the input
        }
        if (b[q + 1] == QUOTE) {
          p = q + 2; // "" stands for a quote
          continue;
        }
        quoted = false;
        p = q + 1;
        if (p >= end) {
          return (long) p << 2;
        }
      } else {
        byte prev = q == 0 ? LF : b[q - 1];
        quoted = prev == d || prev == LF || prev == CR;
        p = q + 1;
      }
    }
  }

  private Chunk finish(byte[] buf, int limit) {
    if (limit == 0) {
      return null;
    }
    return new Chunk(index++, buf, limit);
  }

  /** Closes the chunk before {@code buf[p]}, keeping {@code buf[p, limit)} for the next one. */
  private Chunk cut(byte[] buf, int p, int limit) {
    carryLength = limit - p;
    if (carry.length < carryLength) {
      carry = new byte[Math.max(carryLength, READ_BYTES)];
    }
    System.arraycopy(buf, p, carry, 0, carryLength);
    return new Chunk(index++, buf, p);
  }

  /** {@code buf}, or a larger copy when it is full (after checking the field being read, see {@link #checkField}). */
  private byte[] room(byte[] buf, int limit) {
    if (limit < buf.length) {
      return buf;
    }
    checkField(buf, limit);
    return Arrays.copyOf(buf, buf.length + Math.max(READ_BYTES, buf.length / 2));
  }

  /**
   * A field longer than the limit, in the record starting on line {@link #relativeLine} of its chunk (1-based).
   * Unchecked so that it passes through the parser reading the first chunks; the conversion turns it into a
   * {@link LimitExceededException} with the line in the file.
   */
  static final class FieldTooLong extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long relativeLine;

    FieldTooLong(long relativeLine) {
      super(null, null, false, false);
      this.relativeLine = relativeLine;
    }
  }

  /**
   * Before a chunk grows, which happens only for a record running past the chunk's buffer: walks the chunk by the
   * parser's quoting rules to the field still open at its end, and fails if that field is already longer than
   * the limit (a quoted field's raw text may be up to twice its value, each {@code ""} standing for one quote).
   * A byte-by-byte walk, but only when a buffer fills, and each growth adds half the buffer.
   */
  private void checkField(byte[] buf, int limit) {
    byte d = delimiter;
    int fieldStart = 0;
    boolean atFieldStart = true;
    boolean quoted = false;
    boolean fieldQuoted = false;
    long breaks = 0;
    long recordBreaks = 0;
    for (int i = 0; i < limit; i++) {
      byte c = buf[i];
      if (quoted) {
        if (c == QUOTE) {
          if (i + 1 < limit && buf[i + 1] == QUOTE) {
            i++;
          } else {
            quoted = false;
          }
        } else if (c == CR || (c == LF && (i == 0 || buf[i - 1] != CR))) {
          breaks++;
        }
        continue;
      }
      if (c == CR || c == LF) {
        if (c == CR || i == 0 || buf[i - 1] != CR) {
          breaks++;
        }
        recordBreaks = breaks;
        fieldStart = i + 1;
        atFieldStart = true;
        fieldQuoted = false;
      } else if (c == d) {
        fieldStart = i + 1;
        atFieldStart = true;
        fieldQuoted = false;
      } else {
        if (c == QUOTE && atFieldStart) {
          quoted = true;
          fieldQuoted = true;
        }
        atFieldStart = false;
      }
    }
    long length = limit - fieldStart;
    if (fieldQuoted ? length - 1 > 2L * maxFieldBytes + 2 : length > maxFieldBytes) {
      throw new FieldTooLong(1 + recordBreaks);
    }
  }

  /** The line breaks in {@code chunk} (CR, LF or CRLF each one, as the parsers count them). */
  static long lineBreaks(Chunk chunk) {
    byte[] b = chunk.bytes();
    long n = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (b[i] == CR || (b[i] == LF && (i == 0 || b[i - 1] != CR))) {
        n++;
      }
    }
    return n;
  }

  private int read(byte[] buf, int limit) throws IOException {
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return limit;
    }
    return limit + n;
  }
}
