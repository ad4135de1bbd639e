package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.DataFile;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.Staging;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad value thousands of records into a file (past the 1000-record dictionary sample, several parser buffer
 * refills in): it fails with its exact line and column, or is skipped or quarantined, and every other record is
 * kept in order.
 */
class BadRowsDeepInFileTest {
  private static final int ROWS = 5120;
  private static final int BAD_ROW = 3847;
  private static final Schema SCHEMA = Schema.of(List.of(
      dev.inlet.Column.of("id", ColumnType.BIGINT),
      dev.inlet.Column.of("at", ColumnType.TIMESTAMP),
      dev.inlet.Column.of("x", ColumnType.DOUBLE)));

  @TempDir
  Path dir;

  /** Header on line 1, row k (0-based) on line k + 2; row BAD_ROW has a bad timestamp. */
  private static String csv() {
    StringBuilder sb = new StringBuilder("id,at,x\n");
    for (int k = 0; k < ROWS; k++) {
      sb.append(k)
          .append(',')
          .append(k == BAD_ROW ? "yesterday" : "2024-01-02 03:04:05")
          .append(',')
          .append(k * 0.5)
          .append('\n');
    }
    return sb.toString();
  }

  private static long badLine() {
    return BAD_ROW + 2;
  }

  @Test
  void convert_badValueFarIntoTheFile_failsNamingLineAndColumn() {
    assertThatThrownBy(() ->
            convert(CsvToParquet.builder().schema(SCHEMA).build(), csv(), new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(badLine());
          assertThat(e.column()).isEqualTo("at");
          assertThat(e.getMessage()).contains("'yesterday' is not a timestamp");
        });
  }

  @Test
  void convert_skip_dropsOnlyTheBadRecord_andKeepsOrder() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(
        CsvToParquet.builder().schema(SCHEMA).badRows(BadRowPolicy.SKIP).build(), csv(), staging);
    staging.commit();

    assertThat(result.rowsIn()).isEqualTo(ROWS);
    assertThat(result.rowsOut()).isEqualTo(ROWS - 1);
    try (ConverterDuckDb db = new ConverterDuckDb()) {
      List<Map<String, Object>> rows =
          db.query("SELECT count(*) AS n, sum(id) AS s, sum(x) AS sx," + " bool_and(id <> "
              + BAD_ROW + ") AS ok FROM " + ConverterDuckDb.parquet(staging.paths()));
      long sumIds = (long) ROWS * (ROWS - 1) / 2 - BAD_ROW;
      assertThat(rows.get(0)).containsEntry("n", (long) ROWS - 1).containsEntry("ok", true);
      assertThat(((Number) rows.get(0).get("s")).longValue()).isEqualTo(sumIds);
      assertThat(((Number) rows.get(0).get("sx")).doubleValue()).isEqualTo(sumIds * 0.5);
    }
  }

  @Test
  void convert_quarantine_writesTheBadRecordWithItsLine() throws IOException {
    ByteArrayOutputStream rejects = new ByteArrayOutputStream();
    TempDirStaging temp = new TempDirStaging(dir);
    Staging staging = new Staging() {
      @Override
      public OutputStream newOutput(Map<String, String> partition) throws IOException {
        return temp.newOutput(partition);
      }

      @Override
      public OutputStream newRejectsOutput() {
        return rejects;
      }

      @Override
      public List<DataFile> commit() throws IOException {
        return temp.commit();
      }

      @Override
      public void abort() {
        temp.abort();
      }

      @Override
      public void close() {
        temp.close();
      }
    };
    CsvToParquet converter =
        CsvToParquet.builder().schema(SCHEMA).badRows(BadRowPolicy.QUARANTINE).build();
    byte[] bytes = csv().getBytes(StandardCharsets.UTF_8);
    ConversionResult result;
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      result = converter.convert(
          CsvFixtures.source("t.csv", bytes), in, staging, ConversionProgress.NONE);
    }

    assertThat(result.rowsIn()).isEqualTo(ROWS);
    assertThat(result.rowsOut()).isEqualTo(ROWS - 1);
    String[] lines = rejects.toString(StandardCharsets.UTF_8).split("\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[1])
        .startsWith("t.csv," + badLine() + ",at,")
        .contains("'yesterday' is not a timestamp")
        .endsWith(",\"" + BAD_ROW + ",yesterday," + (BAD_ROW * 0.5) + "\"");
  }
}
