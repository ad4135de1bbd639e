package dev.inlet.boston311;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceFile;
import dev.inlet.SourceUnavailableException;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.http.HttpDownloader;
import dev.inlet.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class Boston311SourceTest {
  private static final Path LEGACY_2015 = Samples.file("legacy-30col-2015-animal-6221rows.csv");
  private static final Path LEGACY_2022 = Samples.file("legacy-29col-2022-jan-100rows.csv");
  private static final Path NEW_SYSTEM = Samples.file("newsystem-2025-2026-5473rows.csv");
  private static final String ID_2015 = Boston311Source.LEGACY_RESOURCE_IDS.get(2015);
  private static final String ID_2022 = Boston311Source.LEGACY_RESOURCE_IDS.get(2022);

  private final HttpDownloader downloader = HttpDownloader.builder()
      .maxAttempts(2)
      .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
      .build();

  /** The three real samples under realistic names; download file names carry no or a misleading year. */
  private static LocalCkanPortal portal() {
    return LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .packageId("8048697b-ad64-4bfc-b090-ee00169f2323")
        .resource(
            Boston311Source.NEW_SYSTEM_RESOURCE_ID,
            "311 Service Requests - NEW SYSTEM",
            "tmp2019xyz.csv",
            NEW_SYSTEM)
        .resource(
            "11111111-aaaa-4bbb-8ccc-000000002015",
            "311 SERVICE REQUESTS - 2015",
            "tmphrybkxuh.csv",
            LEGACY_2015)
        .resource(
            "22222222-aaaa-4bbb-8ccc-000000002022",
            "311 SERVICE REQUESTS - 2022",
            "311_service_requests_2016.csv",
            LEGACY_2022)
        .start();
  }

  @Test
  void legacy_mapsYearsByResourceNameAndDownloadsExactBytesAfterRedirect() throws IOException {
    try (LocalCkanPortal portal = portal()) {
      List<SourceFile> files = Boston311Source.legacy()
          .portal(portal.baseUri())
          .downloader(downloader)
          .years(List.of(2022, 2015))
          .build()
          .list();

      assertThat(files)
          .extracting(SourceFile::partition)
          .containsExactly(Map.of("year", "2015"), Map.of("year", "2022"));
      assertThat(files)
          .extracting(SourceFile::id)
          .containsExactly(
              "11111111-aaaa-4bbb-8ccc-000000002015", "22222222-aaaa-4bbb-8ccc-000000002022");
      assertThat(files.get(1).version().publishedName()).isEqualTo("311_service_requests_2016.csv");
      assertThat(files.get(0).version().size()).isEqualTo(Files.size(LEGACY_2015));
      assertThat(files.get(0).uri().getPath()).endsWith("/download/tmphrybkxuh.csv");
      assertThat(bytes(files.get(0))).isEqualTo(Files.readAllBytes(LEGACY_2015));
      assertThat(bytes(files.get(1))).isEqualTo(Files.readAllBytes(LEGACY_2022));
    }
  }

  @Test
  void legacy_whenNameLacksYear_fallsBackToKnownResourceId() throws IOException {
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(ID_2015, "311 Service Requests (legacy)", "tmpaaaa.csv", LEGACY_2015)
        .resource(ID_2022, "Service requests, Jan", "tmpbbbb.csv", LEGACY_2022)
        .start()) {
      List<SourceFile> files = Boston311Source.legacy()
          .portal(portal.baseUri())
          .downloader(downloader)
          .years(2015, 2015)
          .build()
          .list();

      assertThat(files).singleElement().satisfies(f -> {
        assertThat(f.id()).isEqualTo(ID_2015);
        assertThat(f.partition()).containsExactly(Map.entry("year", "2015"));
      });
    }
  }

  @Test
  void legacy_whenNameSaysOtherYear_doesNotUseKnownIdForTheWantedYear() {
    // the known 2015 id carries a 2016 name: trust the name, so 2015 is missing
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(ID_2015, "311 SERVICE REQUESTS - 2016", "tmpaaaa.csv", LEGACY_2015)
        .start()) {
      assertThatThrownBy(() -> Boston311Source.legacy()
              .portal(portal.baseUri())
              .downloader(downloader)
              .years(2015, 2016)
              .build()
              .list())
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("year 2015 ")
          .hasMessageContaining("years found: [2016]");
    }
  }

  @Test
  void legacy_whenYearMissing_failsNamingYearAndResourcesSeen() {
    try (LocalCkanPortal portal = portal()) {
      assertThatThrownBy(() -> Boston311Source.legacy()
              .portal(portal.baseUri())
              .downloader(downloader)
              .years(2015, 2017)
              .build()
              .list())
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageStartingWith("Cannot list Boston 311 years 2016, 2017 on " + portal.baseUri())
          .hasMessageContaining("'311 SERVICE REQUESTS - 2015'")
          .hasMessageContaining("'311 Service Requests - NEW SYSTEM'");
    }
  }

  @Test
  void newSystem_listsSingleFileWithoutPartition() throws IOException {
    try (LocalCkanPortal portal = portal()) {
      List<SourceFile> files = Boston311Source.newSystem()
          .portal(portal.baseUri())
          .downloader(downloader)
          .build()
          .list();

      assertThat(files).singleElement().satisfies(f -> {
        assertThat(f.id()).isEqualTo(Boston311Source.NEW_SYSTEM_RESOURCE_ID);
        assertThat(f.name()).isEqualTo("311 Service Requests - NEW SYSTEM");
        assertThat(f.partition()).isEmpty();
        assertThat(bytes(f)).isEqualTo(Files.readAllBytes(NEW_SYSTEM));
      });
    }
  }

  @Test
  void yearInName_ignoresNewSystemAndAmbiguousNames() {
    assertThat(Boston311Source.yearInName("311 SERVICE REQUESTS - 2015")).isEqualTo(2015);
    assertThat(Boston311Source.yearInName("311 Service Requests 2011")).isEqualTo(2011);
    assertThat(Boston311Source.yearInName("311 Service Requests 2015-2016")).isNull();
    assertThat(Boston311Source.yearInName("311 Service Requests 20155")).isNull();
    assertThat(Boston311Source.yearInName("Data dictionary")).isNull();
  }

  @Test
  void years_whenOutOfRange_failInSetter() {
    int next = Year.now(ZoneOffset.UTC).getValue() + 1;
    assertThatThrownBy(() -> Boston311Source.legacy().years(2010, 2015))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2010");
    assertThatThrownBy(() -> Boston311Source.legacy().years(2015, next))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(next));
    assertThatThrownBy(() -> Boston311Source.legacy().years(2020, 2015))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Boston311Source.legacy().years(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void legacyResourceIds_coverEveryYearFrom2011() {
    assertThat(Boston311Source.LEGACY_RESOURCE_IDS.keySet())
        .containsAll(List.of(2011, 2015, 2020, 2024, 2026));
    assertThat(Boston311Source.LEGACY_RESOURCE_IDS.values())
        .doesNotHaveDuplicates()
        .doesNotContain(Boston311Source.NEW_SYSTEM_RESOURCE_ID);
  }

  /**
   * A package_show answer from {@code server}: 2015 downloadable from the server, 2016 with a url that is not a URI,
   * 2017 with an ftp url, and the new-system file with a url that is not a URI.
   */
  private static void scriptBrokenListing(dev.inlet.testing.TestHttpServer server)
      throws IOException {
    String json = """
        {"success": true, "result": {"id": "pkg", "resources": [
          {"id": "%s", "name": "311 SERVICE REQUESTS - 2015", "url": "%s"},
          {"id": "%s", "name": "311 SERVICE REQUESTS - 2016", "url": "http://bad host/%%zz.csv"},
          {"id": "%s", "name": "311 SERVICE REQUESTS - 2017", "url": "ftp://example.org/2017.csv"},
          {"id": "%s", "name": "311 Service Requests - NEW SYSTEM", "url": "https://x/%%zz"}
        ]}}
        """.formatted(
            ID_2015,
            server.uri("/2015.csv"),
            Boston311Source.LEGACY_RESOURCE_IDS.get(2016),
            Boston311Source.LEGACY_RESOURCE_IDS.get(2017),
            Boston311Source.NEW_SYSTEM_RESOURCE_ID);
    server.script(
        "/api/3/action/package_show",
        dev.inlet.testing.TestHttpServer.ok(
            json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    server.script(
        "/2015.csv", dev.inlet.testing.TestHttpServer.ok(Files.readAllBytes(LEGACY_2015)));
  }

  @Test
  void legacy_anUnparsableUrlOfAYearNotAskedFor_doesNotFailTheListing() throws IOException {
    try (dev.inlet.testing.TestHttpServer server = dev.inlet.testing.TestHttpServer.start()) {
      scriptBrokenListing(server);

      List<SourceFile> files = Boston311Source.legacy()
          .portal(server.uri("/"))
          .downloader(downloader)
          .years(2015, 2015)
          .build()
          .list();

      assertThat(files)
          .singleElement()
          .satisfies(f -> assertThat(bytes(f)).isEqualTo(Files.readAllBytes(LEGACY_2015)));
    }
  }

  @Test
  void legacy_unusableUrlsOfAskedYears_failOnlyThoseFiles_whenOpened() throws IOException {
    try (dev.inlet.testing.TestHttpServer server = dev.inlet.testing.TestHttpServer.start()) {
      scriptBrokenListing(server);

      List<SourceFile> files = Boston311Source.legacy()
          .portal(server.uri("/"))
          .downloader(downloader)
          .years(2015, 2017)
          .build()
          .list();

      assertThat(files)
          .extracting(SourceFile::partition)
          .containsExactly(Map.of("year", "2015"), Map.of("year", "2016"), Map.of("year", "2017"));
      assertThat(bytes(files.get(0))).isEqualTo(Files.readAllBytes(LEGACY_2015));
      assertThatThrownBy(() -> bytes(files.get(1)))
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageStartingWith("Cannot download resource "
              + Boston311Source.LEGACY_RESOURCE_IDS.get(2016) + " ('311 SERVICE REQUESTS - 2016')")
          .hasMessageContaining("has an invalid url");
      assertThatThrownBy(() -> bytes(files.get(2)))
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("only absolute http and https URLs are supported");
    }
  }

  @Test
  void newSystem_withAnUnparsableUrl_isListedAndFailsWhenOpened() throws IOException {
    try (dev.inlet.testing.TestHttpServer server = dev.inlet.testing.TestHttpServer.start()) {
      scriptBrokenListing(server);

      List<SourceFile> files = Boston311Source.newSystem()
          .portal(server.uri("/"))
          .downloader(downloader)
          .build()
          .list();

      assertThat(files).singleElement().satisfies(f -> {
        assertThat(f.id()).isEqualTo(Boston311Source.NEW_SYSTEM_RESOURCE_ID);
        assertThatThrownBy(() -> bytes(f))
            .isInstanceOf(SourceUnavailableException.class)
            .hasMessageContaining("has an invalid url");
      });
    }
  }

  @Test
  void ckanSource_skipsUnparsableUrls_andFailsAnUnsupportedSchemeAlone() throws IOException {
    try (dev.inlet.testing.TestHttpServer server = dev.inlet.testing.TestHttpServer.start()) {
      scriptBrokenListing(server);

      List<SourceFile> files = dev.inlet.ckan.CkanSource.builder()
          .portal(server.uri("/"))
          .dataset("d")
          .downloader(downloader)
          .build()
          .list();

      assertThat(files)
          .extracting(SourceFile::name)
          .containsExactly("311 SERVICE REQUESTS - 2015", "311 SERVICE REQUESTS - 2017");
      assertThat(bytes(files.get(0))).isEqualTo(Files.readAllBytes(LEGACY_2015));
      assertThatThrownBy(() -> bytes(files.get(1)))
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("ftp");
    }
  }

  @Test
  void legacy_twoResourcesNamedWithAYearNotAskedFor_doNotFailTheListing_butFailThatYearWhenAsked()
      throws IOException {
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(
            "11111111-aaaa-4bbb-8ccc-000000002015",
            "311 SERVICE REQUESTS - 2015",
            "a.csv",
            LEGACY_2015)
        .resource(
            "aaaaaaaa-0000-4000-8000-000000002016",
            "311 SERVICE REQUESTS - 2016",
            "b.csv",
            LEGACY_2022)
        .resource(
            "bbbbbbbb-0000-4000-8000-000000002016",
            "311 Service Requests 2016 (copy)",
            "c.csv",
            LEGACY_2022)
        .start()) {
      List<SourceFile> only2015 = Boston311Source.legacy()
          .portal(portal.baseUri())
          .downloader(downloader)
          .years(2015, 2015)
          .build()
          .list();
      assertThat(only2015)
          .singleElement()
          .satisfies(f -> assertThat(bytes(f)).isEqualTo(Files.readAllBytes(LEGACY_2015)));

      List<SourceFile> both = Boston311Source.legacy()
          .portal(portal.baseUri())
          .downloader(downloader)
          .years(2015, 2016)
          .build()
          .list();
      assertThat(both)
          .extracting(SourceFile::partition)
          .containsExactly(Map.of("year", "2015"), Map.of("year", "2016"));
      assertThatThrownBy(() -> bytes(both.get(1)))
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageStartingWith(
              "Cannot list Boston 311 year 2016: two resources are named with it");
    }
  }

  private static byte[] bytes(SourceFile f) throws IOException {
    try (InputStream in = f.open()) {
      return in.readAllBytes();
    }
  }
}
