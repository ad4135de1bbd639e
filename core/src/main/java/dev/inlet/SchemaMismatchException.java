package dev.inlet;

/**
 * A file's schema cannot be registered in a catalog table under the catalog's {@link EvolutionPolicy}, e.g.
 * {@code "Cannot register boston311.service_requests: column latitude is double in the file but string in the
 * catalog"}. Nothing was changed in the catalog.
 */
public class SchemaMismatchException extends InletException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what does not match
   */
  public SchemaMismatchException(String message) {
    super(message);
  }
}
