package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.MalformedInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Cutting CSV into chunks never changes what the parser reads: chunk by chunk (each parser starting on the line
 * its chunk starts on) gives the records, their lines and the first error of parsing the whole text at once.
 */
class CsvChunkerPropertyTest {

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> noise = Arbitraries.strings().withChars("ab,;\"\r\n \té").ofMaxLength(60);
    Arbitrary<String> wellFormed = Arbitraries.strings()
        .withChars("ab,;\"\r\n é")
        .ofMaxLength(6)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .list()
        .ofMaxSize(12)
        .map(CsvChunkerPropertyTest::printed);
    return Arbitraries.oneOf(noise, wellFormed);
  }

  /** Records written as Commons CSV writes them, quoting fields with delimiters, quotes and line breaks. */
  private static String printed(List<List<String>> table) {
    StringBuilder sb = new StringBuilder();
    for (List<String> rec : table) {
      for (int i = 0; i < rec.size(); i++) {
        String f = rec.get(i);
        sb.append(i == 0 ? "" : ",");
        boolean quote = f.indexOf(',') >= 0
            || f.indexOf('"') >= 0
            || f.indexOf('\r') >= 0
            || f.indexOf('\n') >= 0
            || f.isEmpty() && rec.size() == 1;
        sb.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
      }
      sb.append(rec.size() % 2 == 0 ? "\r\n" : "\n");
    }
    return sb.toString();
  }

  @Property(tries = 1500)
  void chunkByChunk_parsesAsTheWholeText(
      @ForAll("texts") String text,
      @ForAll boolean semicolon,
      @ForAll boolean bom,
      @ForAll @IntRange(min = 1, max = 24) int target,
      @ForAll @IntRange(min = 1, max = 7) int readSize)
      throws IOException {
    char delimiter = semicolon ? ';' : ',';
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] input = bom ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes) : bytes;

    CsvChunker chunker = new CsvChunker(new TrickleStream(input, readSize), delimiter, target);
    List<String> chunked = new ArrayList<>();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    long line = 1;
    int index = 0;
    boolean failed = false;
    byte[] spare = null;
    List<Integer> lengths = new ArrayList<>();
    for (CsvChunker.Chunk c = chunker.next(spare); c != null; c = chunker.next(spare)) {
      assertThat(c.index()).isEqualTo(index++);
      lengths.add(c.length());
      assertThat(c.length()).isPositive();
      joined.write(c.bytes(), 0, c.length());
      if (!failed) {
        CsvRecordParser parser = new CsvRecordParser(
            new InputStreamReader(
                new ByteArrayInputStream(c.bytes(), 0, c.length()), StandardCharsets.UTF_8),
            delimiter,
            "t.csv",
            line);
        failed = parse(parser, chunked);
        line = parser.nextLine();
      }
      spare = c.bytes()
          .clone(); // a different array each time: what a chunk holds must not depend on reuse
      Arrays.fill(c.bytes(), (byte) 'x');
    }

    assertThat(joined.toByteArray()).isEqualTo(bytes);
    assertThat(lengths)
        .as("cut points do not depend on how the input arrives")
        .isEqualTo(chunkLengths(new ByteArrayInputStream(input), delimiter, target));
    List<String> whole = new ArrayList<>();
    parse(
        new CsvRecordParser(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
            delimiter,
            "t.csv"),
        whole);
    assertThat(chunked).isEqualTo(whole);
  }

  @Example
  void chunksCloseAtTheFirstRecordBoundaryPastTheTarget() throws IOException {
    String text = "h1,h2\n\"a\nb\",1\r\n\r\nc,2\nd,3\ne,4\n";
    CsvChunker chunker =
        new CsvChunker(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ',', 8);
    List<String> chunks = new ArrayList<>();
    for (CsvChunker.Chunk c = chunker.next(null); c != null; c = chunker.next(null)) {
      chunks.add(new String(c.bytes(), 0, c.length(), StandardCharsets.UTF_8));
    }
    // the quoted line break at byte 8 cannot end a chunk; the empty line stays with the record
    // before it
    assertThat(chunks).containsExactly("h1,h2\n\"a\nb\",1\r\n\r\n", "c,2\nd,3\ne,4\n");
  }

  private static List<Integer> chunkLengths(InputStream in, char delimiter, int target)
      throws IOException {
    CsvChunker chunker = new CsvChunker(in, delimiter, target);
    List<Integer> lengths = new ArrayList<>();
    for (CsvChunker.Chunk c = chunker.next(null); c != null; c = chunker.next(null)) {
      lengths.add(c.length());
    }
    return lengths;
  }

  /** Appends "fields|line" per record, "FAIL@line" at an error; true if it failed. */
  private static boolean parse(CsvRecordParser parser, List<String> out) throws IOException {
    try {
      for (String[] r = parser.next(); r != null; r = parser.next()) {
        out.add(String.join("|", r) + "@" + parser.line());
      }
      return false;
    } catch (MalformedInputException e) {
      out.add("FAIL@" + e.line());
      return true;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Hands out at most {@code max} bytes per read, as a slow network does. */
  static final class TrickleStream extends InputStream {
    private final byte[] data;
    private final int max;
    private int pos;

    TrickleStream(byte[] data, int max) {
      this.data = data;
      this.max = max;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, max), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
