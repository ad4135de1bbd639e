package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.Table;
import dev.inlet.TableId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlueJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Shaped like {@code aws glue get-table} output for a crawler-made table, with fields Inlet does not write. */
  private static final String GET_TABLE = """
      {"Table": {"Name": "service_requests", "DatabaseName": "boston311", "Owner": "owner",
        "CreateTime": "2024-05-01T10:00:00+00:00", "UpdateTime": "2024-05-02T11:30:15.123000+00:00",
        "LastAccessTime": "2024-05-02T11:30:15+00:00", "Retention": 0,
        "StorageDescriptor": {"Columns": [{"Name": "case_enquiry_id", "Type": "bigint"},
            {"Name": "latitude", "Type": "double"}, {"Name": "amount", "Type": "decimal(10,2)"}],
          "Location": "s3://bucket/bronze/service_requests/",
          "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
          "Compressed": false, "NumberOfBuckets": -1,
          "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            "Parameters": {"serialization.format": "1"}},
          "BucketColumns": [], "SortColumns": [], "Parameters": {"recordCount": "10"},
          "StoredAsSubDirectories": false},
        "PartitionKeys": [{"Name": "year", "Type": "string"}], "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE"},
        "CreatedBy": "arn:aws:sts::123456789012:assumed-role/x/y", "IsRegisteredWithLakeFormation": false,
        "CatalogId": "123456789012", "VersionId": "3"}}
      """;

  @Test
  void table_readsGetTableOutput_ignoringFieldsInletDoesNotUse() throws Exception {
    JsonNode node = JSON.readTree(GET_TABLE);
    Table t = GlueJson.table(node);
    assertThat(t.id()).isEqualTo(TableId.of("boston311", "service_requests"));
    assertThat(t.location()).isEqualTo("s3://bucket/bronze/service_requests/");
    assertThat(t.schema())
        .isEqualTo(Schema.of(
            Column.of("case_enquiry_id", ColumnType.BIGINT),
            Column.of("latitude", ColumnType.DOUBLE),
            Column.of("amount", ColumnType.decimal(10, 2))));
    assertThat(t.partitionKeys()).containsExactly(Column.of("year", ColumnType.STRING));
    assertThat(t.parameters()).isEqualTo(Map.of("classification", "parquet", "EXTERNAL", "TRUE"));
    assertThat(t.version()).isEqualTo("3");
    assertThat(t.updateTime()).isEqualTo(Instant.parse("2024-05-02T11:30:15.123Z"));
    assertThat(GlueJson.createTime(node)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  @Test
  void table_writtenThenRead_givesTheSameTable() {
    Table t = Table.builder()
        .id(TableId.of("db", "t"))
        .location("file:/lake/bronze/t/")
        .schema(Schema.of(Column.of("a", ColumnType.INT), Column.of("b", ColumnType.TIMESTAMP)))
        .partitionKeys(List.of(Column.of("year", ColumnType.STRING)))
        .parameters(Map.of("k", "v"))
        .version("7")
        .updateTime(Instant.parse("2024-05-01T10:00:00Z"))
        .build();
    Table back = GlueJson.table(GlueJson.table(t, Instant.parse("2024-01-01T00:00:00Z")));
    assertThat(back.id()).isEqualTo(t.id());
    assertThat(back.location()).isEqualTo(t.location());
    assertThat(back.schema()).isEqualTo(t.schema());
    assertThat(back.partitionKeys()).isEqualTo(t.partitionKeys());
    assertThat(back.parameters()).isEqualTo(t.parameters());
    assertThat(back.version()).isEqualTo("7");
    assertThat(back.updateTime()).isEqualTo(t.updateTime());
  }

  @Test
  void partition_writtenThenRead_givesTheSamePartition() {
    Partition p = new Partition(List.of("2015"), "s3://b/bronze/t/year=2015/", Map.of("etag", "x"));
    JsonNode node = GlueJson.partition(
        TableId.of("db", "t"),
        Schema.of(Column.of("a", ColumnType.INT)),
        p,
        Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(GlueJson.partition(node)).isEqualTo(p);
    assertThat(GlueJson.creationTime(node)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(node.get("StorageDescriptor").get("Columns").get(0).get("Type").asText())
        .isEqualTo("int");
  }

  @Test
  void time_isPrintedLikeTheAwsCli_inWholeSeconds() {
    assertThat(GlueJson.time(Instant.parse("2024-05-01T10:00:00.789Z")))
        .isEqualTo("2024-05-01T10:00:00+00:00");
    assertThat(GlueJson.time("2024-05-01T12:00:00+02:00"))
        .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  @Test
  void table_withUnsupportedColumnType_failsNamingTheColumn() throws Exception {
    JsonNode node = JSON.readTree(GET_TABLE.replace("\"double\"", "\"uniontype<int,string>\""));
    assertThatThrownBy(() -> GlueJson.table(node))
        .isInstanceOf(InletException.class)
        .hasMessageStartingWith("Cannot read Glue column latitude")
        .hasMessageContaining("uniontype<int,string>");
  }
}
