package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AthenaDdlTest {
  @Test
  void of_partitionedTable_printsCreateExternalTableWithPropertiesButNotExternal() {
    Table table = Table.builder()
        .id(TableId.of("boston311", "service_requests"))
        .location("s3://lake/inlet/bronze/service_requests/")
        .schema(Schema.of(
            Column.of("case_enquiry_id", ColumnType.BIGINT),
            Column.of("open_dt", ColumnType.TIMESTAMP),
            Column.of("amount", ColumnType.decimal(10, 2))))
        .partitionKeys(List.of(Column.of("year", ColumnType.STRING)))
        .parameters(
            Map.of("classification", "parquet", "EXTERNAL", "TRUE", "projection.enabled", "true"))
        .build();

    assertThat(AthenaDdl.of(table)).isEqualTo("""
        CREATE EXTERNAL TABLE `boston311`.`service_requests` (
          `case_enquiry_id` bigint,
          `open_dt` timestamp,
          `amount` decimal(10,2)
        )
        PARTITIONED BY (
          `year` string
        )
        STORED AS PARQUET
        LOCATION 's3://lake/inlet/bronze/service_requests/'
        TBLPROPERTIES (
          'classification'='parquet',
          'projection.enabled'='true'
        )
        """);
  }

  @Test
  void of_unpartitionedTableWithOddNames_escapesIdentifiersAndLiterals() {
    Table table = Table.builder()
        .id(TableId.of("db", "t"))
        .location("s3://b/it's/")
        .schema(Schema.of(Column.of("we`ird", ColumnType.STRING)))
        .parameters(Map.of("note", "a\\b"))
        .build();

    assertThat(AthenaDdl.of(table)).isEqualTo("""
        CREATE EXTERNAL TABLE `db`.`t` (
          `we``ird` string
        )
        STORED AS PARQUET
        LOCATION 's3://b/it\\'s/'
        TBLPROPERTIES (
          'note'='a\\\\b'
        )
        """);
  }
}
