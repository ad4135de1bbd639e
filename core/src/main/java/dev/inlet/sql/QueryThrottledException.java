package dev.inlet.sql;

/**
 * The service refused a call for load (too many concurrent queries, request rate) and the engine's own retries did
 * not get through. Nothing is wrong with the statement: retry later, or lower the parallelism.
 */
public class QueryThrottledException extends QueryFailedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was throttled
   * @param queryId the engine's id of the query, or null
   * @param reason the engine's reason, or null
   * @param cause the underlying failure
   */
  public QueryThrottledException(String message, String queryId, String reason, Throwable cause) {
    super(message, queryId, reason, cause);
  }
}
