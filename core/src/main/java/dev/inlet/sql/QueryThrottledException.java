package dev.inlet.sql;

/**
 * The service refused a call for load (too many concurrent queries, request rate) and the engine's own retries did
 * not get through. Nothing is wrong with the statement: retry later, or lower the parallelism.
 */
public class QueryThrottledException extends QueryFailedException {
  private static final long serialVersionUID = 1L;

  public QueryThrottledException(String message, String queryId, String reason, Throwable cause) {
    super(message, queryId, reason, cause);
  }
}
