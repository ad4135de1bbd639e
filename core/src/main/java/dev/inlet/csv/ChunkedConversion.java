package dev.inlet.csv;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.MalformedInputException;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.internal.parquet.PageCompressor;
import dev.inlet.internal.parquet.Row;
import dev.inlet.internal.parquet.RowBatch;
import dev.inlet.internal.parquet.RowGroupBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Converts one CSV file on several threads: the calling thread cuts the input into chunks of whole records
 * ({@link CsvChunker}), workers parse and convert the chunks, and the calling thread takes their results in chunk
 * order. Chunk boundaries depend only on the bytes, and nothing a worker makes depends on another chunk or on
 * timing, so the output is the same whatever the number of threads (with one thread the work runs on the calling
 * thread). A chunk that fails is converted again on the calling thread once its first line is known, to raise
 * the error with the line numbers of the file.
 *
 * <p>Rows in the partition of their source: each chunk is encoded into its own row group(s) by its worker, and
 * the calling thread appends them. Rows partitioned by their values (year, month or a column's value): a worker
 * copies each chunk's rows into a {@link RowBatch} per partition; the calling thread routes the batches, in chunk
 * order, to their partition's open row group, which spans chunks and closes at rowGroupRows rows or before
 * {@value #RAW_ROW_GROUP_BYTES} bytes of rows, or, after a chunk, when the open row groups together pass
 * {@value #OPEN_ROW_GROUP_BYTES} bytes (the largest first, none under {@value #MIN_CLOSE_BYTES}); a closed row
 * group is encoded by a worker and appended to its partition's file in the order row groups closed. All of it
 * depends on the rows only: the same rows give the same files with any number of threads and on any heap. The
 * maxPartitionsPerFile check and its line happen when a chunk is routed (a failed chunk converted again checks
 * it row by row, so that the first problem in the file wins).
 *
 * <p>Quarantine (which needs the rejected records' text) and delimiters outside ASCII go row by row
 * ({@link ConversionRun}). Memory: {@code threads + 1} chunks of about {@value #CHUNK_BYTES} bytes
 * ({@value #PARTITIONED_CHUNK_BYTES} partitioned) plus one record, within a {@link ChunkMemory} budget shared by
 * all conversions (a quarter of the heap); a worker gives its chunk back as soon as its rows are converted.
 * Partitioned, per conversion also: the batches of converted chunks not routed yet, the open row groups (at most
 * about {@value #OPEN_ROW_GROUP_BYTES} bytes, or {@value #MIN_CLOSE_BYTES} per partition), closed row groups waiting
 * for their encoding ({@value #CLOSED_ROW_GROUP_BYTES} bytes at most) and one encoder per thread; each open
 * partition itself holds just its file's stream. NYC-like rows by year at -Xmx256m: live heap at most ~95 MB.
 */
final class ChunkedConversion {
  /** A chunk closes before this many bytes, at a record boundary. */
  static final int CHUNK_BYTES = 16 * 1024 * 1024;
  /**
   * Partitioned, chunks are at most this big: a chunk's rows are held twice until its turn comes (the chunk and
   * its rows copied per partition), so smaller chunks leave room for the partitions' open row groups.
   */
  static final int PARTITIONED_CHUNK_BYTES = 4 * 1024 * 1024;
  /**
   * Partitioned, a partition's row group closes at rowGroupRows or once its rows would pass this many bytes as
   * copied ({@link RowBatch}, about the size of their CSV text): about the rows of one unpartitioned chunk.
   */
  static final long RAW_ROW_GROUP_BYTES = 12L << 20;
  /**
   * Partitioned, the row groups still open (rows copied, waiting for more of their partition) stay under about
   * this many bytes together: after each chunk, past it, the largest is closed and encoded. A constant, not a share
   * of the heap, so that the same rows give the same files on any heap and with any number of threads. None under
   * {@value #MIN_CLOSE_BYTES} bytes is closed early, so with many small partitions the bound is that much each.
   */
  static final long OPEN_ROW_GROUP_BYTES = 32L << 20;
  /**
   * Partitioned: closed row groups wait to be encoded and written while they hold at most this many bytes of rows
   * together (and are no more than the threads), whatever the number of threads.
   */
  static final long CLOSED_ROW_GROUP_BYTES = 2 * RAW_ROW_GROUP_BYTES;
  /** Partitioned: at most this many bytes of blocks of encoded rows are kept for new batches. */
  static final long IDLE_BLOCK_BYTES = 32L << 20;
  /** The smallest row group closed early to bound the open partitions' memory. */
  static final long MIN_CLOSE_BYTES = 512L << 10;

  private final CsvToParquet config;
  private final SourceFile file;
  private final InputStream in;
  private final Staging staging;
  private final ConversionProgress progress;
  private final int threads;
  private final int chunkBytes;

  private RecordConverter binding;
  private long rowsIn;
  private long rowsOut;
  private final Map<Map<String, String>, Long> byPartition = new LinkedHashMap<>();
  private PartitionOutput output;
  private final ChunkMemory memory;
  /** Encoders of finished chunks, reused by the next ones (one per worker at most); closed at the end. */
  private final ConcurrentLinkedQueue<RowGroupBuffer> encoders = new ConcurrentLinkedQueue<>();
  /** Set (under the {@link #encoders} lock) once the conversion has ended. */
  private boolean finished;
  /** The first line of the next chunk to write. */
  private long nextLine = 1;

  /**
   * What a worker made of one chunk; {@code lineBreaks} gives the next chunk's first line; {@code replaced} byte
   * sequences that were not UTF-8, the first in the record starting on line {@code firstReplaced} of the chunk.
   */
  private record Converted(
      RowGroupBuffer.EncodedRowGroups groups,
      Map<String, Batch> partitions,
      long rowsIn,
      long rowsOut,
      long lineBreaks,
      long replaced,
      long firstReplaced,
      YearGuard.Counter years) {}

  /** Partitioned: a chunk's rows of one partition, the first on line {@code firstLine} of the chunk. */
  private record Batch(RowBatch rows, long firstLine) {}

  /** Partitioned: rows {@code [from, to)} of a batch, a part of a row group. */
  private record Segment(RowBatch batch, int from, int to) {}

  /** Partitioned: a closed row group of {@code part} being encoded. */
  private record Closed(Part part, Future<RowGroupBuffer.EncodedRowGroups> groups, long bytes) {}

  /** Partitioned: one partition's files and its open row group (rows copied, not encoded yet). */
  private final class Part {
    final Map<String, String> partition;
    final PartitionOutput files;
    final List<Segment> open = new ArrayList<>();
    int openRows;
    long openBytes;
    long rowsTotal;

    Part(Map<String, String> partition) {
      this.partition = partition;
      this.files = new PartitionOutput(staging, partition, binding.schema(), config);
    }
  }

  /** Whether rows are partitioned by their values (year, month or a column's value) rather than by the source. */
  private final boolean partitioned;
  /** Partitioned: the partitions by key (the year, {@code yyyy/MM} or the value), in the order they opened. */
  private final Map<String, Part> parts = new LinkedHashMap<>();
  /** Partitioned: closed row groups in the order they closed, written in that order. */
  private final ArrayDeque<Closed> closed = new ArrayDeque<>();
  /** Partitioned: the bytes of rows of the closed row groups not written yet. */
  private long closedBytes;

  private ExecutorService executor;
  /** Partitioned: the blocks of rows encoded already, for the batches of the next chunks. */
  private final RowBatch.Blocks blocks = new RowBatch.Blocks(IDLE_BLOCK_BYTES);

  private long replaced;
  private long firstReplacedLine = -1;
  /** The year guard of this file (null without one) and the rows it counted in the chunks written so far. */
  private YearGuard yearGuard;

  private YearGuard.Counter yearCounts;

  /** A chunk handed to a worker. */
  private record Pending(CsvChunker.Chunk chunk, Future<Converted> result, AtomicBoolean given) {}

  /**
   * Gives a chunk's buffer back to the budget, once: by the worker as soon as its rows are converted (a chunk that
   * failed is kept, to be converted again with the lines of the file), else when the chunk is written.
   */
  private void give(CsvChunker.Chunk chunk, AtomicBoolean given) {
    if (given.compareAndSet(false, true)) {
      memory.give(chunk.bytes());
    }
  }

  ChunkedConversion(
      CsvToParquet config,
      SourceFile file,
      InputStream in,
      Staging staging,
      ConversionProgress progress,
      int threads,
      int chunkBytes) {
    this(config, file, in, staging, progress, threads, chunkBytes, ChunkMemory.process());
  }

  ChunkedConversion(
      CsvToParquet config,
      SourceFile file,
      InputStream in,
      Staging staging,
      ConversionProgress progress,
      int threads,
      int chunkBytes,
      ChunkMemory memory) {
    this.memory = memory;
    this.config = config;
    this.file = file;
    this.in = in;
    this.staging = staging;
    this.progress = progress;
    this.partitioned = partitioned(config);
    this.chunkBytes = partitioned ? Math.min(chunkBytes, PARTITIONED_CHUNK_BYTES) : chunkBytes;
    this.threads = affordableThreads(threads, memory.limit(), this.chunkBytes);
  }

  /**
   * Workers whose chunks, with the one being read, fit in the chunk memory budget; one means the chunks are
   * converted on the calling thread, one at a time.
   */
  static int affordableThreads(int wanted, long budget, int chunkBytes) {
    long chunks = budget / (chunkBytes + CsvChunker.READ_BYTES);
    return (int) Math.max(1, Math.min(wanted, chunks - 1));
  }

  /** Whether {@code config} converts files chunk by chunk. */
  static boolean applies(CsvToParquet config) {
    return config.badRows() != BadRowPolicy.QUARANTINE && config.delimiter() <= 0x7F;
  }

  /** Whether {@code config} partitions rows by their values. */
  private static boolean partitioned(CsvToParquet config) {
    return config.partitionSpec().yearColumn() != null
        || config.partitionSpec().valueColumn() != null;
  }

  ConversionResult execute() throws IOException {
    PageCompressor.preload(config.codec());
    CsvChunker chunker = new CsvChunker(in, config.delimiter(), chunkBytes, config.maxFieldBytes());
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    // chunks read for the header (and the inference sample) that are not handed to a worker yet
    ArrayDeque<CsvChunker.Chunk> head = new ArrayDeque<>();
    boolean done = false;
    try {
      try {
        bindHeader(chunker, head);
      } catch (CsvChunker.FieldTooLong e) {
        throw fieldTooLong(e, pending, head);
      }
      executor = threads > 1
          ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inlet-convert");
            t.setDaemon(true);
            return t;
          })
          : null;
      CsvChunker.Chunk chunk = head.poll();
      while (chunk != null) {
        CsvChunker.Chunk c = chunk;
        AtomicBoolean given = new AtomicBoolean();
        Callable<Converted> task = () -> {
          Converted converted = convert(c, 1, null);
          give(c, given);
          return converted;
        };
        pending.add(new Pending(c, executor != null ? executor.submit(task) : run(task), given));
        while (pending.size() > threads) {
          write(pending.poll());
        }
        try {
          chunk = head.isEmpty() ? next(chunker, pending) : head.poll();
        } catch (CsvChunker.FieldTooLong e) {
          throw fieldTooLong(e, pending, head);
        }
      }
      while (!pending.isEmpty()) {
        write(pending.poll());
      }
      closeAll();
      if (yearGuard != null) {
        yearGuard.check(yearCounts);
      }
      finishOutput();
      progress.rowsConverted(rowsOut);
      done = true;
      if (replaced > 0) {
        warnReplaced(file.name(), replaced, firstReplacedLine);
      }
      return new ConversionResult(binding.schema(), rowsIn, rowsOut, byPartition, replaced);
    } finally {
      if (executor != null) {
        executor.shutdownNow();
      }
      if (!done) {
        abandonOutput();
        for (Part part : parts.values()) {
          part.files.abandon();
        }
        boolean stopped = awaitWorkers(executor);
        for (CsvChunker.Chunk c : head) {
          memory.give(c.bytes());
        }
        for (Pending p : pending) {
          if (stopped
              || p.result().isDone()) { // a worker still reading a buffer keeps it from the pool
            give(p.chunk(), p.given());
          }
        }
      }
      synchronized (encoders) {
        finished = true;
        for (RowGroupBuffer b = encoders.poll(); b != null; b = encoders.poll()) {
          b.close();
        }
      }
    }
  }

  /**
   * The chunker's failure with the line in the file: the chunks before the failing one are written (so that an
   * error earlier in the file wins, and their lines are known) or, while reading the header, counted.
   */
  private LimitExceededException fieldTooLong(
      CsvChunker.FieldTooLong e, ArrayDeque<Pending> pending, ArrayDeque<CsvChunker.Chunk> head)
      throws IOException {
    while (!pending.isEmpty()) {
      write(pending.poll());
    }
    long line = nextLine - 1 + e.relativeLine;
    for (CsvChunker.Chunk c : head) {
      line += CsvChunker.lineBreaks(c);
    }
    return LimitExceededException.fieldTooLong(file.name(), line, config.maxFieldBytes());
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvToParquet.class);

  /** The one WARN line of a file with bytes that were not UTF-8. */
  static void warnReplaced(String fileName, long replaced, long firstLine) {
    LOG.warn(
        "Replaced {} byte sequence(s) that are not UTF-8 in {} with U+FFFD, the first in the record starting"
            + " on line {}; check the source's encoding",
        replaced,
        ContentSniffer.printable(fileName),
        firstLine);
  }

  /** Whether the workers stopped (within a minute of being interrupted). */
  private static boolean awaitWorkers(ExecutorService executor) {
    if (executor == null) {
      return true;
    }
    try {
      return executor.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Reads the next chunk into a buffer from the {@linkplain ChunkMemory shared budget}; when it has none to
   * spare, writes this conversion's oldest pending chunk to free one, or, with none pending, waits for one.
   */
  private CsvChunker.Chunk next(CsvChunker chunker, ArrayDeque<Pending> pending)
      throws IOException {
    int want = chunker.bufferBytes();
    byte[] buf = memory.tryTake(want);
    while (buf == null && !pending.isEmpty()) {
      write(pending.poll());
      buf = memory.tryTake(want);
    }
    if (buf == null) {
      try {
        buf = memory.take(want);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "Interrupted while waiting for memory to convert " + file.name());
      }
    }
    return readInto(chunker, buf);
  }

  /** The next chunk read into {@code buf}, taken from {@link #memory}, which gets it back if there is none. */
  private CsvChunker.Chunk readInto(CsvChunker chunker, byte[] buf) throws IOException {
    CsvChunker.Chunk chunk;
    try {
      chunk = chunker.next(buf);
    } catch (IOException | RuntimeException e) {
      memory.give(buf);
      throw e;
    }
    if (chunk == null) {
      memory.give(buf);
    } else if (chunk.bytes() != buf) { // grown for a record longer than the buffer
      memory.grew(buf.length, chunk.bytes().length);
    }
    return chunk;
  }

  /** Runs {@code task} on the calling thread, as a completed (or failed) future. */
  private static <T> Future<T> run(Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      f.complete(task.call());
    } catch (Exception | Error e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  /**
   * Reads the header (and, to infer types, the sample records) and binds the schema. The chunks this takes, at
   * least the first, stay in {@code head} for the workers: the sample may run past the first chunk, so the
   * parser reads the chunks as one stream and more are read, outside the budget's waiting, as it needs them.
   */
  private void bindHeader(CsvChunker chunker, ArrayDeque<CsvChunker.Chunk> head)
      throws IOException {
    CsvRecordParser parser = new CsvRecordParser(
        new InputStreamReader(new HeadStream(chunker, head), StandardCharsets.UTF_8),
        config.delimiter(),
        file.name(),
        1,
        config.maxFieldBytes(),
        config.maxColumns());
    String[] header = parser.next();
    if (header == null) {
      throw new MalformedInputException(
          file.name(), 1, null, "the file is empty; expected a header line with column names");
    }
    List<String[]> sample = new ArrayList<>();
    if (config.explicitSchema() == null) {
      long sampleChars = 0;
      while (sample.size() < config.sampleRows() && sampleChars < ConversionRun.SAMPLE_CHARS) {
        String[] rec = parser.next();
        if (rec == null) {
          break;
        }
        if (RecordConverter.isBlank(rec, header.length)) {
          continue;
        }
        if (rec.length != header.length) {
          if (config.badRows() == BadRowPolicy.FAIL) {
            throw ConversionRun.tooWide(file.name(), rec, parser.line(), header.length);
          }
          continue; // rejected when its chunk is converted
        }
        sample.add(rec);
        sampleChars += ConversionRun.chars(rec);
      }
    }
    binding = RecordConverter.bind(config, file.name(), header, sample, file.partition());
    yearGuard = YearGuard.of(config, file.name(), file.partition(), binding);
    yearCounts = yearGuard == null ? null : yearGuard.counter();
  }

  /** The chunks read so far, as one stream, reading the next chunk when the parser needs more. */
  private final class HeadStream extends InputStream {
    private final CsvChunker chunker;
    private final ArrayDeque<CsvChunker.Chunk> head;
    private CsvChunker.Chunk current;
    private int pos;
    private boolean end;

    HeadStream(CsvChunker chunker, ArrayDeque<CsvChunker.Chunk> head) {
      this.chunker = chunker;
      this.head = head;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (current == null || pos == current.length()) {
        if (end) {
          return -1;
        }
        // not the budget's waiting: these chunks are held by this conversion, and no worker runs
        // yet
        CsvChunker.Chunk c = readInto(chunker, memory.takeAnyway(chunker.bufferBytes()));
        if (c == null) {
          end = true;
          return -1;
        }
        head.add(c);
        current = c;
        pos = 0;
      }
      int n = Math.min(len, current.length() - pos);
      System.arraycopy(current.bytes(), pos, b, off, n);
      pos += n;
      return n;
    }
  }

  private CsvRecordParser parser(Utf8Reader text, long firstLine) {
    return new CsvRecordParser(
        text,
        config.delimiter(),
        file.name(),
        firstLine,
        config.maxFieldBytes(),
        config.maxColumns());
  }

  /**
   * On a worker: parses, converts and encodes one chunk (the first one without its header). Workers count lines
   * from 1 in their chunk: the lines before a chunk are known only once the chunks before it are parsed, so an
   * error is raised again, with its line in the file, by {@link #write}.
   */
  private Converted convert(CsvChunker.Chunk chunk, long firstLine, Set<String> known)
      throws IOException {
    Records records;
    if (ByteRecordParser.isValidUtf8(chunk.bytes(), 0, chunk.length())) {
      // string values reach the encoder as the bytes they came in, without a String in between
      records = new ByteRecords(
          new ByteRecordParser(
              chunk.bytes(),
              0,
              chunk.length(),
              config.delimiter(),
              file.name(),
              firstLine,
              config.maxFieldBytes(),
              config.maxColumns()),
          binding.headerWidth());
    } else {
      // bytes that are not UTF-8 are decoded as the row-by-row path decodes them (bad bytes become
      // U+FFFD)
      Utf8Reader text = new Utf8Reader(new ByteArrayInputStream(chunk.bytes(), 0, chunk.length()));
      records = new CharRecords(parser(text, firstLine), binding.headerWidth(), text);
    }
    if (chunk.index() == 0) {
      records.next(); // the header
    }
    Values values = new Values();
    Row row = new Row(binding.schema().size());
    boolean fail = config.badRows() == BadRowPolicy.FAIL;
    long in = 0;
    long out = 0;
    YearGuard.Counter years = yearGuard == null ? null : yearGuard.counter();
    if (partitioned) {
      return convertPartitioned(records, chunk, firstLine, known, values, row, years);
    }
    RowGroupBuffer buffer = takeEncoder();
    try {
      while (records.next()) {
        if ((in & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("Conversion of " + file.name() + " was cancelled");
        }
        in++;
        try {
          records.convert(binding, row, values);
        } catch (MalformedInputException e) {
          if (fail || e instanceof LimitExceededException) {
            throw e;
          }
          continue;
        }
        buffer.write(row);
        if (years != null) {
          years.add(row);
        }
        out++;
      }
      Converted c = new Converted(
          buffer.finish(),
          null,
          in,
          out,
          records.nextLine() - firstLine,
          records.replaced(),
          records.firstReplacedLine(),
          years);
      if (giveEncoder(buffer)) {
        buffer = null;
      }
      return c;
    } finally {
      if (buffer != null) {
        buffer.close();
      }
    }
  }

  /**
   * Partitioned, on a worker: converts a chunk's rows into a batch per partition, in the order the partitions
   * first occur in the chunk. With {@code known} (the keys of the partitions open before this chunk, when a
   * failed chunk is converted again on the calling thread), a row that would open one partition too many fails
   * there, so that the first problem in the file is the one reported.
   */
  private Converted convertPartitioned(
      Records records,
      CsvChunker.Chunk chunk,
      long firstLine,
      Set<String> known,
      Values values,
      Row row,
      YearGuard.Counter years)
      throws IOException {
    boolean fail = config.badRows() == BadRowPolicy.FAIL;
    PartitionKeys keys = new PartitionKeys(binding, config.partitionSpec().byMonth());
    Map<String, Batch> batches = new LinkedHashMap<>();
    Batch last = null;
    String lastKey = null;
    long in = 0;
    long out = 0;
    while (records.next()) {
      if ((in & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("Conversion of " + file.name() + " was cancelled");
      }
      in++;
      try {
        records.convert(binding, row, values);
      } catch (MalformedInputException e) {
        if (fail || e instanceof LimitExceededException) {
          throw e;
        }
        continue;
      }
      String key = keys.of(records, row);
      Batch b = key.equals(lastKey) ? last : batches.get(key);
      if (b == null) {
        if (known != null && !known.contains(key)) {
          if (known.size() >= config.maxPartitionsPerFile()) {
            throw tooManyPartitions(records.line(), key);
          }
          known.add(key);
        }
        b = new Batch(RowBatch.of(binding.schema(), blocks), records.line());
        batches.put(key, b);
      }
      last = b;
      lastKey = key;
      b.rows().add(row);
      if (years != null) {
        years.add(row);
      }
      out++;
    }
    return new Converted(
        null,
        batches,
        in,
        out,
        records.nextLine() - firstLine,
        records.replaced(),
        records.firstReplacedLine(),
        years);
  }

  /** The error of a row on {@code line} that would open partition {@code key} past maxPartitionsPerFile. */
  private LimitExceededException tooManyPartitions(long line, String key) {
    PartitionSpec spec = config.partitionSpec();
    if (spec.valueColumn() != null) {
      return ConversionRun.tooManyPartitions(
          file.name(),
          line,
          spec.valueColumn(),
          spec.valueColumn(),
          key,
          config.maxPartitionsPerFile());
    }
    return ConversionRun.tooManyPartitions(
        file.name(),
        line,
        binding.schema().column(binding.yearColumn()).name(),
        String.join("/", spec.timeKeys()),
        key,
        config.maxPartitionsPerFile());
  }

  /** The partition of a key of {@link PartitionKeys}. */
  private Map<String, String> partitionOf(String key) {
    PartitionSpec spec = config.partitionSpec();
    if (spec.valueColumn() != null) {
      return Map.of(spec.valueColumn(), key);
    }
    return spec.byMonth() ? ConversionRun.monthPartition(key) : Map.of(PartitionSpec.YEAR_KEY, key);
  }

  /** The partition key of a row (its year, {@code yyyy/MM} or value), as {@link ConversionRun} computes it. */
  private static final class PartitionKeys {
    private final RecordConverter binding;
    private final boolean byMonth;
    private final int column;
    private final boolean date;
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;
    private String cached;

    PartitionKeys(RecordConverter binding, boolean byMonth) {
      this.binding = binding;
      this.byMonth = byMonth;
      this.column = binding.yearColumn();
      this.date = column >= 0 && binding.kind(column) == ColumnType.Kind.DATE;
    }

    String of(Records records, Row row) {
      if (column < 0) {
        return records.partitionValue(binding);
      }
      if (row.isNull(column)) {
        return PartitionSpec.NULL_PARTITION;
      }
      long micros = row.getLong(column);
      if (date) {
        micros *= Values.MICROS_PER_DAY;
      }
      if (micros < start || micros >= end) {
        java.time.LocalDate d =
            java.time.LocalDate.ofEpochDay(Math.floorDiv(micros, Values.MICROS_PER_DAY));
        java.time.LocalDate first = byMonth ? d.withDayOfMonth(1) : d.withDayOfYear(1);
        java.time.LocalDate next = byMonth ? first.plusMonths(1) : first.plusYears(1);
        start = first.toEpochDay() * Values.MICROS_PER_DAY;
        end = next.toEpochDay() * Values.MICROS_PER_DAY;
        cached = byMonth
            ? d.getYear() + "/" + (d.getMonthValue() < 10 ? "0" : "") + d.getMonthValue()
            : Integer.toString(d.getYear());
      }
      return cached;
    }
  }

  /** Gives an encoder back for the next chunk or row group; false if the conversion has ended (close it then). */
  private boolean giveEncoder(RowGroupBuffer buffer) {
    synchronized (encoders) {
      if (!finished) {
        encoders.add(buffer);
        return true;
      }
      return false;
    }
  }

  /** A row group encoder a finished chunk left (with its grown buffers and compressor), or a new one. */
  private RowGroupBuffer takeEncoder() {
    RowGroupBuffer b = encoders.poll();
    return b != null
        ? b
        : RowGroupBuffer.open(binding.schema(), config.codec(), config.rowGroupRows());
  }

  /** The records of a chunk, from either parser. */
  private interface Records {
    boolean next() throws IOException;

    /** Checks the current record's width and fills {@code row} with its values. */
    void convert(RecordConverter binding, Row row, Values values);

    /** The line where the current record starts, in the chunk. */
    long line();

    long nextLine();

    /** The partition value of the current record ({@link PartitionSpec#byColumn}). */
    String partitionValue(RecordConverter binding);

    /** Byte sequences replaced because they are not UTF-8 (0 for valid chunks). */
    default long replaced() {
      return 0;
    }

    /** The line of the record holding the first replaced sequence, or -1. */
    default long firstReplacedLine() {
      return -1;
    }
  }

  private static final class ByteRecords implements Records {
    private final ByteRecordParser parser;
    private final int headerWidth;

    ByteRecords(ByteRecordParser parser, int headerWidth) {
      this.parser = parser;
      this.headerWidth = headerWidth;
    }

    @Override
    public boolean next() {
      while (parser.next()) {
        if (parser.fieldCount() != 1 || !RecordConverter.isBlank(parser, headerWidth)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void convert(RecordConverter binding, Row row, Values values) {
      binding.checkWidth(parser, parser.line());
      binding.convert(parser, parser.line(), row, values);
    }

    @Override
    public String partitionValue(RecordConverter binding) {
      return binding.partitionValue(parser);
    }

    @Override
    public long line() {
      return parser.line();
    }

    @Override
    public long nextLine() {
      return parser.nextLine();
    }
  }

  private static final class CharRecords implements Records {
    private final CsvRecordParser parser;
    private final int headerWidth;
    private final Utf8Reader text;
    private String[] record;
    private long firstReplacedLine = -1;

    CharRecords(CsvRecordParser parser, int headerWidth, Utf8Reader text) {
      this.parser = parser;
      this.headerWidth = headerWidth;
      this.text = text;
    }

    @Override
    public boolean next() throws IOException {
      do {
        record = parser.next();
      } while (record != null
          && record.length == 1
          && RecordConverter.isBlank(record, headerWidth));
      if (record != null && firstReplacedLine < 0) {
        long bad = text.firstReplacement();
        if (bad >= 0 && bad < parser.position()) {
          firstReplacedLine = parser.line();
        }
      }
      return record != null;
    }

    @Override
    public long replaced() {
      return text.replacements();
    }

    @Override
    public long firstReplacedLine() {
      return firstReplacedLine;
    }

    @Override
    public void convert(RecordConverter binding, Row row, Values values) {
      binding.checkWidth(record, parser.line());
      binding.convert(record, parser.line(), row, values);
    }

    @Override
    public String partitionValue(RecordConverter binding) {
      return binding.partitionValue(record);
    }

    @Override
    public long line() {
      return parser.line();
    }

    @Override
    public long nextLine() {
      return parser.nextLine();
    }
  }

  /**
   * On the calling thread, in chunk order: waits for a chunk's result and appends its row groups, rolling over
   * to a new output past maxFileBytes. A chunk that failed is converted again here, now that its first line is
   * known, to raise the error with the line numbers of the file.
   */
  private void write(Pending p) throws IOException {
    try {
      append(p);
    } finally {
      give(p.chunk(), p.given());
    }
  }

  private void append(Pending p) throws IOException {
    Converted c;
    try {
      c = p.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while converting " + file.name());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MalformedInputException) {
        convert(p.chunk(), nextLine, partitioned ? new HashSet<>(parts.keySet()) : null);
      }
      if (cause instanceof IOException) {
        throw (IOException) cause;
      } else if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      } else if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IOException("Converting " + file.name() + " failed", cause);
    }
    if (c.replaced() > 0) {
      if (firstReplacedLine < 0 && c.firstReplaced() > 0) {
        firstReplacedLine = nextLine - 1 + c.firstReplaced();
      }
      replaced += c.replaced();
    }
    long firstLine = nextLine;
    nextLine += c.lineBreaks();
    rowsIn += c.rowsIn();
    if (c.years() != null) {
      yearCounts.merge(c.years());
    }
    if (c.partitions() != null) {
      route(c, firstLine);
    } else if (c.rowsOut() > 0) {
      if (output == null) {
        output = new PartitionOutput(staging, file.partition(), binding.schema(), config);
      }
      for (RowGroupBuffer.EncodedRowGroups group : c.groups().each()) {
        output.writer().append(group);
        output.rollOverIfFull();
      }
      rowsOut += c.rowsOut();
      byPartition.merge(file.partition(), c.rowsOut(), Long::sum);
      progress.rowsConverted(rowsOut);
    }
  }

  /**
   * Partitioned, in chunk order: adds a chunk's batches to their partitions' open row groups, opening partitions
   * as they first occur, then keeps the open row groups within {@link #OPEN_ROW_GROUP_BYTES}.
   */
  private void route(Converted c, long firstLine) throws IOException {
    for (Map.Entry<String, Batch> e : c.partitions().entrySet()) {
      String key = e.getKey();
      Part part = parts.get(key);
      if (part == null) {
        if (parts.size() >= config.maxPartitionsPerFile()) {
          throw tooManyPartitions(firstLine - 1 + e.getValue().firstLine(), key);
        }
        part = new Part(partitionOf(key));
        parts.put(key, part);
      }
      add(part, e.getValue().rows());
    }
    rowsOut += c.rowsOut();
    boundOpenBytes();
    progress.rowsConverted(rowsOut);
  }

  /**
   * Adds a batch's rows to a partition's open row group, closing it at rowGroupRows rows or before the row that
   * would take it past {@link #RAW_ROW_GROUP_BYTES} (a longer row makes a row group of its own).
   */
  private void add(Part part, RowBatch batch) throws IOException {
    int n = batch.rows();
    part.rowsTotal += n;
    int from = 0;
    while (from < n) {
      int byRows = (int) Math.min(n, (long) from + config.rowGroupRows() - part.openRows);
      int byBytes = batch.endWithin(from, Math.max(0, RAW_ROW_GROUP_BYTES - part.openBytes));
      int end = Math.min(byRows, byBytes);
      boolean full;
      if (end
          == from) { // the next row does not fit: close the row group, or give the row one of its
        // own
        if (part.openRows == 0) {
          end = from + 1;
        }
        full = true;
      } else {
        full = end < n || part.openRows + (end - from) >= config.rowGroupRows();
      }
      if (end > from) {
        batch.retain();
        part.open.add(new Segment(batch, from, end));
        part.openRows += end - from;
        part.openBytes += batch.bytes(from, end);
      }
      from = end;
      if (full) {
        close(part);
      }
    }
    batch.release(); // the segments hold it now
  }

  /** Closes the largest open row groups while all of them together hold more than the budget. */
  private void boundOpenBytes() throws IOException {
    while (true) {
      long total = 0;
      Part largest = null;
      for (Part p : parts.values()) {
        total += p.openBytes;
        if (largest == null || p.openBytes > largest.openBytes) {
          largest = p;
        }
      }
      if (total <= OPEN_ROW_GROUP_BYTES || largest.openBytes < MIN_CLOSE_BYTES) {
        return;
      }
      close(largest);
    }
  }

  /**
   * Closes a partition's open row group: a worker encodes it (with one thread, the calling thread does), and
   * past {@code threads} row groups being encoded the oldest is written to its partition's file.
   */
  private void close(Part part) throws IOException {
    if (part.openRows == 0) {
      return;
    }
    List<Segment> segments = List.copyOf(part.open);
    long bytes = part.openBytes;
    part.open.clear();
    part.openRows = 0;
    part.openBytes = 0;
    Callable<RowGroupBuffer.EncodedRowGroups> task = () -> encode(segments);
    closed.add(new Closed(part, executor != null ? executor.submit(task) : run(task), bytes));
    closedBytes += bytes;
    while (closed.size() > threads || closedBytes > CLOSED_ROW_GROUP_BYTES && closed.size() > 1) {
      writeClosed(closed.poll());
    }
  }

  /** On a worker: encodes one row group. */
  private RowGroupBuffer.EncodedRowGroups encode(List<Segment> segments) throws IOException {
    RowGroupBuffer buffer = takeEncoder();
    try {
      Row scratch = new Row(binding.schema().size());
      for (Segment s : segments) {
        s.batch().writeTo(buffer, s.from(), s.to(), scratch);
        s.batch().release();
      }
      RowGroupBuffer.EncodedRowGroups groups = buffer.finish();
      if (giveEncoder(buffer)) {
        buffer = null;
      }
      return groups;
    } finally {
      if (buffer != null) {
        buffer.close();
      }
    }
  }

  /** Waits for a closed row group's encoding and appends it to its partition's file. */
  private void writeClosed(Closed c) throws IOException {
    closedBytes -= c.bytes();
    RowGroupBuffer.EncodedRowGroups groups;
    try {
      groups = c.groups().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while converting " + file.name());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      } else if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      } else if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IOException("Converting " + file.name() + " failed", cause);
    }
    for (RowGroupBuffer.EncodedRowGroups group : groups.each()) {
      c.part().files.writer().append(group);
      c.part().files.rollOverIfFull();
    }
  }

  /** Partitioned, at the end: closes every open row group and writes all of them. */
  private void closeAll() throws IOException {
    for (Part part : parts.values()) {
      close(part);
    }
    while (!closed.isEmpty()) {
      writeClosed(closed.poll());
    }
  }

  private void finishOutput() throws IOException {
    if (output != null) {
      output.finish();
    }
    for (Part part : parts.values()) {
      part.files.finish();
      byPartition.merge(part.partition, part.rowsTotal, Long::sum);
    }
  }

  private void abandonOutput() {
    if (output != null) {
      output.abandon();
    }
  }
}
