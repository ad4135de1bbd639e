package dev.inlet.csv;

/**
 * What {@link CsvToParquet} does with a record it cannot convert (a value that does not fit its column type, more
 * or fewer fields than the header). Problems with the file as a whole always fail it: no header, a duplicate
 * column, a missing required column, a quote never closed (which swallows the rest of the file), a body that is
 * not CSV, and an exceeded limit ({@link LimitExceededException}).
 */
public enum BadRowPolicy {
  /** The file fails with a {@link dev.inlet.MalformedInputException} naming the line; nothing of it is visible. */
  FAIL,
  /** The record is left out and counted ({@code rowsIn - rowsOut} of the result); the file succeeds. */
  SKIP,
  /**
   * The record is left out, counted, and written with its file, line, column and reason to the table's
   * {@code _rejects} folder through the sink ({@link dev.inlet.Staging#newRejectsOutput()}), committed with the
   * data: a CSV with columns {@code file,line,column,reason,record}.
   */
  QUARANTINE
}
