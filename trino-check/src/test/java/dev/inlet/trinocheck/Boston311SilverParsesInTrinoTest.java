package dev.inlet.trinocheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Partition;
import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Silver;
import dev.inlet.silver.SilverInputs;
import dev.inlet.sql.SqlDialect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Athena (Trino) text of {@code boston311.requests} parses with Trino's own parser, alone and in an UNLOAD. */
class Boston311SilverParsesInTrinoTest {
  static SilverInputs inputs(boolean withPartitions) {
    List<SilverInputs.InputPartition> ps = !withPartitions
        ? List.of()
        : List.of(
            partition(
                Boston311.LEGACY_TABLE,
                "2015",
                Map.of(
                    "inlet.source.id",
                    "c9509ab4-6f6d-4b97-979a-0cf2a10c922b",
                    "inlet.source.published_name",
                    "tmphrybkxuh.csv",
                    "inlet.source.last_modified",
                    "2024-05-01T12:00:00Z")),
            partition(
                Boston311.LEGACY_TABLE,
                "2022",
                Map.of("inlet.source.published_name", "o'brien.csv")),
            partition(Boston311.NEW_SYSTEM_TABLE, "2025", Map.of()));
    return SilverInputs.of(
        SqlDialect.TRINO, t -> "\"" + t.database() + "\".\"" + t.table() + "\"", ps);
  }

  static SilverInputs.InputPartition partition(
      TableId table, String year, Map<String, String> parameters) {
    return new SilverInputs.InputPartition(
        table,
        List.of("year"),
        new Partition(
            List.of(year),
            "s3://lake/bronze/" + table.table() + "/year=" + year + "/",
            parameters));
  }

  @Test
  void theTrinoSelect_parses_withAndWithoutRecordedPartitions_andAsAnUnload() throws Exception {
    AthenaSqlParsesInTrinoTest.requireTrinosParser();
    for (boolean withPartitions : new boolean[] {true, false}) {
      String sql = Boston311Silver.requests().select(SqlDialect.TRINO, inputs(withPartitions));
      assertThat(AthenaSqlParsesInTrinoTest.parseError(sql)).as(sql).isNull();
      String unload = "UNLOAD (" + sql
          + ") TO 's3://lake/silver/boston311/requests/v1/' WITH (format = 'PARQUET',"
          + " partitioned_by = ARRAY['year'])";
      assertThat(AthenaSqlParsesInTrinoTest.parseError(unload)).as(unload).isNull();
    }
  }

  @Test
  void theParserChecksSyntaxOnly_soTheDuckDbTextParsesToo_andBrokenTextFails() throws Exception {
    AthenaSqlParsesInTrinoTest.requireTrinosParser();
    String duck = Boston311Silver.requests().select(SqlDialect.DUCKDB, inputs(true));
    // the parser does not resolve functions (timezone, median are DuckDB names): syntax only
    assertThat(AthenaSqlParsesInTrinoTest.parseError(duck)).isNull();
    assertThat(AthenaSqlParsesInTrinoTest.parseError(duck.replace("SELECT", "SELEC")))
        .startsWith("ParsingException");
  }
}
