package dev.inlet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Schema;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.internal.catalog.GlueShapes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one mapping between Inlet's {@link Table}/{@link Partition} and the JSON the AWS Glue Data Catalog returns
 * ({@code aws glue get-table}, {@code aws glue get-partitions}): field names, field order, Parquet formats and
 * SerDe ({@link GlueShapes}), and time format ({@code 2024-05-01T10:00:00+00:00}). The local catalog stores tables
 * with it. Stateless and thread-safe; every method returns a new node.
 */
final class GlueJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private GlueJson() {}

  /** The {@code Table} object of {@code get-table} output, with {@code CreateTime} {@code createTime}. */
  static ObjectNode table(Table table, Instant createTime) {
    ObjectNode t = NODES.objectNode();
    t.put("Name", table.id().table());
    t.put("DatabaseName", table.id().database());
    if (createTime != null) {
      t.put("CreateTime", time(createTime));
    }
    if (table.updateTime() != null) {
      t.put("UpdateTime", time(table.updateTime()));
    }
    t.put("Retention", 0);
    t.set("StorageDescriptor", storageDescriptor(table.schema(), table.location()));
    ArrayNode keys = t.putArray("PartitionKeys");
    for (Column k : table.partitionKeys()) {
      keys.add(column(k));
    }
    t.put("TableType", GlueShapes.TABLE_TYPE);
    t.set("Parameters", map(table.parameters()));
    t.put("IsRegisteredWithLakeFormation", false);
    if (table.version() != null) {
      t.put("VersionId", table.version());
    }
    return t;
  }

  /**
   * Reads a {@code Table} object, or a whole {@code get-table} output (<code>{"Table": {...}}</code>).
   *
   * @throws InletException if a required field is missing or a column type is not supported
   */
  static Table table(JsonNode node) {
    JsonNode t = node.has("Table") ? node.get("Table") : node;
    TableId id = TableId.of(text(t, "DatabaseName"), text(t, "Name"));
    JsonNode sd = required(t, "StorageDescriptor");
    List<Column> keys = new ArrayList<>();
    for (JsonNode k : t.path("PartitionKeys")) {
      keys.add(column(k));
    }
    return Table.builder()
        .id(id)
        .location(text(sd, "Location"))
        .schema(columns(sd))
        .partitionKeys(keys)
        .parameters(map(t.path("Parameters")))
        .version(t.hasNonNull("VersionId") ? t.get("VersionId").asText() : null)
        .updateTime(t.hasNonNull("UpdateTime") ? time(t.get("UpdateTime").asText()) : null)
        .build();
  }

  /** The {@code CreateTime} of a {@code Table} object, or null. */
  static Instant createTime(JsonNode table) {
    JsonNode t = table.has("Table") ? table.get("Table") : table;
    return t.hasNonNull("CreateTime") ? time(t.get("CreateTime").asText()) : null;
  }

  /**
   * A {@code Partition} object of {@code get-partitions} output. Its storage descriptor carries the table's
   * {@code columns}, as Glue's crawler writes it (a partition schema differing from the table's makes Athena fail
   * with {@code HIVE_PARTITION_SCHEMA_MISMATCH}).
   */
  static ObjectNode partition(
      TableId table, Schema columns, Partition partition, Instant creationTime) {
    ObjectNode p = NODES.objectNode();
    ArrayNode values = p.putArray("Values");
    partition.values().forEach(values::add);
    p.put("DatabaseName", table.database());
    p.put("TableName", table.table());
    if (creationTime != null) {
      p.put("CreationTime", time(creationTime));
    }
    p.set("StorageDescriptor", storageDescriptor(columns, partition.location()));
    p.set("Parameters", map(partition.parameters()));
    return p;
  }

  /** Reads a {@code Partition} object. */
  static Partition partition(JsonNode node) {
    List<String> values = new ArrayList<>();
    for (JsonNode v : required(node, "Values")) {
      values.add(v.asText());
    }
    return new Partition(
        values,
        text(required(node, "StorageDescriptor"), "Location"),
        map(node.path("Parameters")));
  }

  /** The {@code CreationTime} of a {@code Partition} object, or null. */
  static Instant creationTime(JsonNode partition) {
    return partition.hasNonNull("CreationTime")
        ? time(partition.get("CreationTime").asText())
        : null;
  }

  /** A Parquet {@code StorageDescriptor} with {@code columns} at {@code location}. */
  static ObjectNode storageDescriptor(Schema columns, String location) {
    ObjectNode sd = NODES.objectNode();
    ArrayNode cols = sd.putArray("Columns");
    for (Column c : columns.columns()) {
      cols.add(column(c));
    }
    sd.put("Location", location);
    sd.put("InputFormat", GlueShapes.INPUT_FORMAT);
    sd.put("OutputFormat", GlueShapes.OUTPUT_FORMAT);
    sd.put("Compressed", false);
    sd.put("NumberOfBuckets", -1);
    ObjectNode serde = sd.putObject("SerdeInfo");
    serde.put("SerializationLibrary", GlueShapes.SERDE);
    serde.putObject("Parameters").put("serialization.format", "1");
    sd.putArray("BucketColumns");
    sd.putArray("SortColumns");
    sd.putObject("Parameters");
    sd.put("StoredAsSubDirectories", false);
    return sd;
  }

  /** Formats a time the way the AWS CLI prints Glue times: {@code 2024-05-01T10:00:00+00:00} (whole seconds). */
  static String time(Instant instant) {
    return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }

  /** Parses an ISO-8601 time with offset, as the AWS CLI prints it. */
  static Instant time(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InletException(
          "Cannot read Glue time '" + text + "': expected ISO-8601 with offset", e);
    }
  }

  private static ObjectNode column(Column c) {
    ObjectNode n = NODES.objectNode();
    n.put("Name", c.name());
    n.put("Type", c.type().hiveName());
    return n;
  }

  private static Column column(JsonNode n) {
    String type = text(n, "Type");
    try {
      return Column.of(text(n, "Name"), ColumnType.parse(type));
    } catch (IllegalArgumentException e) {
      throw new InletException(
          "Cannot read Glue column " + n.path("Name").asText() + ": " + e.getMessage(), e);
    }
  }

  private static Schema columns(JsonNode sd) {
    List<Column> cols = new ArrayList<>();
    for (JsonNode c : sd.path("Columns")) {
      cols.add(column(c));
    }
    return Schema.of(cols);
  }

  private static ObjectNode map(Map<String, String> map) {
    ObjectNode n = NODES.objectNode();
    new TreeMap<>(map).forEach(n::put);
    return n;
  }

  private static Map<String, String> map(JsonNode node) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InletException("Cannot read Glue JSON: field " + field + " is missing");
    }
    return v;
  }

  private static String text(JsonNode node, String field) {
    return required(node, field).asText();
  }
}
