package dev.inlet.examples;

import java.util.regex.Pattern;

/**
 * Makes text from a portal (resource names, titles, error bodies, data values) safe to print on a terminal: ANSI
 * escape sequences and control characters could otherwise recolour the screen, move the cursor, or, with a carriage
 * return, overwrite the progress line with a forged one.
 */
final class Printable {
  /** CSI ({@code ESC [ ... final}), OSC ({@code ESC ] ... BEL|ST}), 2-character escapes, and 8-bit CSI. */
  private static final Pattern ESCAPES = Pattern.compile(
      "\u001B\\[[0-?]*[ -/]*[@-~]?|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|\u001B[ -~]?"
          + "|\u009B[0-?]*[ -/]*[@-~]?");

  private Printable() {}

  /**
   * {@code text} with every escape sequence replaced by one {@code ?}, tabs and line feeds by a space, and every other
   * control character (C0, DEL, C1, carriage return) and bidirectional override by {@code ?}: printable on one line.
   */
  static String of(String text) {
    if (text == null) {
      return "null";
    }
    if (clean(text)) {
      return text;
    }
    String s = ESCAPES.matcher(text).replaceAll("?");
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp == '\t' || cp == '\n') {
        sb.append(' ');
      } else if (unsafe(cp)) {
        sb.append('?');
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  private static boolean clean(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (unsafe(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean unsafe(int cp) {
    return Character.isISOControl(cp) // C0 incl. CR, LF, TAB, ESC; DEL; C1 incl. 8-bit CSI
        || cp == 0x200E
        || cp == 0x200F
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
  }
}
