package dev.inlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the Athena DDL ({@code CREATE EXTERNAL TABLE ...}) of a Parquet table, as Athena's
 * {@code SHOW CREATE TABLE} prints it. Behind {@link Catalog#ddl}, so every catalog prints the
 * same DDL. Stateless and thread-safe.
 */
final class AthenaDdl {
  private AthenaDdl() {}

  /**
   * The DDL of {@code table}: columns with Hive types, {@code PARTITIONED BY} the partition keys (if any),
   * {@code STORED AS PARQUET}, its location, and its parameters (except {@code EXTERNAL}, which the statement
   * implies) as {@code TBLPROPERTIES}, sorted by key.
   *
   * @param table the table as a catalog records it
   * @return the {@code CREATE EXTERNAL TABLE} statement
   */
  static String of(Table table) {
    StringBuilder sb = new StringBuilder();
    sb.append("CREATE EXTERNAL TABLE ")
        .append(identifier(table.id().database()))
        .append('.')
        .append(identifier(table.id().table()))
        .append(" (\n");
    sb.append(columns(table.schema().columns())).append("\n)\n");
    if (!table.partitionKeys().isEmpty()) {
      sb.append("PARTITIONED BY (\n").append(columns(table.partitionKeys())).append("\n)\n");
    }
    sb.append("STORED AS PARQUET\n");
    sb.append("LOCATION ").append(literal(table.location())).append('\n');
    List<String> props = new ArrayList<>();
    for (Map.Entry<String, String> e : table.parameters().entrySet()) {
      if (!e.getKey().equals("EXTERNAL")) {
        props.add("  " + literal(e.getKey()) + "=" + literal(e.getValue()));
      }
    }
    if (!props.isEmpty()) {
      sb.append("TBLPROPERTIES (\n").append(String.join(",\n", props)).append("\n)\n");
    }
    return sb.toString();
  }

  private static String columns(List<Column> columns) {
    List<String> lines = new ArrayList<>(columns.size());
    for (Column c : columns) {
      lines.add("  " + identifier(c.name()) + " " + c.type().hiveName());
    }
    return String.join(",\n", lines);
  }

  /** A back-quoted identifier; a back quote inside is doubled, as Hive reads it. */
  static String identifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A single-quoted Hive string literal; backslash and single quote are escaped with a backslash. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
