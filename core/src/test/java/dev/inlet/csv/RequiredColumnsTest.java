package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.boston311.Boston311;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file whose header lacks a required column is not the data: it fails before anything is written. */
class RequiredColumnsTest {
  @TempDir
  Path dir;

  private static CsvToParquet legacy() {
    return Boston311.legacyConverterBuilder().build();
  }

  private static CsvToParquet newSystem() {
    return Boston311.newSystemConverterBuilder().build();
  }

  @Test
  void legacyPreset_whenCsvIsFooBar_failsNamingMissingColumnsAndHeader() {
    TempDirStaging staging = new TempDirStaging(dir);
    assertThatThrownBy(() -> convert(legacy(), "foo,bar\n1,2\n3,4\n", staging))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage())
              .isEqualTo("Cannot convert test.csv: line 1: the header lacks the required"
                  + " columns case_enquiry_id, open_dt (header: [foo, bar]); check that the source serves this data"
                  + " set and not an error page or other data, or change requiredColumns(..)");
        });
    assertThat(staging.paths()).isEmpty();
  }

  @Test
  void legacyPreset_whenBodyIsA13ByteTrickle_fails() {
    byte[] trickle = "case_enquiry_".getBytes(StandardCharsets.US_ASCII);
    assertThat(trickle).hasSize(13);
    TempDirStaging staging = new TempDirStaging(dir);
    for (CsvToParquet converter : new CsvToParquet[] {legacy(), newSystem()}) {
      assertThatThrownBy(() -> convert(converter, source("2015.csv", trickle), staging))
          .isInstanceOf(MalformedInputException.class)
          .hasMessageContaining("the header lacks the required columns")
          .hasMessageContaining("(header: [case_enquiry_])");
    }
    assertThat(staging.paths()).isEmpty();
  }

  @Test
  void newSystemPreset_whenOpenDateIsMissing_failsNamingIt() {
    assertThatThrownBy(
            () -> convert(newSystem(), "case_id,case_topic\nA1,x\n", new TempDirStaging(dir)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining(
            "the header lacks the required column open_date (header: [case_id, case_topic])");
  }

  @Test
  void legacyPreset_whenAHeaderHasTheRequiredColumnsButFewOfTheSchemas_fails() {
    TempDirStaging staging = new TempDirStaging(dir);
    assertThatThrownBy(() -> convert(
            legacy(), "case_enquiry_id,open_dt,foo,bar\n1,2015-01-01 00:00:00,x,y\n", staging))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage())
              .contains("the header has 2 of the schema's 30 columns")
              .contains("missing: sla_target_dt, closed_dt, on_time");
        });
    assertThat(staging.paths()).isEmpty();
  }

  @Test
  void presets_whenRealSamples_stillConvert() throws IOException {
    for (String name : new String[] {Samples.LEGACY_2022_100, Samples.LEGACY_2015_6221}) {
      ConversionResult r = convert(
          legacy(), source(name, Samples.file(name)), new TempDirStaging(dir.resolve(name)));
      assertThat(r.rowsOut()).isEqualTo(name.equals(Samples.LEGACY_2022_100) ? 100 : 6221);
    }
    ConversionResult r = convert(
        newSystem(),
        source(Samples.NEW_SYSTEM_5473, Samples.file(Samples.NEW_SYSTEM_5473)),
        new TempDirStaging(dir.resolve("new")));
    assertThat(r.rowsOut()).isEqualTo(5473);
  }

  @Test
  void requiredColumns_matchAfterIgnoresAndRenames_ignoringCaseAndSpaces() throws IOException {
    CsvToParquet converter = CsvToParquet.builder()
        .renameColumn("ontime", "on_time")
        .requiredColumns(" ON_TIME ", "id")
        .build();
    assertThat(convert(converter, "ID,OnTime\n1,yes\n", new TempDirStaging(dir)).rowsOut())
        .isEqualTo(1);
    assertThatThrownBy(() -> convert(converter, "id,on_time_x\n1,yes\n", new TempDirStaging(dir)))
        .hasMessageContaining("lacks the required column on_time (header: [id, on_time_x])");
    assertThatThrownBy(() -> CsvToParquet.builder().requiredColumns("a", " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requiredColumns_whenHeaderIsLong_showsItsStartAndSize() {
    StringBuilder header = new StringBuilder("c0");
    for (int i = 1; i < 40; i++) {
      header.append(",c").append(i);
    }
    CsvToParquet converter = CsvToParquet.builder().requiredColumns("id").build();
    assertThatThrownBy(() -> convert(converter, header + "\n", new TempDirStaging(dir)))
        .hasMessageContaining(
            "(header: [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, ... (40 columns)])");
  }
}
