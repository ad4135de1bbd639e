package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.Schema;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvToParquetHostileTest {
  @AutoClose
  private static final ConverterDuckDb db = new ConverterDuckDb();

  @TempDir
  Path dir;

  private List<Map<String, Object>> rows(TempDirStaging staging) {
    return db.query("SELECT * FROM " + ConverterDuckDb.parquet(staging.paths()));
  }

  @Test
  void convert_whenBomCrlfUpperCaseHeaderAndMultiLineQuotedValues_readsEveryValue()
      throws IOException {
    String csv = "\uFEFF CASE_ID , Open DT ,Description,Count\r\n"
        + "1,2024-01-02 03:04:05,\"line one\r\nline \"\"two\"\", with, commas\",7\r\n"
        + "2,2024-12-31 23:59:59,plain, \r\n"
        + "3,,\"\",0\r\n";
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(CsvToParquet.create(), csv, staging);

    assertThat(result.schema().names())
        .containsExactly("case_id", "open dt", "description", "count");
    assertThat(result.schema().column(0).type()).isEqualTo(ColumnType.BIGINT);
    assertThat(result.schema().column(1).type()).isEqualTo(ColumnType.TIMESTAMP);
    assertThat(result.schema().column(3).type()).isEqualTo(ColumnType.BIGINT);
    assertThat(result.rowsIn()).isEqualTo(3);
    assertThat(result.rowsOut()).isEqualTo(3);
    assertThat(staging.allClosed()).isTrue();
    List<Map<String, Object>> rows = rows(staging);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).get("description")).isEqualTo("line one\r\nline \"two\", with, commas");
    assertThat(rows.get(0).get("open dt")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05"));
    assertThat(rows.get(1).get("count")).isNull();
    assertThat(rows.get(2).get("open dt")).isNull();
    assertThat(rows.get(2).get("description")).isNull();
    assertThat(rows.get(2).get("count")).isEqualTo(0L);
  }

  @Test
  void convert_whenLeadingZerosAndBlanks_keepsTextAndNulls() throws IOException {
    String csv = "zip,ward,n,x,flag,empty\n02127,0706,0,0.5,TRUE, \n02113,5,12,-3,false,\n";
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(CsvToParquet.create(), csv, staging);

    assertThat(result.schema())
        .isEqualTo(Schema.builder()
            .column("zip", ColumnType.STRING)
            .column("ward", ColumnType.STRING)
            .column("n", ColumnType.BIGINT)
            .column("x", ColumnType.DOUBLE)
            .column("flag", ColumnType.BOOLEAN)
            .column("empty", ColumnType.STRING)
            .build());
    List<Map<String, Object>> rows = rows(staging);
    assertThat(rows.get(0))
        .containsEntry("zip", "02127")
        .containsEntry("ward", "0706")
        .containsEntry("n", 0L)
        .containsEntry("x", 0.5)
        .containsEntry("flag", true)
        .containsEntry("empty", null);
    assertThat(rows.get(1))
        .containsEntry("ward", "5")
        .containsEntry("x", -3.0)
        .containsEntry("flag", false);
  }

  @Test
  void convert_withIgnoreAndRename_dropsAndRenamesAfterNormalising() throws IOException {
    String csv = "_ID,TARGET_DT,OnTime\n1,2020-01-01 00:00:00,ONTIME\n";
    TempDirStaging staging = new TempDirStaging(dir);
    CsvToParquet converter = CsvToParquet.builder()
        .ignoreColumn("_id")
        .renameColumn("target_dt", "sla_target_dt")
        .renameColumn("ONTIME", "on_time")
        .renameColumn("closedphoto", "closed_photo") // absent from this file: ignored
        .build();
    ConversionResult result = convert(converter, csv, staging);

    assertThat(result.schema().names()).containsExactly("sla_target_dt", "on_time");
    assertThat(rows(staging).get(0)).containsEntry("on_time", "ONTIME");
  }

  @Test
  void convert_withExplicitSchema_ordersBySchemaNullsMissingAndAppendsExtrasAsString()
      throws IOException {
    String csv = "Extra,B,A\nx,2,2024-05-06T07:08:09.123456789Z\n";
    Schema schema = Schema.builder()
        .column("a", ColumnType.TIMESTAMP)
        .column("b", ColumnType.BIGINT)
        .column("missing", ColumnType.DOUBLE)
        .build();
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(CsvToParquet.builder().schema(schema).build(), csv, staging);

    assertThat(result.schema().names()).containsExactly("a", "b", "missing", "extra");
    assertThat(result.schema().column("extra").orElseThrow().type()).isEqualTo(ColumnType.STRING);
    Map<String, Object> row = rows(staging).get(0);
    assertThat(row)
        .containsEntry("b", 2L)
        .containsEntry("missing", null)
        .containsEntry("extra", "x");
    assertThat(row.get("a")).isEqualTo(Timestamp.valueOf("2024-05-06 07:08:09.123456"));
    assertThat(db.describe(ConverterDuckDb.parquet(staging.paths())))
        .containsEntry("a", "TIMESTAMP")
        .containsEntry("b", "BIGINT")
        .containsEntry("missing", "DOUBLE");
  }

  @Test
  void convert_whenFewerFieldsThanHeader_failsTheFile() {
    TempDirStaging staging = new TempDirStaging(dir);
    assertThatThrownBy(() -> convert(CsvToParquet.create(), "a,b,c\n1,x\n2,y,z\n", staging))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageStartingWith(
            "Cannot convert test.csv: line 2: the record has 2 fields but the header has 3");
    assertThat(staging.paths()).isEmpty();
  }

  @Test
  void convert_whenBadValueAfterMultiLineRecord_namesPhysicalLineAndColumn() {
    String csv = "id,note,n\n" // line 1
        + "1,\"multi\nline\nnote\",5\n" // lines 2-4
        + "2,ok,6\n" // line 5
        + "3,\"two\r\nlines\",abc\n"; // line 6
    Schema schema = Schema.builder()
        .column("id", ColumnType.BIGINT)
        .column("n", ColumnType.BIGINT)
        .build();
    TempDirStaging staging = new TempDirStaging(dir);

    assertThatThrownBy(() -> convert(CsvToParquet.builder().schema(schema).build(), csv, staging))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.file()).isEqualTo("test.csv");
          assertThat(e.line()).isEqualTo(6);
          assertThat(e.column()).isEqualTo("n");
          assertThat(e.getMessage()).contains("'abc' is not a bigint");
        });
    assertThat(staging.allClosed()).isTrue();
  }

  @Test
  void convert_whenValueAfterSampleDoesNotFitInferredType_failsWithHint() {
    StringBuilder csv = new StringBuilder("n\n");
    for (int i = 0; i < 5; i++) {
      csv.append(i).append('\n');
    }
    csv.append("\"x\ny\"\n").append("oops\n"); // lines 7-8, 9

    assertThatThrownBy(() -> convert(
            CsvToParquet.builder().inferSchema(5).build(), csv.toString(), new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(7);
          assertThat(e.column()).isEqualTo("n");
          assertThat(e.getMessage()).contains("inferred from the first 5 records");
        });
  }

  @Test
  void convert_whenRecordHasMoreFieldsThanHeader_namesLine() {
    assertThatThrownBy(() ->
            convert(CsvToParquet.create(), "a,b\r\n1,2\r\n\r\n3,4,5\r\n", new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(4); // the record starts after the blank line 3
          assertThat(e.column()).isNull();
          assertThat(e.getMessage()).contains("3 fields but the header has 2");
        });
  }

  @Test
  void convert_whenQuoteNeverClosed_failsNamingRecordStart() {
    String csv = "a,b\n1,2\n3,\"never closed\n4,5\n";

    assertThatThrownBy(() -> convert(CsvToParquet.create(), csv, new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.getMessage()).contains("quote");
        });
  }

  @Test
  void convert_whenHeaderNamesColumnTwice_fails() {
    assertThatThrownBy(
            () -> convert(CsvToParquet.create(), "Ward,ward \n1,2\n", new TempDirStaging(dir)))
        .isInstanceOfSatisfying(MalformedInputException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.getMessage()).contains("'ward' twice");
        });
  }

  @Test
  void convert_whenEmptyFile_failsAskingForHeader() {
    assertThatThrownBy(() -> convert(CsvToParquet.create(), "", new TempDirStaging(dir)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("header");
  }

  @Test
  void convert_whenHeaderOnly_writesNothing() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    ConversionResult result = convert(CsvToParquet.create(), "a,b\n", staging);

    assertThat(result.rowsOut()).isZero();
    assertThat(result.rowsByPartition()).isEmpty();
    assertThat(staging.outputs()).isEmpty();
  }

  @Test
  void convert_withSemicolonDelimiter_splitsOnIt() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    convert(CsvToParquet.builder().delimiter(';').build(), "a;b\n1,5;x\n", staging);

    assertThat(rows(staging).get(0)).containsEntry("a", "1,5").containsEntry("b", "x");
  }

  @Test
  void convert_passesSourcePartitionToStaging() throws IOException {
    TempDirStaging staging = new TempDirStaging(dir);
    byte[] csv = "a\n1\n2\n".getBytes(StandardCharsets.UTF_8);
    var file = source("y.csv", csv).toBuilder().partition("year", "2015").build();
    ConversionResult result = convert(CsvToParquet.create(), file, staging);

    assertThat(result.rowsByPartition()).containsExactly(Map.entry(Map.of("year", "2015"), 2L));
    assertThat(staging.outputs())
        .extracting(TempDirStaging.Output::partition)
        .containsExactly(Map.of("year", "2015"));
  }

  @Test
  void builder_rejectsBadSettings() {
    assertThatThrownBy(() -> CsvToParquet.builder().inferSchema(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsvToParquet.builder().rowGroupRows(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsvToParquet.builder().maxFileBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsvToParquet.builder().delimiter('"'))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CsvToParquet.builder().renameColumn("a", " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            CsvToParquet.builder().renameColumn("A", "b").ignoreColumn("a").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("both renamed and ignored");
  }
}
