package dev.inlet;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link PipelineResult#throwIfFailed()} when at least one file of a run failed. The message names every
 * failed file and why; the cause is the first failure's error, the others are suppressed exceptions. Files that
 * were ingested in the same run stay committed and registered; a failed file left nothing visible.
 */
public class PipelineFailedException extends InletException {
  private static final long serialVersionUID = 1L;

  private final transient PipelineResult result;

  /**
   * Creates the exception, naming every failed file of {@code result}.
   *
   * @param result the run's result
   */
  public PipelineFailedException(PipelineResult result) {
    super(
        message(result),
        result.failures().isEmpty() ? null : result.failures().get(0).error());
    this.result = result;
    List<FileResult> failed = result.failures();
    for (int i = 1; i < failed.size(); i++) {
      addSuppressed(failed.get(i).error());
    }
  }

  /** {@return the whole result of the run, failures and successes} */
  public PipelineResult result() {
    return result;
  }

  private static String message(PipelineResult result) {
    List<FileResult> failed = result.failures();
    return "Cannot ingest " + failed.size() + " of " + result.files().size() + " file(s) into "
        + result.table()
        + ": "
        + failed.stream()
            .map(f -> f.file().name() + ": " + f.error().getMessage())
            .collect(Collectors.joining("; "))
        + " (nothing of the failed files is visible; "
        + (failed.size() == result.files().size()
            ? "no file"
            : result.ingested().size() + " file(s)")
        + " ingested, " + result.skipped().size() + " unchanged)";
  }
}
