package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.Table;
import dev.inlet.testing.TestHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnyCsvUrlTest {
  @TempDir
  Path lake;

  @Test
  void infersTheTypes_keepsTheOverriddenColumn_andRegistersTheTable() {
    byte[] csv = ("date,state,fips,cases\n2020-03-01,Alabama,01,5\n2020-03-02,Alaska,02,12\n")
        .getBytes(StandardCharsets.UTF_8);
    try (TestHttpServer server =
        TestHttpServer.start().script("/us-states.csv", TestHttpServer.ok(csv))) {
      Table table = AnyCsvUrl.run(server.uri("/us-states.csv"), "fips", ColumnType.STRING, lake);

      assertThat(table.schema().columns())
          .extracting(Column::name)
          .containsExactly("date", "state", "fips", "cases");
      assertThat(table.schema().column("fips").orElseThrow().type()).isEqualTo(ColumnType.STRING);
      assertThat(table.schema().column("cases").orElseThrow().type())
          .isIn(ColumnType.INT, ColumnType.BIGINT);
      assertThat(table.schema().column("state").orElseThrow().type()).isEqualTo(ColumnType.STRING);
    }
  }
}
