package dev.inlet.internal.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Encodes the values of one optional column of a flat schema into compressed Parquet v1 data pages, one column
 * chunk per row group. Every value has definition level 1 and every null 0 (no repetition levels). A page
 * closes at {@value #PAGE_ROWS} rows or once it holds {@value #PAGE_BYTES} bytes of plain values, as in
 * parquet-java (less for very wide schemas, see {@link #OPEN_PAGES_BYTES}). The caller asks {@link #pageFull()}
 * every few rows (at most {@value #PAGE_CHECK_ROWS}, fewer as {@link #rowsUntilFull()} estimates a limit near) and
 * then {@link #flushPage()}s: a value never checks, so the rare branch that closes a page is not compiled into the
 * per-value code, whose compiled form would be thrown away (and compiled again) the first time a page fills.
 *
 * <p>Subclasses keep the page's values in their plain form and encode them when the page closes; the ones that
 * support a dictionary decide per page as parquet-java's fallback writer does: dictionary-encode while the
 * dictionary stays under {@value #DICTIONARY_PAGE_BYTES} bytes and the first page comes out smaller than plain,
 * plain from then on. Not thread-safe.
 */
abstract class ColumnEncoder {
  static final int PAGE_ROWS = 20_000;
  /** Most rows between two {@link #pageFull()} checks. */
  static final int PAGE_CHECK_ROWS = 250;

  static final int PAGE_BYTES = 1024 * 1024;
  /**
   * The open pages of one row group together stay under this many bytes of values: a wide schema gets smaller
   * pages (at most {@value #PAGE_BYTES} divided among its columns), so memory does not grow with the width.
   */
  static final int OPEN_PAGES_BYTES = 32 * 1024 * 1024;

  static final int DICTIONARY_PAGE_BYTES = 1024 * 1024;

  final ColumnDescriptor descriptor;
  final PrimitiveType type;
  private final PageCompressor compressor;
  private final ByteBuf page;
  /** Rows (values and nulls) of the open page, and where in it the nulls are. */
  int pageRows;

  int pageNulls;
  private int[] nullRows = new int[64];
  private int[] levels = new int[0];
  /** Bytes the open page's values take PLAIN-encoded; subclasses add to it as they store values. */
  long valueBytes;
  /** The page closes when its values reach this many bytes (see {@link #OPEN_PAGES_BYTES}). */
  private int pageBytes = PAGE_BYTES;
  /** Plain bytes per row of the open page, or of the last one while the open one is empty; 0 before any. */
  private long bytesPerRow;

  private final List<EncodedPage> pages = new ArrayList<>();
  private long chunkRows;
  private long compressedBytes;

  ColumnEncoder(ColumnDescriptor descriptor, PageCompressor compressor, ByteBuf page) {
    this.descriptor = descriptor;
    this.type = descriptor.getPrimitiveType();
    this.compressor = compressor;
    this.page = page;
  }

  final void writeNull() throws IOException {
    if (pageNulls == nullRows.length) {
      nullRows = Arrays.copyOf(nullRows, pageNulls * 2);
    }
    nullRows[pageNulls++] = pageRows;
    endValue();
  }

  /** Pages of this column close at {@code bytes} bytes of values (at most {@link #PAGE_BYTES}). */
  final void pageBytes(int bytes) {
    pageBytes = Math.max(1024, Math.min(PAGE_BYTES, bytes));
  }

  /** Adds column {@code i} of {@code row}: a null, or its value. */
  final void write(Row row, int i) throws IOException {
    if (row.present[i]) {
      writeValue(row, i);
    } else {
      writeNull();
    }
  }

  /** Stores the (present) value of column {@code i} of {@code row}. */
  abstract void writeValue(Row row, int i) throws IOException;

  /** Counts a value or null; the subclass has stored it and added its plain size to {@link #valueBytes}. */
  final void endValue() {
    pageRows++;
  }

  /** Whether the open page should close: {@value #PAGE_ROWS} rows, or its share of bytes. */
  final boolean pageFull() {
    return pageRows >= PAGE_ROWS || valueBytes >= pageBytes;
  }

  /**
   * Rows the open page can still take before it reaches {@value #PAGE_ROWS} rows or (estimated from its values so
   * far, or the last page's) its share of bytes; at least 1. Keeps a page of very large values from growing far past
   * its share between two checks.
   */
  final int rowsUntilFull() {
    long byRows = PAGE_ROWS - pageRows;
    if (pageRows > 0) {
      bytesPerRow = Math.max(1, (valueBytes + pageRows - 1) / pageRows);
    }
    if (bytesPerRow == 0) {
      return 1; // nothing known yet: look again after the next row
    }
    long byBytes = (pageBytes - valueBytes) / bytesPerRow;
    return (int) Math.max(1, Math.min(byRows, byBytes));
  }

  /** Appends the current page's values to {@code out}, fills {@code stats}' min and max; returns the encoding. */
  abstract Encoding encodeValues(ByteBuf out, Statistics<?> stats) throws IOException;

  /** Forgets the current page's values. */
  abstract void clearPage();

  /** The chunk's dictionary page, compressed, or null when no page used a dictionary. */
  DictionaryPage dictionaryPage(PageCompressor compressor, ByteBuf scratch) throws IOException {
    return null;
  }

  /** Forgets the chunk's dictionary, if any, before the next row group. */
  void clearChunk() {}

  /** Whether the next column chunks may use a dictionary (for types that have one); between chunks only. */
  void useDictionary(boolean dictionary) {}

  /**
   * After the first rows of a run of row groups: a string column whose values so far are {@code 90 %} or more
   * distinct (free text, addresses, URLs) turns PLAIN now (its open page's values are rewritten as plain) and for
   * the following row groups, until {@link #useDictionary} resets it. Fewer than {@code minValues} values keep the
   * dictionary. Only {@link Bytes} decides; other encoders keep what they do.
   */
  void decideDictionary(int minValues) {}

  /** Bytes held for the current row group: compressed pages plus the open page's plain values. */
  final long bufferedBytes() {
    return compressedBytes + valueBytes + pageRows / 8;
  }

  final void flushPage() throws IOException {
    if (pageRows == 0) {
      return;
    }
    ByteBuf out = page;
    out.reset();
    out.writeIntLE(0);
    if (pageNulls == 0) {
      RleHybrid.rle(1, pageRows, 1, out);
    } else if (pageNulls == pageRows) {
      RleHybrid.rle(0, pageRows, 1, out);
    } else {
      if (levels.length < pageRows) {
        levels = new int[Math.max(pageRows, PAGE_ROWS)];
      }
      Arrays.fill(levels, 0, pageRows, 1);
      for (int k = 0; k < pageNulls; k++) {
        levels[nullRows[k]] = 0;
      }
      RleHybrid.encode(levels, pageRows, 1, out);
    }
    ByteBuf.putIntLE(out.array, 0, out.size - 4);
    Statistics<?> stats = Statistics.createStats(type);
    Encoding encoding = encodeValues(out, stats);
    stats.incrementNumNulls(pageNulls);
    byte[] compressed = compressor.compress(out.array, 0, out.size);
    pages.add(new EncodedPage(compressed, out.size, pageRows, stats, encoding));
    compressedBytes += compressed.length;
    chunkRows += pageRows;
    pageRows = 0;
    pageNulls = 0;
    valueBytes = 0;
    clearPage();
  }

  /** Closes the chunk: the open page, the dictionary; resets for the next row group. */
  final EncodedColumn finishChunk(ByteBuf scratch) throws IOException {
    flushPage();
    DictionaryPage dictionary = dictionaryPage(compressor, scratch);
    EncodedColumn c = new EncodedColumn(descriptor, chunkRows, dictionary, List.copyOf(pages));
    pages.clear();
    chunkRows = 0;
    compressedBytes = 0;
    clearChunk();
    return c;
  }

  static DictionaryPage compressedDictionary(PageCompressor compressor, ByteBuf plain, int entries)
      throws IOException {
    byte[] compressed = compressor.compress(plain.array, 0, plain.size);
    return new DictionaryPage(
        BytesInput.from(compressed), plain.size, entries, Encoding.PLAIN_DICTIONARY);
  }

  /** Appends {@code ids} as a dictionary-encoded page body: bit width, then the RLE/bit-packing hybrid. */
  static void writeIds(int[] ids, int n, int dictionarySize, ByteBuf out) {
    int width = RleHybrid.bitWidth(Math.max(0, dictionarySize - 1));
    out.writeByte(width);
    RleHybrid.encode(ids, n, width, out);
  }

  /** One compressed data page and what its header and the column index need. */
  record EncodedPage(
      byte[] bytes, int uncompressedSize, int rows, Statistics<?> statistics, Encoding encoding) {}

  /** One column chunk of a row group, ready to be written. */
  record EncodedColumn(
      ColumnDescriptor descriptor, long rows, DictionaryPage dictionary, List<EncodedPage> pages) {}

  // ---------------------------------------------------------------------------------------------------------

  /**
   * PLAIN columns whose statistics parquet-java keeps value by value (its NaN and signed-zero rules for floating
   * point, the signed byte order of decimals): DOUBLE, FLOAT and FIXED_LEN_BYTE_ARRAY.
   */
  abstract static class PlainWithStatistics extends ColumnEncoder {
    final ByteBuf values = new ByteBuf(1024);
    Statistics<?> stats;

    PlainWithStatistics(ColumnDescriptor d, PageCompressor c, ByteBuf page) {
      super(d, c, page);
      stats = Statistics.createStats(type);
    }

    @Override
    final Encoding encodeValues(ByteBuf out, Statistics<?> pageStats) {
      out.write(values.array, 0, values.size);
      pageStats.mergeStatistics(stats);
      return Encoding.PLAIN;
    }

    @Override
    final void clearPage() {
      values.reset();
      stats = Statistics.createStats(type);
    }
  }

  /** DOUBLE columns, PLAIN. */
  static final class Float64 extends PlainWithStatistics {
    Float64(ColumnDescriptor d, PageCompressor c, ByteBuf page) {
      super(d, c, page);
    }

    @Override
    void writeValue(Row row, int i) throws IOException {
      double v = row.doubles[i];
      values.writeLongLE(Double.doubleToRawLongBits(v));
      valueBytes += 8;
      stats.updateStats(v);
      endValue();
    }
  }

  /** FLOAT columns, PLAIN. */
  static final class Float32 extends PlainWithStatistics {
    Float32(ColumnDescriptor d, PageCompressor c, ByteBuf page) {
      super(d, c, page);
    }

    @Override
    void writeValue(Row row, int i) throws IOException {
      float v = (float) row.doubles[i];
      values.writeIntLE(Float.floatToRawIntBits(v));
      valueBytes += 4;
      stats.updateStats(v);
      endValue();
    }
  }

  /** BOOLEAN columns, PLAIN (one bit per value, LSB first). */
  static final class Bool extends ColumnEncoder {
    private boolean[] values = new boolean[1024];
    private int count;

    Bool(ColumnDescriptor d, PageCompressor c, ByteBuf page) {
      super(d, c, page);
    }

    @Override
    void writeValue(Row row, int i) throws IOException {
      write(row.longs[i] != 0);
    }

    void write(boolean v) throws IOException {
      if (count == values.length) {
        values = Arrays.copyOf(values, count * 2);
      }
      values[count++] = v;
      if ((count & 7) == 1) {
        valueBytes++;
      }
      endValue();
    }

    @Override
    Encoding encodeValues(ByteBuf out, Statistics<?> stats) {
      int bytes = (count + 7) / 8;
      out.ensure(bytes);
      boolean seenTrue = false;
      boolean seenFalse = false;
      for (int b = 0; b < bytes; b++) {
        int packed = 0;
        for (int k = 0; k < 8; k++) {
          int i = b * 8 + k;
          if (i < count && values[i]) {
            packed |= 1 << k;
          }
        }
        out.array[out.size++] = (byte) packed;
      }
      for (int i = 0; i < count; i++) {
        if (values[i]) {
          seenTrue = true;
        } else {
          seenFalse = true;
        }
      }
      if (count > 0) {
        stats.updateStats(!seenFalse);
        stats.updateStats(seenTrue);
      }
      return Encoding.PLAIN;
    }

    @Override
    void clearPage() {
      count = 0;
    }
  }

  /**
   * Columns that use a dictionary while it pays, as parquet-java's fallback writer decides: the dictionary state of
   * one column chunk (whether it was given up, whether the first page is still open, how many entries pages used).
   */
  abstract static class WithDictionary extends ColumnEncoder {
    private boolean dictionaryWanted;
    /** PLAIN for the rest of the chunk (no dictionary wanted, or given up). */
    boolean fellBack;
    /** The first page of the chunk is open: it decides whether the dictionary pays. */
    boolean firstPage = true;
    /** Entries the dictionary-encoded pages so far refer to: what the dictionary page holds. */
    int dictionaryEntriesUsed;

    WithDictionary(ColumnDescriptor d, PageCompressor c, ByteBuf page, boolean dictionary) {
      super(d, c, page);
      useDictionary(dictionary);
    }

    /** Appends the first {@code entries} dictionary entries PLAIN-encoded. */
    abstract void writeEntries(int entries, ByteBuf out);

    /** Empties the dictionary for the next chunk. */
    abstract void clearDictionary();

    @Override
    final DictionaryPage dictionaryPage(PageCompressor compressor, ByteBuf scratch)
        throws IOException {
      if (dictionaryEntriesUsed == 0) {
        return null;
      }
      scratch.reset();
      writeEntries(dictionaryEntriesUsed, scratch);
      return compressedDictionary(compressor, scratch, dictionaryEntriesUsed);
    }

    @Override
    final void useDictionary(boolean dictionary) {
      dictionaryWanted = dictionary;
      fellBack = !dictionary;
      resetDecision();
    }

    /** PLAIN for the rest of this chunk and the following ones, until {@link #useDictionary}. */
    final void plainFromNowOn() {
      dictionaryWanted = false;
      fellBack = true;
    }

    /** Forgets what {@link #decideDictionary} counted. */
    void resetDecision() {}

    @Override
    final void clearChunk() {
      clearDictionary();
      fellBack = !dictionaryWanted;
      firstPage = true;
      dictionaryEntriesUsed = 0;
    }
  }

  /**
   * INT32 columns (int, date) and INT64 columns (bigint, timestamp, decimal of up to 18 digits),
   * dictionary-encoded while that pays (repeated dates, codes, deadlines), else PLAIN.
   */
  static final class Ints extends WithDictionary {
    private final int width;
    private final boolean decimal;
    private final LongDictionary dictionary;
    private long[] values = new long[1024];
    private int[] ids = new int[1024];
    private int count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /**
     * @param width 4 for INT32, 8 for INT64
     * @param decimal whether rows hold the values as BigDecimals (unscaled values are written)
     */
    Ints(
        ColumnDescriptor d,
        PageCompressor c,
        ByteBuf page,
        int width,
        boolean dictionary,
        boolean decimal) {
      super(d, c, page, dictionary);
      this.width = width;
      this.decimal = decimal;
      this.dictionary = new LongDictionary(width);
    }

    @Override
    void writeValue(Row row, int i) throws IOException {
      write(
          decimal
              ? ((java.math.BigDecimal) row.refs[i]).unscaledValue().longValueExact()
              : row.longs[i]);
    }

    void write(long v) throws IOException {
      if (count == values.length) {
        values = Arrays.copyOf(values, count * 2);
      }
      values[count++] = v;
      valueBytes += width;
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
      endValue();
    }

    @Override
    Encoding encodeValues(ByteBuf out, Statistics<?> stats) {
      if (count > 0) {
        if (width == 4) {
          stats.updateStats((int) min);
          stats.updateStats((int) max);
        } else {
          stats.updateStats(min);
          stats.updateStats(max);
        }
      }
      if (!fellBack) {
        if (ids.length < count) {
          ids = new int[values.length];
        }
        for (int i = 0; i < count; i++) {
          ids[i] = dictionary.idOf(values[i]);
          if (dictionary.pageBytes() > DICTIONARY_PAGE_BYTES) {
            fellBack = true;
            break;
          }
        }
        if (!fellBack) {
          int start = out.size;
          writeIds(ids, count, dictionary.size(), out);
          if (!firstPage || (out.size - start) + dictionary.pageBytes() < valueBytes) {
            firstPage = false;
            dictionaryEntriesUsed = dictionary.size();
            return Encoding.PLAIN_DICTIONARY;
          }
          out.size = start;
          fellBack = true;
        }
      }
      firstPage = false;
      out.ensure(width * count);
      if (width == 4) {
        for (int i = 0; i < count; i++) {
          ByteBuf.putIntLE(out.array, out.size, (int) values[i]);
          out.size += 4;
        }
      } else {
        for (int i = 0; i < count; i++) {
          ByteBuf.putLongLE(out.array, out.size, values[i]);
          out.size += 8;
        }
      }
      return Encoding.PLAIN;
    }

    @Override
    void clearPage() {
      count = 0;
      min = Long.MAX_VALUE;
      max = Long.MIN_VALUE;
    }

    @Override
    void writeEntries(int entries, ByteBuf out) {
      dictionary.writePlain(entries, out);
    }

    @Override
    void clearDictionary() {
      dictionary.clear();
    }
  }

  /**
   * BYTE_ARRAY columns (string, binary), dictionary-encoded while that pays, else PLAIN. The page's values are
   * kept PLAIN-encoded (length, bytes), which is also the fallback's output; statistics compare bytes unsigned,
   * as Parquet orders strings.
   */
  static final class Bytes extends WithDictionary {
    private final BinaryDictionary dictionary = new BinaryDictionary();
    private final ByteBuf values = new ByteBuf(1024);
    private int count;
    private int[] ids = new int[1024];
    private int[] seenInPage = new int[256];
    /** Stamps {@link #seenInPage} per page; starts above the array's zeros. */
    private int pageNumber = 1;

    private int minId = -1;
    private int maxId = -1;

    /** Values (not nulls) since the last {@link #useDictionary} or chunk start, for {@link #decideDictionary}. */
    private int valuesSeen;

    Bytes(ColumnDescriptor d, PageCompressor c, ByteBuf page, boolean dictionary) {
      super(d, c, page, dictionary);
    }

    @Override
    void decideDictionary(int minValues) {
      if (!fellBack && valuesSeen >= minValues && dictionary.size() * 10L >= valuesSeen * 9L) {
        fallBack();
        plainFromNowOn();
      }
    }

    /** A String is written as UTF-8, a byte slice as it is. */
    @Override
    void writeValue(Row row, int i) throws IOException {
      Object o = row.refs[i];
      if (o instanceof String) {
        byte[] b = ((String) o).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        write(b, 0, b.length);
      } else {
        write((byte[]) o, row.sliceOffset(i), row.sliceLength(i));
      }
    }

    /**
     * While the chunk uses its dictionary, a value is looked up as it arrives and only its id is kept; a value
     * that makes the dictionary outgrow its page turns this page and the rest of the chunk PLAIN.
     */
    void write(byte[] b, int off, int len) throws IOException {
      if (!fellBack) {
        int id = dictionary.idOf(b, off, len);
        if (dictionary.pageBytes() > DICTIONARY_PAGE_BYTES) {
          fallBack();
          appendPlain(b, off, len);
        } else {
          if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
          }
          ids[count] = id;
          noteInPage(id);
        }
      } else {
        appendPlain(b, off, len);
      }
      valueBytes += 4 + len;
      count++;
      valuesSeen++;
      endValue();
    }

    private void appendPlain(byte[] b, int off, int len) {
      ByteBuf v = values;
      v.ensure(4 + len);
      ByteBuf.putIntLE(v.array, v.size, len);
      System.arraycopy(b, off, v.array, v.size + 4, len);
      v.size += 4 + len;
    }

    /** Keeps the page's smallest and largest entry, comparing each entry once per page. */
    private void noteInPage(int id) {
      if (id >= seenInPage.length) {
        seenInPage = Arrays.copyOf(seenInPage, Math.max(id + 1, seenInPage.length * 2));
      }
      if (seenInPage[id] != pageNumber) {
        seenInPage[id] = pageNumber;
        if (minId < 0 || compareEntries(id, minId) < 0) {
          minId = id;
        }
        if (maxId < 0 || compareEntries(id, maxId) > 0) {
          maxId = id;
        }
      }
    }

    /** From now on PLAIN: the page's values so far are written out from their dictionary entries. */
    private void fallBack() {
      fellBack = true;
      byte[] a = dictionary.arena();
      for (int k = 0; k < count; k++) {
        int id = ids[k];
        appendPlain(a, dictionary.offset(id), dictionary.length(id));
      }
    }

    @Override
    Encoding encodeValues(ByteBuf out, Statistics<?> stats) {
      if (!fellBack) {
        int start = out.size;
        writeIds(ids, count, dictionary.size(), out);
        if (!firstPage || (out.size - start) + dictionary.pageBytes() < valueBytes) {
          firstPage = false;
          dictionaryEntriesUsed = dictionary.size();
          if (minId >= 0) {
            stats.updateStats(entry(minId));
            stats.updateStats(entry(maxId));
          }
          return Encoding.PLAIN_DICTIONARY;
        }
        out.size = start; // the first page does not come out smaller with the dictionary
        fallBack();
      }
      firstPage = false;
      plainStatistics(stats);
      out.write(values.array, 0, values.size);
      return Encoding.PLAIN;
    }

    private int compareEntries(int x, int y) {
      byte[] a = dictionary.arena();
      int ox = dictionary.offset(x);
      int oy = dictionary.offset(y);
      return Arrays.compareUnsigned(
          a, ox, ox + dictionary.length(x), a, oy, oy + dictionary.length(y));
    }

    private Binary entry(int id) {
      int o = dictionary.offset(id);
      return Binary.fromConstantByteArray(
          Arrays.copyOfRange(dictionary.arena(), o, o + dictionary.length(id)));
    }

    private void plainStatistics(Statistics<?> stats) {
      if (count == 0) {
        return;
      }
      byte[] a = values.array;
      int minOff = 4;
      int minLen = readIntLE(a, 0);
      int maxOff = minOff;
      int maxLen = minLen;
      int p = 4 + minLen;
      for (int i = 1; i < count; i++) {
        int len = readIntLE(a, p);
        int off = p + 4;
        if (Arrays.compareUnsigned(a, off, off + len, a, minOff, minOff + minLen) < 0) {
          minOff = off;
          minLen = len;
        } else if (Arrays.compareUnsigned(a, off, off + len, a, maxOff, maxOff + maxLen) > 0) {
          maxOff = off;
          maxLen = len;
        }
        p = off + len;
      }
      stats.updateStats(
          Binary.fromConstantByteArray(Arrays.copyOfRange(a, minOff, minOff + minLen)));
      stats.updateStats(
          Binary.fromConstantByteArray(Arrays.copyOfRange(a, maxOff, maxOff + maxLen)));
    }

    @Override
    void clearPage() {
      values.reset();
      count = 0;
      pageNumber++;
      minId = -1;
      maxId = -1;
    }

    @Override
    void writeEntries(int entries, ByteBuf out) {
      dictionary.writePlain(entries, out);
    }

    @Override
    void clearDictionary() {
      dictionary.clear();
      Arrays.fill(seenInPage, 0);
      pageNumber = 1;
    }

    @Override
    void resetDecision() {
      valuesSeen = 0;
    }
  }

  /** FIXED_LEN_BYTE_ARRAY columns (decimals of more than 18 digits), PLAIN. */
  static final class Fixed extends PlainWithStatistics {
    Fixed(ColumnDescriptor d, PageCompressor c, ByteBuf page) {
      super(d, c, page);
    }

    @Override
    void writeValue(Row row, int i) throws IOException {
      byte[] b = fixedBytes((java.math.BigDecimal) row.refs[i], type.getTypeLength());
      values.write(b, 0, b.length);
      valueBytes += b.length;
      stats.updateStats(Binary.fromConstantByteArray(b));
      endValue();
    }

    /** The unscaled value as a big-endian two's complement of exactly {@code length} bytes. */
    static byte[] fixedBytes(java.math.BigDecimal d, int length) {
      byte[] raw = d.unscaledValue().toByteArray();
      byte[] out = new byte[length];
      byte pad = (byte) (d.signum() < 0 ? 0xFF : 0x00);
      int offset = length - raw.length;
      for (int i = 0; i < offset; i++) {
        out[i] = pad;
      }
      System.arraycopy(raw, 0, out, offset, raw.length);
      return out;
    }
  }

  static int readIntLE(byte[] a, int p) {
    return (a[p] & 0xFF)
        | (a[p + 1] & 0xFF) << 8
        | (a[p + 2] & 0xFF) << 16
        | (a[p + 3] & 0xFF) << 24;
  }
}
