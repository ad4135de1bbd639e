package dev.inlet.aws.athena.fake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.testkit.aws.FakeAthena;
import dev.inlet.testkit.aws.FakeAthena.Col;
import dev.inlet.testkit.aws.FakeAthena.Script;
import dev.inlet.testkit.aws.FakeGlue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Answers for {@link FakeAthena#answer}: runs each {@code SELECT} in an in-memory DuckDB over the Parquet objects
 * the Glue tables it names point at (the partitions' folders in FakeGlue, the objects downloaded from S3 afresh for
 * every query), as Athena reads Glue tables, and answers the rows as Athena does: every value as text, timestamps as
 * {@code 2015-01-01 00:00:00.000}. The few Trino functions DuckDB names differently are renamed first
 * ({@code regexp_like}, {@code to_unixtime}, {@code date_format}); a statement DuckDB rejects ends {@code FAILED}
 * with DuckDB's message. Each query has ended by the first {@code GetQueryExecution}. A stand-in for Athena's engine in tests, not a Trino: the statements' Trino syntax is
 * checked by the trino-check module.
 */
public final class DuckDbAnswers implements Function<String, Script>, AutoCloseable {
  private static final Pattern TABLE = Pattern.compile("\"([A-Za-z0-9_]+)\"\\.\"([A-Za-z0-9_]+)\"");
  private static final DateTimeFormatter ATHENA_TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

  private final FakeGlue glue;
  private final S3Client s3;
  private final Path dir;
  private final Connection db;
  private int downloads;

  private DuckDbAnswers(FakeGlue glue, S3Client s3, Path dir) throws SQLException {
    this.glue = glue;
    this.s3 = s3;
    this.dir = dir;
    this.db = DriverManager.getConnection("jdbc:duckdb:");
  }

  /** Reads the tables of {@code glue} from the objects of {@code s3}, downloading into {@code dir}. */
  public static DuckDbAnswers of(FakeGlue glue, S3Client s3, Path dir) {
    try {
      return new DuckDbAnswers(glue, s3, dir);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open DuckDB: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Script apply(String sql) {
    try {
      Set<String> tables = new LinkedHashSet<>();
      Matcher m = TABLE.matcher(sql);
      while (m.find()) {
        if (tables.add(m.group(1) + "." + m.group(2))) {
          view(m.group(1), m.group(2));
        }
      }
      String duck = sql.replace("regexp_like(", "regexp_matches(")
          .replace("to_unixtime(", "epoch(")
          .replace("date_format(", "strftime(");
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery(duck)) {
        ResultSetMetaData md = rs.getMetaData();
        List<Col> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          cols.add(new Col(md.getColumnLabel(i), athenaType(md.getColumnTypeName(i))));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= cols.size(); i++) {
            Object v = rs.getObject(i);
            row.add(
                v == null
                    ? null
                    : v instanceof Timestamp t
                        ? ATHENA_TS.format(t.toLocalDateTime())
                        : v instanceof java.time.LocalDateTime t
                            ? ATHENA_TS.format(t)
                            : v.toString());
          }
          rows.add(row);
        }
        return Script.succeeding(cols, rows).withStates("SUCCEEDED"); // done by the first poll
      }
    } catch (SQLException e) {
      return Script.failing(e.getMessage()).withStates("FAILED");
    }
  }

  private void view(String database, String table) throws SQLException {
    JsonNode t = glue.table(database, table);
    if (t == null) {
      return; // DuckDB then fails the statement, as Athena does: table not found
    }
    List<String> folders = new ArrayList<>();
    List<com.fasterxml.jackson.databind.node.ObjectNode> partitions =
        glue.partitions(database, table);
    if (partitions.isEmpty()) {
      folders.add(t.at("/StorageDescriptor/Location").asText());
    }
    partitions.forEach(p -> folders.add(p.at("/StorageDescriptor/Location").asText()));
    List<String> files = new ArrayList<>();
    Path local = dir.resolve("q" + (++downloads));
    for (String folder : folders) {
      String bucket = folder.substring("s3://".length(), folder.indexOf('/', "s3://".length()));
      String prefix = folder.substring(folder.indexOf('/', "s3://".length()) + 1);
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        String rest = o.key().substring(prefix.length());
        if (rest.contains("/_")
            || rest.startsWith("_")
            || rest.contains("/.")
            || rest.startsWith(".")) {
          continue; // Athena skips hidden and underscore objects
        }
        Path file = local.resolve(database).resolve(table).resolve(o.key());
        try {
          Files.createDirectories(file.getParent());
          s3.getObject(b -> b.bucket(bucket).key(o.key()), file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        files.add("'" + file.toString().replace("'", "''") + "'");
      }
    }
    try (Statement st = db.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS \"" + database + "\"");
      st.execute("CREATE OR REPLACE VIEW \"" + database + "\".\"" + table
          + "\" AS SELECT * FROM read_parquet([" + String.join(", ", files)
          + "], hive_partitioning = true, hive_types_autocast = false)");
    }
  }

  private static String athenaType(String duck) {
    String t = duck.toUpperCase(Locale.ROOT);
    if (t.startsWith("DECIMAL")) {
      return t.toLowerCase(Locale.ROOT);
    }
    switch (t) {
      case "BIGINT", "HUGEINT", "UBIGINT":
        return "bigint";
      case "INTEGER", "SMALLINT", "TINYINT":
        return "integer";
      case "DOUBLE", "FLOAT":
        return "double";
      case "BOOLEAN":
        return "boolean";
      case "DATE":
        return "date";
      default:
        return t.startsWith("TIMESTAMP") ? "timestamp(3)" : "varchar";
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
