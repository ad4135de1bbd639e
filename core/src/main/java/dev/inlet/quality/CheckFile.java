package dev.inlet.quality;

import dev.inlet.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads checks from a small text file, one per line, in the manner of AWS Glue DQDL. A {@code table db.name} line
 * names the table of the lines after it; {@code #} starts a comment; names and text are in double quotes
 * ({@code \"} inside is a quote, every other backslash stays as written, so regexes read as in Java source
 * without doubling):
 *
 * <pre>
 * table boston311.requests
 * IsComplete "opened_at" fail
 * Completeness "zip_code" &lt;= 0.05 warn
 * IsUnique "source_system" "case_id" fail
 * ColumnValues "status" in ["open", "closed"] warn
 * ColumnValues "latitude" between 42.2 and 42.45 warn
 * ColumnValues "zip_code" matches "^\d{5}$" allow 0.01 warn
 * RowCount between 1 and 10000000 by "year" fail
 * RowCountChange &lt;= 0.5 by "year" warn
 * Freshness "opened_at" &lt;= 30d warn
 * SchemaChange warn
 * CustomSql "closed_after_opened" "SELECT * FROM boston311.requests WHERE closed_at &lt; opened_at" fail
 * </pre>
 *
 * After a check come its options: {@code allow X} (the threshold, see {@link Check}), {@code by "column"} (per
 * partition), {@code name "text"}, and last its severity {@code warn} or {@code fail} (default {@code fail}).
 * Durations are a number with {@code s}, {@code m}, {@code h} or {@code d}. A mistake fails with
 * {@code file:line:column} and what was expected.
 */
public final class CheckFile {
  private final String source;
  private final List<Token> tokens;
  private int at;

  private CheckFile(String source, List<Token> tokens) {
    this.source = source;
    this.tokens = tokens;
  }

  /**
   * {@return the checks in {@code file} (UTF-8)}
   *
   * @param file the check file (UTF-8)
   * @throws IllegalArgumentException naming {@code file:line:column} for a mistake
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<Check> read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the check file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@return the checks in {@code text}; {@code source} names it in errors (a file name)}
   *
   * @param source the name of where the text comes from, for errors
   * @param text the file's text
   * @throws IllegalArgumentException naming {@code source:line:column} for a mistake
   */
  public static List<Check> parse(String source, String text) {
    List<Check> checks = new ArrayList<>();
    TableId table = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      List<Token> tokens = tokenize(source, i + 1, lines[i]);
      if (tokens.isEmpty()) {
        continue;
      }
      CheckFile line = new CheckFile(source, tokens);
      Token first = tokens.get(0);
      if (first.is("table")) {
        line.at = 1;
        Token name = line.next("a table name database.table");
        String[] parts = name.text.split("\\.");
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
          throw line.error(name, "expected a table name database.table, found '" + name.text + "'");
        }
        table = TableId.of(parts[0], parts[1]);
        line.end();
        continue;
      }
      if (table == null) {
        throw line.error(
            first, "no table yet: write a line 'table database.name' before the checks");
      }
      checks.add(line.check(table));
    }
    return List.copyOf(checks);
  }

  private Check check(TableId table) {
    Token kind = next("a check");
    Check.Builder b;
    switch (kind.text.toLowerCase(Locale.ROOT)) {
      case "iscomplete":
        b = Check.isComplete(table, quoted("a column name"));
        break;
      case "completeness": {
        String column = quoted("a column name");
        expect("<=");
        Token t = peek();
        b = Check.isComplete(table, column);
        threshold(b, t, number("a fraction of null rows, e.g. 0.05"));
        break;
      }
      case "isunique": {
        List<String> cols = new ArrayList<>();
        cols.add(quoted("a column name"));
        while (peek() != null && peek().quoted) {
          cols.add(next("a column").text);
        }
        b = Check.unique(table, cols.toArray(new String[0]));
        break;
      }
      case "columnvalues": {
        String column = quoted("a column name");
        Token op = next("in, between or matches");
        if (op.is("in")) {
          expect("[");
          List<String> values = new ArrayList<>();
          values.add(quoted("an accepted value"));
          while (peek() != null && peek().is(",")) {
            next(",");
            values.add(quoted("an accepted value"));
          }
          expect("]");
          b = Check.acceptedValues(table, column, values);
        } else if (op.is("between")) {
          Token lo = peek();
          double min = number("a lower bound");
          expect("and");
          double max = number("an upper bound");
          try {
            b = Check.range(table, column, min, max);
          } catch (IllegalArgumentException e) {
            throw error(lo, e.getMessage());
          }
        } else if (op.is("matches")) {
          Token re = peek();
          String regex = quoted("a regular expression in quotes");
          try {
            b = Check.matches(table, column, regex);
          } catch (IllegalArgumentException e) {
            throw error(re, e.getMessage());
          }
        } else {
          throw error(op, "expected in, between or matches, found '" + op.text + "'");
        }
        break;
      }
      case "rowcount": {
        expect("between");
        Token lo = peek();
        long min = (long) number("a row count");
        expect("and");
        long max = (long) number("a row count");
        try {
          b = Check.rowCount(table, min, max);
        } catch (IllegalArgumentException e) {
          throw error(lo, e.getMessage());
        }
        break;
      }
      case "rowcountchange": {
        expect("<=");
        Token t = peek();
        double change = number("a fraction of change, e.g. 0.5 for ±50%");
        b = Check.rowCountChange(table, 0);
        threshold(b, t, change);
        break;
      }
      case "freshness": {
        String column = quoted("a timestamp column name");
        expect("<=");
        b = Check.freshness(table, column, duration());
        break;
      }
      case "schemachange":
        b = Check.schemaChange(table);
        break;
      case "customsql": {
        String name = quoted("the check's name");
        b = Check.customSql(table, name, quoted("a SELECT in quotes"));
        break;
      }
      default:
        throw error(
            kind,
            "unknown check '" + kind.text + "'; expected IsComplete, Completeness, IsUnique,"
                + " ColumnValues, RowCount, RowCountChange, Freshness, SchemaChange or CustomSql");
    }
    while (peek() != null) {
      Token t = next("an option");
      if (t.is("allow")) {
        Token v = peek();
        threshold(b, v, number("a threshold"));
      } else if (t.is("by")) {
        Token c = peek();
        String column = quoted("a partition column name");
        try {
          b.partitionBy(column);
        } catch (IllegalArgumentException e) {
          throw error(c, e.getMessage());
        }
      } else if (t.is("name")) {
        b.name(quoted("a name"));
      } else if (t.is("warn") || t.is("fail")) {
        b.severity(t.is("warn") ? Severity.WARN : Severity.FAIL);
        end();
      } else {
        throw error(t, "expected allow, by, name, warn or fail, found '" + t.text + "'");
      }
    }
    return b.build();
  }

  private void threshold(Check.Builder b, Token where, double value) {
    try {
      b.threshold(value);
    } catch (IllegalArgumentException e) {
      throw error(where, e.getMessage());
    }
  }

  private Duration duration() {
    Token t = next("a duration such as 30d, 12h, 90m or 600s");
    String s = t.text.toLowerCase(Locale.ROOT);
    if (!t.quoted && s.matches("\\d+[smhd]")) {
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      switch (s.charAt(s.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    throw error(t, "expected a duration such as 30d, 12h, 90m or 600s, found '" + t.text + "'");
  }

  private double number(String what) {
    Token t = next(what);
    try {
      if (!t.quoted) {
        return Double.parseDouble(t.text);
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw error(t, "expected " + what + ", found '" + t.text + "'");
  }

  private String quoted(String what) {
    Token t = next(what);
    if (!t.quoted) {
      throw error(t, "expected " + what + " in double quotes, found '" + t.text + "'");
    }
    return t.text;
  }

  private void expect(String word) {
    Token t = next("'" + word + "'");
    if (!t.is(word)) {
      throw error(t, "expected '" + word + "', found '" + t.text + "'");
    }
  }

  private void end() {
    if (peek() != null) {
      throw error(peek(), "expected the end of the line, found '" + peek().text + "'");
    }
  }

  private Token peek() {
    return at < tokens.size() ? tokens.get(at) : null;
  }

  private Token next(String what) {
    if (at >= tokens.size()) {
      Token last = tokens.get(tokens.size() - 1);
      throw new IllegalArgumentException(source + ":" + last.line + ":" + (last.end + 1)
          + ": expected " + what + ", found the end of the line");
    }
    return tokens.get(at++);
  }

  private IllegalArgumentException error(Token t, String message) {
    return new IllegalArgumentException(source + ":" + t.line + ":" + t.column + ": " + message);
  }

  private static List<Token> tokenize(String source, int line, String text) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        break;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != '"') {
          if (text.charAt(j) == '\\' && j + 1 < text.length() && text.charAt(j + 1) == '"') {
            j++;
          }
          sb.append(text.charAt(j++));
        }
        if (j >= text.length()) {
          throw new IllegalArgumentException(
              source + ":" + line + ":" + (i + 1) + ": this quote is not closed");
        }
        out.add(new Token(sb.toString(), true, line, i + 1, j + 1));
        i = j + 1;
      } else if (c == '[' || c == ']' || c == ',') {
        out.add(new Token(String.valueOf(c), false, line, i + 1, i + 1));
        i++;
      } else {
        int j = i;
        while (j < text.length()
            && !Character.isWhitespace(text.charAt(j))
            && "[],\"#".indexOf(text.charAt(j)) < 0) {
          j++;
        }
        out.add(new Token(text.substring(i, j), false, line, i + 1, j));
        i = j;
      }
    }
    return out;
  }

  private static final class Token {
    final String text;
    final boolean quoted;
    final int line;
    final int column;
    final int end;

    Token(String text, boolean quoted, int line, int column, int end) {
      this.text = text;
      this.quoted = quoted;
      this.line = line;
      this.column = column;
      this.end = end;
    }

    boolean is(String word) {
      return !quoted && text.equalsIgnoreCase(word);
    }
  }
}
