package dev.inlet.quality;

import dev.inlet.TableId;
import dev.inlet.sql.SqlDialect;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The SQL of each check kind, per dialect. Package-private: the statement text is not a contract. */
final class CheckSql {
  private final SqlDialect dialect;
  private final java.util.Map<TableId, String> relations;

  CheckSql(SqlDialect dialect) {
    this(dialect, java.util.Map.of());
  }

  CheckSql(SqlDialect dialect, java.util.Map<TableId, String> relations) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.relations = java.util.Map.copyOf(relations);
  }

  /** What a check of {@code t} reads: the table, or the relation put in its place (a staged version). */
  private String from(TableId t) {
    String r = relations.get(t);
    return r != null ? r : table(t);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String table(TableId t) {
    return quote(t.database()) + "." + quote(t.table());
  }

  private static String num(double d) {
    return BigDecimal.valueOf(d).toPlainString();
  }

  private String text(String expr) {
    return "CAST(" + expr + " AS VARCHAR)";
  }

  /** The partition expression (text) or a constant '' for a whole-table check. */
  private String part(Check c) {
    return c.partitionBy().map(p -> text(quote(p))).orElse("''");
  }

  private static String groupBy(Check c) {
    return c.partitionBy().isPresent() ? " GROUP BY 1 ORDER BY 1" : "";
  }

  /** The condition a failing row of a value check meets (never true for a null, except completeness). */
  String failing(Check c) {
    String col = quote(c.columns().get(0));
    switch (c.kind()) {
      case COMPLETENESS:
        return col + " IS NULL";
      case ACCEPTED_VALUES:
        return col + " IS NOT NULL AND " + text(col) + " NOT IN ("
            + c.acceptedValues().stream().map(CheckSql::literal).collect(Collectors.joining(", "))
            + ")";
      case RANGE:
        String d = "TRY_CAST(" + col + " AS DOUBLE)";
        return col + " IS NOT NULL AND (" + d + " IS NULL OR " + d + " < "
            + num(c.min().orElseThrow()) + " OR " + d + " > " + num(c.max().orElseThrow()) + ")";
      case PATTERN:
        String fn = dialect == SqlDialect.TRINO ? "regexp_like" : "regexp_matches";
        return col + " IS NOT NULL AND NOT " + fn + "(" + text(col) + ", "
            + literal(c.pattern().orElseThrow()) + ")";
      default:
        throw new IllegalArgumentException("not a value check: " + c.kind());
    }
  }

  /** Columns: partition, rows considered, failing rows. */
  String valueMetric(Check c) {
    String total = c.kind() == Check.Kind.COMPLETENESS
        ? "count(*)"
        : "count(" + quote(c.columns().get(0)) + ")";
    return "SELECT " + part(c) + " AS part, " + total + " AS total, sum(CASE WHEN " + failing(c)
        + " THEN 1 ELSE 0 END) AS bad FROM " + from(c.table()) + groupBy(c);
  }

  /** Columns: one failing value (as text) and how many rows hold it, the most frequent first. */
  String valueSamples(Check c, String partition, int limit) {
    String col = quote(c.columns().get(0));
    return "SELECT " + text(col) + " AS v, count(*) AS n FROM " + from(c.table()) + " WHERE "
        + failing(c) + partitionFilter(c, partition) + " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT "
        + limit;
  }

  private String partitionFilter(Check c, String partition) {
    if (c.partitionBy().isEmpty() || partition.isEmpty()) {
      return "";
    }
    String value = partition.substring(partition.indexOf('=') + 1);
    return " AND " + text(quote(c.partitionBy().get())) + " = " + literal(value);
  }

  /** Columns: partition, rows. */
  String rowCount(Check c) {
    return "SELECT " + part(c) + " AS part, count(*) AS n FROM " + from(c.table()) + groupBy(c);
  }

  /** Columns: partition, newest value in epoch seconds. */
  String freshness(Check c) {
    String max = "max(" + quote(c.columns().get(0)) + ")";
    String epoch = dialect == SqlDialect.TRINO ? "to_unixtime(" + max + ")" : "epoch(" + max + ")";
    return "SELECT " + part(c) + " AS part, " + epoch + " AS newest FROM " + from(c.table())
        + groupBy(c);
  }

  private String key(Check c) {
    return c.columns().stream().map(CheckSql::quote).collect(Collectors.joining(", "));
  }

  /** Columns: duplicate rows (rows beyond the first per key). */
  String duplicates(Check c) {
    return "SELECT coalesce(sum(n - 1), 0) AS dup FROM (SELECT count(*) AS n FROM "
        + from(c.table()) + " GROUP BY " + key(c) + " HAVING count(*) > 1) d";
  }

  /** Columns: the key columns, then how many rows hold that key. */
  String duplicateSamples(Check c, int limit) {
    List<String> cols = c.columns();
    String ordinals = java.util.stream.IntStream.rangeClosed(1, cols.size())
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", "));
    return "SELECT " + key(c) + ", count(*) AS n FROM " + from(c.table()) + " GROUP BY " + key(c)
        + " HAVING count(*) > 1 ORDER BY " + (cols.size() + 1) + " DESC, " + ordinals + " LIMIT "
        + limit;
  }

  /** No rows; the result's columns are the table's. */
  String schema(Check c) {
    return "SELECT * FROM " + from(c.table()) + " LIMIT 0";
  }

  String customCount(Check c) {
    return "SELECT count(*) AS n FROM (" + c.sql().orElseThrow() + ") q";
  }

  String customSamples(Check c, int limit) {
    return "SELECT * FROM (" + c.sql().orElseThrow() + ") q LIMIT " + limit;
  }
}
