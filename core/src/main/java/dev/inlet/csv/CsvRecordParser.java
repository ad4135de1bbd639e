package dev.inlet.csv;

import dev.inlet.MalformedInputException;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * A streaming RFC 4180 record parser over chars read in large blocks into one reused buffer; it replaces Commons
 * CSV on the conversion's hot path and gives exactly what Commons CSV's {@code CSVFormat.RFC4180} with the same
 * delimiter and {@code setIgnoreEmptyLines(true)} gives:
 * <ul>
 *   <li>a field starting with {@code "} is quoted: it runs to the next lone {@code "}, may hold the delimiter,
 *       CR and LF, and {@code ""} inside stands for one quote; after the closing quote, whitespace up to the
 *       delimiter or line end is ignored, any other character is an error;
 *   <li>in an unquoted field a {@code "} is an ordinary character (Commons CSV is lenient there too);
 *   <li>records end at CR, LF or CRLF; empty lines between records are skipped; a line break at the end of the
 *       input ends the last record; a delimiter at the end of the input ends it with an empty field;
 *   <li>a quote still open at the end of the input is an error.
 * </ul>
 * Errors are {@link MalformedInputException}s naming the 1-based physical line where the record starts (not
 * counting the empty lines before it). Field strings are created once per field from the buffer; the buffer
 * grows only for a field longer than itself. Does not close the reader. Not thread-safe.
 */
final class CsvRecordParser {
  static final int BUFFER_CHARS = 1 << 16;
  private static final char QUOTE = '"';
  private static final int DELIMITER = 0;
  private static final int END_OF_LINE = 1;
  private static final int END_OF_INPUT = 2;

  private final Reader in;
  private final char delimiter;
  private final String fileName;
  private char[] buf = new char[BUFFER_CHARS];
  /** The index in the input of {@code buf[0]}. */
  private long base;

  private int pos;
  private int limit;
  private boolean eof;
  /** The 1-based line of the next unread character. */
  private long line = 1;

  private long recordLine;
  private String[] fields =
      new String[32]; // grows as ByteRecordParser's arrays do, so maxFields agrees
  private int count;
  private String field;
  /** The longest field accepted, in chars, and the most fields of a record (checked as the array grows). */
  private final int maxField;

  private final int maxFields;

  CsvRecordParser(Reader in, char delimiter, String fileName) {
    this(in, delimiter, fileName, 1);
  }

  /** A parser of input that starts on line {@code firstLine} of the file (a chunk of it). */
  CsvRecordParser(Reader in, char delimiter, String fileName, long firstLine) {
    this(in, delimiter, fileName, firstLine, Integer.MAX_VALUE / 4, Integer.MAX_VALUE);
  }

  /**
   * A parser that fails with a {@link LimitExceededException} on a field longer than {@code maxField} chars or a
   * record of more than about {@code maxFields} fields (checked when its field array grows: at most twice
   * that many are held), so that its memory stays bounded whatever the input.
   */
  CsvRecordParser(
      Reader in, char delimiter, String fileName, long firstLine, int maxField, int maxFields) {
    this.in = in;
    this.delimiter = delimiter;
    this.fileName = fileName;
    this.line = firstLine;
    this.maxField = maxField;
    this.maxFields = maxFields;
  }

  /** The line of the next unread character (after the end of the input: the line after the last line break). */
  long nextLine() {
    return line;
  }

  /** The index in the input of the next unread char. */
  long position() {
    return base + pos;
  }

  /** The 1-based physical line where the record last returned by {@link #next()} starts. */
  long line() {
    return recordLine;
  }

  /**
   * The next record's fields, a new array each time, or null at the end of the input.
   *
   * @throws MalformedInputException for an unterminated quote or text after a closing quote
   * @throws IOException if reading failed
   */
  String[] next() throws IOException {
    // every record ends at a line break or the end, so this is the start of a line: skip empty
    // lines
    while (true) {
      if (pos >= limit && !fill(pos)) {
        return null;
      }
      char c = buf[pos];
      if (c == '\n') {
        pos++;
        line++;
      } else if (c == '\r') {
        pos++;
        line++;
        skipLf();
      } else {
        break;
      }
    }
    recordLine = line;
    count = 0;
    int end;
    do {
      if (pos >= limit && !fill(pos)) { // the input ends right after a delimiter
        field = "";
        end = END_OF_INPUT;
      } else if (buf[pos] == QUOTE) {
        end = quoted();
      } else {
        end = unquoted();
      }
      if (count == fields.length) {
        if (count >= maxFields) {
          throw LimitExceededException.tooManyFields(fileName, recordLine, maxFields);
        }
        fields = Arrays.copyOf(fields, count * 2);
      }
      fields[count++] = field;
    } while (end == DELIMITER);
    String[] rec = Arrays.copyOf(fields, count);
    Arrays.fill(fields, 0, count, null);
    return rec;
  }

  private int unquoted() throws IOException {
    int start = pos;
    char d = delimiter;
    while (true) {
      char[] b = buf;
      int p = pos;
      int n = limit;
      while (p < n) {
        char c = b[p];
        if (c == d || c == '\n' || c == '\r') {
          field = string(start, p);
          pos = p + 1;
          if (c == d) {
            return DELIMITER;
          }
          line++;
          if (c == '\r') {
            skipLf();
          }
          return END_OF_LINE;
        }
        p++;
      }
      pos = p;
      boolean more = fill(start);
      start = 0;
      if (!more) {
        field = string(0, pos);
        return END_OF_INPUT;
      }
    }
  }

  private int quoted() throws IOException {
    pos++; // the opening quote
    int start = pos;
    int w = pos; // content is compacted in place: buf[start, w) with each "" turned into "
    boolean afterCr = false;
    while (true) {
      if (pos >= limit) {
        boolean more = fill(start);
        w -= start;
        start = 0;
        if (!more) {
          throw new MalformedInputException(
              fileName,
              recordLine,
              null,
              "invalid CSV in the record starting"
                  + " here: the input ends inside a quoted field; check for a quote that is never closed");
        }
      }
      char c = buf[pos++];
      if (c == QUOTE) {
        if (pos >= limit) {
          boolean more = fill(start);
          w -= start;
          start = 0;
          if (!more) {
            field = string(start, w);
            return END_OF_INPUT;
          }
        }
        if (buf[pos] == QUOTE) {
          pos++;
          buf[w++] = QUOTE;
          afterCr = false;
          continue;
        }
        field = string(start, w);
        return afterClosingQuote();
      }
      if (c == '\r' || (c == '\n' && !afterCr)) {
        line++;
      }
      afterCr = c == '\r';
      buf[w++] = c;
    }
  }

  /** Skips whitespace after a closing quote up to the delimiter or line end, like Commons CSV. */
  private int afterClosingQuote() throws IOException {
    while (true) {
      if (pos >= limit && !fill(pos)) {
        return END_OF_INPUT;
      }
      char c = buf[pos++];
      if (c == delimiter) {
        return DELIMITER;
      }
      if (c == '\n' || c == '\r') {
        line++;
        if (c == '\r') {
          skipLf();
        }
        return END_OF_LINE;
      }
      if (!Character.isWhitespace(c)) {
        throw new MalformedInputException(
            fileName,
            recordLine,
            null,
            "invalid CSV in the record starting here:"
                + " character '" + c + "' follows a closing quote on line " + line
                + "; check for a quote that is"
                + " never closed or text after a closing quote (a quote inside a quoted value is written \"\")");
      }
    }
  }

  /** After a CR: consumes an LF that follows it (CRLF is one line break). */
  private void skipLf() throws IOException {
    if ((pos < limit || fill(pos)) && buf[pos] == '\n') {
      pos++;
    }
  }

  /** A field's value; checked against maxField here, before anything after the field is parsed. */
  private String string(int from, int to) {
    if (to - from > maxField) {
      throw LimitExceededException.fieldTooLong(fileName, recordLine, maxField);
    }
    return from == to ? "" : new String(buf, from, to - from);
  }

  /**
   * Reads more chars, keeping {@code buf[keep, limit)}, which moves to the start of the buffer ({@code pos}
   * moves with it; the caller adjusts its own indexes by {@code -keep}). Grows the buffer when it is full.
   *
   * @return false at the end of the input (nothing was added)
   */
  private boolean fill(int keep) throws IOException {
    if (keep > 0) {
      base += keep;
      System.arraycopy(buf, keep, buf, 0, limit - keep);
      limit -= keep;
      pos -= keep;
    }
    if (eof) {
      return false;
    }
    if (limit == buf.length) {
      // the buffer holds only the field being read: it may grow to twice the limit (a quoted
      // field's raw text
      // with each "" counted twice), past that the field's value is too long
      if (limit > 2L * maxField + 2) {
        throw LimitExceededException.fieldTooLong(fileName, recordLine, maxField);
      }
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n;
    do {
      n = in.read(buf, limit, buf.length - limit);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }
}
