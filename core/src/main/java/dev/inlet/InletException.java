package dev.inlet;

/**
 * Root of the unchecked exceptions Inlet throws from the calls an application makes ({@link Pipeline#run()},
 * catalog operations, builders). Messages follow {@code "Cannot <verb> <what>: <why>"} and say what to do.
 */
public class InletException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   */
  public InletException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public InletException(String message, Throwable cause) {
    super(message, cause);
  }
}
