package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ConversionResult;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes that are not UTF-8 become U+FFFD, and are counted in the result ({@code invalidUtf8Replacements}), the
 * same on every path and for any chunking.
 */
class InvalidUtf8Test {
  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private static byte[] csv() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("id,name\n1,ok\n2,caf".getBytes(StandardCharsets.UTF_8));
    b.write(0xE9); // Latin-1 e-acute: one bad sequence
    b.writeBytes(" au lait\n3,".getBytes(StandardCharsets.UTF_8));
    b.write(0xFF);
    b.write(0xFE); // two more
    b.writeBytes("x\n4,fine \u00e9\n5,cut ".getBytes(StandardCharsets.UTF_8));
    b.write(0xE2);
    b.write(0x82); // a truncated 3-byte sequence: one more
    b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "tiny-chunks", "rows"})
  void convert_whenBytesAreNotUtf8_replacesAndCountsThem(String path) throws IOException {
    CsvToParquet.Builder b = CsvToParquet.builder();
    if (path.equals("tiny-chunks")) {
      b.chunkBytes(3);
    } else if (path.equals("rows")) {
      b.badRows(BadRowPolicy.QUARANTINE);
    }
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult r = convert(b.build(), source("latin.csv", csv()), staging);

    assertThat(r.rowsOut()).isEqualTo(5);
    assertThat(r.invalidUtf8Replacements()).isEqualTo(4);
    List<Map<String, Object>> rows =
        db.query("SELECT * FROM " + ConverterDuckDb.parquet(staging.paths()) + " ORDER BY id");
    assertThat(rows.get(1).get("name")).isEqualTo("caf\uFFFD au lait");
    assertThat(rows.get(2).get("name")).isEqualTo("\uFFFD\uFFFDx");
    assertThat(rows.get(3).get("name")).isEqualTo("fine \u00e9");
    assertThat(rows.get(4).get("name")).isEqualTo("cut \uFFFD");
  }

  @Test
  void convert_whenAllUtf8_countsNothing() throws IOException {
    ConversionResult r =
        convert(CsvToParquet.create(), "id,name\n1,caf\u00e9 \uFFFD\n", new TempDirStaging(dir));
    assertThat(r.invalidUtf8Replacements()).isZero();
  }

  @Test
  void utf8Reader_decodesExactlyLikeInputStreamReader() throws IOException {
    Random random = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      byte[] bytes = new byte[random.nextInt(70_000)];
      for (int i = 0; i < bytes.length; i++) {
        int kind = random.nextInt(10);
        bytes[i] = (byte)
            (kind < 6
                ? 'a' + random.nextInt(26)
                : kind < 8
                    ? 0x80 + random.nextInt(64)
                    : 0xC0
                        + random.nextInt(
                            46)); // no 0xEF lead byte: a real U+FFFD (EF BF BD) would count
      }
      String expected = read(
          new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
      Utf8Reader reader = new Utf8Reader(new java.io.ByteArrayInputStream(bytes));
      String actual = read(reader);
      assertThat(actual).isEqualTo(expected);
      long replacements = expected.chars().filter(c -> c == 0xFFFD).count();
      assertThat(reader.replacements()).isEqualTo(replacements);
      assertThat(reader.firstReplacement())
          .isEqualTo(replacements == 0 ? -1 : expected.indexOf('\uFFFD'));
    }
  }

  private static String read(Reader r) throws IOException {
    StringWriter w = new StringWriter();
    char[] buf = new char[1 + new Random(w.hashCode()).nextInt(5000)];
    for (int n = r.read(buf); n >= 0; n = r.read(buf)) {
      w.write(buf, 0, n);
    }
    return w.toString();
  }
}
