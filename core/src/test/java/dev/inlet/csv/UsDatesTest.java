package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.MalformedInputException;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** US dates ({@code 06/15/2023}, {@code 06/15/2023 09:30:00 AM}) inferred only when the sample proves the order. */
class UsDatesTest {
  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private TempDirStaging staging(String name) throws IOException {
    return new TempDirStaging(Files.createDirectory(dir.resolve(name)));
  }

  @Test
  void values_parseUsDatesAndTimestamps_andRejectWhatIsNotOne() {
    assertThat(Values.parseUsDate("06/15/2023"))
        .isEqualTo(LocalDate.of(2023, 6, 15).toEpochDay());
    assertThat(Values.parseUsDate("6/5/2023"))
        .isEqualTo(LocalDate.of(2023, 6, 5).toEpochDay());
    assertThat(Values.parseUsDate("02/29/2024"))
        .isEqualTo(LocalDate.of(2024, 2, 29).toEpochDay());
    for (String bad : List.of(
        "02/29/2023",
        "13/01/2023",
        "00/10/2023",
        "06/31/2023",
        "06/15/23",
        "06-15-2023",
        "2023-06-15",
        "06/15/2023 ",
        "/15/2023",
        "123/1/2023",
        "06/15/20233")) {
      assertThat(Values.parseUsDate(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
    }
    assertThat(Values.parseUsTimestamp("06/15/2023 09:30:00 AM"))
        .isEqualTo(micros(2023, 6, 15, 9, 30, 0));
    assertThat(Values.parseUsTimestamp("06/15/2023 12:05:00 AM"))
        .isEqualTo(micros(2023, 6, 15, 0, 5, 0));
    assertThat(Values.parseUsTimestamp("06/15/2023 12:05:00 PM"))
        .isEqualTo(micros(2023, 6, 15, 12, 5, 0));
    assertThat(Values.parseUsTimestamp("06/15/2023 11:59:59 pm"))
        .isEqualTo(micros(2023, 6, 15, 23, 59, 59));
    assertThat(Values.parseUsTimestamp("6/15/2023 9:30 PM"))
        .isEqualTo(micros(2023, 6, 15, 21, 30, 0));
    assertThat(Values.parseUsTimestamp("06/15/2023 21:30:07"))
        .isEqualTo(micros(2023, 6, 15, 21, 30, 7));
    assertThat(Values.parseUsTimestamp("06/15/2023 21:30:07.25"))
        .isEqualTo(micros(2023, 6, 15, 21, 30, 7) + 250_000);
    assertThat(Values.parseUsTimestamp("06/15/2023")).isEqualTo(micros(2023, 6, 15, 0, 0, 0));
    for (String bad : List.of(
        "06/15/2023 13:00:00 PM",
        "06/15/2023 00:10:00 AM",
        "06/15/2023 24:00:00",
        "06/15/2023 09:60:00",
        "06/15/2023 09:30:00 XM",
        "06/15/2023T09:30:00",
        "06/15/2023 9",
        "06/15/2023 09:3",
        "06/15/2023 09:30:00.",
        "06/15/2023 09:30:00  AM")) {
      assertThat(Values.parseUsTimestamp(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
    }
  }

  @Test
  void inference_readsUsDatesOnlyWithProofOfTheOrder() {
    assertThat(TypeInference.infer(sample("06/15/2023", "07/01/2023", ""), 0)).hasToString("date");
    assertThat(TypeInference.infer(sample("06/15/2023 09:30:00 AM", "07/01/2023 11:00:00 PM"), 0))
        .hasToString("timestamp");
    assertThat(TypeInference.infer(sample("06/15/2023", "07/01/2023 11:00:00 PM"), 0))
        .hasToString("timestamp");
    // every day <= 12: 06/07/2023 could be June 7 or July 6, so no guess
    assertThat(TypeInference.infer(sample("06/07/2023", "01/02/2023"), 0)).hasToString("string");
    // day first: a first number above 12
    assertThat(TypeInference.infer(sample("15/06/2023", "06/15/2023"), 0)).hasToString("string");
    // mixed with ISO or text
    assertThat(TypeInference.infer(sample("06/15/2023", "2023-06-16"), 0)).hasToString("string");
    assertThat(TypeInference.infer(sample("06/15/2023", "soon"), 0)).hasToString("string");
  }

  @Test
  void conversion_writesUsDatesAsDatesAndTimestamps_readBackByDuckDb() throws IOException {
    String csv = "id,Closed,Created Date\n"
        + "1,06/15/2023,06/15/2023 09:30:00 AM\n"
        + "2,,12/31/2023 11:59:59 PM\n"
        + "3,01/02/2024,01/02/2024 12:00:00 AM\n";
    TempDirStaging staging = staging("us");
    convert(CsvToParquet.builder().build(), csv, staging);
    String parquet = ConverterDuckDb.parquet(staging.paths());
    assertThat(db.describe(parquet))
        .containsEntry("closed", "DATE")
        .containsEntry("created date", "TIMESTAMP");
    List<Map<String, Object>> rows = db.query("SELECT id, CAST(closed AS VARCHAR) AS c,"
        + " CAST(\"created date\" AS VARCHAR) AS t FROM " + parquet + " ORDER BY id");
    assertThat(rows)
        .extracting(r -> r.get("c") + "|" + r.get("t"))
        .containsExactly(
            "2023-06-15|2023-06-15 09:30:00",
            "null|2023-12-31 23:59:59",
            "2024-01-02|2024-01-02 00:00:00");
  }

  @Test
  void aLaterValueThatIsNoUsDate_isABadRowNamingTheFormat() {
    StringBuilder csv = new StringBuilder("id,when\n1,06/15/2023\n");
    csv.append("2,15/06/2023\n");
    CsvToParquet converter = CsvToParquet.builder().inferSchema(1).build();
    assertThatThrownBy(() -> convert(converter, csv.toString(), staging("bad")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("'15/06/2023' is not a US date (MM/dd/yyyy)");
  }

  private static List<String[]> sample(String... values) {
    return java.util.Arrays.stream(values).map(v -> new String[] {v}).toList();
  }

  private static long micros(int y, int mo, int d, int h, int mi, int s) {
    return LocalDateTime.of(y, mo, d, h, mi, s).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
  }
}
