package dev.inlet.csv;

import java.text.Normalizer;
import java.util.Objects;

/** Column name normalisation; pure functions. */
public final class ColumnNames {
  private ColumnNames() {}

  /**
   * The snake_case form of a column name, always matching {@code [a-z_][a-z0-9_]*} (a name Glue, Athena and
   * DuckDB accept without quotes): {@code "Inspection ID"} becomes {@code inspection_id}, {@code "Created Date"}
   * {@code created_date}, {@code "CamelCase"} {@code camel_case}, {@code "HTTPStatus"} {@code http_status},
   * {@code "Zip-Code (5)"} {@code zip_code_5}.
   *
   * <ul>
   *   <li>Words are runs of ASCII letters and digits; a new word starts at an upper-case letter after a lower-case
   *       letter or digit, and at the last upper-case letter of a run followed by a lower-case one; a digit after a
   *       letter does not start one ({@code Address2} is {@code address2}). Words are joined with one {@code _}
   *       and lower-cased; everything else between them (spaces, punctuation, more underscores) is a separator.
   *   <li>Letters outside ASCII are transliterated where they decompose to an ASCII letter plus accents
   *       ({@code é} to {@code e}, {@code Ñ} to {@code n}) and for {@code ß æ œ ø ð þ ł đ ı} ({@code ss ae oe o d
   *       th l d i}); every other character outside ASCII is a separator ({@code 名前} leaves nothing).
   *   <li>A name starting with {@code _} keeps one leading {@code _} (CKAN's {@code _id} stays {@code _id}); a
   *       name whose first word starts with a digit gets a leading {@code _} ({@code "2nd Street"} is
   *       {@code _2nd_street}). No trailing {@code _}.
   * </ul>
   *
   * @param name a column name as found, e.g. a CSV header
   * @return the snake_case name
   * @throws IllegalArgumentException if no letter or digit remains (an empty or all-punctuation name)
   */
  public static String snakeCase(String name) {
    Objects.requireNonNull(name, "name");
    String ascii = toAscii(name);
    StringBuilder out = new StringBuilder(ascii.length() + 4);
    boolean word = false; // inside a word
    boolean pendingSeparator = false;
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      boolean upper = c >= 'A' && c <= 'Z';
      boolean lower = c >= 'a' && c <= 'z';
      boolean digit = c >= '0' && c <= '9';
      if (!upper && !lower && !digit) {
        if (word) {
          pendingSeparator = true;
        }
        word = false;
        continue;
      }
      if (word && upper) {
        char prev = ascii.charAt(i - 1);
        boolean prevUpper = prev >= 'A' && prev <= 'Z';
        boolean nextLower =
            i + 1 < ascii.length() && ascii.charAt(i + 1) >= 'a' && ascii.charAt(i + 1) <= 'z';
        if (!prevUpper || nextLower) {
          pendingSeparator = true;
        }
      }
      if (pendingSeparator && out.length() > 0) {
        out.append('_');
      }
      pendingSeparator = false;
      out.append(upper ? (char) (c + ('a' - 'A')) : c);
      word = true;
    }
    if (out.length() == 0) {
      throw new IllegalArgumentException(
          "Cannot snake_case column name '" + ContentSniffer.printable(name)
              + "': it has no letter or digit; rename the column (renameColumn) or drop it (ignoreColumn)");
    }
    String trimmed = name.strip();
    if (trimmed.startsWith("_") || (out.charAt(0) >= '0' && out.charAt(0) <= '9')) {
      out.insert(0, '_');
    }
    return out.toString();
  }

  /** ASCII characters kept, accents removed, a few letters transliterated, other characters as spaces. */
  private static String toAscii(String name) {
    boolean ascii = true;
    for (int i = 0; i < name.length() && ascii; i++) {
      ascii = name.charAt(i) < 0x80;
    }
    if (ascii) {
      return name;
    }
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD);
    StringBuilder sb = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); i++) {
      char c = decomposed.charAt(i);
      if (c < 0x80) {
        sb.append(c);
      } else if (Character.getType(c) == Character.NON_SPACING_MARK) {
        continue; // an accent of the letter before it
      } else {
        sb.append(transliterate(c));
      }
    }
    return sb.toString();
  }

  private static String transliterate(char c) {
    switch (c) {
      case 'ß':
        return "ss";
      case 'æ':
        return "ae";
      case 'Æ':
        return "AE";
      case 'œ':
        return "oe";
      case 'Œ':
        return "OE";
      case 'ø':
        return "o";
      case 'Ø':
        return "O";
      case 'ð':
      case 'đ':
        return "d";
      case 'Ð':
      case 'Đ':
        return "D";
      case 'þ':
        return "th";
      case 'Þ':
        return "TH";
      case 'ł':
        return "l";
      case 'Ł':
        return "L";
      case 'ı':
        return "i";
      default:
        return " ";
    }
  }
}
