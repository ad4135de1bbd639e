package dev.inlet.csv;

import dev.inlet.Codec;
import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Converter;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts an RFC 4180 CSV file (UTF-8, with or without BOM, CRLF or LF, quoted multi-line fields, doubled
 * quotes) to Parquet, streaming: only the type-inference sample is held in memory. Immutable and thread-safe; one
 * instance converts many files in parallel.
 *
 * <h2>Columns</h2>
 * The header is the first record. Its names are normalised (BOM stripped, trimmed, lower-cased; or made
 * {@linkplain Builder#snakeCaseColumns snake_case}), then {@linkplain Builder#ignoreColumn ignored columns} are
 * dropped, then {@linkplain Builder#renameColumn renames} apply, giving the final names. Two header columns with
 * the same final name fail the file. The column of a {@link PartitionSpec#byColumn} partitioning becomes the
 * partition key and is left out of the data files. The output columns are:
 * <ul>
 *   <li>with an {@linkplain Builder#schema explicit schema}: its columns in its order (matched to the header by
 *       name, ignoring case; a column missing from the file is written as null), then every header column the
 *       schema does not name, as {@code string}: unknown extra columns are kept, never silently dropped;
 *   <li>with {@linkplain Builder#inferSchema inference} (the default, first 1000 records): the header order, each
 *       column typed as the narrowest of bigint, double, boolean, date, timestamp, string that fits every
 *       non-null sample value. Numbers with a significant leading zero ({@code 02127}, {@code 0706}) are never
 *       inferred numeric; a column with no value in the sample is string. {@linkplain Builder#columnType Type
 *       overrides} replace the inferred type of the columns they name.
 * </ul>
 *
 * <h2>Values</h2>
 * Each value is trimmed; an empty value (including {@code " "}) is null. Timestamps are
 * {@code yyyy-MM-dd HH:mm:ss} or {@code yyyy-MM-ddTHH:mm:ss}, with an optional fraction (1-9 digits, kept to
 * microseconds) and an optional zone ({@code Z}, {@code +00}, {@code +0000}, {@code -05:00}); a zone converts the
 * value to UTC, no zone keeps the wall-clock value. Booleans are {@code true}/{@code false} in any case.
 *
 * <h2>Content guards</h2>
 * Before anything is written, the first KiB of the body is checked: a body that is plainly not CSV (an HTML or XML
 * page, JSON, gzip or ZIP data, NUL bytes, mostly control bytes or bytes that are not UTF-8) fails the file with
 * a message saying what it looks like. A header that lacks one of the {@linkplain Builder#requiredColumns
 * required columns} fails the file, naming the missing columns and the header found. A partition key named like
 * an output column (the {@code year} of {@link PartitionSpec#yearOf}, or a key of the source file's partition)
 * fails the file too, as readers would show the key's value instead of the column's ({@link PartitionSpec#byColumn}'s
 * own column is no output column, so it never collides).
 *
 * <h2>Limits</h2>
 * Memory is bounded by the limits, not by the input: a field longer than {@linkplain Builder#maxFieldBytes
 * maxFieldBytes} (such as a quote never closed, which swallows the rest of the file), a record or header with
 * more than {@linkplain Builder#maxColumns maxColumns} fields, or a file whose rows fall into more than
 * {@linkplain Builder#maxPartitionsPerFile maxPartitionsPerFile} partitions fails the file with a
 * {@link MalformedInputException} naming the line and the limit; these are problems of the file as a whole, the
 * bad-row policy does not apply. The defaults hold on a 256 MiB heap with the default threads.
 *
 * <h2>Malformed input</h2>
 * A {@link MalformedInputException} names the file, the 1-based physical line where the record starts and, for a
 * bad value, the column: a value that does not fit its column type (explicit, or inferred from the sample), a
 * record with more or fewer fields than the header, a CSV syntax error (such as a quote never closed). Records
 * that do not fit the header are bad rows: the {@linkplain Builder#badRows bad-row policy} fails the file, skips
 * or quarantines them. Empty lines, and in a file of two or more columns lines holding only whitespace, are
 * skipped (so in a one-column file a null must be written as {@code ""}); a line number may then point at the
 * blank line before the bad record.
 *
 * <p>Bytes that are not UTF-8 are replaced by U+FFFD (as a {@code String} decoding them would) and counted:
 * {@link ConversionResult#invalidUtf8Replacements()}; the first one is logged at WARN with its file and line.
 * They are not bad rows (the rest of the record is intact). Nothing is committed by the converter; on failure the
 * pipeline aborts the staging, and the outputs opened so far are closed unfinished.
 *
 * <p>The {@link Converter} that ships with Inlet core.
 */
public final class CsvToParquet implements Converter {
  private static final Logger LOG = LoggerFactory.getLogger(CsvToParquet.class);

  static final int DEFAULT_SAMPLE_ROWS = 1000;
  static final int DEFAULT_ROW_GROUP_ROWS = 100_000;
  static final int DEFAULT_MAX_THREADS = 4;
  static final long DEFAULT_MAX_FILE_BYTES = 512L * 1024 * 1024;
  static final int DEFAULT_MAX_FIELD_BYTES = 1 << 20;
  static final int DEFAULT_MAX_COLUMNS = 1000;
  static final int DEFAULT_MAX_PARTITIONS = 100;
  /** The default share of rows {@link Builder#yearGuard(String)} allows in another year than the declared one. */
  public static final double DEFAULT_YEAR_GUARD_SHARE = 0.5;

  private final Schema schema;
  private final int sampleRows;
  private final Map<String, String> renames;
  private final Set<String> ignored;
  private final PartitionSpec partitionSpec;
  private final Codec codec;
  private final int rowGroupRows;
  private final long maxFileBytes;
  private final char delimiter;
  private final int threads;
  private final int chunkBytes;
  private final ChunkMemory memory;
  private final CSVFormat format;
  private final BadRowPolicy badRows;
  private final Set<String> required;
  private final int maxFieldBytes;
  private final int maxColumns;
  private final int maxPartitions;
  private final Map<String, ColumnType> columnTypes;
  private final boolean snakeCase;
  private final String yearGuardColumn;
  private final double yearGuardShare;

  private CsvToParquet(Builder b) {
    this.yearGuardColumn = b.yearGuardColumn;
    this.yearGuardShare = b.yearGuardShare;
    this.columnTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.columnTypes));
    this.snakeCase = b.snakeCase;
    this.required = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.required));
    this.maxFieldBytes = b.maxFieldBytes;
    this.maxColumns = b.maxColumns;
    this.maxPartitions = b.maxPartitions;
    this.badRows = b.badRows;
    this.schema = b.schema;
    this.sampleRows = b.sampleRows;
    this.renames = Map.copyOf(b.renames);
    this.ignored = Set.copyOf(b.ignored);
    this.partitionSpec = b.partitionSpec;
    this.codec = b.codec;
    this.rowGroupRows = b.rowGroupRows;
    this.maxFileBytes = b.maxFileBytes;
    this.delimiter = b.delimiter;
    this.threads = b.threads;
    this.chunkBytes = b.chunkBytes;
    this.memory = b.memory != null ? b.memory : ChunkMemory.process();
    this.format = CSVFormat.RFC4180
        .builder()
        .setDelimiter(delimiter)
        .setIgnoreEmptyLines(true)
        .get();
  }

  /**
   * A new builder with every setting at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * All defaults: infer the schema from 1000 records, zstd, every row in the source file's partition.
   *
   * @return a converter with the default settings
   */
  public static CsvToParquet create() {
    return builder().build();
  }

  /**
   * A builder holding every setting of this converter, to derive one that differs in some; the copy shares this
   * converter's chunk memory budget.
   *
   * @return a new builder with this converter's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.schema = schema;
    b.sampleRows = sampleRows;
    b.renames.putAll(renames);
    b.ignored.addAll(ignored);
    b.partitionSpec = partitionSpec;
    b.codec = codec;
    b.rowGroupRows = rowGroupRows;
    b.maxFileBytes = maxFileBytes;
    b.delimiter = delimiter;
    b.threads = threads;
    b.chunkBytes = chunkBytes;
    b.memory = memory == ChunkMemory.process() ? null : memory;
    b.badRows = badRows;
    b.required.addAll(required);
    b.maxFieldBytes = maxFieldBytes;
    b.maxColumns = maxColumns;
    b.maxPartitions = maxPartitions;
    b.columnTypes.putAll(columnTypes);
    b.snakeCase = snakeCase;
    b.yearGuardColumn = yearGuardColumn;
    b.yearGuardShare = yearGuardShare;
    return b;
  }

  /** The budget this converter's chunk buffers share (the process's unless {@link Builder#chunkMemory} set one). */
  ChunkMemory chunkMemory() {
    return memory;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The same converter with {@link Builder#threads} lowered to {@code threads} (never raised); the output is the
   * same for any number of threads.
   */
  @Override
  public CsvToParquet withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "Cannot convert on " + threads + " threads: use 1 or more");
    }
    return threads >= this.threads ? this : toBuilder().threads(threads).build();
  }

  /** Converter version 1 with every setting that changes the rows written (not file sizes or compression). */
  @Override
  public String fingerprint() {
    return "CsvToParquet/1 schema=" + schema + " sample=" + sampleRows + " renames="
        + new java.util.TreeMap<>(renames)
        + " ignored=" + new java.util.TreeSet<>(ignored) + " partitionBy=" + partitionSpec
        + " delimiter="
        + (int) delimiter + " badRows=" + badRows
        + (columnTypes.isEmpty() ? "" : " columnTypes=" + new java.util.TreeMap<>(columnTypes))
        + (snakeCase ? " snakeCase" : "");
  }

  /**
   * Converts one local CSV file into one Parquet file, whatever the partitioning and file size settings. The file
   * is written under a hidden name next to {@code parquet} and renamed over it only once complete, so a failure
   * leaves {@code parquet} as it was.
   *
   * @param csv the CSV file to read
   * @param parquet the Parquet file to write (replaced if it exists)
   * @return what was written
   * @throws IOException if reading or writing fails
   * @throws MalformedInputException if the CSV cannot be converted (nothing is written)
   */
  public ConversionResult convertFile(Path csv, Path parquet) throws IOException {
    SourceFile file = SourceFile.builder()
        .id(csv.toAbsolutePath().toString())
        .name(csv.getFileName().toString())
        .uri(csv.toUri())
        .opener(offset -> {
          InputStream in = Files.newInputStream(csv);
          try {
            in.skipNBytes(offset);
            return in;
          } catch (IOException e) {
            in.close();
            throw e;
          }
        })
        .build();
    CsvToParquet single = toBuilder()
        .partitionBy(PartitionSpec.fromSource())
        .maxFileBytes(Long.MAX_VALUE)
        .build();
    try (SingleFileStaging staging = new SingleFileStaging(parquet);
        InputStream in = file.open()) {
      ConversionResult result = single.convert(file, in, staging, ConversionProgress.NONE);
      staging.commit();
      return result;
    }
  }

  @Override
  public ConversionResult convert(
      SourceFile file, InputStream in, Staging staging, ConversionProgress progress)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(staging, "staging");
    Objects.requireNonNull(progress, "progress");
    in = ContentSniffer.check(file.name(), in);
    if (ChunkedConversion.applies(this)) {
      ConversionResult result = new ChunkedConversion(
              this, file, in, staging, progress, threads, chunkBytes, memory)
          .execute();
      LOG.debug("Converted {} on {} thread(s): {} rows", file.name(), threads, result.rowsOut());
      return result;
    }
    return convertRowByRow(file, in, staging, progress);
  }

  /** Converts row by row ({@link ConversionRun}), whatever the configuration; {@code in} is checked already. */
  ConversionResult convertRowByRow(
      SourceFile file, InputStream in, Staging staging, ConversionProgress progress)
      throws IOException {
    Utf8Reader utf8 = new Utf8Reader(in);
    BufferedReader reader = new BufferedReader(utf8, 1 << 16);
    reader.mark(1);
    int skipped = 1;
    if (reader.read() != '\uFEFF') {
      reader.reset();
      skipped = 0;
    }
    // The reader is not closed: closing it would close the caller's stream.
    CsvRecordParser parser =
        new CsvRecordParser(reader, delimiter, file.name(), 1, maxFieldBytes, maxColumns);
    ConversionRun run = new ConversionRun(this, file, parser, staging, progress, utf8, skipped);
    ConversionResult result = run.execute();
    LOG.debug(
        "Converted {}: {} rows into {} partition(s)",
        file.name(),
        result.rowsOut(),
        result.rowsByPartition().size());
    return result;
  }

  Schema explicitSchema() {
    return schema;
  }

  int sampleRows() {
    return sampleRows;
  }

  Map<String, String> renames() {
    return renames;
  }

  Set<String> ignored() {
    return ignored;
  }

  PartitionSpec partitionSpec() {
    return partitionSpec;
  }

  Codec codec() {
    return codec;
  }

  int rowGroupRows() {
    return rowGroupRows;
  }

  long maxFileBytes() {
    return maxFileBytes;
  }

  BadRowPolicy badRows() {
    return badRows;
  }

  Set<String> requiredColumns() {
    return required;
  }

  int maxFieldBytes() {
    return maxFieldBytes;
  }

  int maxColumns() {
    return maxColumns;
  }

  int maxPartitionsPerFile() {
    return maxPartitions;
  }

  char delimiter() {
    return delimiter;
  }

  /** Type overrides of inferred columns, by final column name (lower-cased). */
  Map<String, ColumnType> columnTypes() {
    return columnTypes;
  }

  boolean snakeCase() {
    return snakeCase;
  }

  /** The column of the year guard (final name, lower-cased), or null without one. */
  String yearGuardColumn() {
    return yearGuardColumn;
  }

  /** The share of rows the year guard allows outside the declared year. */
  double yearGuardShare() {
    return yearGuardShare;
  }

  CSVFormat format() {
    return format;
  }

  static String normalise(String name) {
    String n = name;
    if (!n.isEmpty() && n.charAt(0) == '\uFEFF') {
      n = n.substring(1);
    }
    return n.trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "CsvToParquet{"
        + (schema == null ? "inferSchema(" + sampleRows + ")" : "schema=" + schema)
        + ", partitionBy=" + partitionSpec + ", codec=" + codec + ", badRows=" + badRows + "}";
  }

  /**
   * Configures a {@link CsvToParquet}. Setters validate their argument ({@link IllegalArgumentException});
   * {@link #schema} and {@link #inferSchema} replace each other (the last call wins). Not thread-safe.
   */
  public static final class Builder {
    private Schema schema;
    private int sampleRows = DEFAULT_SAMPLE_ROWS;
    private final Map<String, String> renames = new LinkedHashMap<>();
    private final Set<String> ignored = new LinkedHashSet<>();
    private PartitionSpec partitionSpec = PartitionSpec.fromSource();
    private Codec codec = Codec.ZSTD;
    private int rowGroupRows = DEFAULT_ROW_GROUP_ROWS;
    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private char delimiter = ',';
    private BadRowPolicy badRows = BadRowPolicy.FAIL;
    private int threads = Math.min(DEFAULT_MAX_THREADS, Runtime.getRuntime().availableProcessors());
    private int chunkBytes = ChunkedConversion.CHUNK_BYTES;
    private ChunkMemory memory; // null: the process's budget
    private final Set<String> required = new LinkedHashSet<>();
    private int maxFieldBytes = DEFAULT_MAX_FIELD_BYTES;
    private int maxColumns = DEFAULT_MAX_COLUMNS;
    private int maxPartitions = DEFAULT_MAX_PARTITIONS;
    private final Map<String, ColumnType> columnTypes = new LinkedHashMap<>();
    private boolean snakeCase;
    private String yearGuardColumn;
    private double yearGuardShare = DEFAULT_YEAR_GUARD_SHARE;

    private Builder() {}

    /**
     * The year guard: a file whose source declares partition {@code year=Y} (e.g. a yearly file of a portal) fails,
     * before anything is written, when more than half of its rows have {@code timestampColumn} in another year (the
     * portal served another year's file under this year's name). Like {@link #yearGuard(String, double)} with
     * {@value CsvToParquet#DEFAULT_YEAR_GUARD_SHARE}. Applies only with {@link PartitionSpec#fromSource()}. Default:
     * off; the Boston 311 legacy preset guards {@code open_dt}.
     *
     * @param timestampColumn a timestamp or date column (final name, matched ignoring case)
     * @return this builder
     */
    public Builder yearGuard(String timestampColumn) {
      return yearGuard(timestampColumn, DEFAULT_YEAR_GUARD_SHARE);
    }

    /**
     * Like {@link #yearGuard(String)}, failing when more than {@code maxOtherShare} of the rows with a value in the
     * column are in another year than the declared one.
     *
     * @param timestampColumn a timestamp or date column (final name, matched ignoring case); a file without it
     *     fails at its header
     * @param maxOtherShare in [0, 1): 0 fails a file with any row in another year
     * @return this builder
     */
    public Builder yearGuard(String timestampColumn, double maxOtherShare) {
      Objects.requireNonNull(timestampColumn, "timestampColumn");
      if (timestampColumn.isBlank()) {
        throw new IllegalArgumentException("Cannot guard the year of a column with a blank name");
      }
      if (!(maxOtherShare >= 0 && maxOtherShare < 1)) {
        throw new IllegalArgumentException(
            "yearGuard's maxOtherShare must be >= 0 and < 1 (the share of rows"
                + " allowed in another year than the declared one), or call noYearGuard(): "
                + maxOtherShare);
      }
      this.yearGuardColumn = timestampColumn.trim().toLowerCase(java.util.Locale.ROOT);
      this.yearGuardShare = maxOtherShare;
      return this;
    }

    /**
     * No year guard: a file's rows may be of any year, whatever partition its source declares.
     *
     * @return this builder
     */
    public Builder noYearGuard() {
      this.yearGuardColumn = null;
      this.yearGuardShare = DEFAULT_YEAR_GUARD_SHARE;
      return this;
    }

    /**
     * With {@linkplain #inferSchema inference}: column {@code finalName} gets {@code type} instead of the inferred
     * one, every other column stays inferred. The name is the final column name, after normalisation,
     * {@linkplain #snakeCaseColumns snake_case} and {@linkplain #renameColumn renames} (matched trimmed and
     * lower-cased); a later call for the same name wins. A value that does not parse as {@code type} is a bad
     * row (the {@linkplain #badRows bad-row policy} decides; its message names file, line and column). A file
     * whose header lacks the column fails when its header is read, naming the header's columns. Cannot be
     * combined with an explicit {@link #schema} (declare the type there): {@link #build} fails.
     *
     * @param finalName the final column name
     * @param type the column's type
     * @return this builder
     */
    public Builder columnType(String finalName, ColumnType type) {
      Objects.requireNonNull(finalName, "finalName");
      Objects.requireNonNull(type, "type");
      if (finalName.isBlank()) {
        throw new IllegalArgumentException("Cannot set the type of a column with a blank name");
      }
      columnTypes.put(normalise(finalName), type);
      return this;
    }

    /**
     * Header names become {@linkplain ColumnNames#snakeCase snake_case} ({@code "Inspection ID"} is
     * {@code inspection_id}) instead of being only trimmed and lower-cased. Applied first: the names given to
     * {@link #ignoreColumn}, {@link #renameColumn} (its {@code from}), {@link #requiredColumns},
     * {@link #columnType} and {@link PartitionSpec} are the snake_case names (a rename's {@code to} is taken as
     * given, lower-cased). Two header fields with one snake_case name ({@code "Zip Code"} and {@code "zip-code"})
     * fail the file naming both. A field with no letter or digit (such as an empty name) fails the file unless
     * it is dropped or renamed by its lower-cased name ({@code ignoreColumn("")}, {@code renameColumn("#",
     * "number")}). Default: off.
     *
     * @return this builder
     */
    public Builder snakeCaseColumns() {
      this.snakeCase = true;
      return this;
    }

    /**
     * Columns the header must have, named as after normalisation, {@linkplain #ignoreColumn ignores} and
     * {@linkplain #renameColumn renames} (matched trimmed and lower-cased); replaces earlier required columns.
     * A file lacking one fails before anything is written, naming the missing columns and its header: this
     * keeps a file that is not the data (an error page, another data set) out of the table. Default: none.
     *
     * @param names the required column names
     * @return this builder
     */
    public Builder requiredColumns(String... names) {
      Objects.requireNonNull(names, "names");
      return requiredColumns(java.util.Arrays.asList(names));
    }

    /**
     * Like {@link #requiredColumns(String...)}.
     *
     * @param names the required column names
     * @return this builder
     */
    public Builder requiredColumns(java.util.Collection<String> names) {
      Objects.requireNonNull(names, "names");
      Set<String> set = new LinkedHashSet<>();
      for (String n : names) {
        Objects.requireNonNull(n, "required column name");
        if (n.isBlank()) {
          throw new IllegalArgumentException("Cannot require a column with a blank name");
        }
        set.add(normalise(n));
      }
      required.clear();
      required.addAll(set);
      return this;
    }

    /**
     * The longest field (value) accepted, in bytes (characters where the row-by-row path decodes the text
     * first); default 1 MiB. A longer field, such as a quote never closed that swallows the rest of the file,
     * fails the file naming the line where its record starts. Memory per conversion grows with this limit.
     *
     * @param bytes the limit, 1 or more
     * @return this builder
     */
    public Builder maxFieldBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "Cannot limit fields to " + bytes + " bytes: use 1 or more");
      }
      this.maxFieldBytes = bytes;
      return this;
    }

    /**
     * The most columns (fields of the header, and of any record) accepted; default 1,000. A wider header or
     * record fails the file. Memory per conversion grows with the columns (one column writer each).
     *
     * @param columns the limit, 1 or more
     * @return this builder
     */
    public Builder maxColumns(int columns) {
      if (columns < 1) {
        throw new IllegalArgumentException(
            "Cannot limit files to " + columns + " columns: use 1 or more");
      }
      this.maxColumns = columns;
      return this;
    }

    /**
     * The most partitions the rows of one file may go to; default 100 (Hive's default for dynamic partitions per
     * node). Each partition open at once holds a row group in memory; a file whose rows would open one more fails
     * before opening it (e.g. a {@link PartitionSpec#yearOf year} partitioning of rows spanning centuries).
     *
     * @param partitions the limit, 1 or more
     * @return this builder
     */
    public Builder maxPartitionsPerFile(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException(
            "Cannot limit a file to " + partitions + " partitions: use 1 or more");
      }
      this.maxPartitions = partitions;
      return this;
    }

    /**
     * Threads converting one file; default the number of processors, at most 4. A file whose bad rows are not
     * {@linkplain BadRowPolicy#QUARANTINE quarantined} is cut into chunks of whole records that are parsed and
     * converted in parallel. Rows that go to the partition of their source make a chunk of about 16 MiB each into
     * its own row group(s). Rows partitioned by their values ({@link PartitionSpec#yearOf}, {@link
     * PartitionSpec#monthOf}, {@link PartitionSpec#byColumn}) are cut into chunks of about 4 MiB, and each chunk's
     * rows go, in chunk order, to their partition's open row group, which spans chunks: it closes at {@link
     * #rowGroupRows} rows or about 12 MiB of rows, or earlier when the open row groups of all partitions together
     * pass about 32 MiB, and is then encoded by the threads too. The output is the same for any number of threads.
     * Fewer threads run when a quarter of the heap cannot hold a chunk per thread plus the one being read (two on
     * a 256 MiB heap with 16 MiB chunks). Quarantining files are converted row by row on the calling thread.
     *
     * @param threads threads per file, 1 or more
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException(
            "Cannot convert on " + threads + " threads: use 1 or more");
      }
      this.threads = threads;
      return this;
    }

    /**
     * The memory budget of the chunk buffers of the files this converter (and its {@link CsvToParquet#toBuilder}
     * copies) converts in parallel chunks, in bytes. By default every converter of the JVM shares one budget of a
     * quarter of the maximum heap, so that several pipelines in one process do not each take a quarter; give a
     * converter its own budget to isolate it (its files then neither wait for nor crowd out the others'). The
     * output does not depend on it; a smaller budget runs fewer chunks at once.
     *
     * @param bytes the budget, at least 1 MiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1 MiB
     */
    public Builder chunkMemory(long bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException(
            "Cannot budget " + bytes + " bytes for chunk buffers: use 1 MiB or more");
      }
      this.memory = new ChunkMemory(bytes);
      return this;
    }

    /**
     * What to do with a record that cannot be converted; default {@link BadRowPolicy#FAIL}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder badRows(BadRowPolicy policy) {
      this.badRows = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * An explicit schema: its columns come first, in its order, matched to the (normalised, renamed) header by
     * name ignoring case; values must fit the types. Header columns it does not name are appended as string.
     * Replaces {@link #inferSchema}.
     *
     * @param schema the schema
     * @return this builder
     */
    public Builder schema(Schema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Infer column types from the first {@code sampleRows} records (the default, 1000). Replaces {@link #schema}.
     *
     * @param sampleRows records to infer from, 1 or more
     * @return this builder
     */
    public Builder inferSchema(int sampleRows) {
      if (sampleRows < 1) {
        throw new IllegalArgumentException(
            "Cannot infer a schema from " + sampleRows + " records: use 1 or more");
      }
      this.sampleRows = sampleRows;
      this.schema = null;
      return this;
    }

    /**
     * Renames header column {@code from} (after normalisation: matched trimmed and lower-cased) to {@code to}
     * (stored lower-cased). A rename for a column the file lacks is ignored, so one converter serves files from
     * before and after a rename.
     *
     * @param from the header column's name
     * @param to its new name, not blank
     * @return this builder
     */
    public Builder renameColumn(String from, String to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (to.isBlank()) {
        throw new IllegalArgumentException("Cannot rename column '" + from + "' to a blank name");
      }
      renames.put(normalise(from), normalise(to));
      return this;
    }

    /**
     * Drops header column {@code name} (normalised, before renames) entirely, e.g. {@code _id} of CKAN dumps.
     *
     * @param name the header column's name
     * @return this builder
     */
    public Builder ignoreColumn(String name) {
      Objects.requireNonNull(name, "name");
      ignored.add(normalise(name));
      return this;
    }

    /**
     * How rows are assigned to partitions; default {@link PartitionSpec#fromSource()}.
     *
     * @param spec the partitioning
     * @return this builder
     */
    public Builder partitionBy(PartitionSpec spec) {
      this.partitionSpec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /**
     * Page compression; default {@link Codec#ZSTD}.
     *
     * @param codec the compression codec
     * @return this builder
     */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Maximum rows per Parquet row group; default 100,000. Each thread converting a chunk (and, row by row, each
     * open output) buffers one row group in memory (roughly 10-20 MB of compressed pages for 100,000 Boston 311
     * rows); partitioned rows also close their row groups at about 12 MiB of rows (see {@link #threads}).
     *
     * @param rows rows per row group, 1 or more
     * @return this builder
     */
    public Builder rowGroupRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException(
            "Cannot use " + rows + " rows per row group: use 1 or more");
      }
      this.rowGroupRows = rows;
      return this;
    }

    /**
     * Starts a new output in the same partition once an output passes about this size (checked every 1000 rows,
     * including the row group still in memory); default 512 MiB.
     *
     * @param bytes the size in bytes, 1 or more
     * @return this builder
     */
    public Builder maxFileBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "Cannot limit files to " + bytes + " bytes: use 1 or more");
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /** Chunk size for parallel conversion; for tests, which need many chunks from small inputs. */
    Builder chunkBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException(
            "Cannot cut chunks of " + bytes + " bytes: use 1 or more");
      }
      this.chunkBytes = bytes;
      return this;
    }

    /**
     * Field delimiter; default ','.
     *
     * @param c the delimiter; not a double quote or a line break
     * @return this builder
     */
    public Builder delimiter(char c) {
      if (c == '"' || c == '\r' || c == '\n') {
        throw new IllegalArgumentException("Cannot use " + printable(c) + " as CSV delimiter");
      }
      this.delimiter = c;
      return this;
    }

    /**
     * Checks the settings and builds the converter.
     *
     * @return the converter
     * @throws IllegalStateException if a column is both renamed and ignored, the {@code year} key of a year
     *     partitioning is also a column of the explicit schema, or {@link #columnType} is combined with an
     *     explicit {@link #schema}
     */
    public CsvToParquet build() {
      if (schema != null && !columnTypes.isEmpty()) {
        throw new IllegalStateException(
            "Cannot build CsvToParquet: columnType(..) overrides inferred types ("
                + columnTypes.keySet()
                + ") but an explicit schema is set; declare the types in the schema, or use"
                + " inferSchema(..) with columnType(..)");
      }
      String yearColumn = partitionSpec.yearColumn();
      for (String key : partitionSpec.timeKeys()) {
        if (schema != null && schema.indexOf(key) >= 0) {
          throw new IllegalStateException(
              "Cannot build CsvToParquet: partition key '" + key
                  + "' of " + partitionSpec
                  + " is also a column of the schema; readers would show the partition"
                  + " value instead of the column's: rename the column (renameColumn and the schema) or drop it");
        }
      }
      for (String from : renames.keySet()) {
        if (ignored.contains(from)) {
          throw new IllegalStateException("Cannot build CsvToParquet: column '" + from
              + "' is both renamed and ignored; keep one");
        }
      }
      return new CsvToParquet(this);
    }

    private static String printable(char c) {
      return c == '\r' ? "'\\r'" : c == '\n' ? "'\\n'" : "'" + c + "'";
    }
  }
}
