package dev.inlet.csv;

import dev.inlet.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link CsvRecordParser}'s rules over a chunk of valid UTF-8 held whole in memory, without decoding it: a
 * record's fields are slices of the chunk (or, for quoted fields holding {@code ""}, of a scratch array), so
 * string values go to the Parquet encoder as the bytes they arrived in. Same records, same line numbers, same
 * errors as the char parser on the same text (a property test holds them to it). The chunk must be valid UTF-8:
 * the conversion checks that first and parses other chunks with the char parser, which replaces bad bytes.
 * Not thread-safe; a field's slice is valid until the next call to {@link #next()}.
 */
final class ByteRecordParser {
  private static final byte QUOTE = '"';
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final int DELIMITER = 0;
  private static final int END_OF_LINE = 1;
  private static final int END_OF_INPUT = 2;

  private final byte[] buf;
  private final int limit;
  private final byte delimiter;
  /** {@link #delimiter} and {@link #QUOTE} in every byte, for {@link Swar}. */
  private final long delimiterPattern;

  private static final long QUOTES = Swar.broadcast(QUOTE);
  private final String fileName;
  private int pos;
  private long line;
  private long recordLine;
  private int count;
  private int[] starts = new int[32];
  private int[] lengths = new int[32];
  /** Per field: is it in {@link #scratch} rather than the chunk. */
  private boolean[] unescaped = new boolean[32];

  private byte[] scratch = new byte[256];
  private int scratchSize;
  private final int maxField;
  private final int maxFields;

  ByteRecordParser(
      byte[] buf, int offset, int limit, char delimiter, String fileName, long firstLine) {
    this(buf, offset, limit, delimiter, fileName, firstLine, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * A parser that fails with a {@link LimitExceededException} on a field longer than {@code maxField} bytes or a
   * record of more than about {@code maxFields} fields (checked when its arrays grow), like
   * {@link CsvRecordParser}.
   */
  ByteRecordParser(
      byte[] buf,
      int offset,
      int limit,
      char delimiter,
      String fileName,
      long firstLine,
      int maxField,
      int maxFields) {
    this.maxField = maxField;
    this.maxFields = maxFields;
    if (delimiter > 0x7F) {
      throw new IllegalArgumentException(
          "Cannot parse bytes with a non-ASCII delimiter: " + delimiter);
    }
    this.buf = buf;
    this.pos = offset;
    this.limit = limit;
    this.delimiter = (byte) delimiter;
    this.delimiterPattern = Swar.broadcast((byte) delimiter);
    this.fileName = fileName;
    this.line = firstLine;
  }

  /** The 1-based physical line where the current record starts. */
  long line() {
    return recordLine;
  }

  /** The line of the next unread byte. */
  long nextLine() {
    return line;
  }

  int fieldCount() {
    return count;
  }

  byte[] array(int field) {
    return unescaped[field] ? scratch : buf;
  }

  int start(int field) {
    return starts[field];
  }

  int length(int field) {
    return lengths[field];
  }

  String string(int field) {
    return new String(array(field), starts[field], lengths[field], StandardCharsets.UTF_8);
  }

  /** The fields of the current record as strings (for messages and quarantine). */
  String[] strings() {
    String[] s = new String[count];
    for (int i = 0; i < count; i++) {
      s[i] = string(i);
    }
    return s;
  }

  /**
   * Moves to the next record.
   *
   * @return false at the end of the chunk
   * @throws MalformedInputException for an unterminated quote or text after a closing quote
   */
  boolean next() {
    while (true) {
      if (pos >= limit) {
        return false;
      }
      byte c = buf[pos];
      if (c == LF) {
        pos++;
        line++;
      } else if (c == CR) {
        pos++;
        line++;
        if (pos < limit && buf[pos] == LF) {
          pos++;
        }
      } else {
        break;
      }
    }
    recordLine = line;
    count = 0;
    scratchSize = 0;
    int end;
    do {
      if (pos >= limit) { // the input ends right after a delimiter
        add(pos, 0, false);
        end = END_OF_INPUT;
      } else if (buf[pos] == QUOTE) {
        end = quoted();
      } else {
        end = unquoted();
      }
    } while (end == DELIMITER);
    return true;
  }

  private void add(int start, int length, boolean inScratch) {
    if (length > maxField) {
      throw LimitExceededException.fieldTooLong(fileName, recordLine, maxField);
    }
    if (count == starts.length) {
      if (count >= maxFields) {
        throw LimitExceededException.tooManyFields(fileName, recordLine, maxFields);
      }
      starts = Arrays.copyOf(starts, count * 2);
      lengths = Arrays.copyOf(lengths, count * 2);
      unescaped = Arrays.copyOf(unescaped, count * 2);
    }
    starts[count] = start;
    lengths[count] = length;
    unescaped[count] = inScratch;
    count++;
  }

  private int unquoted() {
    int start = pos;
    byte d = delimiter;
    byte[] b = buf;
    int n = limit;
    int p = start;
    while (true) {
      p = Swar.indexOfOrControl(b, p, n, delimiterPattern);
      if (p >= n) {
        add(start, n - start, false);
        pos = n;
        return END_OF_INPUT;
      }
      byte c = b[p];
      if (c == d || c == LF || c == CR) {
        add(start, p - start, false);
        pos = p + 1;
        if (c == d) {
          return DELIMITER;
        }
        line++;
        if (c == CR && pos < n && b[pos] == LF) {
          pos++;
        }
        return END_OF_LINE;
      }
      p++; // another control character: part of the value
    }
  }

  private int quoted() {
    int start = pos + 1; // after the opening quote
    int p = start;
    int scratchStart = -1; // once a "" is seen, the content is copied to scratch from here
    byte[] b = buf;
    while (true) {
      p = Swar.indexOfOrControl(b, p, limit, QUOTES); // the next quote or line break
      if (p >= limit) {
        throw new MalformedInputException(
            fileName,
            recordLine,
            null,
            "invalid CSV in the record starting"
                + " here: the input ends inside a quoted field; check for a quote that is never closed");
      }
      byte c = b[p++];
      if (c == QUOTE) {
        if (p < limit && b[p] == QUOTE) {
          if (scratchStart < 0) {
            scratchStart = scratchSize;
          }
          copyToScratch(start, p - start); // the content since the last "" and one quote
          p++;
          start = p;
          continue;
        }
        int endOfContent = p - 1;
        if (scratchStart < 0) {
          add(start, endOfContent - start, false);
        } else {
          copyToScratch(start, endOfContent - start);
          add(scratchStart, scratchSize - scratchStart, true);
        }
        pos = p;
        return afterClosingQuote();
      }
      if (c == CR
          || (c == LF
              && b[p - 2] != CR)) { // CR LF is one line break; b[p - 2] is at worst the quote
        line++;
      }
    }
  }

  private void copyToScratch(int from, int length) {
    if (scratchSize + length > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratchSize + length, scratch.length * 2));
    }
    System.arraycopy(buf, from, scratch, scratchSize, length);
    scratchSize += length;
  }

  /** Skips whitespace after a closing quote up to the delimiter or line end, like Commons CSV. */
  private int afterClosingQuote() {
    while (true) {
      if (pos >= limit) {
        return END_OF_INPUT;
      }
      byte c = buf[pos];
      if (c == delimiter) {
        pos++;
        return DELIMITER;
      }
      if (c == LF || c == CR) {
        pos++;
        line++;
        if (c == CR && pos < limit && buf[pos] == LF) {
          pos++;
        }
        return END_OF_LINE;
      }
      int cp;
      int width;
      if (c >= 0) {
        cp = c;
        width = 1;
      } else {
        width = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        cp = new String(buf, pos, Math.min(width, limit - pos), StandardCharsets.UTF_8)
            .codePointAt(0);
      }
      if (!Character.isWhitespace(cp) || Character.isSupplementaryCodePoint(cp)) {
        String shown = Character.isSupplementaryCodePoint(cp)
            ? String.valueOf(Character.highSurrogate(cp))
            : String.valueOf((char) cp);
        throw new MalformedInputException(
            fileName,
            recordLine,
            null,
            "invalid CSV in the record starting here:"
                + " character '" + shown + "' follows a closing quote on line " + line
                + "; check for a quote that is"
                + " never closed or text after a closing quote (a quote inside a quoted value is written \"\")");
      }
      pos += width;
    }
  }

  /** Whether {@code b[from, to)} is well-formed UTF-8 (what the char parser would read without replacing). */
  static boolean isValidUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      i = Swar.indexOfNonAscii(b, i, to); // ASCII runs are the common case
      if (i >= to) {
        break;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + n >= to) {
        return false; // the sequence is cut off
      }
      int cp = c & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xFF;
        if ((cc & 0xC0) != 0x80) {
          return false;
        }
        cp = cp << 6 | (cc & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }
}
