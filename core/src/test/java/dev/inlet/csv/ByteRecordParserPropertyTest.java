package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.MalformedInputException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The byte parser against the char parser on any text: the same fields, record lines, next line, and the same
 * error on the same line with the same message. The alphabet has multi-byte characters, a no-break space and
 * Unicode spaces (which count as whitespace after a closing quote) and a supplementary character.
 */
class ByteRecordParserPropertyTest {

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withChars("ab,;\"\r\n \t\u00a0é€\u2003\u0085\u001f")
        .ofMaxLength(50)
        .edgeCases(c -> c.add("\"a\"\u2003,b\n\"c\"\uD83D\uDE00\n"));
  }

  @Property(tries = 2000)
  void anyText_parsesAsTheCharParserParsesIt(
      @ForAll("texts") String text, @ForAll boolean semicolon) throws IOException {
    char delimiter = semicolon ? ';' : ',';
    assertThat(bytes(text, delimiter, 3)).isEqualTo(chars(text, delimiter, 3));
  }

  /** ASCII only, so that a field's length is the same in bytes and chars; many delimiters, for wide records. */
  @Provide
  Arbitrary<String> asciiTexts() {
    return Arbitraries.strings().withChars("ab,,,;\"\r\n \t").ofMaxLength(120);
  }

  @Property(tries = 2000)
  void withLimits_bothParsersFailAlike(
      @ForAll("asciiTexts") String text,
      @ForAll boolean semicolon,
      @ForAll("fieldLimits") int maxField,
      @ForAll("fieldCountLimits") int maxFields)
      throws IOException {
    char delimiter = semicolon ? ';' : ',';
    assertThat(bytes(text, delimiter, 2, 0, maxField, maxFields))
        .isEqualTo(chars(text, delimiter, 2, maxField, maxFields));
  }

  @Provide
  Arbitrary<Integer> fieldLimits() {
    return Arbitraries.integers().between(0, 12);
  }

  @Provide
  Arbitrary<Integer> fieldCountLimits() {
    return Arbitraries.integers().between(1, 70);
  }

  /** Long runs without special bytes, so the eight-bytes-at-a-time searches find their targets at every offset. */
  @Provide
  Arbitrary<String> longFields() {
    Arbitrary<String> plain = Arbitraries.strings().withChars("abcdefgh é€").ofMaxLength(20);
    Arbitrary<String> special =
        Arbitraries.of(",", ";", "\"", "\"\"", "\r", "\n", "\r\n", "\t", "\u000b", "\u0085");
    return Arbitraries.oneOf(plain, plain, special)
        .list()
        .ofMaxSize(40)
        .map(parts -> String.join("", parts));
  }

  @Property(tries = 2000)
  void longFields_parseAsTheCharParserParsesThem(
      @ForAll("longFields") String text, @ForAll boolean semicolon, @ForAll("paddings") int padding)
      throws IOException {
    char delimiter = semicolon ? ';' : ',';
    assertThat(bytes(text, delimiter, 1, padding)).isEqualTo(chars(text, delimiter, 1));
  }

  /** Bytes before and after the text in its array, which the parser must not read as part of it. */
  @Provide
  Arbitrary<Integer> paddings() {
    return Arbitraries.integers().between(0, 9);
  }

  @Example
  void utf8Check_findsABrokenSequenceAtAnyOffset() {
    for (int at = 0; at < 40; at++) {
      byte[] b = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".getBytes(StandardCharsets.UTF_8);
      assertThat(ByteRecordParser.isValidUtf8(b, 0, b.length)).isTrue();
      b[at] = (byte) 0xC3; // a lead byte followed by ASCII
      assertThat(ByteRecordParser.isValidUtf8(b, 0, b.length))
          .as("broken at %d", at)
          .isFalse();
      assertThat(ByteRecordParser.isValidUtf8(b, at + 1, b.length))
          .as("after %d", at)
          .isTrue();
    }
  }

  @Example
  void quotedFieldsWithEscapes_areUnescaped() throws IOException {
    String text = "\"a\"\"b\",\"\"\"\",\"x\r\ny\"\"\"\n";
    assertThat(bytes(text, ',', 1)).containsExactly("a\"b|\"|x\r\ny\"@1>3", "END@3");
  }

  @Example
  void utf8Check_acceptsWellFormedAndRejectsBrokenSequences() {
    byte[] ok = "aé€\uD83D\uDE00z".getBytes(StandardCharsets.UTF_8);
    assertThat(ByteRecordParser.isValidUtf8(ok, 0, ok.length)).isTrue();
    assertThat(ByteRecordParser.isValidUtf8(ok, 0, ok.length - 2))
        .isFalse(); // cut inside the emoji
    assertThat(ByteRecordParser.isValidUtf8(new byte[] {'a', (byte) 0xC0, (byte) 0x80}, 0, 3))
        .isFalse();
    assertThat(
            ByteRecordParser.isValidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3))
        .isFalse();
    assertThat(ByteRecordParser.isValidUtf8(new byte[] {(byte) 0xFF}, 0, 1)).isFalse();
  }

  private static List<String> bytes(String text, char delimiter, long firstLine) {
    return bytes(text, delimiter, firstLine, 0);
  }

  /** Parses {@code text} placed at {@code padding} in an array with {@code padding} more bytes after it. */
  private static List<String> bytes(String text, char delimiter, long firstLine, int padding) {
    return bytes(text, delimiter, firstLine, padding, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  private static List<String> bytes(
      String text, char delimiter, long firstLine, int padding, int maxField, int maxFields) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[t.length + 2 * padding];
    java.util.Arrays.fill(
        b, (byte) delimiter); // a delimiter and a quote around the text: never part of it
    if (padding > 0) {
      b[b.length - 1] = '"';
    }
    System.arraycopy(t, 0, b, padding, t.length);
    ByteRecordParser p = new ByteRecordParser(
        b, padding, padding + t.length, delimiter, "t.csv", firstLine, maxField, maxFields);
    List<String> out = new ArrayList<>();
    try {
      while (p.next()) {
        out.add(String.join("|", p.strings()) + "@" + p.line() + ">" + p.nextLine());
      }
      out.add("END@" + p.nextLine());
    } catch (MalformedInputException e) {
      out.add("FAIL@" + e.line() + ": " + e.getMessage());
    }
    return out;
  }

  private static List<String> chars(String text, char delimiter, long firstLine)
      throws IOException {
    return chars(text, delimiter, firstLine, Integer.MAX_VALUE / 4, Integer.MAX_VALUE);
  }

  private static List<String> chars(
      String text, char delimiter, long firstLine, int maxField, int maxFields) throws IOException {
    CsvRecordParser p = new CsvRecordParser(
        new StringReader(text), delimiter, "t.csv", firstLine, maxField, maxFields);
    List<String> out = new ArrayList<>();
    try {
      for (String[] r = p.next(); r != null; r = p.next()) {
        out.add(String.join("|", r) + "@" + p.line() + ">" + p.nextLine());
      }
      out.add("END@" + p.nextLine());
    } catch (MalformedInputException e) {
      out.add("FAIL@" + e.line() + ": " + e.getMessage());
    }
    return out;
  }
}
