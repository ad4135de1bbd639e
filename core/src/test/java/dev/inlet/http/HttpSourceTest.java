package dev.inlet.http;

import static dev.inlet.testing.TestHttpServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.SourceFile;
import dev.inlet.testing.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpSourceTest {
  @Test
  void list_givesRedactedIdsAndOpensFullUrl() throws IOException {
    byte[] body = "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8);
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script("/data/2015.csv", ok(body));
      URI signed = server.uri("/data/2015.csv?X-Amz-Signature=secret");

      List<SourceFile> files = HttpSource.builder()
          .downloader(HttpDownloader.create())
          .file(signed, "2015", Map.of("year", "2015"))
          .build()
          .list();

      SourceFile f = files.get(0);
      assertThat(f.id()).isEqualTo(server.uri("/data/2015.csv").toString());
      assertThat(f.uri()).isEqualTo(server.uri("/data/2015.csv"));
      assertThat(f.partition()).containsExactly(Map.entry("year", "2015"));
      assertThat(f.version().publishedName()).isEqualTo("2015.csv");
      try (InputStream in = f.open(4)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1,2\n");
      }
      assertThat(server.requests().get(0).query()).isEqualTo("X-Amz-Signature=secret");
    }
  }

  @Test
  void builder_rejectsDuplicatesAndEmpty() {
    URI uri = URI.create("https://example.org/a.csv");
    assertThatThrownBy(
            () -> HttpSource.builder().file(uri, "a").file(URI.create(uri + "?v=2"), "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already added");
    assertThatThrownBy(() -> HttpSource.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> HttpSource.builder().file(URI.create("file:///tmp/a.csv"), "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
