package dev.inlet.sql;

import dev.inlet.InletException;
import java.util.Optional;

/**
 * An engine rejected or failed a statement: a syntax error, a missing table, a {@code FAILED} Athena query. Carries
 * the engine's query id (where the engine has one, and the statement got that far) and the engine's reason.
 */
public class QueryFailedException extends InletException {
  private static final long serialVersionUID = 1L;

  /** The engine's id of the query, or null. */
  private final String queryId;
  /** The engine's reason, or null. */
  private final String reason;

  /**
   * @param message the full message, {@code "Cannot <verb> <what>: <why>; <what to do>"}
   * @param queryId the engine's query id, or null if there is none
   * @param reason the engine's own words for the failure (e.g. Athena's {@code StateChangeReason}), or null
   * @param cause the engine's exception, or null
   */
  public QueryFailedException(String message, String queryId, String reason, Throwable cause) {
    super(message, cause);
    this.queryId = queryId;
    this.reason = reason;
  }

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param queryId the engine's id of the query, or null
   * @param reason the engine's reason, or null
   */
  public QueryFailedException(String message, String queryId, String reason) {
    this(message, queryId, reason, null);
  }

  /** {@return the engine's id of the failed query, if the engine has ids and the query was started} */
  public Optional<String> queryId() {
    return Optional.ofNullable(queryId);
  }

  /** {@return the engine's reason, as the engine reported it, if it gave one} */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }
}
