package dev.inlet.csv;

import dev.inlet.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Looks at the first {@value #SNIFF_BYTES} bytes of a body before it is converted, to fail a file that is plainly
 * not CSV (an HTML or XML error page, JSON, compressed or binary data) before anything is written, with a message
 * that says what it looks like. Per file, outside the conversion's loops. Stateless.
 */
final class ContentSniffer {
  static final int SNIFF_BYTES = 1024;
  /** How much of the start is shown in a message. */
  private static final int SHOWN = 60;

  private static final String[] HTML = {
    "<!doctype html", "<html", "<head", "<body", "<!--", "<title"
  };

  private ContentSniffer() {}

  /**
   * Reads the start of {@code in} and checks it; returns a stream that gives the bytes read, then the rest of
   * {@code in}. Does not close {@code in}.
   *
   * @throws MalformedInputException if the start is not CSV
   */
  static InputStream check(String fileName, InputStream in) throws IOException {
    byte[] head = in.readNBytes(SNIFF_BYTES);
    String why = problem(head, head.length);
    if (why != null) {
      throw new MalformedInputException(fileName, -1, null, why);
    }
    return head.length == 0 ? in : new Replay(head, in);
  }

  /** {@code head}, then the rest of {@code in}; never closes {@code in} (unlike SequenceInputStream). */
  private static final class Replay extends InputStream {
    private final byte[] head;
    private final InputStream in;
    private int pos;

    Replay(byte[] head, InputStream in) {
      this.head = head;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      return pos < head.length ? head[pos++] & 0xFF : in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos < head.length) {
        int n = Math.min(len, head.length - pos);
        System.arraycopy(head, pos, b, off, n);
        pos += n;
        return n;
      }
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return head.length - pos + (pos < head.length ? 0 : in.available());
    }
  }

  /** Why {@code b[0, n)} cannot be the start of a CSV file, or null. */
  static String problem(byte[] b, int n) {
    int i = 0;
    if (n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    if (n >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
      return "the body is gzip-compressed data, not CSV (starts with bytes 1f 8b); the server may have sent it"
          + " with Content-Encoding: gzip that was not decoded, or the file is a .gz: decompress it first";
    }
    if (n >= 2
        && ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE
            || (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF)) {
      return "the body is UTF-16 text (starts with a UTF-16 byte order mark), not UTF-8; convert it to UTF-8"
          + " first";
    }
    if (n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
      return "the body is a ZIP archive, not CSV (starts with 'PK'); point the source at the CSV inside it";
    }
    for (int k = 0; k < n; k++) {
      if (b[k] == 0) {
        return "the body looks like binary data, not CSV (NUL byte at offset " + k
            + "); check that the URL"
            + " points at the CSV file itself, not at an archive or another format";
      }
    }
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' || b[i] == '\f')) {
      i++;
    }
    String start = new String(b, i, Math.min(n - i, 200), StandardCharsets.UTF_8);
    String lower = start.toLowerCase(Locale.ROOT);
    if (lower.startsWith("<?xml")) {
      return "the body looks like an XML document, not CSV (starts with '" + shown(start)
          + "'); the server may" + " have answered an error document";
    }
    for (String tag : HTML) {
      if (lower.startsWith(tag)) {
        return "the body looks like an HTML page, not CSV (starts with '" + shown(start)
            + "'); the portal may" + " have answered an error page";
      }
    }
    if (isJson(lower)) {
      return "the body looks like JSON, not CSV (starts with '" + shown(start)
          + "'); the portal may have" + " answered an API error";
    }
    int odd = 0;
    int k = i;
    while (k < n) {
      int c = b[k] & 0xFF;
      if (c < 0x80) {
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f') || c == 0x7F) {
          odd++;
        }
        k++;
        continue;
      }
      int more =
          c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
      if (more > 0 && k + more >= n) {
        break; // cut off by the end of what was read
      }
      boolean ok = more > 0;
      for (int m = 1; ok && m <= more; m++) {
        ok = (b[k + m] & 0xC0) == 0x80;
      }
      if (ok) {
        k += more + 1;
      } else {
        odd++;
        k++;
      }
    }
    int looked = k - i;
    if (looked >= 16 && odd * 4 > looked) {
      return "the body looks like binary data, not CSV (" + odd + " of its first " + looked
          + " bytes are control"
          + " bytes or not UTF-8); check that the URL points at the CSV file itself";
    }
    return null;
  }

  private static boolean isJson(String lower) {
    if (lower.isEmpty() || (lower.charAt(0) != '{' && lower.charAt(0) != '[')) {
      return false;
    }
    String rest = lower.substring(1).stripLeading();
    return rest.isEmpty()
        || rest.charAt(0) == '"'
        || rest.charAt(0) == '{'
        || rest.charAt(0) == '}'
        || rest.charAt(0) == ']';
  }

  /** The first line of {@code start}, up to its first '>' when that comes soon, printable. */
  private static String shown(String start) {
    int end = start.length();
    for (int k = 0; k < start.length(); k++) {
      char c = start.charAt(k);
      if (c == '\n' || c == '\r') {
        end = k;
        break;
      }
      if (c == '>') {
        end = k + 1;
        break;
      }
    }
    return printable(start.substring(0, Math.min(end, SHOWN)));
  }

  /** {@code s} with control characters and quotes shown as escapes, so a message cannot forge terminal output. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '\'') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
