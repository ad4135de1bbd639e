package dev.inlet.csv;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.internal.parquet.ParquetRowWriter;
import dev.inlet.internal.parquet.Row;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;

/**
 * Converts one file row by row on the calling thread (char parser, one open row group per partition): the path of
 * quarantining files (the rejects keep each bad record's text) and of delimiters outside ASCII; every other file
 * goes through {@link ChunkedConversion}, which gives the same rows. The state of one file: header mapping,
 * inference sample, open outputs. Single-threaded.
 */
final class ConversionRun {
  static final int PROGRESS_EVERY = 10_000;
  static final int SIZE_CHECK_EVERY = 1000;
  /**
   * With several partitions open, the row groups they buffer together stay under about this many bytes: past it
   * (checked every {@value #SIZE_CHECK_EVERY} rows) the largest is written out as a row group. A constant, not a
   * share of the heap, so that the same rows give the same files on any heap; with 15 year partitions of wide rows
   * (NYC 311) the row groups come out at a few MB each instead of all partitions holding 100,000 rows until the
   * file ends. A row group under {@value #MIN_FLUSH_BYTES} bytes is not written out early (it would make the files
   * worse and free little), so with many small partitions the bound is that much per partition.
   */
  static final long PARTITION_BUFFER_BYTES = 48L << 20;
  /** The smallest row group written out early to bound the partitions' memory. */
  static final long MIN_FLUSH_BYTES = 1L << 20;
  /**
   * The inference sample stops after this many chars of values even before sampleRows records, so that its
   * memory stays bounded when records are large (Boston 311 records are about 450 chars: 1,000 take 450 K).
   */
  static final long SAMPLE_CHARS = 8L << 20;

  /** The chars of a record's values. */
  static long chars(String[] rec) {
    long n = 0;
    for (String f : rec) {
      n += f.length();
    }
    return n;
  }

  private final CsvToParquet config;
  private final SourceFile file;
  private final CsvRecordParser records;
  private final Staging staging;
  private final ConversionProgress progress;
  private final Values values = new Values();

  private int headerWidth;
  private RecordConverter binding;
  private Schema schema;
  private int yearColumn = -1;

  /** Outputs by year (yearOf) or by value (byColumn). */
  private final Map<String, Output> outputsByValue = new HashMap<>();

  private final List<Output> outputs = new ArrayList<>();
  private Output sourceOutput;
  private long yearStartMicros = Long.MAX_VALUE;
  private long yearEndMicros = Long.MIN_VALUE;
  private String cachedYear;
  /** monthOf: whether rows go by year and month, and the month of the last row (as cachedYear). */
  private final boolean byMonth;

  private long monthStartMicros = Long.MAX_VALUE;
  private long monthEndMicros = Long.MIN_VALUE;
  private String cachedMonth;

  private long rowsIn;
  private long rowsOut;
  private org.apache.commons.csv.CSVPrinter rejects;
  private Row row;
  /** The year guard of this file (null without one) and the rows it counted. */
  private YearGuard yearGuard;

  private YearGuard.Counter yearCounts;

  /** Where the text comes from, counting replaced bytes; the parser's char 0 is its char {@code skipped}. */
  private final Utf8Reader utf8;

  private final int skipped;
  /** The line of the record holding the first replaced byte sequence, once known. */
  private long firstReplacementLine = -1;

  ConversionRun(
      CsvToParquet config,
      SourceFile file,
      CsvRecordParser parser,
      Staging staging,
      ConversionProgress progress,
      Utf8Reader utf8,
      int skipped) {
    this.utf8 = utf8;
    this.skipped = skipped;
    this.config = config;
    this.file = file;
    this.records = parser;
    this.staging = staging;
    this.progress = progress;
    this.byMonth = config.partitionSpec().byMonth();
  }

  ConversionResult execute() throws IOException {
    boolean done = false;
    try {
      String[] header = readHeader();
      List<String[]> sample = new ArrayList<>();
      List<Long> sampleLines = new ArrayList<>();
      String[] first = null;
      long firstLine = 0;
      if (config.explicitSchema() == null) {
        long sampleChars = 0;
        while (sample.size() < config.sampleRows() && sampleChars < SAMPLE_CHARS) {
          String[] rec = next();
          if (rec == null) {
            break;
          }
          long line = records.line();
          if (rec.length != headerWidth && config.badRows() != BadRowPolicy.FAIL) {
            rowsIn++;
            reject(rec, line, tooWide(rec, line));
            continue;
          }
          checkWidth(rec, line);
          sample.add(rec);
          sampleLines.add(line);
          sampleChars += chars(rec);
        }
      }
      binding = RecordConverter.bind(config, file.name(), header, sample, file.partition());
      schema = binding.schema();
      yearColumn = binding.yearColumn();
      yearGuard = YearGuard.of(config, file.name(), file.partition(), binding);
      yearCounts = yearGuard == null ? null : yearGuard.counter();
      row = new Row(schema.size());
      for (int i = 0; i < sample.size(); i++) {
        convertOrReject(sample.get(i), sampleLines.get(i));
      }
      sample = null;
      while (true) {
        String[] rec = next();
        if (rec == null) {
          break;
        }
        convertOrReject(rec, records.line());
      }
      if (yearGuard != null) {
        yearGuard.check(yearCounts);
      }
      if (rejects != null) {
        rejects.close();
      }
      Map<Map<String, String>, Long> byPartition = new LinkedHashMap<>();
      for (Output o : outputs) {
        o.finish();
        byPartition.merge(o.partition, o.rowsTotal, Long::sum);
      }
      progress.rowsConverted(rowsOut);
      done = true;
      long replaced = utf8.replacements();
      if (replaced > 0) {
        ChunkedConversion.warnReplaced(file.name(), replaced, firstReplacementLine);
      }
      return new ConversionResult(schema, rowsIn, rowsOut, byPartition, replaced);
    } finally {
      if (!done) {
        for (Output o : outputs) {
          o.abandon();
        }
        if (rejects != null) {
          try {
            rejects.close();
          } catch (IOException | RuntimeException ignored) {
            // the staging is aborted by the pipeline; the primary failure is already propagating
          }
        }
      }
    }
  }

  /** The next record's values (its line is {@code records.line()}), or null at the end; skips blank lines. */
  private String[] next() throws IOException {
    String[] rec = records.next();
    while (rec != null && rec.length == 1 && RecordConverter.isBlank(rec, headerWidth)) {
      rec = records.next();
    }
    if (firstReplacementLine < 0 && rec != null) {
      long bad = utf8.firstReplacement();
      if (bad >= 0 && bad - skipped < records.position()) {
        firstReplacementLine = records.line();
      }
    }
    return rec;
  }

  private String[] readHeader() throws IOException {
    String[] raw = next();
    if (raw == null) {
      throw new MalformedInputException(
          file.name(), 1, null, "the file is empty; expected a header line with column names");
    }
    headerWidth = raw.length;
    return raw;
  }

  private void checkWidth(String[] rec, long line) {
    if (rec.length != headerWidth) {
      throw tooWide(rec, line);
    }
  }

  private MalformedInputException tooWide(String[] rec, long line) {
    return tooWide(file.name(), rec, line, headerWidth);
  }

  /** A record with more or fewer fields than the header. */
  static MalformedInputException tooWide(
      String fileName, String[] rec, long line, int headerWidth) {
    return new MalformedInputException(
        fileName,
        line,
        null,
        "the record has " + rec.length + " fields but the header has " + headerWidth
            + (rec.length > headerWidth
                ? "; quote values that contain the delimiter, or fix the header"
                : "; every record needs a value (maybe empty) for each column: check for a truncated file or"
                    + " a line break in an unquoted value"));
  }

  /** Converts one record or, unless the policy is FAIL, rejects it when it cannot be converted. */
  private void convertOrReject(String[] rec, long line) throws IOException {
    if (config.badRows() == BadRowPolicy.FAIL) {
      checkWidth(rec, line);
      convertRecord(rec, line);
      return;
    }
    long before = rowsIn;
    try {
      checkWidth(rec, line);
      convertRecord(rec, line);
    } catch (LimitExceededException e) {
      throw e;
    } catch (MalformedInputException e) {
      if (rowsIn == before) {
        rowsIn++;
      }
      reject(rec, line, e);
    }
  }

  /** Counts a rejected record (rowsIn without rowsOut) and, under QUARANTINE, writes it to the rejects output. */
  private void reject(String[] rec, long line, MalformedInputException e) throws IOException {
    if (config.badRows() != BadRowPolicy.QUARANTINE) {
      return;
    }
    if (rejects == null) {
      rejects = new org.apache.commons.csv.CSVPrinter(
          new java.io.OutputStreamWriter(
              staging.newRejectsOutput(), java.nio.charset.StandardCharsets.UTF_8),
          CSVFormat.RFC4180);
      rejects.printRecord("file", "line", "column", "reason", "record");
    }
    java.io.StringWriter raw = new java.io.StringWriter();
    try (org.apache.commons.csv.CSVPrinter p =
        new org.apache.commons.csv.CSVPrinter(raw, config.format())) {
      p.printRecord((Object[]) rec);
    }
    String record = raw.toString().replaceAll("\\r?\\n$", "");
    rejects.printRecord(
        file.name(), line, e.column() == null ? "" : e.column(), e.getMessage(), record);
  }

  private void convertRecord(String[] rec, long line) throws IOException {
    rowsIn++;
    Row r = row;
    binding.convert(rec, line, r, values);
    Output out = binding.partitionField() >= 0
        ? outputFor(binding.partitionValue(rec), line)
        : outputFor(r, line);
    out.write(r);
    if (yearCounts != null) {
      yearCounts.add(r);
    }
    rowsOut++;
    if (rowsOut % SIZE_CHECK_EVERY == 0 && outputs.size() > 1) {
      boundBufferedBytes();
    }
    if (rowsOut % PROGRESS_EVERY == 0) {
      progress.rowsConverted(rowsOut);
    }
  }

  /** Writes out the largest buffered row groups while all partitions together buffer more than the budget. */
  private void boundBufferedBytes() throws IOException {
    while (true) {
      long total = 0;
      Output largest = null;
      long largestBytes = 0;
      for (Output o : outputs) {
        long b = o.files.bufferedBytes();
        total += b;
        if (b > largestBytes) {
          largest = o;
          largestBytes = b;
        }
      }
      if (total <= PARTITION_BUFFER_BYTES || largestBytes < MIN_FLUSH_BYTES) {
        return;
      }
      largest.files.flushRowGroup();
    }
  }

  private Output outputFor(Row r, long line) throws IOException {
    if (yearColumn < 0) {
      if (sourceOutput == null) {
        sourceOutput = newOutput(file.partition());
      }
      return sourceOutput;
    }
    String year;
    if (r.isNull(yearColumn)) {
      year = PartitionSpec.NULL_PARTITION;
    } else {
      long micros = r.getLong(yearColumn);
      if (binding.kind(yearColumn) == ColumnType.Kind.DATE) {
        micros *= Values.MICROS_PER_DAY;
      }
      year = byMonth ? monthOf(micros) : yearOf(micros);
    }
    Output out = outputsByValue.get(year);
    if (out == null) {
      int max = config.maxPartitionsPerFile();
      if (outputsByValue.size() >= max) {
        throw tooManyPartitions(
            file.name(),
            line,
            schema.column(yearColumn).name(),
            String.join("/", config.partitionSpec().timeKeys()),
            year,
            max);
      }
      out = newOutput(byMonth ? monthPartition(year) : Map.of(PartitionSpec.YEAR_KEY, year));
      outputsByValue.put(year, out);
    }
    return out;
  }

  /** The output of partition {@code key=value} of {@link PartitionSpec#byColumn}. */
  private Output outputFor(String value, long line) {
    Output out = outputsByValue.get(value);
    if (out == null) {
      String key = config.partitionSpec().valueColumn();
      int max = config.maxPartitionsPerFile();
      if (outputsByValue.size() >= max) {
        throw tooManyPartitions(file.name(), line, key, key, value, max);
      }
      out = newOutput(Map.of(key, value));
      outputsByValue.put(value, out);
    }
    return out;
  }

  /** A file whose rows would open partition {@code max + 1}. */
  static LimitExceededException tooManyPartitions(
      String fileName, long line, String column, String key, String value, int max) {
    String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
    return new LimitExceededException(
        fileName,
        line,
        column,
        "the rows fall into more than " + max
            + " partitions, more than maxPartitionsPerFile (" + max + "): " + key + "="
            + ContentSniffer.printable(shown)
            + " would be partition " + (max + 1) + "; check the values of column " + column
            + ", or raise"
            + " CsvToParquet.Builder.maxPartitionsPerFile",
        "maxPartitionsPerFile",
        max);
  }

  /** {@code yyyy/MM} of {@code micros} (the key of outputsByValue for monthOf). */
  private String monthOf(long micros) {
    if (micros < monthStartMicros || micros >= monthEndMicros) {
      LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(micros, Values.MICROS_PER_DAY));
      LocalDate first = d.withDayOfMonth(1);
      monthStartMicros = first.toEpochDay() * Values.MICROS_PER_DAY;
      monthEndMicros = first.plusMonths(1).toEpochDay() * Values.MICROS_PER_DAY;
      cachedMonth = d.getYear() + "/" + (d.getMonthValue() < 10 ? "0" : "") + d.getMonthValue();
    }
    return cachedMonth;
  }

  /** The partition of a {@link #monthOf} value (or of the null partition, for both keys). */
  static Map<String, String> monthPartition(String yearSlashMonth) {
    int slash = yearSlashMonth.indexOf('/');
    if (slash < 0) {
      return orderedPartition(yearSlashMonth, yearSlashMonth); // the null partition
    }
    return orderedPartition(
        yearSlashMonth.substring(0, slash), yearSlashMonth.substring(slash + 1));
  }

  private static Map<String, String> orderedPartition(String year, String month) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put(PartitionSpec.YEAR_KEY, year);
    m.put(PartitionSpec.MONTH_KEY, month);
    return java.util.Collections.unmodifiableMap(m);
  }

  private String yearOf(long micros) {
    if (micros < yearStartMicros || micros >= yearEndMicros) {
      long day = Math.floorDiv(micros, Values.MICROS_PER_DAY);
      int y = LocalDate.ofEpochDay(day).getYear();
      yearStartMicros = Values.epochDay(y, 1, 1) * Values.MICROS_PER_DAY;
      yearEndMicros = Values.epochDay(y + 1, 1, 1) * Values.MICROS_PER_DAY;
      cachedYear = Integer.toString(y);
    }
    return cachedYear;
  }

  private Output newOutput(Map<String, String> partition) {
    Output o = new Output(partition);
    outputs.add(o);
    return o;
  }

  /** One partition's outputs, with the rows written to them. */
  private final class Output {
    final Map<String, String> partition;
    long rowsTotal;
    private final PartitionOutput files;

    Output(Map<String, String> partition) {
      this.partition = partition;
      this.files = new PartitionOutput(staging, partition, schema, config);
    }

    void write(Row r) throws IOException {
      ParquetRowWriter writer = files.writer();
      writer.write(r);
      rowsTotal++;
      if (writer.rows() % SIZE_CHECK_EVERY == 0) {
        files.rollOverIfFull();
      }
    }

    void finish() throws IOException {
      files.finish();
    }

    void abandon() {
      files.abandon();
    }
  }
}
