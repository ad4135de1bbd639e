package dev.inlet.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory DuckDB used as the independent reader of what the converter wrote. */
public final class ConverterDuckDb implements AutoCloseable {
  private final Connection connection;

  public ConverterDuckDb() {
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code read_parquet([...])} over the given files. */
  public static String parquet(List<Path> files) {
    StringBuilder sb = new StringBuilder("read_parquet([");
    for (int i = 0; i < files.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(quote(files.get(i).toString()));
    }
    return sb.append("])").toString();
  }

  public static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Runs a statement returning no rows ({@code SET ...}). */
  public void execute(String sql) {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed: " + sql, e);
    }
  }

  /** Rows of a query, each column by label. */
  public List<Map<String, Object>> query(String sql) {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed: " + sql, e);
    }
  }

  public long count(String sql) {
    return ((Number) query(sql).get(0).values().iterator().next()).longValue();
  }

  /** Column name -> DuckDB type name, from DESCRIBE. */
  public Map<String, String> describe(String from) {
    Map<String, String> types = new LinkedHashMap<>();
    for (Map<String, Object> r : query("DESCRIBE SELECT * FROM " + from)) {
      types.put((String) r.get("column_name"), (String) r.get("column_type"));
    }
    return types;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
