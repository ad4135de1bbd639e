package dev.inlet;

/** A source could not be listed or opened: the portal or server is unreachable or answered with an error. */
public class SourceUnavailableException extends InletException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is unavailable and why
   */
  public SourceUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what is unavailable and why
   * @param cause the underlying failure
   */
  public SourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
