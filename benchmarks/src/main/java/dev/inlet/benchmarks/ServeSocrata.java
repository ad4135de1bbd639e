package dev.inlet.benchmarks;

import dev.inlet.socrata.LocalSocrataPortal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves a CSV file written by {@link Nyc311LikeCsv} (SODA style) as dataset {@code erm2-nwe9} of a Socrata
 * portal on 127.0.0.1 (the test stand-in of inlet-core's test jar: view metadata with NYC 311's columns and types,
 * the export streamed from disk) until killed; prints the base URL on the first line.
 * Usage: {@code ServeSocrata FILE.csv}.
 */
public final class ServeSocrata {
  private ServeSocrata() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path file = Path.of(args[0]);
    LocalSocrataPortal.Builder b = LocalSocrataPortal.builder()
        .dataset(Nyc311LikeCsv.DATASET, Nyc311LikeCsv.NAME)
        .csvFile(file)
        .rowsUpdatedAt(Files.getLastModifiedTime(file)
            .toInstant()
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    for (String[] c : Nyc311LikeCsv.COLUMNS) {
      b.column(c[0], c[1], c[2]);
    }
    LocalSocrataPortal portal = b.start();
    System.out.println(portal.baseUri());
    System.out.flush();
    Thread.currentThread().join();
  }
}
