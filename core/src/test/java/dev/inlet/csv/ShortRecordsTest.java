package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record with fewer fields than the header is a malformed row: the bad-row policy decides, on the chunked path
 * and on the row-by-row path alike.
 */
class ShortRecordsTest {
  @TempDir
  Path dir;

  private static final String CSV = "t,b,c\n" // line 1
      + "2024-01-01 00:00:00,x,1\n" // line 2
      + "2024-01-02 00:00:00,\"two\nlines\"\n" // lines 3-4: 2 fields
      + "2024-01-03 00:00:00,z,3\n"; // line 5

  /** Chunked (partitions from the source) or row by row (partitions by the year of t). */
  private static CsvToParquet converter(String path, BadRowPolicy policy, int chunkBytes) {
    CsvToParquet.Builder b = CsvToParquet.builder().badRows(policy).chunkBytes(chunkBytes);
    if (path.equals("rows")) {
      b.partitionBy(PartitionSpec.yearOf("t"));
    }
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenRecordHasFewerFieldsThanHeader_failsNamingFileAndLine(String path) {
    for (int chunk : new int[] {1, 8, 1 << 20}) {
      TempDirStaging staging = new TempDirStaging(dir.resolve(path + chunk));
      assertThatThrownBy(() -> convert(converter(path, BadRowPolicy.FAIL, chunk), CSV, staging))
          .isInstanceOfSatisfying(MalformedInputException.class, e -> {
            assertThat(e.file()).isEqualTo("test.csv");
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage())
                .startsWith("Cannot convert test.csv: line 3: ")
                .contains("the record has 2 fields but the header has 3");
          });
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8, 1 << 20})
  void convert_whenChunkIsNotUtf8_theCharParserRejectsShortRecordsToo(int chunk) {
    // a Latin-1 byte makes the chunk invalid UTF-8: it is parsed by the char parser, not the byte
    // parser
    byte[] csv =
        (CSV.replace("two", "tw\u00e9")).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> convert(
            converter("chunked", BadRowPolicy.FAIL, chunk),
            CsvFixtures.source("test.csv", csv),
            new TempDirStaging(dir.resolve("c" + chunk))))
        .isInstanceOfSatisfying(
            MalformedInputException.class, e -> assertThat(e.line()).isEqualTo(3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenRecordIsShortAndPolicyIsSkip_leavesItOutAndCountsIt(String path)
      throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(converter(path, BadRowPolicy.SKIP, 8), CSV, staging);

    assertThat(result.rowsIn()).isEqualTo(3);
    assertThat(result.rowsOut()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenShortRecordIsFirstOfSample_isSkippedUnderSkip(String path) throws IOException {
    String csv = "t,b,c\n2024-01-02 00:00:00,y\n2024-01-03 00:00:00,z,3\n";
    ConversionResult result =
        convert(converter(path, BadRowPolicy.SKIP, 1 << 20), csv, new TempDirStaging(dir));

    assertThat(result.rowsIn()).isEqualTo(2);
    assertThat(result.rowsOut()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "rows"})
  void convert_whenFileEndsWithEmptyOrBlankLines_countsNoShortRecord(String path)
      throws IOException {
    String csv = "t,b,c\n2024-01-01 00:00:00,x,1\r\n\r\n\n   \n\t\n";
    ConversionResult result =
        convert(converter(path, BadRowPolicy.FAIL, 8), csv, new TempDirStaging(dir));

    assertThat(result.rowsIn()).isEqualTo(1);
    assertThat(result.rowsOut()).isEqualTo(1);
  }
}
