package dev.inlet.socrata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.SourceFile;
import dev.inlet.SourceUnavailableException;
import dev.inlet.http.HttpDownloader;
import dev.inlet.testing.TestHttpServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocrataSourceTest {
  private static final String TOKEN = "tokTOKEN1234secret";

  private static HttpDownloader fast() {
    return HttpDownloader.builder()
        .backoff(Duration.ofMillis(5), Duration.ofSeconds(5))
        .maxAttempts(4)
        .build();
  }

  @Test
  void builder_rejectsBadSettingsEarly() {
    SocrataSource.Builder b = SocrataSource.builder();
    assertThatThrownBy(() -> b.baseUrl(URI.create("ftp://data.cityofnewyork.us")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot use Socrata portal");
    assertThatThrownBy(() -> b.baseUrl(URI.create("https://data.cityofnewyork.us?x=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("x=1");
    assertThatThrownBy(() -> b.baseUrl(URI.create("/relative")))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad :
        List.of("erm2nwe9", "ERM2-NWE9", "erm2-nwe", "erm2-nwe99", " erm2-nwe9", "erm2_nwe9", "")) {
      assertThatThrownBy(() -> b.dataset(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected 4x4 form");
    }
    assertThatThrownBy(() -> b.appToken(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.appToken("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("a b");
    assertThatThrownBy(() -> SocrataSource.builder().dataset("erm2-nwe9").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("baseUrl is missing");
    assertThatThrownBy(
            () -> SocrataSource.builder().baseUrl(URI.create("https://x.org")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataset is missing");
    SocrataSource s = SocrataSource.builder()
        .baseUrl(URI.create("https://data.cityofnewyork.us//"))
        .dataset("erm2-nwe9")
        .build();
    assertThat(s.baseUrl()).isEqualTo(URI.create("https://data.cityofnewyork.us"));
    assertThat(s.exportUri())
        .hasToString(
            "https://data.cityofnewyork.us/resource/erm2-nwe9.csv?$limit=2147483647&$order=:id");
  }

  @Test
  void list_returnsTheExport_namedAfterTheDataset_versionedByRowsUpdatedAt() throws Exception {
    Instant updated = Instant.parse("2024-05-06T07:08:09Z");
    try (LocalSocrataPortal portal = Nyc311Like.withRows(Nyc311Like.portal(), Nyc311Like.rows(1, 3))
        .rowsUpdatedAt(updated)
        .start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .downloader(fast())
          .build();
      List<SourceFile> files = source.list();

      assertThat(files).hasSize(1);
      SourceFile f = files.get(0);
      assertThat(f.id()).isEqualTo(portal.baseUri() + "/resource/erm2-nwe9.csv");
      assertThat(f.name()).isEqualTo(Nyc311Like.NAME);
      assertThat(f.version().lastModified()).isEqualTo(updated);
      assertThat(f.version().etag()).isNull();
      assertThat(source.list().get(0).id()).isEqualTo(f.id()); // stable
      assertThat(portal.exportDownloads()).isZero(); // listing reads metadata only

      String csv;
      try (InputStream in = f.open()) {
        csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String[] lines = csv.split("\n");
      assertThat(lines).hasSize(4); // all rows, not SODA's default page of 1000 cut elsewhere
      assertThat(lines[0])
          .isEqualTo(
              "\"unique_key\",\"created_date\",\"closed_date\",\"agency\","
                  + "\"complaint_type\",\"incident_zip\",\"latitude\",\"council_district\",\"is_open\",\"location\"");
      assertThat(lines[1])
          .contains("\"Noise - \"\"Loud\"\" Music, Party\"")
          .doesNotContain("secret note");
      assertThat(portal.requests())
          .filteredOn(LocalSocrataPortal.Request::isExport)
          .singleElement()
          .satisfies(r -> assertThat(r.query()).isEqualTo("$limit=2147483647&$order=:id"));
    }
  }

  @Test
  void columnTypes_areKeyedByExportHeader_numbersAbsent_hiddenLeftOut() throws Exception {
    try (LocalSocrataPortal portal = Nyc311Like.portal()
        .column("Resolution Url", "resolution_url", "url")
        .column("Borough Boundary", "borough", "multipolygon")
        .column("Budget", "budget", "money")
        .column("Fixed", "fixed_at", "fixed_timestamp")
        .column("Odd", "odd", "some_new_type")
        .column("Place", "place", "location")
        .start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .build();

      Map<String, ColumnType> types = source.columnTypes();

      assertThat(types)
          .containsExactly(
              Map.entry("unique_key", ColumnType.STRING),
              Map.entry("created_date", ColumnType.TIMESTAMP),
              Map.entry("closed_date", ColumnType.TIMESTAMP),
              Map.entry("agency", ColumnType.STRING),
              Map.entry("complaint_type", ColumnType.STRING),
              Map.entry("incident_zip", ColumnType.STRING),
              Map.entry("is_open", ColumnType.BOOLEAN),
              Map.entry("location", ColumnType.STRING),
              Map.entry("resolution_url", ColumnType.STRING),
              Map.entry("borough", ColumnType.STRING),
              Map.entry("fixed_at", ColumnType.TIMESTAMP),
              Map.entry("place", ColumnType.STRING));
      assertThat(source.metadata().columns())
          .extracting(SocrataColumn::fieldName)
          .doesNotContain("internal_note")
          .contains("latitude", "council_district", "budget", "odd");
      assertThat(source.metadata().columns().get(1))
          .isEqualTo(new SocrataColumn("Created Date", "created_date", "calendar_date"));
      long metadataReads = portal.requests().stream()
          .filter(r -> r.path().startsWith("/api/views/"))
          .count();
      assertThat(metadataReads).isEqualTo(3); // one per call, nothing cached
    }
  }

  @Test
  void appToken_isSentOnEveryRequest_andNeverShown() throws Exception {
    try (LocalSocrataPortal portal = Nyc311Like.withRows(Nyc311Like.portal(), Nyc311Like.rows(1, 2))
        .appToken(TOKEN)
        .start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .appToken(TOKEN)
          .downloader(fast())
          .build();
      SourceFile f = source.list().get(0);
      try (InputStream in = f.open()) {
        in.readAllBytes();
      }
      source.columnTypes();

      assertThat(portal.requests())
          .hasSize(3)
          .allSatisfy(r -> assertThat(r.appToken()).isEqualTo(TOKEN));
      assertThat(source.toString()).doesNotContain(TOKEN).contains("appToken=(set)");
      assertThat(f.id() + f.name() + f.uri() + f.version() + f).doesNotContain(TOKEN);
    }
  }

  @Test
  void wrongAppToken_failsWithout_showingIt() throws Exception {
    try (LocalSocrataPortal portal = Nyc311Like.portal().appToken(TOKEN).start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .appToken("wrongToken42")
          .downloader(fast())
          .build();

      assertThatThrownBy(source::list)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageStartingWith(
              "Cannot read the metadata of Socrata dataset erm2-nwe9 on " + portal.baseUri())
          .hasMessageContaining("HTTP 403")
          .hasMessageContaining("check the base URL, the dataset id and the app token")
          .hasMessageNotContaining("wrongToken42");
      assertThat(portal.requests()).hasSize(1); // a 403 is not retried
    }
  }

  @Test
  void unknownDataset_failsNamingIt() throws Exception {
    try (LocalSocrataPortal portal = Nyc311Like.portal().start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset("zzzz-9999")
          .downloader(fast())
          .build();
      assertThatThrownBy(source::list)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("zzzz-9999")
          .hasMessageContaining("HTTP 404");
    }
  }

  @Test
  void notAPortal_failsClearly() throws Exception {
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script(
          "/api/views/abcd-1234.json", TestHttpServer.ok("<html>hello</html>".getBytes()));
      SocrataSource source =
          SocrataSource.builder().baseUrl(server.uri("")).dataset("abcd-1234").build();
      assertThatThrownBy(source::list)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessage("Cannot read the metadata of Socrata dataset abcd-1234 on " + server.uri("")
              + ": the answer is not JSON; check that the base URL is a Socrata portal");
    }
  }

  @Test
  void throttled_429_isRetried_afterRetryAfter() throws Exception {
    try (LocalSocrataPortal portal =
        Nyc311Like.withRows(Nyc311Like.portal(), Nyc311Like.rows(1, 2)).start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .downloader(fast())
          .build();
      portal.throttle(1, 1);
      long start = System.nanoTime();
      List<SourceFile> files = source.list();
      Duration metadataTook = Duration.ofNanos(System.nanoTime() - start);

      portal.throttle(1, 1);
      start = System.nanoTime();
      byte[] body;
      try (InputStream in = files.get(0).open()) {
        body = in.readAllBytes();
      }
      Duration exportTook = Duration.ofNanos(System.nanoTime() - start);

      assertThat(new String(body, StandardCharsets.UTF_8).split("\n")).hasSize(3);
      // the backoff alone would wait at most 5 ms: waiting a second is Retry-After
      assertThat(metadataTook).isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(exportTook).isGreaterThanOrEqualTo(Duration.ofMillis(950));
      assertThat(portal.requests())
          .extracting(LocalSocrataPortal.Request::path)
          .containsExactly(
              "/api/views/erm2-nwe9.json", "/api/views/erm2-nwe9.json",
              "/resource/erm2-nwe9.csv", "/resource/erm2-nwe9.csv");
    }
  }

  @Test
  void throttledToTheEnd_failsSayingSo() throws Exception {
    try (LocalSocrataPortal portal = Nyc311Like.portal().start()) {
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.baseUri())
          .dataset(Nyc311Like.ID)
          .downloader(HttpDownloader.builder()
              .maxAttempts(2)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
              .build())
          .appToken(TOKEN)
          .build();
      portal.throttle(10, 0);
      assertThatThrownBy(source::list)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("HTTP 429")
          .hasMessageContaining("after 2 attempts")
          .hasMessageNotContaining(TOKEN);
    }
  }

  @Test
  void appToken_isNotSentOnARedirectToAnotherHost() throws Exception {
    try (TestHttpServer portal = TestHttpServer.start();
        TestHttpServer storage = TestHttpServer.start()) {
      byte[] meta =
          ("{\"id\":\"abcd-1234\",\"name\":\"D\",\"viewType\":\"tabular\",\"rowsUpdatedAt\":1700000000,"
                  + "\"columns\":[{\"name\":\"A\",\"fieldName\":\"a\",\"dataTypeName\":\"text\"}]}")
              .getBytes();
      // "localhost" and "127.0.0.1" are different origins (and another port)
      String other = storage.uri("/export.csv").toString().replace("127.0.0.1", "localhost");
      portal.script("/api/views/abcd-1234.json", TestHttpServer.ok(meta));
      portal.script("/resource/abcd-1234.csv", TestHttpServer.redirect(302, other));
      storage.script("/export.csv", TestHttpServer.ok("\"a\"\n\"x\"\n".getBytes()));
      SocrataSource source = SocrataSource.builder()
          .baseUrl(portal.uri(""))
          .dataset("abcd-1234")
          .appToken(TOKEN)
          .build();
      try (InputStream in = source.list().get(0).open()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("\"a\"\n\"x\"\n");
      }
      assertThat(portal.requests())
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.header("X-App-Token")).isEqualTo(TOKEN));
      assertThat(storage.requests())
          .hasSize(1)
          .allSatisfy(r -> assertThat(r.header("X-App-Token")).isNull());
    }
  }

  @Test
  void metadataWithoutRowsUpdatedAt_listsAnUnknownTime() {
    SocrataDataset d = SocrataClient.parse(
        "{\"name\":\"\",\"columns\":[{\"fieldName\":\"a\"}]," + "\"rowsUpdatedAt\":null}",
        "abcd-1234",
        "x");
    assertThat(d.rowsUpdatedAt()).isNull();
    assertThat(d.name()).isEqualTo("abcd-1234");
    assertThat(d.columnTypes()).isEmpty();
    assertThatThrownBy(
            () -> SocrataClient.parse("{\"viewType\":\"href\",\"columns\":[]}", "abcd-1234", "x"))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessageContaining("not a table");
  }

  @Test
  void types_mapSocrataNames_ignoringCase_numbersAndUnknownLeftToInference() {
    assertThat(SocrataTypes.of(" Calendar_Date ")).contains(ColumnType.TIMESTAMP);
    assertThat(SocrataTypes.of("floating_timestamp")).contains(ColumnType.TIMESTAMP);
    assertThat(SocrataTypes.of("checkbox")).contains(ColumnType.BOOLEAN);
    assertThat(SocrataTypes.of("point")).contains(ColumnType.STRING);
    assertThat(SocrataTypes.of("location")).contains(ColumnType.STRING);
    assertThat(SocrataTypes.of("number")).isEmpty();
    assertThat(SocrataTypes.of("percent")).isEmpty();
    assertThat(SocrataTypes.of("blob")).isEmpty();
    assertThat(SocrataTypes.of(null)).isEmpty();
  }
}
