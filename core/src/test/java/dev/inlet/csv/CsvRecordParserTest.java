package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.MalformedInputException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvRecordParserTest {

  /** Every record as "line:field|field|...". */
  static List<String> parse(Reader in, char delimiter) throws IOException {
    CsvRecordParser p = new CsvRecordParser(in, delimiter, "t.csv");
    List<String> out = new ArrayList<>();
    for (String[] r = p.next(); r != null; r = p.next()) {
      out.add(p.line() + ":" + String.join("|", r));
    }
    return out;
  }

  static List<String> parse(String csv) throws IOException {
    return parse(new StringReader(csv), ',');
  }

  /** Commons CSV's records (values only), or the records before its failure followed by "FAIL". */
  static List<String> commons(String csv, char delimiter) {
    CSVFormat f = CSVFormat.RFC4180
        .builder()
        .setDelimiter(delimiter)
        .setIgnoreEmptyLines(true)
        .get();
    List<String> out = new ArrayList<>();
    try (CSVParser p =
        CSVParser.builder().setReader(new StringReader(csv)).setFormat(f).get()) {
      for (CSVRecord r : p) {
        out.add(String.join("|", r.values()));
      }
    } catch (IOException | UncheckedIOException e) {
      out.add("FAIL");
    }
    return out;
  }

  static List<String> withoutLines(List<String> records) {
    List<String> out = new ArrayList<>();
    for (String r : records) {
      out.add(r.substring(r.indexOf(':') + 1));
    }
    return out;
  }

  @Test
  void next_quotedFields_keepDelimitersLineBreaksAndDoubledQuotes() throws IOException {
    assertThat(parse("a,\"b,c\",\"d\"\"e\"\r\n\"x\r\ny\nz\",2\n"))
        .containsExactly("1:a|b,c|d\"e", "2:x\r\ny\nz|2");
  }

  @Test
  void next_lineEndings_crLfAndCrLfAllEndRecords() throws IOException {
    assertThat(parse("a\rb\nc\r\nd")).containsExactly("1:a", "2:b", "3:c", "4:d");
  }

  @Test
  void next_blankLines_areSkippedAndNotTheRecordsLine() throws IOException {
    assertThat(parse("\n\r\na,b\r\n1,2\r\n\r\n3,4,5\r\n\n"))
        .containsExactly("3:a|b", "4:1|2", "6:3|4|5");
  }

  @Test
  void next_recordAfterMultiLineField_startsOnTheLineAfterIt() throws IOException {
    assertThat(parse("h\n\"1\r\n2\r3\n4\"\n\nx\n")).containsExactly("1:h", "2:1\r\n2\r3\n4", "7:x");
  }

  @Test
  void next_emptyFieldsAndTrailingDelimiter_areEmptyStrings() throws IOException {
    assertThat(parse(",\na,\"\",\n\"\"\na,")).containsExactly("1:|", "2:a||", "3:", "4:a|");
  }

  @Test
  void next_whitespaceAfterClosingQuote_isIgnoredLikeCommonsCsv() throws IOException {
    assertThat(parse("\"a\" ,b\n\"c\"\t\n\"d\"  ")).containsExactly("1:a|b", "2:c", "3:d");
  }

  @Test
  void next_quoteInsideUnquotedField_isAnOrdinaryCharacterLikeCommonsCsv() throws IOException {
    assertThat(parse("a\"b,c\"\n")).containsExactly("1:a\"b|c\"");
    assertThat(commons("a\"b,c\"\n", ',')).containsExactly("a\"b|c\"");
  }

  @Test
  void next_spaceBeforeQuote_makesTheFieldUnquoted() throws IOException {
    assertThat(parse(" \"a,b\"\n")).containsExactly("1: \"a|b\"");
  }

  @Test
  void next_customDelimiter_splitsOnItOnly() throws IOException {
    assertThat(parse(new StringReader("a;\"b;c\";d,e\n1;2\n"), ';'))
        .containsExactly("1:a|b;c|d,e", "2:1|2");
    assertThat(parse(new StringReader("a\t\"b\" \tc\n"), '\t')).containsExactly("1:a|b|c");
  }

  @Test
  void next_emptyInputOrOnlyBlankLines_hasNoRecords() throws IOException {
    assertThat(parse("")).isEmpty();
    assertThat(parse("\r\n\n\r")).isEmpty();
  }

  @Test
  void next_unterminatedQuote_failsNamingTheRecordsFirstLine() throws IOException {
    CsvRecordParser p = new CsvRecordParser(new StringReader("a,b\n\n\n1,\"x\ny\nz"), ',', "t.csv");
    assertThat(p.next()).containsExactly("a", "b");
    assertThatThrownBy(p::next).isInstanceOfSatisfying(MalformedInputException.class, e -> {
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.getMessage()).contains("t.csv").contains("quote");
    });
  }

  @Test
  void next_textAfterClosingQuote_failsNamingTheRecordsFirstLine() throws IOException {
    CsvRecordParser p = new CsvRecordParser(new StringReader("a\n\"x\ny\"z,1\n"), ',', "t.csv");
    assertThat(p.next()).containsExactly("a");
    assertThatThrownBy(p::next).isInstanceOfSatisfying(MalformedInputException.class, e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.getMessage()).contains("'z'").contains("line 3");
    });
    assertThat(commons("a\n\"x\ny\"z,1\n", ',')).containsExactly("a", "FAIL");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7})
  void next_readerReturningFewCharsAtATime_givesTheSameRecords(int chunk) throws IOException {
    String csv = "a,\"b\"\"\r\nc\",d\r\n\r\n\"\"\"\",\"e\" \r\nf\rg,\n";
    assertThat(parse(new ChunkedReader(csv, chunk), ',')).isEqualTo(parse(csv));
    assertThat(withoutLines(parse(csv))).isEqualTo(commons(csv, ','));
  }

  @Test
  void next_fieldsLongerThanTheBuffer_areRead() throws IOException {
    char[] big = new char[CsvRecordParser.BUFFER_CHARS * 3 + 17];
    Arrays.fill(big, 'x');
    String x = new String(big);
    String quoted = x.replace("xxxxxxxxxx", "x\"\"x,x\nxxxx");
    String csv = "h1,h2\n" + x + ",\"" + quoted + "\"\r\nend,1";
    CsvRecordParser p = new CsvRecordParser(new StringReader(csv), ',', "t.csv");
    assertThat(p.next()).containsExactly("h1", "h2");
    assertThat(p.next()).containsExactly(x, quoted.replace("\"\"", "\""));
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.next()).containsExactly("end", "1");
    assertThat(p.line()).isEqualTo(3 + quoted.chars().filter(c -> c == '\n').count());
    assertThat(p.next()).isNull();
  }

  /** Returns at most {@code chunk} chars per read, to put buffer refills everywhere. */
  static final class ChunkedReader extends Reader {
    private final String text;
    private final int chunk;
    private int pos;

    ChunkedReader(String text, int chunk) {
      this.text = text;
      this.chunk = chunk;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
      if (pos >= text.length()) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), text.length() - pos);
      text.getChars(pos, pos + n, cbuf, off);
      pos += n;
      return n;
    }

    @Override
    public void close() {}
  }
}
