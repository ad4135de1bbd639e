package dev.inlet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.testing.TestHttpServer;
import org.junit.jupiter.api.Test;

class HttpDownloaderHeaderTest {
  @Test
  void header_isSentOnEveryRequest_keptByToBuilder_andShownByNameOnly() throws Exception {
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script("/a", TestHttpServer.ok("{}".getBytes()));
      HttpDownloader d =
          HttpDownloader.builder().header("X-App-Token", "s3cr3t").build().toBuilder()
              .build();

      assertThat(d.getString(server.uri("/a?x=1"))).isEqualTo("{}");

      assertThat(server.requests("/a"))
          .singleElement()
          .satisfies(r -> assertThat(r.header("X-App-Token")).isEqualTo("s3cr3t"));
      assertThat(d.toString()).contains("headers=[X-App-Token]").doesNotContain("s3cr3t");
      assertThat(HttpDownloader.create().toString()).doesNotContain("headers");
    }
  }

  @Test
  void header_refusesWhatTheDownloaderSetsItself_andBadNamesOrValues() {
    HttpDownloader.Builder b = HttpDownloader.builder();
    for (String name :
        new String[] {"Range", "if-none-match", "If-Range", "Accept-Encoding", "User-Agent", "Host"
        }) {
      assertThatThrownBy(() -> b.header(name, "v"))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the downloader sets it itself");
    }
    assertThatThrownBy(() -> b.header("X Token", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid HTTP header name");
    assertThatThrownBy(() -> b.header("X-Token", "a\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot send header 'X-Token': its value contains a control character");
  }
}
