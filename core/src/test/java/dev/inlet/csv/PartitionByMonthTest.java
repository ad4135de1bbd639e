package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Column;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.Schema;
import dev.inlet.SourceFile;
import dev.inlet.TableId;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Lake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PartitionSpec.monthOf: keys year and month, folders year=YYYY/month=MM, through the pipeline and the catalog. */
class PartitionByMonthTest {
  @TempDir
  Path lake;

  @Test
  void pipeline_monthOf_registersYearAndMonthKeys_andEveryRowInItsMonth() throws Exception {
    String csv = "id,created\n1,2024-01-31 23:59:59\n2,2024-02-01 00:00:00\n3,2023-12-15 10:00:00\n"
        + "4,\n5,2024-01-02 08:00:00\n6,2024-02-29 12:00:00\n";
    SourceFile file = source("m.csv", csv.getBytes(StandardCharsets.UTF_8));
    TableId table = TableId.of("db", "monthly");
    LocalCatalog catalog = LocalCatalog.at(lake);
    Pipeline.builder()
        .source(() -> List.of(file))
        .converter(
            CsvToParquet.builder().partitionBy(PartitionSpec.monthOf("Created")).build())
        .sink(LocalWarehouse.at(lake))
        .catalog(catalog)
        .table(table)
        .attempts(1)
        .parallelism(1)
        .build()
        .run()
        .throwIfFailed();

    var t = catalog.loadTable(table).orElseThrow();
    assertThat(t.partitionKeys()).extracting(Column::name).containsExactly("year", "month");
    assertThat(catalog.partitions(table))
        .extracting(Partition::location)
        .anyMatch(l -> l.contains("/year=2024/month=02/"));
    String nul = PartitionSpec.NULL_PARTITION;
    assertThat(Lake.throughCatalog(catalog, table, "id"))
        .isEqualTo(Map.of(
            "2023/12",
            List.of("3"),
            "2024/01",
            List.of("1", "5"),
            "2024/02",
            List.of("2", "6"),
            nul + "/" + nul,
            List.of("4")));
  }

  @Test
  void monthOf_collidingWithAColumnNamedMonth_failsAtBuild_andIsNotYearOf() {
    assertThatThrownBy(() -> CsvToParquet.builder()
            .schema(Schema.builder()
                .column("created", dev.inlet.ColumnType.TIMESTAMP)
                .column("month", dev.inlet.ColumnType.STRING)
                .build())
            .partitionBy(PartitionSpec.monthOf("created"))
            .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("partition key 'month' of monthOf(created)");
    assertThat(PartitionSpec.monthOf("c"))
        .isNotEqualTo(PartitionSpec.yearOf("c"))
        .hasToString("monthOf(c)");
    assertThatThrownBy(() -> PartitionSpec.monthOf(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
