package dev.inlet.csv;

import dev.inlet.MalformedInputException;

/**
 * A file that exceeds one of {@link CsvToParquet}'s limits ({@code maxFieldBytes}, {@code maxColumns},
 * {@code maxPartitionsPerFile}): a problem of the file as a whole, so it fails whatever the
 * {@link BadRowPolicy}. Nothing of the file is made visible.
 */
public final class LimitExceededException extends MalformedInputException {
  private static final long serialVersionUID = 1L;

  /** The builder setting that was exceeded. */
  private final String limit;
  /** The setting's value when the limit was exceeded. */
  private final long value;

  LimitExceededException(
      String file, long line, String column, String reason, String limit, long value) {
    super(file, line, column, reason);
    this.limit = limit;
    this.value = value;
  }

  /**
   * The builder setting that was exceeded, e.g. {@code "maxFieldBytes"}.
   *
   * @return the setting's name
   */
  public String limit() {
    return limit;
  }

  /**
   * Its value.
   *
   * @return the setting's value
   */
  public long value() {
    return value;
  }

  static LimitExceededException fieldTooLong(String file, long line, int max) {
    return new LimitExceededException(
        file,
        line,
        null,
        "a field of the record starting here is longer than"
            + " maxFieldBytes (" + max + "); check for a quote that is never closed, or raise"
            + " CsvToParquet.Builder.maxFieldBytes",
        "maxFieldBytes",
        max);
  }

  static LimitExceededException tooManyFields(String file, long line, int max) {
    return new LimitExceededException(
        file,
        line,
        null,
        "the record starting here has more than " + max
            + " fields, more than maxColumns (" + max + "); if the file is right, raise"
            + " CsvToParquet.Builder.maxColumns",
        "maxColumns",
        max);
  }

  static LimitExceededException headerTooWide(String file, int fields, int max) {
    return new LimitExceededException(
        file,
        1,
        null,
        "the header has " + fields + " fields, more than maxColumns (" + max
            + "); if the file is right, raise CsvToParquet.Builder.maxColumns",
        "maxColumns",
        max);
  }
}
