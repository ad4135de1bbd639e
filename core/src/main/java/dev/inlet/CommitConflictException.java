package dev.inlet;

/**
 * Another writer changed a catalog table between our read and our write (the version we read is no longer
 * current). Nothing of this write was applied; re-running the operation reads the new version and tries again.
 */
public class CommitConflictException extends InletException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what conflicted
   */
  public CommitConflictException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what conflicted
   * @param cause the underlying failure
   */
  public CommitConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
