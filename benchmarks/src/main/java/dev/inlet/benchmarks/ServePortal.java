package dev.inlet.benchmarks;

import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves {@code DIR/<year>.csv} files as the Boston 311 CKAN dataset on 127.0.0.1 (streamed from disk) until
 * killed; prints the portal URL on the first line. Usage: {@code ServePortal DIR}.
 */
public final class ServePortal {
  private ServePortal() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    LocalCkanPortal.Builder b = LocalCkanPortal.builder().dataset("311-service-requests");
    Boston311Source.LEGACY_RESOURCE_IDS.forEach((year, id) -> {
      Path file = dir.resolve(year + ".csv");
      if (Files.isRegularFile(file)) {
        b.resource(
            id, "311 SERVICE REQUESTS - " + year, "311_service_requests_" + year + ".csv", file);
      }
    });
    LocalCkanPortal portal = b.start();
    System.out.println(portal.baseUri());
    System.out.flush();
    Thread.currentThread().join();
  }
}
