package dev.inlet.examples;

import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import java.net.URI;

/**
 * Serves the real Boston 311 rows bundled in this jar as a CKAN portal on 127.0.0.1, so {@code ingest --sample}
 * runs the same pipeline (package_show, 302 redirect, streamed download) with no network.
 */
final class SamplePortal implements AutoCloseable {
  /** The legacy years the bundled sample holds. */
  static final String YEARS = "2015,2022";

  private static final String DIR = "boston311-samples/";
  private static final ClassLoader LOADER = SamplePortal.class.getClassLoader();

  private final LocalCkanPortal portal;

  private SamplePortal(LocalCkanPortal portal) {
    this.portal = portal;
  }

  static SamplePortal start() {
    LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .classpathResource(
            Boston311Source.LEGACY_RESOURCE_IDS.get(2015),
            "311 SERVICE REQUESTS - 2015",
            "legacy-30col-2015-animal-6221rows.csv",
            LOADER,
            DIR + "legacy-30col-2015-animal-6221rows.csv")
        .classpathResource(
            Boston311Source.LEGACY_RESOURCE_IDS.get(2022),
            "311 SERVICE REQUESTS - 2022",
            "legacy-29col-2022-jan-100rows.csv",
            LOADER,
            DIR + "legacy-29col-2022-jan-100rows.csv")
        .classpathResource(
            Boston311Source.NEW_SYSTEM_RESOURCE_ID,
            "311 Service Requests - NEW SYSTEM",
            "newsystem-2025-2026-5473rows.csv",
            LOADER,
            DIR + "newsystem-2025-2026-5473rows.csv")
        .start();
    return new SamplePortal(portal);
  }

  URI baseUri() {
    return portal.baseUri();
  }

  @Override
  public void close() {
    portal.close();
  }
}
