package dev.inlet;

/** A source could not be listed or opened: the portal or server is unreachable or answered with an error. */
public class SourceUnavailableException extends InletException {
  private static final long serialVersionUID = 1L;

  public SourceUnavailableException(String message) {
    super(message);
  }

  public SourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
