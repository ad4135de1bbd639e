package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Column;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
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

/** A byColumn, snake_case, columnType conversion through the pipeline: the catalog gets the key and the partitions. */
class PartitionByColumnPipelineTest {
  @TempDir
  Path lake;

  @Test
  void pipeline_byColumnSnakeCase_registersTheKeyAndPartitions() throws Exception {
    String csv =
        "Unique Key,Borough,Created Date\n1,BRONX,2024-01-01 00:00:00\n2,QUEENS,2024-01-02 00:00:00\n"
            + "3,BRONX,2024-01-03 00:00:00\n4,,2024-01-04 00:00:00\n";
    SourceFile file = source("nyc.csv", csv.getBytes(StandardCharsets.UTF_8));
    TableId table = TableId.of("nyc", "requests");
    LocalCatalog catalog = LocalCatalog.at(lake);
    PipelineResult result = Pipeline.builder()
        .source(() -> List.of(file))
        .converter(CsvToParquet.builder()
            .snakeCaseColumns()
            .columnType("unique_key", dev.inlet.ColumnType.STRING)
            .partitionBy(PartitionSpec.byColumn("borough"))
            .build())
        .sink(LocalWarehouse.at(lake))
        .catalog(catalog)
        .table(table)
        .attempts(1)
        .parallelism(1)
        .build()
        .run();
    result.throwIfFailed();

    var t = catalog.loadTable(table).orElseThrow();
    assertThat(t.partitionKeys()).extracting(Column::name).containsExactly("borough");
    assertThat(t.schema().names()).containsExactly("unique_key", "created_date");
    assertThat(t.schema().columns())
        .extracting(c -> c.type().toString())
        .containsExactly("string", "timestamp");
    assertThat(Lake.throughCatalog(catalog, table, "unique_key"))
        .isEqualTo(Map.of(
            "BRONX",
            List.of("1", "3"),
            "QUEENS",
            List.of("2"),
            PartitionSpec.NULL_PARTITION,
            List.of("4")));
  }
}
