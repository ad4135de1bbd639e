package dev.inlet.csv;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.internal.parquet.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One file's header bound to its output schema: which record field feeds which column, and how a record's text
 * becomes a typed {@link Row}. Built once per file from the header (and, when inferring, a sample of records);
 * immutable, so the threads converting parts of one file share it (each with its own {@link Values}).
 */
final class RecordConverter {
  private static final int MAX_VALUE_IN_MESSAGE = 60;

  private final CsvToParquet config;
  private final String fileName;
  private final int headerWidth;
  private final Schema schema;
  /** For each output column, its field index in a record, or -1 if the file lacks it. */
  private final int[] sourceIndex;

  private final ColumnType.Kind[] kinds;
  private final ColumnType[] types;
  private final boolean inferred;
  private final int yearColumn;
  /** The record field whose value is the partition value of {@link PartitionSpec#byColumn}, or -1. */
  private final int partitionField;
  /** Per output column: its type was set by columnType(..). */
  private final boolean[] overridden;
  /** Per output column: a date or timestamp inferred from US values ({@code MM/dd/yyyy}), read as such. */
  private final boolean[] usDates;

  private RecordConverter(
      CsvToParquet config,
      String fileName,
      int headerWidth,
      Schema schema,
      int[] sourceIndex,
      boolean inferred,
      int yearColumn,
      int partitionField,
      boolean[] usDates) {
    this.usDates = usDates;
    this.partitionField = partitionField;
    this.config = config;
    this.fileName = fileName;
    this.headerWidth = headerWidth;
    this.schema = schema;
    this.sourceIndex = sourceIndex;
    this.inferred = inferred;
    this.yearColumn = yearColumn;
    int n = schema.size();
    kinds = new ColumnType.Kind[n];
    types = new ColumnType[n];
    overridden = new boolean[n];
    for (int i = 0; i < n; i++) {
      types[i] = schema.column(i).type();
      kinds[i] = types[i].kind();
      overridden[i] =
          inferred && config.columnTypes().containsKey(schema.column(i).name());
    }
  }

  /** How many header names a message shows. */
  private static final int HEADER_NAMES_SHOWN = 12;

  /**
   * Normalises the header (drops ignored columns, applies renames), checks the required columns, matches it with
   * the explicit schema or infers types from {@code sample}, finds the year column of a year partitioning, and
   * checks that no partition key (of {@code sourcePartition} or of a year partitioning) is also a column.
   */
  static RecordConverter bind(
      CsvToParquet config,
      String fileName,
      String[] rawHeader,
      List<String[]> sample,
      Map<String, String> sourcePartition) {
    if (rawHeader.length > config.maxColumns()) {
      throw LimitExceededException.headerTooWide(fileName, rawHeader.length, config.maxColumns());
    }
    String[] header = new String[rawHeader.length];
    MalformedInputException unnamed = null;
    for (int i = 0; i < rawHeader.length; i++) {
      try {
        header[i] = fieldName(config, fileName, rawHeader, i);
      } catch (MalformedInputException e) {
        unnamed = unnamed != null ? unnamed : e;
      }
    }
    checkRequired(
        config, fileName, rawHeader, header); // a file that is not the data: says so first
    if (unnamed != null) {
      throw unnamed;
    }
    List<String> names = new ArrayList<>();
    List<Integer> fields = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rawHeader.length; i++) {
      String name = header[i];
      if (name == null) {
        continue;
      }
      if (name.isEmpty()) {
        throw new MalformedInputException(
            fileName,
            1,
            null,
            "header field " + (i + 1)
                + " has no name; name it with renameColumn(\"\", \"<name>\") or drop it with ignoreColumn(\"\")");
      }
      Integer before = seen.putIfAbsent(name, i);
      if (before != null) {
        throw new MalformedInputException(
            fileName,
            1,
            name,
            "the header names column '" + name
                + "' twice (fields " + (before + 1) + " '" + shown(rawHeader[before]) + "' and "
                + (i + 1) + " '"
                + shown(rawHeader[i]) + "', after lower-casing"
                + (config.snakeCase() ? ", snake_case" : "")
                + " and renames); rename or ignore one of them");
      }
      names.add(name);
      fields.add(i);
    }
    int partitionField = -1;
    String valueColumn = config.partitionSpec().valueColumn();
    if (valueColumn != null) {
      int pos = indexOfIgnoreCase(names, valueColumn);
      if (pos < 0) {
        throw new MalformedInputException(
            fileName,
            1,
            valueColumn,
            "cannot partition by column '" + valueColumn
                + "': the file has no such column (columns: " + names
                + "); check the name (after lower-casing"
                + (config.snakeCase() ? ", snake_case" : "")
                + " and renames) in PartitionSpec.byColumn");
      }
      // the partition key, not a column of the data files
      partitionField = fields.get(pos);
      names.remove(pos);
      fields.remove(pos);
    }
    if (!config.columnTypes().isEmpty()) {
      List<String> unknown = new ArrayList<>();
      for (String n : config.columnTypes().keySet()) {
        if (indexOfIgnoreCase(names, n) < 0 && !n.equalsIgnoreCase(valueColumn)) {
          unknown.add(n);
        }
      }
      if (!unknown.isEmpty()) {
        List<String> all = new ArrayList<>(names);
        if (partitionField >= 0) {
          all.add(valueColumn);
        }
        throw new MalformedInputException(
            fileName,
            1,
            unknown.get(0),
            "columnType(..) names column"
                + (unknown.size() == 1 ? " '" + unknown.get(0) + "'" : "s " + unknown)
                + " but the header has no"
                + " such column (columns: " + all + "); use the final names (after lower-casing"
                + (config.snakeCase() ? ", snake_case" : "") + " and renames)");
      }
    }
    List<Column> columns = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    List<Integer> us = new ArrayList<>();
    Schema explicit = config.explicitSchema();
    boolean inferred = explicit == null;
    if (explicit != null) {
      boolean[] used = new boolean[names.size()];
      for (Column c : explicit.columns()) {
        if (c.name().equalsIgnoreCase(valueColumn)) {
          continue; // the partition key
        }
        int pos = indexOfIgnoreCase(names, c.name());
        columns.add(c);
        index.add(pos < 0 ? -1 : fields.get(pos));
        if (pos >= 0) {
          used[pos] = true;
        }
      }
      checkSchemaOverlap(fileName, explicit, valueColumn, columns, index);
      for (int k = 0; k < names.size(); k++) {
        if (!used[k]) {
          columns.add(Column.of(names.get(k), ColumnType.STRING));
          index.add(fields.get(k));
        }
      }
    } else {
      for (int k = 0; k < names.size(); k++) {
        ColumnType override = config.columnTypes().get(names.get(k));
        ColumnType type = override != null ? override : TypeInference.infer(sample, fields.get(k));
        columns.add(Column.of(names.get(k), type));
        index.add(fields.get(k));
        if (override == null
            && (type.kind() == ColumnType.Kind.DATE || type.kind() == ColumnType.Kind.TIMESTAMP)
            && TypeInference.usDates(sample, fields.get(k))) {
          us.add(columns.size() - 1);
        }
      }
    }
    Schema schema = Schema.of(columns);
    int[] sourceIndex = index.stream().mapToInt(Integer::intValue).toArray();
    int yearColumn = -1;
    String yearName = config.partitionSpec().yearColumn();
    if (yearName != null) {
      yearColumn = schema.indexOf(yearName);
      if (yearColumn < 0) {
        throw new MalformedInputException(
            fileName,
            1,
            yearName,
            "cannot partition by the year of column '" + yearName
                + "': the file has no such column (columns: " + schema.names() + ")");
      }
      ColumnType type = schema.column(yearColumn).type();
      if (type.kind() != ColumnType.Kind.TIMESTAMP && type.kind() != ColumnType.Kind.DATE) {
        throw new MalformedInputException(
            fileName,
            1,
            yearName,
            "cannot partition by the year of column '"
                + yearName + "': it is " + type + ", not timestamp or date"
                + (inferred
                    ? " (inferred from the sample; declare it timestamp in an explicit schema)"
                    : ""));
      }
    }
    checkPartitionKeys(config, fileName, schema, sourcePartition);
    boolean[] usDates = new boolean[schema.size()];
    for (int i : us) {
      usDates[i] = true;
    }
    return new RecordConverter(
        config,
        fileName,
        rawHeader.length,
        schema,
        sourceIndex,
        inferred,
        yearColumn,
        partitionField,
        usDates);
  }

  /**
   * The name of header field {@code i} after normalisation (or snake_case), ignores and renames: null if it is
   * ignored. With snake_case, a field without a letter or digit can still be ignored or renamed by its
   * normalised name.
   */
  private static String fieldName(CsvToParquet config, String fileName, String[] rawHeader, int i) {
    String name = CsvToParquet.normalise(rawHeader[i]);
    if (config.snakeCase()) {
      try {
        name = ColumnNames.snakeCase(stripBom(rawHeader[i]).trim());
      } catch (IllegalArgumentException e) {
        if (!config.ignored().contains(name) && !config.renames().containsKey(name)) {
          throw new MalformedInputException(
              fileName,
              1,
              null,
              "header field " + (i + 1) + " ('"
                  + shown(rawHeader[i])
                  + "') has no letter or digit to make a snake_case name of; drop it with"
                  + " ignoreColumn(\"" + name + "\") or name it with renameColumn(\"" + name
                  + "\", \"<name>\")");
        }
      }
    }
    if (config.ignored().contains(name)) {
      return null;
    }
    return config.renames().getOrDefault(name, name);
  }

  private static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
  }

  /** A header name for a message: printable and at most 40 chars. */
  private static String shown(String raw) {
    return ContentSniffer.printable(raw.length() > 40 ? raw.substring(0, 40) + "..." : raw);
  }

  /**
   * Fails a file whose header has fewer than half of the explicit schema's columns: with the rest null-filled it
   * would replace a partition with rows that are mostly empty, and bring its own names in as new columns (the same
   * rule {@code SchemaEvolution} applies to a table's columns, here against the declared schema).
   */
  private static void checkSchemaOverlap(
      String fileName,
      Schema explicit,
      String valueColumn,
      List<Column> columns,
      List<Integer> index) {
    List<String> missing = new ArrayList<>();
    for (int k = 0; k < columns.size(); k++) {
      if (index.get(k) < 0) {
        missing.add(columns.get(k).name());
      }
    }
    int declared = columns.size();
    if (declared == 0 || 2 * (declared - missing.size()) >= declared) {
      return;
    }
    throw new MalformedInputException(
        fileName,
        1,
        null,
        "the header has " + (declared - missing.size())
            + " of the schema's " + declared + " columns (missing: "
            + String.join(", ", missing.subList(0, Math.min(missing.size(), HEADER_NAMES_SHOWN)))
            + (missing.size() > HEADER_NAMES_SHOWN ? ", ..." : "")
            + "); check that the source serves this data set"
            + " and not other data, or declare the schema it has");
  }

  private static void checkRequired(
      CsvToParquet config, String fileName, String[] rawHeader, String[] names) {
    if (config.requiredColumns().isEmpty()) {
      return;
    }
    java.util.Set<String> present = new java.util.HashSet<>();
    for (String name : names) {
      if (name != null) {
        present.add(name);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String r : config.requiredColumns()) {
      if (!present.contains(r)) {
        missing.add(r);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < Math.min(rawHeader.length, HEADER_NAMES_SHOWN); i++) {
      String n = rawHeader[i];
      header
          .append(i == 0 ? "" : ", ")
          .append(ContentSniffer.printable(n.length() > 40 ? n.substring(0, 40) + "..." : n));
    }
    if (rawHeader.length > HEADER_NAMES_SHOWN) {
      header.append(", ... (").append(rawHeader.length).append(" columns)");
    }
    throw new MalformedInputException(
        fileName,
        1,
        null,
        "the header lacks the required column"
            + (missing.size() == 1 ? " " + missing.get(0) : "s " + String.join(", ", missing))
            + " (header: ["
            + header
            + "]); check that the source serves this data set and not an error page or other data, or"
            + " change requiredColumns(..)");
  }

  private static void checkPartitionKeys(
      CsvToParquet config, String fileName, Schema schema, Map<String, String> sourcePartition) {
    String yearName = config.partitionSpec().yearColumn();
    String valueColumn = config.partitionSpec().valueColumn();
    // byColumn's own column is no column of the data files (bind removed it): only another would
    // collide
    java.util.Collection<String> keys = yearName != null
        ? config.partitionSpec().timeKeys()
        : valueColumn != null ? java.util.List.of(valueColumn) : sourcePartition.keySet();
    for (String key : keys) {
      int i = schema.indexOf(key);
      if (i >= 0) {
        String name = schema.column(i).name();
        String of = yearName != null || valueColumn != null
            ? config.partitionSpec().toString()
            : "the source file (" + key + "=" + sourcePartition.get(key) + ")";
        throw new MalformedInputException(
            fileName,
            1,
            name,
            "partition key '" + key + "' of " + of
                + " is also a column of the file; readers would show the partition value instead of the column's"
                + " values: drop the column with ignoreColumn(\"" + name
                + "\") or rename it with renameColumn(\""
                + name + "\", \"<name>\")");
      }
    }
  }

  private static int indexOfIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  Schema schema() {
    return schema;
  }

  /** The record field whose text is the partition value of {@link PartitionSpec#byColumn}, or -1. */
  int partitionField() {
    return partitionField;
  }

  /** The partition value of a record (trimmed; {@link PartitionSpec#NULL_PARTITION} when empty or missing). */
  String partitionValue(String[] rec) {
    String v = partitionField < rec.length ? Values.trim(rec[partitionField]) : "";
    return v.isEmpty() ? PartitionSpec.NULL_PARTITION : v;
  }

  /** Like {@link #partitionValue(String[])} for the current record of a byte parser. */
  String partitionValue(ByteRecordParser rec) {
    if (partitionField >= rec.fieldCount()) {
      return PartitionSpec.NULL_PARTITION;
    }
    String v = Values.trim(new String(
        rec.array(partitionField),
        rec.start(partitionField),
        rec.length(partitionField),
        java.nio.charset.StandardCharsets.UTF_8));
    return v.isEmpty() ? PartitionSpec.NULL_PARTITION : v;
  }

  /** The column whose year partitions the rows, or -1. */
  int yearColumn() {
    return yearColumn;
  }

  ColumnType.Kind kind(int column) {
    return kinds[column];
  }

  int headerWidth() {
    return headerWidth;
  }

  void checkWidth(String[] rec, long line) {
    if (rec.length != headerWidth) {
      throw tooWide(rec, line);
    }
  }

  void checkWidth(ByteRecordParser rec, long line) {
    if (rec.fieldCount() != headerWidth) {
      throw ConversionRun.tooWide(fileName, rec.strings(), line, headerWidth);
    }
  }

  /**
   * Whether a record is a line holding only whitespace in a file of two or more columns: skipped like an empty
   * line, not a record with too few fields.
   */
  static boolean isBlank(String[] rec, int headerWidth) {
    return rec.length == 1 && headerWidth > 1 && Values.trim(rec[0]).isEmpty();
  }

  /** Like {@link #isBlank(String[], int)} for the current record of a byte parser. */
  static boolean isBlank(ByteRecordParser rec, int headerWidth) {
    if (rec.fieldCount() != 1 || headerWidth < 2) {
      return false;
    }
    byte[] a = rec.array(0);
    int end = rec.start(0) + rec.length(0);
    for (int i = rec.start(0); i < end; i++) {
      if ((a[i] & 0xFF) > ' '
          && !(a[i] == (byte) 0xC2 && i + 1 < end && a[i + 1] == (byte) 0xA0 && ++i > 0)) {
        return false;
      }
    }
    return true;
  }

  MalformedInputException tooWide(String[] rec, long line) {
    return ConversionRun.tooWide(fileName, rec, line, headerWidth);
  }

  /**
   * Fills {@code r} with the typed values of {@code rec} (found on {@code line}).
   *
   * @throws MalformedInputException naming the line and column of a value that does not fit its type
   */
  void convert(String[] rec, long line, Row r, Values values) {
    for (int i = 0; i < sourceIndex.length; i++) {
      int src = sourceIndex[i];
      String v = src < 0 || src >= rec.length ? null : Values.trim(rec[src]);
      if (v == null || v.isEmpty()) {
        r.setNull(i);
      } else {
        setValue(r, i, v, line, values);
      }
    }
  }

  /**
   * Like {@link #convert(String[], long, Row, Values)} for the current record of a byte parser: string values
   * become slices of its bytes (valid until its next record), other values are decoded to text and parsed.
   */
  void convert(ByteRecordParser rec, long line, Row r, Values values) {
    int fields = rec.fieldCount();
    for (int i = 0; i < sourceIndex.length; i++) {
      int src = sourceIndex[i];
      if (src < 0 || src >= fields) {
        r.setNull(i);
        continue;
      }
      byte[] a = rec.array(src);
      int from = rec.start(src);
      int to = from + rec.length(src);
      // Values.trim on bytes: C0 controls, space, and U+00A0 (C2 A0; C2 is never a continuation
      // byte)
      while (from < to
          && ((a[from] & 0xFF) <= ' '
              || (a[from] == (byte) 0xC2 && from + 1 < to && a[from + 1] == (byte) 0xA0))) {
        from += (a[from] & 0xFF) <= ' ' ? 1 : 2;
      }
      while (to > from
          && ((a[to - 1] & 0xFF) <= ' '
              || (a[to - 1] == (byte) 0xA0 && to - 2 >= from && a[to - 2] == (byte) 0xC2))) {
        to -= (a[to - 1] & 0xFF) <= ' ' ? 1 : 2;
      }
      if (from == to) {
        r.setNull(i);
      } else if (kinds[i] == ColumnType.Kind.STRING) {
        r.setBytes(i, a, from, to - from);
      } else if (!setFromBytes(r, i, a, from, to, values)) {
        setValue(
            r,
            i,
            new String(a, from, to - from, java.nio.charset.StandardCharsets.UTF_8),
            line,
            values);
      }
    }
  }

  /**
   * The common numbers and timestamps straight from the bytes; false when the fast path cannot decide, and the
   * text goes through {@link #setValue} (which also words any error).
   */
  private boolean setFromBytes(Row r, int i, byte[] a, int from, int to, Values values) {
    switch (kinds[i]) {
      case BIGINT:
        if (values.tryLong(a, from, to)) {
          r.setLong(i, values.longValue);
          return true;
        }
        return false;
      case DOUBLE:
        if (values.tryDouble(a, from, to)) {
          r.setDouble(i, values.doubleValue);
          return true;
        }
        return false;
      case TIMESTAMP:
        long micros = Values.parseTimestamp(a, from, to);
        if (micros != Long.MIN_VALUE) {
          r.setLong(i, micros);
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  private void setValue(Row r, int i, String v, long line, Values values) {
    switch (kinds[i]) {
      case STRING:
        r.setString(i, v);
        return;
      case BIGINT:
        if (values.tryLong(v)) {
          r.setLong(i, values.longValue);
          return;
        }
        break;
      case INT:
        if (values.tryLong(v) && values.longValue == (int) values.longValue) {
          r.setInt(i, (int) values.longValue);
          return;
        }
        break;
      case DOUBLE:
        if (values.tryDouble(v, true)) {
          r.setDouble(i, values.doubleValue);
          return;
        }
        break;
      case FLOAT:
        if (values.tryDouble(v, true) && !Float.isInfinite((float) values.doubleValue)) {
          r.setFloat(i, (float) values.doubleValue);
          return;
        }
        break;
      case BOOLEAN:
        int b = Values.parseBoolean(v);
        if (b >= 0) {
          r.setBoolean(i, b == 1);
          return;
        }
        break;
      case TIMESTAMP:
        long micros = usDates[i] ? Values.parseUsTimestamp(v) : Values.parseTimestamp(v);
        if (micros != Long.MIN_VALUE) {
          r.setLong(i, micros);
          return;
        }
        break;
      case DATE:
        long day = usDates[i] ? Values.parseUsDate(v) : Values.parseDate(v);
        if (day != Long.MIN_VALUE) {
          r.setInt(i, (int) day);
          return;
        }
        break;
      case DECIMAL:
        BigDecimal d = Values.parseDecimal(v, types[i].precision(), types[i].scale());
        if (d != null) {
          r.setDecimal(i, d);
          return;
        }
        break;
      case BINARY:
        r.setBinary(i, v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      default:
        break;
    }
    throw badValue(i, v, line);
  }

  private MalformedInputException badValue(int i, String v, long line) {
    String shown =
        v.length() > MAX_VALUE_IN_MESSAGE ? v.substring(0, MAX_VALUE_IN_MESSAGE) + "..." : v;
    String name = schema.column(i).name();
    String expected = usDates[i]
        ? (kinds[i] == ColumnType.Kind.DATE
            ? "a US date (MM/dd/yyyy)"
            : "a US timestamp (MM/dd/yyyy[ hh:mm:ss AM|PM])")
        : expectation(types[i]);
    String fix = overridden[i]
        ? "the type was set by columnType(\"" + name + "\", " + types[i]
            + "); fix the value, choose another"
            + " type (e.g. string), or choose another bad-row policy"
        : inferred
            ? "the type was inferred from the first " + config.sampleRows()
                + " records; give an explicit schema" + " (e.g. " + name
                + " string) or a larger inferSchema(..) sample"
            : "fix the value or declare column " + name
                + " with another type (e.g. string) in the schema";
    return new MalformedInputException(
        fileName, line, name, "'" + shown + "' is not " + expected + "; " + fix);
  }

  private static String expectation(ColumnType t) {
    switch (t.kind()) {
      case TIMESTAMP:
        return "a timestamp (yyyy-MM-dd HH:mm:ss[.ffffff][zone])";
      case DATE:
        return "a date (yyyy-MM-dd)";
      case BOOLEAN:
        return "a boolean (true/false)";
      case INT:
        return "an int";
      case DECIMAL:
        return "a " + t + " (at most " + t.scale() + " decimals, " + t.precision() + " digits)";
      default:
        return "a " + t;
    }
  }
}
