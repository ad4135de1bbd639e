package dev.inlet.ckan;

import static dev.inlet.testing.TestHttpServer.ok;
import static dev.inlet.testing.TestHttpServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceUnavailableException;
import dev.inlet.http.HttpDownloader;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CkanClientTest {
  private final TestHttpServer server = TestHttpServer.start();
  private final HttpDownloader downloader = HttpDownloader.builder()
      .maxAttempts(2)
      .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
      .build();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void packageShow_parsesRealShapedAnswer() throws IOException {
    server.script("/api/3/action/package_show", ok(fixture("package_show_311.json")));

    List<CkanResource> resources =
        CkanClient.of(server.uri("/"), downloader).packageShow("311-service-requests");

    assertThat(server.requests().get(0).query()).isEqualTo("id=311-service-requests");
    assertThat(resources)
        .extracting(CkanResource::name)
        .containsExactly(
            "311 Service Requests - NEW SYSTEM",
            "311 SERVICE REQUESTS - 2024",
            "311 SERVICE REQUESTS - 2015",
            "Data Dictionary");
    CkanResource newSystem = resources.get(0);
    assertThat(newSystem.id()).isEqualTo("254adca6-64ab-4c5c-9fc0-a6da622be185");
    assertThat(newSystem.format()).isEqualTo("CSV");
    assertThat(newSystem.size()).isEqualTo(80_345_122L);
    assertThat(newSystem.lastModified()).isEqualTo(Instant.parse("2025-11-20T09:14:58.702913Z"));
    assertThat(newSystem.packageId()).isEqualTo("8048697b-ad64-4bfc-b090-ee00169f2323");
    assertThat(newSystem.fileName()).isEqualTo("tmpq1x7w0rb.csv");
    assertThat(resources.get(1).size()).as("size given as text").isEqualTo(190_840_211L);
    assertThat(resources.get(2).size()).isNull();
    assertThat(resources.get(2).lastModified()).isNull();
    assertThat(resources.get(3).url())
        .as("relative url with a space, resolved against the portal")
        .isEqualTo(server.uri("/dataset/8048697b-ad64-4bfc-b090-ee00169f2323/resource/"
            + "0e8b4b3e-7a36-4c1e-9d3b-0d1b7f6a5c44/download/311%20data%20dictionary.pdf"));
  }

  @Test
  void packageShow_whenSuccessFalse_failsWithPortalMessage() {
    server.script(
        "/api/3/action/package_show",
        ok(
            "{\"help\":\"h\",\"success\":false,\"error\":{\"message\":\"Access denied\",\"__type\":\"Authorization Error\"}}"
                .getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(
            () -> CkanClient.of(server.uri(""), downloader).packageShow("secret-dataset"))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("Cannot list dataset 'secret-dataset' on " + server.uri(""))
        .hasMessageContaining("success=false (Access denied)");
  }

  @Test
  void packageShow_whenAnswerIsNotJson_failsSayingSo() {
    server.script(
        "/api/3/action/package_show", ok("<html><body>Maintenance</body></html>".getBytes()));

    assertThatThrownBy(
            () -> CkanClient.of(server.uri(""), downloader).packageShow("311-service-requests"))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("not JSON")
        .hasMessageContaining("<html>");
  }

  @Test
  void packageShow_whenDatasetUnknown_failsNamingDataset() {
    server.script("/api/3/action/package_show", status(404));

    assertThatThrownBy(
            () -> CkanClient.of(server.uri(""), downloader).packageShow("no-such-dataset"))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("Cannot list dataset 'no-such-dataset'")
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void ckanSource_listsFilteredResourcesWithVersionAndPartition() throws IOException {
    server.script("/api/3/action/package_show", ok(fixture("package_show_311.json")));

    CkanSource source = CkanSource.builder()
        .portal(server.uri(""))
        .dataset("311-service-requests")
        .downloader(downloader)
        .filter(r -> r.format().equals("CSV"))
        .partitioner(
            r -> r.name().endsWith("2024") ? java.util.Map.of("year", "2024") : java.util.Map.of())
        .build();
    var files = source.list();

    assertThat(files)
        .extracting(f -> f.id())
        .containsExactly(
            "254adca6-64ab-4c5c-9fc0-a6da622be185",
            "dff4d804-5031-443a-8409-8344efd0e5c8",
            "c9509ab4-6f6d-4b97-979a-0cf2a10c922b");
    var y2024 = files.get(1);
    assertThat(y2024.name()).isEqualTo("311 SERVICE REQUESTS - 2024");
    assertThat(y2024.partition()).containsExactly(java.util.Map.entry("year", "2024"));
    assertThat(y2024.version().publishedName()).isEqualTo("lagan_311_open_data_2024_rvsd3.csv");
    assertThat(y2024.version().size()).isEqualTo(190_840_211L);
    assertThat(y2024.version().lastModified()).isEqualTo(Instant.parse("2025-01-02T10:00:00Z"));
    assertThat(y2024.uri())
        .isEqualTo(URI.create("https://data.boston.gov/dataset/"
            + "8048697b-ad64-4bfc-b090-ee00169f2323/resource/dff4d804-5031-443a-8409-8344efd0e5c8/download/"
            + "lagan_311_open_data_2024_rvsd3.csv"));
    assertThat(files.get(0).partition()).isEmpty();
  }

  @Test
  void ckanSource_builderWithoutDataset_failsInBuild() {
    assertThatThrownBy(() ->
            CkanSource.builder().portal(URI.create("https://data.boston.gov")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataset is missing");
    assertThatThrownBy(() -> CkanSource.builder().portal(URI.create("data.boston.gov")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = CkanClientTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
