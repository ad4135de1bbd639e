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
    return Arbitraries.strings().withChars("ab,;\"\r\n \t\u00a0é€\u2003\u0085\u001f").ofMaxLength(50)
        .edgeCases(c -> c.add("\"a\"\u2003,b\n\"c\"\uD83D\uDE00\n"));
  }

  @Property(tries = 2000)
  void anyText_parsesAsTheCharParserParsesIt(@ForAll("texts") String text, @ForAll boolean semicolon) throws IOException {
    char delimiter = semicolon ? ';' : ',';
    assertThat(bytes(text, delimiter, 3)).isEqualTo(chars(text, delimiter, 3));
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
    assertThat(ByteRecordParser.isValidUtf8(ok, 0, ok.length - 2)).isFalse(); // cut inside the emoji
    assertThat(ByteRecordParser.isValidUtf8(new byte[] {'a', (byte) 0xC0, (byte) 0x80}, 0, 3)).isFalse();
    assertThat(ByteRecordParser.isValidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isFalse();
    assertThat(ByteRecordParser.isValidUtf8(new byte[] {(byte) 0xFF}, 0, 1)).isFalse();
  }

  private static List<String> bytes(String text, char delimiter, long firstLine) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ByteRecordParser p = new ByteRecordParser(b, 0, b.length, delimiter, "t.csv", firstLine);
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

  private static List<String> chars(String text, char delimiter, long firstLine) throws IOException {
    CsvRecordParser p = new CsvRecordParser(new StringReader(text), delimiter, "t.csv", firstLine);
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
