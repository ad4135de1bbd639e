package dev.inlet.examples;

import dev.inlet.FileResult;
import dev.inlet.PipelineListener;
import dev.inlet.PipelineResult;
import dev.inlet.SourceFile;
import dev.inlet.csv.LimitExceededException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Renders pipeline progress: on a terminal, one status line rewritten in place (bytes downloaded and rows
 * converted per file); otherwise one line per finished file. Ends with a summary table, then the reason of each
 * failed file (printed there only, once).
 */
final class ProgressPrinter implements PipelineListener {
  private static final long RENDER_EVERY_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, long[]> running = new ConcurrentHashMap<>();
  private long lastRender;
  private int lastWidth;

  private final String keyLabel;

  ProgressPrinter(PrintStream out, boolean terminal) {
    this(out, terminal, "year");
  }

  /** {@code keyLabel} heads the summary's partition column ({@code year} for Boston 311). */
  ProgressPrinter(PrintStream out, boolean terminal, String keyLabel) {
    this.out = out;
    this.terminal = terminal;
    this.keyLabel = keyLabel;
  }

  @Override
  public void fileStarted(SourceFile file) {
    running.put(Printable.of(file.name()), new long[2]);
    render(false);
  }

  @Override
  public void bytesRead(SourceFile file, long bytesSoFar) {
    long[] p = running.get(Printable.of(file.name()));
    if (p != null) {
      p[0] = bytesSoFar;
    }
    render(false);
  }

  @Override
  public void rowsConverted(SourceFile file, long rowsSoFar) {
    long[] p = running.get(Printable.of(file.name()));
    if (p != null) {
      p[1] = rowsSoFar;
    }
    render(false);
  }

  @Override
  public void fileSucceeded(FileResult r) {
    running.remove(Printable.of(r.file().name()));
    line(String.format(
        Locale.ROOT,
        "  done   %-40s %,10d rows  %8.1f MB -> %6.1f MB  %6.1f s",
        Printable.of(r.file().name()),
        r.rowsOut(),
        mb(r.bytesIn()),
        mb(r.bytesOut()),
        r.duration().toMillis() / 1000.0));
  }

  @Override
  public void fileSkipped(FileResult r) {
    running.remove(Printable.of(r.file().name()));
    line("  same   " + Printable.of(r.file().name()) + ": " + Printable.of(r.skipReason()));
  }

  @Override
  public void fileFailed(FileResult r) {
    running.remove(Printable.of(r.file().name()));
    // the reason follows once, with the summary (printSummary), so a long message is not printed
    // twice
    line("  FAILED " + Printable.of(r.file().name()) + " (why: below)");
  }

  /**
   * The error's message; for an {@link OutOfMemoryError} (its message is only "Java heap space") what to change;
   * for an exceeded limit the flag that raises it (the message names the library's builder setting).
   */
  private static String why(Throwable error) {
    if (error instanceof OutOfMemoryError) {
      return outOfMemory(error, "converting it");
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof LimitExceededException limit
          && IngestCommand.limitFlag(limit.limit()) != null) {
        return error.getMessage() + "; in the CLI, if the file is right, raise it with "
            + IngestCommand.limitFlag(limit.limit()) + " N";
      }
    }
    return error.getMessage();
  }

  /** What to change after an {@link OutOfMemoryError} while {@code doing}. */
  static String outOfMemory(Throwable error, String doing) {
    return "out of memory (" + error.getMessage() + ") " + doing
        + ": give the JVM more heap (bin/inlet:"
        + " INLET_JAVA_OPTS=-Xmx1g) or keep the limits lower (--max-field-bytes, --max-columns,"
        + " --max-partitions-per-file)";
  }

  private synchronized void line(String text) {
    if (terminal && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      lastWidth = 0;
    }
    out.println(text);
    render(true);
  }

  private synchronized void render(boolean force) {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastRender < RENDER_EVERY_NANOS) {
      return;
    }
    lastRender = now;
    String status = running.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> String.format(
            Locale.ROOT, "%s: %.1f MB, %,d rows", e.getKey(), mb(e.getValue()[0]), e.getValue()[1]))
        .collect(Collectors.joining(" | "));
    if (status.isEmpty() && lastWidth == 0) {
      return;
    }
    String text = "  " + status;
    out.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
    out.flush();
    lastWidth = text.length();
  }

  /** Prints the summary table of every run, then the failures with their reasons. */
  synchronized void printSummary(List<PipelineResult> results) {
    if (terminal && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      lastWidth = 0;
    }
    out.println();
    String format = "%-38s %-42s %-10s %10s %9s %9s %8s  %s%n";
    out.printf(
        Locale.ROOT,
        format,
        "table",
        "file",
        keyLabel,
        "rows",
        "MB in",
        "MB out",
        "seconds",
        "status");
    long rows = 0;
    long in = 0;
    long outBytes = 0;
    int files = 0;
    int failed = 0;
    long rejected = 0;
    int unchanged = 0;
    double seconds = 0;
    for (PipelineResult result : results) {
      for (FileResult r : result.files()) {
        String years = r.partitions().stream()
            .map(p -> String.join("/", p.values()))
            .collect(Collectors.joining(","));
        if (years.isEmpty()) {
          years = String.join("/", r.file().partition().values());
        }
        out.printf(
            Locale.ROOT,
            format,
            result.table(),
            truncate(Printable.of(r.file().name()), 42),
            truncate(Printable.of(years), 10),
            String.format(Locale.ROOT, "%,d", r.rowsOut()),
            String.format(Locale.ROOT, "%.1f", mb(r.bytesIn())),
            String.format(Locale.ROOT, "%.1f", mb(r.bytesOut())),
            String.format(Locale.ROOT, "%.1f", r.duration().toMillis() / 1000.0),
            status(r));
        rows += r.rowsOut();
        in += r.bytesIn();
        outBytes += r.bytesOut();
        files++;
        failed += r.status() == FileResult.Status.FAILED ? 1 : 0;
        rejected += r.rowsRejected();
        unchanged += r.status() == FileResult.Status.UNCHANGED ? 1 : 0;
      }
      seconds += result.duration().toMillis() / 1000.0;
    }
    out.printf(
        Locale.ROOT,
        format,
        "total",
        files + " file(s)",
        "",
        String.format(Locale.ROOT, "%,d", rows),
        String.format(Locale.ROOT, "%.1f", mb(in)),
        String.format(Locale.ROOT, "%.1f", mb(outBytes)),
        String.format(Locale.ROOT, "%.1f", seconds),
        failed == 0 ? "ok" : failed + " FAILED");
    if (unchanged > 0) {
      out.println(
          unchanged + " file(s) unchanged since the last ingest were skipped (use --full-refresh to"
              + " ingest them again)");
    }
    if (rejected > 0) {
      out.printf(Locale.ROOT, "%,d bad row(s) rejected%n", rejected);
    }
    for (PipelineResult result : results) {
      out.println(
          result.ingested().isEmpty()
              ? "Nothing was written to " + result.table() + " (" + result.location()
                  + " keeps what it had)"
              : "Wrote " + result.table() + " to " + result.location());
      for (FileResult r : result.failures()) {
        out.println("FAILED " + Printable.of(r.file().name()) + ": " + Printable.of(why(r.error()))
            + " (nothing of this file was made visible)");
      }
    }
  }

  private static String status(FileResult r) {
    switch (r.status()) {
      case FAILED:
        return "FAILED";
      case UNCHANGED:
        return "unchanged";
      default:
        return r.rowsRejected() > 0
            ? String.format(Locale.ROOT, "ok, %,d rejected", r.rowsRejected())
            : "ok";
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static double mb(long bytes) {
    return bytes / 1_000_000.0;
  }
}
