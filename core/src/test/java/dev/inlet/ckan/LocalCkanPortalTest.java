package dev.inlet.ckan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceFile;
import dev.inlet.http.HttpDownloader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LocalCkanPortalTest {
  private static final byte[] CSV = "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void download_redirectsToPresignedLookingUrlAndServesBytes() throws Exception {
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("demo")
        .resource("r1", "Demo 2020", "tmpabc.csv", () -> CSV)
        .start()) {
      List<CkanResource> resources =
          CkanClient.of(portal.baseUri(), HttpDownloader.create()).packageShow("demo");
      assertThat(resources).singleElement().satisfies(r -> {
        assertThat(r.size()).isEqualTo(CSV.length);
        assertThat(r.url().getPath())
            .isEqualTo("/dataset/" + portal.packageId() + "/resource/r1/download/tmpabc.csv");
      });

      HttpClient raw = HttpClient.newHttpClient();
      HttpResponse<Void> hop = raw.send(
          HttpRequest.newBuilder(resources.get(0).url()).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(hop.statusCode()).isEqualTo(302);
      assertThat(hop.headers().firstValue("Location"))
          .get()
          .asString()
          .contains("X-Amz-Signature=");

      SourceFile file = resources.get(0).toSourceFile(HttpDownloader.create(), java.util.Map.of());
      try (InputStream in = file.open(2)) {
        assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(CSV, 2, CSV.length));
      }
    }
  }

  @Test
  void fileResource_streamsTheFileFromAnyOffset(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 7];
    new java.util.Random(5).nextBytes(big);
    java.nio.file.Path csv = java.nio.file.Files.write(dir.resolve("big.csv"), big);
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("demo")
        .resource("r1", "Demo 2020", "big.csv", csv)
        .start()) {
      List<CkanResource> resources =
          CkanClient.of(portal.baseUri(), HttpDownloader.create()).packageShow("demo");
      assertThat(resources.get(0).size()).isEqualTo(big.length);
      SourceFile file = resources.get(0).toSourceFile(HttpDownloader.create(), java.util.Map.of());
      try (InputStream in = file.open(0)) {
        assertThat(in.readAllBytes()).isEqualTo(big);
      }
      try (InputStream in = file.open(1_000_001)) {
        assertThat(in.readAllBytes())
            .isEqualTo(java.util.Arrays.copyOfRange(big, 1_000_001, big.length));
      }
    }
  }

  @Test
  void packageShow_whenDatasetUnknown_answers404() {
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("demo")
        .resource("r1", "Demo", "a.csv", () -> CSV)
        .start()) {
      assertThatThrownBy(
              () -> CkanClient.of(portal.baseUri(), HttpDownloader.create()).packageShow("other"))
          .hasMessageContaining("HTTP 404");
    }
  }

  @Test
  void start_withoutResources_fails() {
    assertThatThrownBy(() -> LocalCkanPortal.builder().dataset("demo").start())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> LocalCkanPortal.builder().resource("r/1", "x", "a.csv", () -> CSV))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classpathResource_servesBundledBytes() throws IOException {
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("demo")
        .classpathResource(
            "r1",
            "Fixture",
            "f.json",
            getClass().getClassLoader(),
            "dev/inlet/ckan/package_show_311.json")
        .start()) {
      CkanResource r = CkanClient.of(portal.baseUri(), HttpDownloader.create())
          .packageShow("demo")
          .get(0);
      try (InputStream in = HttpDownloader.create().open(r.url(), 0);
          InputStream expected = getClass().getResourceAsStream("package_show_311.json")) {
        assertThat(in.readAllBytes()).isEqualTo(expected.readAllBytes());
      }
      assertThat(URI.create(portal.baseUri().toString()).getHost()).isEqualTo("127.0.0.1");
    }
  }
}
