package dev.inlet.sql;

/**
 * A statement was stopped before it finished: it ran past the engine's timeout, the calling thread was interrupted
 * (the interrupt flag is set again), or someone else cancelled it. The engine asked the service to stop it first,
 * so it no longer runs (and costs) there.
 */
public class QueryCancelledException extends QueryFailedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was cancelled and why
   * @param queryId the engine's id of the query, or null
   * @param reason the engine's reason, or null
   * @param cause the underlying failure
   */
  public QueryCancelledException(String message, String queryId, String reason, Throwable cause) {
    super(message, queryId, reason, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what was cancelled and why
   * @param queryId the engine's id of the query, or null
   * @param reason the engine's reason, or null
   */
  public QueryCancelledException(String message, String queryId, String reason) {
    this(message, queryId, reason, null);
  }
}
