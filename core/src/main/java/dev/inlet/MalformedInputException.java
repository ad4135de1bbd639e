package dev.inlet;

/**
 * Input that cannot be converted, with its place: the source file, the 1-based line, and the column when one is
 * to blame. Thrown by converters; nothing of the file is made visible.
 */
public class MalformedInputException extends InletException {
  private static final long serialVersionUID = 1L;

  /** The file's name. */
  private final String file;
  /** The line number, 1-based. */
  private final long line;
  /** The column's name, or null. */
  private final String column;

  /**
   * @param file the source file's name
   * @param line 1-based physical line where the bad record starts, or -1 if unknown
   * @param column the column name, or null if the record as a whole is bad
   * @param reason what is wrong and, where it helps, what to do
   */
  public MalformedInputException(String file, long line, String column, String reason) {
    this(file, line, column, reason, null);
  }

  /**
   * Creates the exception; its message names the file, line and column.
   *
   * @param file the file's name
   * @param line the line number, 1-based
   * @param column the column's name, or null
   * @param reason what is wrong
   * @param cause the underlying failure, or null
   */
  public MalformedInputException(
      String file, long line, String column, String reason, Throwable cause) {
    super(message(file, line, column, reason), cause);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  private static String message(String file, long line, String column, String reason) {
    StringBuilder sb = new StringBuilder("Cannot convert ").append(file);
    if (line > 0) {
      sb.append(": line ").append(line);
    }
    if (column != null) {
      sb.append(", column ").append(column);
    }
    return sb.append(": ").append(reason).toString();
  }

  /** {@return the file's name} */
  public String file() {
    return file;
  }

  /**
   * 1-based line number, or -1 if unknown.
   *
   * @return the line number of the record, 1-based
   */
  public long line() {
    return line;
  }

  /** {@return the column name, or null} */
  public String column() {
    return column;
  }
}
