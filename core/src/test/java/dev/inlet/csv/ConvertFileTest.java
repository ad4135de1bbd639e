package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertFileTest {
  @TempDir
  Path dir;

  @Test
  void convertFile_writesOneFile_evenWhenRowsSpanYears() throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id,opened\n1,2024-12-31 23:00:00\n2,2025-01-01 01:00:00\n");
    Path parquet = dir.resolve("out.parquet");

    ConversionResult result = CsvToParquet.builder()
        .partitionBy(PartitionSpec.yearOf("opened"))
        .build()
        .convertFile(csv, parquet);

    assertThat(result.rowsOut()).isEqualTo(2);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT sum(id), count(*) FROM read_parquet('" + parquet + "')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
      assertThat(rs.getLong(2)).isEqualTo(2);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in.csv", "out.parquet");
    }
  }

  @Test
  void convertFile_whenInputIsBad_leavesTheExistingTargetUntouched() throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id\n1\n2\n");
    Path parquet = dir.resolve("out.parquet");
    Files.writeString(parquet, "previous");

    assertThatThrownBy(() -> CsvToParquet.builder()
            .schema(dev.inlet.Schema.of(dev.inlet.Column.of("id", dev.inlet.ColumnType.BOOLEAN)))
            .build()
            .convertFile(csv, parquet))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("line 2");

    assertThat(Files.readString(parquet)).isEqualTo("previous");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in.csv", "out.parquet");
    }
  }
}
