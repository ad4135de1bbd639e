package dev.inlet.csv;

import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.MalformedInputException;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.internal.parquet.PageCompressor;
import dev.inlet.internal.parquet.Row;
import dev.inlet.internal.parquet.RowGroupBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Converts one CSV file into the files of its source partition on several threads: the calling thread cuts the
 * input into chunks of whole records ({@link CsvChunker}), each chunk is parsed, converted and encoded into its
 * own row group(s) by a worker, and the calling thread appends the row groups in chunk order. Chunk boundaries
 * depend only on the bytes, and each chunk is encoded alone, so the output is the same whatever the number of
 * threads (with one thread the chunks are converted on the calling thread).
 *
 * <p>Used when partitions come from the source and rejected rows need not be kept; otherwise (year or column
 * partitioning, quarantine) {@link ConversionRun} converts row by row: with partitions, each chunk's rows of one
 * value would become small row groups of their own (one per chunk and value), where row by row a partition's rows
 * fill its row groups until the partitions' buffers together pass a budget. Memory: {@code threads + 1} chunks of about
 * {@value #CHUNK_BYTES} bytes (plus one record) and their encoded row groups, within a {@link ChunkMemory}
 * budget shared by all conversions (a quarter of the heap: three chunks and two threads on a 256 MiB heap).
 */
final class ChunkedConversion {
  /** A chunk closes before this many bytes, at a record boundary. */
  static final int CHUNK_BYTES = 16 * 1024 * 1024;

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
  private record Converted(RowGroupBuffer.EncodedRowGroups groups, long rowsIn, long rowsOut, long lineBreaks,
      long replaced, long firstReplaced, YearGuard.Counter years) {}

  private long replaced;
  private long firstReplacedLine = -1;
  /** The year guard of this file (null without one) and the rows it counted in the chunks written so far. */
  private YearGuard yearGuard;
  private YearGuard.Counter yearCounts;

  /** A chunk handed to a worker. */
  private record Pending(CsvChunker.Chunk chunk, Future<Converted> result) {}

  ChunkedConversion(CsvToParquet config, SourceFile file, InputStream in, Staging staging,
      ConversionProgress progress, int threads, int chunkBytes) {
    this(config, file, in, staging, progress, threads, chunkBytes, ChunkMemory.process());
  }

  ChunkedConversion(CsvToParquet config, SourceFile file, InputStream in, Staging staging,
      ConversionProgress progress, int threads, int chunkBytes, ChunkMemory memory) {
    this.memory = memory;
    this.config = config;
    this.file = file;
    this.in = in;
    this.staging = staging;
    this.progress = progress;
    this.chunkBytes = chunkBytes;
    this.threads = affordableThreads(threads, memory.limit(), chunkBytes);
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
    return config.partitionSpec().yearColumn() == null && config.partitionSpec().valueColumn() == null
        && config.badRows() != BadRowPolicy.QUARANTINE && config.delimiter() <= 0x7F;
  }

  ConversionResult execute() throws IOException {
    PageCompressor.preload(config.codec());
    CsvChunker chunker = new CsvChunker(in, config.delimiter(), chunkBytes, config.maxFieldBytes());
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    // chunks read for the header (and the inference sample) that are not handed to a worker yet
    ArrayDeque<CsvChunker.Chunk> head = new ArrayDeque<>();
    ExecutorService executor = null;
    boolean done = false;
    try {
      try {
        bindHeader(chunker, head);
      } catch (CsvChunker.FieldTooLong e) {
        throw fieldTooLong(e, pending, head);
      }
      executor = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "inlet-convert");
        t.setDaemon(true);
        return t;
      }) : null;
      CsvChunker.Chunk chunk = head.poll();
      while (chunk != null) {
        CsvChunker.Chunk c = chunk;
        Callable<Converted> task = () -> convert(c, 1);
        pending.add(new Pending(c, executor != null ? executor.submit(task) : run(task)));
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
        boolean stopped = awaitWorkers(executor);
        for (CsvChunker.Chunk c : head) {
          memory.give(c.bytes());
        }
        for (Pending p : pending) {
          if (stopped || p.result().isDone()) { // a worker still reading a buffer keeps it from the pool
            memory.give(p.chunk().bytes());
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
  private LimitExceededException fieldTooLong(CsvChunker.FieldTooLong e, ArrayDeque<Pending> pending,
      ArrayDeque<CsvChunker.Chunk> head) throws IOException {
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
    LOG.warn("Replaced {} byte sequence(s) that are not UTF-8 in {} with U+FFFD, the first in the record starting"
        + " on line {}; check the source's encoding", replaced, ContentSniffer.printable(fileName), firstLine);
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
  private CsvChunker.Chunk next(CsvChunker chunker, ArrayDeque<Pending> pending) throws IOException {
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
        throw new InterruptedIOException("Interrupted while waiting for memory to convert " + file.name());
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
  private static Future<Converted> run(Callable<Converted> task) {
    CompletableFuture<Converted> f = new CompletableFuture<>();
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
  private void bindHeader(CsvChunker chunker, ArrayDeque<CsvChunker.Chunk> head) throws IOException {
    CsvRecordParser parser = new CsvRecordParser(new InputStreamReader(new HeadStream(chunker, head),
        StandardCharsets.UTF_8), config.delimiter(), file.name(), 1, config.maxFieldBytes(), config.maxColumns());
    String[] header = parser.next();
    if (header == null) {
      throw new MalformedInputException(file.name(), 1, null,
          "the file is empty; expected a header line with column names");
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
        // not the budget's waiting: these chunks are held by this conversion, and no worker runs yet
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
    return new CsvRecordParser(text, config.delimiter(), file.name(), firstLine, config.maxFieldBytes(),
        config.maxColumns());
  }

  /**
   * On a worker: parses, converts and encodes one chunk (the first one without its header). Workers count lines
   * from 1 in their chunk: the lines before a chunk are known only once the chunks before it are parsed, so an
   * error is raised again, with its line in the file, by {@link #write}.
   */
  private Converted convert(CsvChunker.Chunk chunk, long firstLine) throws IOException {
    Records records;
    if (ByteRecordParser.isValidUtf8(chunk.bytes(), 0, chunk.length())) {
      // string values reach the encoder as the bytes they came in, without a String in between
      records = new ByteRecords(new ByteRecordParser(chunk.bytes(), 0, chunk.length(), config.delimiter(),
          file.name(), firstLine, config.maxFieldBytes(), config.maxColumns()), binding.headerWidth());
    } else {
      // bytes that are not UTF-8 are decoded as the row-by-row path decodes them (bad bytes become U+FFFD)
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
      Converted c = new Converted(buffer.finish(), in, out, records.nextLine() - firstLine, records.replaced(),
          records.firstReplacedLine(), years);
      synchronized (encoders) {
        if (!finished) { // else the conversion has ended: close the encoder below
          encoders.add(buffer);
          buffer = null;
        }
      }
      return c;
    } finally {
      if (buffer != null) {
        buffer.close();
      }
    }
  }

  /** A row group encoder a finished chunk left (with its grown buffers and compressor), or a new one. */
  private RowGroupBuffer takeEncoder() {
    RowGroupBuffer b = encoders.poll();
    return b != null ? b : RowGroupBuffer.open(binding.schema(), config.codec(), config.rowGroupRows());
  }

  /** The records of a chunk, from either parser. */
  private interface Records {
    boolean next() throws IOException;

    /** Checks the current record's width and fills {@code row} with its values. */
    void convert(RecordConverter binding, Row row, Values values);

    /** The line where the current record starts, in the chunk. */
    long line();

    long nextLine();

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
      } while (record != null && record.length == 1 && RecordConverter.isBlank(record, headerWidth));
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
      memory.give(p.chunk().bytes());
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
        convert(p.chunk(), nextLine);
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
    nextLine += c.lineBreaks();
    rowsIn += c.rowsIn();
    if (c.years() != null) {
      yearCounts.merge(c.years());
    }
    if (c.rowsOut() > 0) {
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

  private void finishOutput() throws IOException {
    if (output != null) {
      output.finish();
    }
  }

  private void abandonOutput() {
    if (output != null) {
      output.abandon();
    }
  }
}
