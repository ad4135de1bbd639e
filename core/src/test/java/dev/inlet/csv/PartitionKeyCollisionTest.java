package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partition key named like a written column would hide the column's values in every reader: rejected. */
class PartitionKeyCollisionTest {
  @TempDir
  Path dir;

  private static SourceFile graded(String csv) {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    return SourceFile.builder()
        .id("scores.csv")
        .name("scores.csv")
        .partition("grade", "A")
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  @Test
  void convert_whenSourcePartitionKeyIsAlsoAColumn_failsAtTheHeader() {
    TempDirStaging staging = new TempDirStaging(dir);
    for (CsvToParquet converter : new CsvToParquet[] {
      CsvToParquet.create(),
      CsvToParquet.builder().badRows(BadRowPolicy.QUARANTINE).build()
    }) {
      assertThatThrownBy(() -> convert(converter, graded("name,Grade\nann,B\nbob,C\n"), staging))
          .isInstanceOfSatisfying(MalformedInputException.class, e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo("grade");
            assertThat(e.getMessage())
                .startsWith("Cannot convert scores.csv: line 1, column grade: ")
                .contains("partition key 'grade'")
                .contains("ignoreColumn")
                .contains("renameColumn");
          });
    }
    assertThat(staging.paths()).isEmpty();
  }

  @Test
  void convert_whenCollidingColumnIsRenamed_converts() throws IOException {
    CsvToParquet converter =
        CsvToParquet.builder().renameColumn("grade", "grade_in_file").build();
    ConversionResult result =
        convert(converter, graded("name,grade\nann,B\n"), new TempDirStaging(dir));
    assertThat(result.schema().names()).containsExactly("name", "grade_in_file");
  }

  @Test
  void convert_whenYearPartitionAndCsvHasYearColumn_failsAtTheHeader() {
    String csv = "opened,year,n\n2024-01-01 00:00:00,1999,1\n";
    CsvToParquet converter =
        CsvToParquet.builder().partitionBy(PartitionSpec.yearOf("opened")).build();
    TempDirStaging staging = new TempDirStaging(dir);
    assertThatThrownBy(() -> convert(converter, csv, staging))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.column()).isEqualTo("year");
          assertThat(e.getMessage()).contains("partition key 'year'").contains("yearOf(opened)");
        });
    assertThat(staging.paths()).isEmpty();
  }

  @Test
  void build_whenYearPartitionAndSchemaHasYearColumn_failsEarly() {
    Schema schema = Schema.builder()
        .column("opened", ColumnType.TIMESTAMP)
        .column("year", ColumnType.INT)
        .build();
    assertThatThrownBy(() -> CsvToParquet.builder()
            .schema(schema)
            .partitionBy(PartitionSpec.yearOf("opened"))
            .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "Cannot build CsvToParquet: partition key 'year' of yearOf(opened) is also a column"
                + " of the schema");
  }
}
