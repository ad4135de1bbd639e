package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies that are not CSV fail the file before anything is written, on both conversion paths. */
class ContentGuardsTest {
  @TempDir
  Path dir;

  /** The parallel (chunked) path and the row-by-row path. */
  private static CsvToParquet converter(String path) {
    return path.equals("chunked")
        ? CsvToParquet.create()
        : CsvToParquet.builder().badRows(BadRowPolicy.QUARANTINE).build();
  }

  private void assertRejected(String path, byte[] body, String... messageParts) {
    TempDirStaging staging = new TempDirStaging(dir);
    assertThatThrownBy(() -> convert(converter(path), source("2015.csv", body), staging))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.file()).isEqualTo("2015.csv");
          assertThat(e.getMessage()).startsWith("Cannot convert 2015.csv: ").contains(messageParts);
        });
    assertThat(staging.paths()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenBodyIsHtmlErrorPage_failsBeforeWriting(String path) {
    String html = "<!doctype html>\n<html><head><title>Service Unavailable</title></head>\n"
        + "<body><p>We are down for maintenance, back soon.</p></body></html>\n";
    assertRejected(
        path,
        html.getBytes(StandardCharsets.UTF_8),
        "the body looks like an HTML page, not CSV (starts with '<!doctype html>')",
        "the portal may have answered an error page");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenHtmlAfterBomAndWhitespace_failsBeforeWriting(String path) {
    String html = "\uFEFF \r\n\t <HTML lang=en>\n<body>Not found, a, b, c</body>\n</HTML>\n";
    assertRejected(
        path,
        html.getBytes(StandardCharsets.UTF_8),
        "looks like an HTML page, not CSV",
        "starts with '<HTML lang=en>'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenBodyIsStillGzipped_failsNamingCompression(String path) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("case_enquiry_id,open_dt\n1,2015-01-01 00:00:00\n"
          .repeat(50)
          .getBytes(StandardCharsets.UTF_8));
    }
    assertRejected(path, bytes.toByteArray(), "gzip-compressed data, not CSV", "Content-Encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenBodyHasNulBytes_failsAsBinary(String path) {
    byte[] body = "id,name\n1,abc\n".getBytes(StandardCharsets.UTF_8);
    byte[] withNul = new byte[body.length + 20];
    System.arraycopy(body, 0, withNul, 0, body.length);
    withNul[body.length + 3] = 0;
    for (int i = body.length; i < withNul.length; i++) {
      if (i != body.length + 3) {
        withNul[i] = 'x';
      }
    }
    assertRejected(
        path, withNul, "the body looks like binary data, not CSV", "NUL byte at offset 17");
  }

  @Test
  void convert_whenBodyIsUtf16_failsNamingTheEncoding() {
    byte[] text = "id,name\n1,a\n".getBytes(StandardCharsets.UTF_16LE);
    byte[] body = new byte[text.length + 2];
    body[0] = (byte) 0xFF;
    body[1] = (byte) 0xFE;
    System.arraycopy(text, 0, body, 2, text.length);
    assertRejected("chunked", body, "the body is UTF-16 text", "convert it to UTF-8");
  }

  @Test
  void convert_whenBodyIsJsonOrXmlError_failsSayingSo() {
    assertRejected(
        "chunked",
        "{\"help\": \"...\", \"success\": false, \"error\": {}}".getBytes(StandardCharsets.UTF_8),
        "the body looks like JSON, not CSV (starts with '{\"help\": ");
    assertRejected(
        "rows",
        "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code></Error>"
            .getBytes(StandardCharsets.UTF_8),
        "the body looks like an XML document, not CSV (starts with '<?xml version=");
  }

  @Test
  void convert_whenBodyIsMostlyControlBytes_failsAsBinary() {
    byte[] body = new byte[600];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i % 3 == 0 ? 0x01 : i % 3 == 1 ? 0x9F : 'a');
    }
    assertRejected("chunked", body, "the body looks like binary data, not CSV");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenCsvHasAStrayControlByteOrLatin1_stillConverts(String path) throws IOException {
    byte[] csv = "id,name\n1,caf\u00e9\u0007\n2,x\n".getBytes(StandardCharsets.ISO_8859_1);
    ConversionResult result =
        convert(converter(path), source("ok.csv", csv), new TempDirStaging(dir));
    assertThat(result.rowsOut()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenCsvValueStartsWithAngleBracket_stillConverts(String path) throws IOException {
    ConversionResult result =
        convert(converter(path), "name,html\nx,<html>\n", new TempDirStaging(dir));
    assertThat(result.rowsOut()).isEqualTo(1);
  }
}
