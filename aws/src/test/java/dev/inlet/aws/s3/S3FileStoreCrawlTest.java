package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.TableId;
import dev.inlet.crawler.CrawlPlan;
import dev.inlet.crawler.Crawler;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.storage.StoredFile;
import dev.inlet.testing.TempDirStaging;
import dev.inlet.testkit.aws.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The crawler over S3Proxy: listing a prefix, and two range GETs per file (last 8 bytes, then the footer). The aws
 * module has no Hadoop jar on its test class path, so this also shows that footer reading needs no Hadoop.
 */
class S3FileStoreCrawlTest {
  static S3ProxyServer server;
  static RequestRecorder recorder = new RequestRecorder();
  static S3Client s3;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start();
    s3 = server.client(recorder);
    s3.createBucket(r -> r.bucket("lake"));
    put("inlet/events/year=2015/part-0.parquet", parquet("id,name\n1,a\n2,b\n"));
    put("inlet/events/year=2016/part-0.parquet", parquet("id,name,score\n3,c,1.5\n"));
    put("inlet/events/year=2016/_SUCCESS", new byte[0]);
    put("inlet/events/year=2017/", new byte[0]); // a folder marker
    put("other/x.parquet", parquet("id\n1\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    server.close();
  }

  private static void put(String key, byte[] bytes) {
    s3.putObject(r -> r.bucket("lake").key(key), RequestBody.fromBytes(bytes));
  }

  private static byte[] parquet(String csv) throws Exception {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    SourceFile file = SourceFile.builder()
        .id(csv)
        .opener(offset -> new ByteArrayInputStream(bytes))
        .build();
    Path dir = Files.createTempDirectory(tmp, "p");
    TempDirStaging staging = new TempDirStaging(dir);
    try (InputStream in = file.open()) {
      CsvToParquet.builder().build().convert(file, in, staging, ConversionProgress.NONE);
    }
    return Files.readAllBytes(staging.outputs().get(0).path());
  }

  @Test
  void list_returnsFilesBelowThePrefix_withRelativePaths_withoutFolderMarkers() throws Exception {
    S3FileStore storage = S3FileStore.of(s3, URI.create("s3://lake/inlet/events/"));

    assertThat(storage.location()).isEqualTo("s3://lake/inlet/events/");
    assertThat(storage.list(""))
        .extracting(StoredFile::path)
        .containsExactly(
            "year=2015/part-0.parquet", "year=2016/_SUCCESS", "year=2016/part-0.parquet");
  }

  @Test
  void crawl_readsEachFooterWithTwoRangeGets_andPlansTheTable(@TempDir Path warehouse)
      throws Exception {
    S3FileStore storage = S3FileStore.of(s3, "lake", "inlet/events");
    List<StoredFile> files = storage.list("");
    int before = recorder.of("GetObject").size();

    CrawlPlan plan =
        Crawler.builder().target(storage).database("lake").build().plan(LocalCatalog.at(warehouse));

    CrawlPlan.TableChange t = plan.table(TableId.of("lake", "events"));
    assertThat(t).as(plan.toText()).isNotNull();
    assertThat(t.location()).isEqualTo("s3://lake/inlet/events/");
    assertThat(t.schema().names()).containsExactly("id", "name", "score");
    assertThat(t.partitions())
        .extracting(CrawlPlan.PartitionChange::location)
        .containsExactly("s3://lake/inlet/events/year=2015/", "s3://lake/inlet/events/year=2016/");
    List<RequestRecorder.Sent> gets = recorder.of("GetObject").subList(before, before + 4);
    assertThat(recorder.of("GetObject")).hasSize(before + 4);
    for (StoredFile f : List.of(files.get(0), files.get(2))) {
      List<String> ranges = gets.stream()
          .filter(g -> java.net.URLDecoder.decode(g.http().encodedPath(), StandardCharsets.UTF_8)
              .endsWith(f.path()))
          .map(g -> g.header("Range"))
          .toList();
      assertThat(ranges).hasSize(2);
      assertThat(ranges.get(0)).isEqualTo("bytes=" + (f.size() - 8) + "-" + (f.size() - 1));
      assertThat(ranges.get(1)).startsWith("bytes=").endsWith("-" + (f.size() - 9));
    }
  }
}
