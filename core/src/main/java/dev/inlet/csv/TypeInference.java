package dev.inlet.csv;

import dev.inlet.ColumnType;
import java.util.List;

/** Picks the narrowest type fitting every non-null sample value of a column. */
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
        return ColumnType.STRING;
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
    return ColumnType.STRING;
  }
}
