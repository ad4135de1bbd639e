package dev.inlet.duckdb;

import dev.inlet.Catalog;
import dev.inlet.InletException;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.sql.QueryFailedException;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.sql.SqlEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DuckDB in this process, through its JDBC driver: no server, no network, the default engine of a local lake.
 *
 * <p>{@link #create()} opens an in-memory database; {@link #builder()} sets a database file, the number of threads
 * and a memory limit. The engine owns its database connection and closes it in {@link #close()} (a database file
 * stays on disk). Statements run one at a time on that one connection, so settings, temporary tables and views made
 * by {@link #execute} apply to later statements; the engine is thread-safe, and results may be read while other
 * statements run. DuckDB rolls a failed statement back; a failed {@code COPY ... TO} may leave the files it wrote.
 * A running statement does not notice an interrupt of the calling thread, and {@link #close()} waits for it to
 * end.
 *
 * <p>{@link #createViews} makes each catalog table queryable as {@code database.table}, a view over exactly the
 * partition folders the catalog records, the way Athena reads a Glue table.
 *
 * <p>An embedded {@link SqlEngine}; {@code dev.inlet.aws.athena.AthenaEngine} of inlet-aws is the service one.
 */
public final class DuckDbEngine implements SqlEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);

  private final Object lock = new Object();
  private final Path database;
  private final Connection connection;
  private boolean closed;

  private DuckDbEngine(Builder b) {
    this.database = b.database;
    String url = "jdbc:duckdb:" + (database == null ? "" : database.toString());
    try {
      connection = DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new InletException(
          "Cannot open the DuckDB database " + (database == null ? "in memory" : database) + ": "
              + e.getMessage()
              + "; check that the folder exists and no other process holds the file",
          e);
    }
    try (Statement st = connection.createStatement()) {
      if (b.threads > 0) {
        st.execute("SET threads = " + b.threads);
      }
      if (b.memoryLimitBytes > 0) {
        st.execute("SET memory_limit = '" + b.memoryLimitBytes + "B'");
      }
    } catch (SQLException e) {
      closeQuietly(e);
      throw new InletException(
          "Cannot configure the DuckDB database: " + e.getMessage()
              + "; check the threads and memory limit",
          e);
    }
    LOG.debug(
        "DuckDB opened ({}), threads {}, memory limit {} bytes",
        database == null ? "in memory" : database,
        b.threads > 0 ? b.threads : "default",
        b.memoryLimitBytes > 0 ? b.memoryLimitBytes : "default");
  }

  /**
   * An engine over a new in-memory database, with DuckDB's defaults; the caller closes it.
   *
   * @return the DuckDbEngine
   */
  public static DuckDbEngine create() {
    return builder().build();
  }

  /**
   * A new builder of a {@link DuckDbEngine}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The database file, or null for an in-memory database.
   *
   * @return the database file, or null for an in-memory database
   */
  public Path database() {
    return database;
  }

  @Override
  public SqlDialect dialect() {
    return SqlDialect.DUCKDB;
  }

  @Override
  public QueryResult query(String sql) {
    requireSql(sql);
    synchronized (lock) {
      requireOpen();
      Statement st = null;
      try {
        st = connection.createStatement();
        if (st.execute(sql)) {
          return new JdbcResult(st, st.getResultSet());
        }
        st.close();
        return QueryResult.of(List.of(), List.of());
      } catch (SQLException e) {
        if (st != null) {
          try {
            st.close();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw failed(sql, e);
      }
    }
  }

  @Override
  public void execute(String sql) {
    requireSql(sql);
    synchronized (lock) {
      requireOpen();
      try (Statement st = connection.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw failed(sql, e);
      }
    }
  }

  /**
   * Creates (or replaces) a view {@code database.table} for every table of the given catalog databases, over the
   * partition folders the catalog records, with the catalog's column types; a table without data files becomes an
   * empty view of the same columns.
   *
   * @param catalog the catalog whose tables are read
   * @param databases the catalog databases whose tables become views
   * @return how many views were created
   * @throws InletException naming the table, partition and folder if a recorded partition folder is missing, holds
   *     no Parquet file, or is not a local folder; views created before it stay
   */
  public int createViews(Catalog catalog, Collection<String> databases) {
    Objects.requireNonNull(catalog, "catalog");
    int views = 0;
    for (String db : databases) {
      for (TableId id : catalog.listTables(db)) {
        createView(catalog, id);
        views++;
      }
    }
    return views;
  }

  /**
   * Creates (or replaces) the view {@code database.table} over the partitions {@code catalog} records for
   * {@code table}, as {@link #createViews} does for each table.
   *
   * @param catalog the catalog whose tables are read
   * @param table the table
   * @throws InletException if the table is not in the catalog, or as {@link #createViews}
   */
  public void createView(Catalog catalog, TableId table) {
    Table t = catalog
        .loadTable(table)
        .orElseThrow(
            () -> new InletException(
                "Cannot create a view of " + table
                    + ": no such table in the catalog; register it first (run the pipeline that writes it)"));
    String source = CatalogViews.source(t, catalog.partitions(table));
    synchronized (lock) {
      java.util.Set<String> present = new java.util.HashSet<>();
      if (source != null) {
        try (QueryResult r = query("DESCRIBE SELECT * FROM " + source)) {
          while (r.next()) {
            present.add(r.string(0).toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
      execute("CREATE SCHEMA IF NOT EXISTS " + CatalogViews.quote(table.database()));
      execute(CatalogViews.viewSql(t, source, present));
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        connection.close();
      } catch (SQLException e) {
        throw new InletException(
            "Cannot close the DuckDB database: " + e.getMessage()
                + "; a database file may need DuckDB's recovery at its next open",
            e);
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "Cannot run a statement: this DuckDbEngine is closed; open a new one");
    }
  }

  private static void requireSql(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot run a statement: the SQL is empty; pass a statement");
    }
  }

  private void closeQuietly(SQLException failure) {
    try {
      connection.close();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  static QueryFailedException failed(String sql, SQLException e) {
    return new QueryFailedException(
        "Cannot run the statement on DuckDB: " + e.getMessage()
            + "; check it against DuckDB's SQL dialect (statement: " + abbreviate(sql) + ")",
        null,
        e.getMessage(),
        e);
  }

  private static String abbreviate(String sql) {
    String flat = sql.strip().replaceAll("\\s+", " ");
    return flat.length() <= 200 ? flat : flat.substring(0, 199) + "…";
  }

  /** A JDBC result set as a {@link QueryResult}; fetches under the engine's lock. */
  private final class JdbcResult implements QueryResult {
    private final Statement statement;
    private final ResultSet rs;
    private final List<ResultColumn> columns;
    private boolean onRow;
    private boolean done;

    JdbcResult(Statement statement, ResultSet rs) throws SQLException {
      this.statement = statement;
      this.rs = rs;
      ResultSetMetaData md = rs.getMetaData();
      List<ResultColumn> cols = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        cols.add(new ResultColumn(md.getColumnLabel(i), md.getColumnTypeName(i)));
      }
      this.columns = List.copyOf(cols);
    }

    @Override
    public List<ResultColumn> columns() {
      return columns;
    }

    @Override
    public boolean next() {
      synchronized (lock) {
        if (done) {
          return false;
        }
        if (closed) {
          throw new IllegalStateException(
              "Cannot read the next row: the DuckDbEngine was closed; read results"
                  + " before closing the engine");
        }
        try {
          onRow = rs.next();
          done = !onRow;
          return onRow;
        } catch (SQLException e) {
          throw new QueryFailedException(
              "Cannot read the next row from DuckDB: " + e.getMessage()
                  + "; the statement failed while producing rows",
              null,
              e.getMessage(),
              e);
        }
      }
    }

    @Override
    public Object value(int index) {
      if (!onRow) {
        throw new IllegalStateException(
            "No current row: call next() first and only while it returns true");
      }
      Objects.checkIndex(index, columns.size());
      synchronized (lock) {
        try {
          return rs.getObject(index + 1);
        } catch (SQLException e) {
          throw new QueryFailedException(
              "Cannot read column " + columns.get(index).name() + " from DuckDB: " + e.getMessage(),
              null,
              e.getMessage(),
              e);
        }
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        onRow = false;
        done = true;
        try {
          statement.close();
        } catch (SQLException e) {
          throw new InletException("Cannot close a DuckDB result: " + e.getMessage(), e);
        }
      }
    }
  }

  /** Builds a {@link DuckDbEngine}; {@link #build()} opens the database. */
  public static final class Builder {
    private Path database;
    private int threads;
    private long memoryLimitBytes;

    private Builder() {}

    /**
     * A database file, created if absent (its folder must exist); without it the database is in memory and
     * vanishes at {@link DuckDbEngine#close()}.
     *
     * @param file the database file
     * @return this builder
     */
    public Builder database(Path file) {
      Objects.requireNonNull(file, "file");
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException("database must be a file, not the folder " + file);
      }
      this.database = file.toAbsolutePath().normalize();
      return this;
    }

    /**
     * How many threads DuckDB uses (default: the number of cores).
     *
     * @param threads how many threads, at least 1
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How much memory DuckDB may use for its buffers, in bytes (default: 80% of the machine's memory); larger work
     * spills to its temporary folder.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder memoryLimit(long bytes) {
      if (bytes < 1 << 20) {
        throw new IllegalArgumentException(
            "memoryLimit must be at least 1 MiB (1048576 bytes), got " + bytes);
      }
      this.memoryLimitBytes = bytes;
      return this;
    }

    /**
     * Opens the database; the caller closes the engine.
     *
     * @throws InletException if the database cannot be opened (missing folder, a file another process holds)
     * @return the DuckDbEngine
     */
    public DuckDbEngine build() {
      if (database != null
          && database.getParent() != null
          && !Files.isDirectory(database.getParent())) {
        throw new IllegalStateException("Cannot open the DuckDB database " + database
            + ": its folder " + database.getParent() + " does not exist; create it first");
      }
      return new DuckDbEngine(this);
    }
  }
}
