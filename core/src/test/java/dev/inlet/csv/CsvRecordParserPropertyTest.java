package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.MalformedInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The hand-written parser against Commons CSV: its printer's output parses back, and any text parses the same.
 * Named *Test so that surefire runs it in every build (it does not pick up *Properties classes).
 */
class CsvRecordParserPropertyTest {

  @Provide
  Arbitrary<List<List<String>>> tables() {
    Arbitrary<String> field = Arbitraries.strings().withChars("ab,;\"\r\n \té€").ofMaxLength(8);
    return field.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(20);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars("a,;\"\r\n \t").ofMaxLength(40);
  }

  @Property(tries = 300)
  void printedRecords_parseBackIdentically_onTheLinesTheyStart(
      @ForAll("tables") List<List<String>> table,
      @ForAll @IntRange(min = 0, max = 2) int separator,
      @ForAll boolean semicolon,
      @ForAll @IntRange(min = 1, max = 5) int chunk,
      @ForAll("blanks") List<Integer> blanks)
      throws IOException {
    String eol = List.of("\r\n", "\n", "\r").get(separator);
    char delimiter = semicolon ? ';' : ',';
    CSVFormat format = CSVFormat.RFC4180
        .builder()
        .setDelimiter(delimiter)
        .setRecordSeparator(eol)
        .get();
    StringBuilder csv = new StringBuilder();
    List<Long> expectedLines = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      csv.append(eol.repeat(blanks.isEmpty() ? 0 : blanks.get(i % blanks.size())));
      expectedLines.add(1 + lineBreaks(csv));
      CSVPrinter printer = new CSVPrinter(csv, format);
      printer.printRecord(table.get(i));
      printer.flush();
    }

    CsvRecordParser parser = new CsvRecordParser(
        new CsvRecordParserTest.ChunkedReader(csv.toString(), chunk), delimiter, "t.csv");
    List<List<String>> back = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    for (String[] r = parser.next(); r != null; r = parser.next()) {
      back.add(List.of(r));
      lines.add(parser.line());
    }
    assertThat(back).isEqualTo(table);
    assertThat(lines).isEqualTo(expectedLines);
  }

  @Provide
  Arbitrary<List<Integer>> blanks() {
    return Arbitraries.integers().between(0, 2).list().ofMaxSize(4);
  }

  @Property(tries = 1000)
  void anyText_givesCommonsCsvsRecordsOrFailsWhereItFails(
      @ForAll("texts") String text,
      @ForAll boolean semicolon,
      @ForAll @IntRange(min = 1, max = 4) int chunk)
      throws IOException {
    char delimiter = semicolon ? ';' : ',';
    CsvRecordParser parser =
        new CsvRecordParser(new CsvRecordParserTest.ChunkedReader(text, chunk), delimiter, "t.csv");
    List<String> ours = new ArrayList<>();
    try {
      for (String[] r = parser.next(); r != null; r = parser.next()) {
        ours.add(String.join("|", r));
      }
    } catch (MalformedInputException e) {
      ours.add("FAIL");
    }
    assertThat(ours).isEqualTo(CsvRecordParserTest.commons(text, delimiter));
  }

  /** CR, LF and CRLF each count one line break. */
  private static long lineBreaks(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || (c == '\n' && (i == 0 || s.charAt(i - 1) != '\r'))) {
        n++;
      }
    }
    return n;
  }
}
