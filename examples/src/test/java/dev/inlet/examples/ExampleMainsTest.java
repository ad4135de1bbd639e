package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.PipelineResult;
import dev.inlet.TableId;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.local.LocalCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task-named example mains, run as their documentation says, on local stand-ins for the portal. */
class ExampleMainsTest {
  @TempDir
  Path tmp;

  @Test
  void minimalLocalPipeline_ingestsSixYearsFromAPortal() throws Exception {
    LocalCkanPortal.Builder portal = LocalCkanPortal.builder().dataset("311-service-requests");
    for (int year = 2015; year <= 2020; year++) {
      portal.resource(
          "res-" + year,
          "311 SERVICE REQUESTS - " + year,
          "tmp" + year + ".csv",
          sampleOfYear(tmp, year));
    }
    try (LocalCkanPortal running = portal.start()) {
      PipelineResult result = MinimalLocalPipeline.run(running.baseUri(), tmp.resolve("lake"));

      assertThat(result.succeeded()).isTrue();
      assertThat(result.rowsOut()).isEqualTo(600);
      assertThat(LocalCatalog.at(tmp.resolve("lake"))
              .partitions(TableId.of("boston311", "service_requests")))
          .hasSize(6);
    }
  }

  /**
   * The bundled 100-row January 2022 sample with its dates moved to {@code year}, as that year's file: the legacy
   * converter's year guard refuses a file whose rows are of another year than the one it is published as.
   */
  static Path sampleOfYear(Path dir, int year) throws java.io.IOException {
    String csv;
    try (java.io.InputStream in = ExampleMainsTest.class
        .getClassLoader()
        .getResourceAsStream("boston311-samples/legacy-29col-2022-jan-100rows.csv")) {
      csv = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Path file = dir.resolve("sample-" + year + ".csv");
    Files.writeString(file, csv.replace("2022-", year + "-"));
    return file;
  }

  @Test
  void readmeSnippet_whenTheSourceFileIsMissing_throwsInsteadOfEndingQuietly() {
    // The portal lists 2015 but its download answers an error (as a 404 would): the README's
    // program must fail.
    LocalCkanPortal.Builder portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource(
            dev.inlet.boston311.Boston311Source.LEGACY_RESOURCE_IDS.get(2015),
            "311 SERVICE REQUESTS - 2015",
            "tmp2015.csv",
            new LocalCkanPortal.Content() {
              @Override
              public byte[] bytes() throws java.io.IOException {
                throw new java.io.FileNotFoundException("gone");
              }

              @Override
              public long size() {
                return 10;
              }
            });
    Path lake = tmp.resolve("lake");
    try (LocalCkanPortal running = portal.start()) {
      dev.inlet.Pipeline pipeline = dev.inlet.Pipeline.builder()
          .source(dev.inlet.boston311.Boston311Source.legacy()
              .portal(running.baseUri())
              .years(2015, 2015)
              .downloader(dev.inlet.http.HttpDownloader.builder().maxAttempts(1).build())
              .build())
          .converter(dev.inlet.boston311.Boston311.legacyConverter())
          .sink(dev.inlet.local.LocalWarehouse.at(lake))
          .catalog(LocalCatalog.at(lake))
          .table(TableId.of("boston311", "service_requests"))
          .attempts(1)
          .build();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> pipeline.run().throwIfFailed())
          .isInstanceOf(dev.inlet.PipelineFailedException.class)
          .hasMessageStartingWith(
              "Cannot ingest 1 of 1 file(s) into boston311.service_requests: 311 SERVICE"
                  + " REQUESTS - 2015: ")
          .hasMessageContaining("Cannot download")
          .hasCauseInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void writeYourOwnSource_ingestsEveryYearlyCsvOfAFolder_withInferredTypes() throws Exception {
    Path csvs = Files.createDirectories(tmp.resolve("csv"));
    Files.writeString(
        csvs.resolve("sales_2019.csv"), "store,amount,opened\n001,12.5,2019-03-01 10:00:00\n");
    Files.writeString(
        csvs.resolve("sales_2020.csv"), "store,amount,opened\n002,7.25,2020-01-02 11:30:00\n");
    Files.writeString(csvs.resolve("notes.txt"), "not a csv");

    PipelineResult result = WriteYourOwnSource.run(csvs, tmp.resolve("lake"));

    assertThat(result.failures()).as("failures").isEmpty();
    assertThat(result.files())
        .extracting(f -> f.file().name())
        .containsExactly("sales_2019.csv", "sales_2020.csv");
    LocalCatalog catalog = LocalCatalog.at(tmp.resolve("lake"));
    assertThat(catalog
            .loadTable(TableId.of("my_data", "yearly"))
            .orElseThrow()
            .schema()
            .toString())
        .isEqualTo("[store string, amount double, opened timestamp]");
    assertThat(catalog.partitions(TableId.of("my_data", "yearly")))
        .extracting(p -> p.values())
        .containsExactly(List.of("2019"), List.of("2020"));
  }
}
