package dev.inlet.sql;

/**
 * Runs SQL statements on a query engine: an embedded one in this process or a service that scans the lake where it
 * lives. Inlet plans and commits; the engine computes.
 *
 * <p><b>Ownership.</b> An engine closes what it opened itself (an embedded database, its connection) in
 * {@link #close()}, and never what it was given (a configured service client stays the caller's). Each
 * {@link QueryResult} belongs to the caller of {@link #query}, who closes it, in try-with-resources; closing the
 * engine may end results still open, which then fail on their next read.
 *
 * <p><b>Failures.</b> Every method throws unchecked exceptions rooted at {@link dev.inlet.InletException}: a
 * {@link QueryFailedException} when the engine rejected or failed the statement (with the engine's query id where it
 * has one), {@link QueryCancelledException} when it was stopped (timeout, interrupt, or by someone else),
 * {@link QueryThrottledException} when the service refused it for load after the engine's own retries. A statement
 * that failed may have had effects the engine does not roll back (a service-side {@code UNLOAD} may leave files);
 * each implementation says what.
 *
 * <p><b>Threads.</b> Implementations are thread-safe unless they say otherwise. An engine that can stop a running
 * statement does so when the calling thread is interrupted, then throws {@link QueryCancelledException} with the
 * thread's interrupt flag set again; each implementation says whether it can.
 *
 * <p>New operations arrive as {@code default} methods, so implementing this interface stays three methods.
 *
 * <p>Implementations: {@code dev.inlet.duckdb.DuckDbEngine} in inlet-duckdb, {@code dev.inlet.aws.athena.AthenaEngine}
 * in
 * inlet-aws.
 */
public interface SqlEngine extends AutoCloseable {
  /**
   * Starts {@code sql} and returns its rows; the caller closes the result. Whether rows are streamed or held in
   * memory is the implementation's; either way they are read in order, once.
   *
   * @param sql the SQL text, in the engine's dialect
   * @return the result; the caller closes it
   * @throws QueryFailedException if the engine rejects or fails the statement
   * @throws IllegalArgumentException if {@code sql} is blank
   */
  QueryResult query(String sql);

  /** {@return the dialect {@link #query} and {@link #execute} accept} */
  SqlDialect dialect();

  /**
   * Runs a statement for its effect ({@code CREATE VIEW}, {@code COPY}, {@code UNLOAD}, {@code SET}); rows it
   * returns are read and discarded. By default {@link #query} with the result closed at once.
   *
   * @param sql the SQL text, in the engine's dialect
   * @throws QueryFailedException if the engine rejects or fails the statement
   */
  default void execute(String sql) {
    try (QueryResult rows = query(sql)) {
      while (rows.next()) {
        // drained: some engines finish a statement only once its rows were read
      }
    }
  }

  /** Releases what the engine opened; results still open may fail afterwards. Idempotent. */
  @Override
  void close();
}
