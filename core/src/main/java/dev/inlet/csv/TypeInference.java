package dev.inlet.csv;

import dev.inlet.ColumnType;
import java.util.List;

/**
 * Picks the narrowest type fitting every non-null sample value of a column. Dates and timestamps are ISO
 * ({@code yyyy-MM-dd[ HH:mm:ss]}), or US ({@code MM/dd/yyyy[ hh:mm:ss AM]}) when the sample proves the order: every
 * value reads as a US date and at least one has a day above 12 (so {@code 06/15/2023}, never a guess on
 * {@code 06/07/2023} alone); a column with a value whose first number is above 12 stays a string.
 */
final class TypeInference {
  private TypeInference() {}

  static ColumnType infer(List<String[]> sample, int field) {
    Values values = new Values();
    boolean any = false;
    boolean canLong = true;
    boolean canDouble = true;
    boolean canBoolean = true;
    boolean canDate = true;
    boolean canTimestamp = true;
    for (String[] rec : sample) {
      if (field >= rec.length) {
        continue;
      }
      String v = Values.trim(rec[field]);
      if (v.isEmpty()) {
        continue;
      }
      any = true;
      boolean leadingZero = Values.hasLeadingZero(v);
      if (canLong && (leadingZero || !values.tryLong(v))) {
        canLong = false;
      }
      if (canDouble) {
        // an integer too long for a bigint is an id, not a measure: never a double
        boolean integral = Values.isDecimalText(v, false) && v.indexOf('.') < 0;
        if (leadingZero || (integral && !values.tryLong(v)) || !values.tryDouble(v, false)) {
          canDouble = false;
        }
      }
      if (canBoolean && Values.parseBoolean(v) < 0) {
        canBoolean = false;
      }
      if (canDate && Values.parseDate(v) == Long.MIN_VALUE) {
        canDate = false;
      }
      if (canTimestamp && Values.parseTimestamp(v) == Long.MIN_VALUE) {
        canTimestamp = false;
      }
      if (!canLong && !canDouble && !canBoolean && !canDate && !canTimestamp) {
        return usDates(sample, field) ? usType(sample, field) : ColumnType.STRING;
      }
    }
    if (!any) {
      return ColumnType.STRING;
    }
    if (canLong) {
      return ColumnType.BIGINT;
    }
    if (canDouble) {
      return ColumnType.DOUBLE;
    }
    if (canBoolean) {
      return ColumnType.BOOLEAN;
    }
    if (canDate) {
      return ColumnType.DATE;
    }
    if (canTimestamp) {
      return ColumnType.TIMESTAMP;
    }
    return usDates(sample, field) ? usType(sample, field) : ColumnType.STRING;
  }

  /**
   * Whether the column's sample values are all US dates or timestamps ({@link Values#parseUsTimestamp}) with at
   * least one day of the month above 12, and none with a month above 12: then the values are read as US dates.
   */
  static boolean usDates(List<String[]> sample, int field) {
    boolean any = false;
    boolean proof = false;
    for (String[] rec : sample) {
      if (field >= rec.length) {
        continue;
      }
      String v = Values.trim(rec[field]);
      if (v.isEmpty()) {
        continue;
      }
      if (Values.parseUsTimestamp(v) == Long.MIN_VALUE) {
        return false; // also a month above 12: a day-first date
      }
      any = true;
      proof |= Values.usDayOfMonth(v) > 12;
    }
    return any && proof;
  }

  /** DATE when every US value is a date alone, else TIMESTAMP. */
  private static ColumnType usType(List<String[]> sample, int field) {
    for (String[] rec : sample) {
      if (field < rec.length) {
        String v = Values.trim(rec[field]);
        if (!v.isEmpty() && Values.parseUsDate(v) == Long.MIN_VALUE) {
          return ColumnType.TIMESTAMP;
        }
      }
    }
    return ColumnType.DATE;
  }
}
