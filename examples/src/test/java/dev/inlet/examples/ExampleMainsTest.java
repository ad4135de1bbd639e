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
  @TempDir Path tmp;

  @Test
  void minimalLocalPipeline_ingestsSixYearsFromAPortal() {
    LocalCkanPortal.Builder portal = LocalCkanPortal.builder().dataset("311-service-requests");
    for (int year = 2015; year <= 2020; year++) {
      portal.classpathResource("res-" + year, "311 SERVICE REQUESTS - " + year, "tmp" + year + ".csv",
          ExampleMainsTest.class.getClassLoader(), "boston311-samples/legacy-29col-2022-jan-100rows.csv");
    }
    try (LocalCkanPortal running = portal.start()) {
      PipelineResult result = MinimalLocalPipeline.run(running.baseUri(), tmp.resolve("lake"));

      assertThat(result.succeeded()).isTrue();
      assertThat(result.rowsOut()).isEqualTo(600);
      assertThat(LocalCatalog.at(tmp.resolve("lake")).partitions(TableId.of("boston311", "service_requests")))
          .hasSize(6);
    }
  }

  @Test
  void writeYourOwnSource_ingestsEveryYearlyCsvOfAFolder_withInferredTypes() throws Exception {
    Path csvs = Files.createDirectories(tmp.resolve("csv"));
    Files.writeString(csvs.resolve("sales_2019.csv"), "store,amount,opened\n001,12.5,2019-03-01 10:00:00\n");
    Files.writeString(csvs.resolve("sales_2020.csv"), "store,amount,opened\n002,7.25,2020-01-02 11:30:00\n");
    Files.writeString(csvs.resolve("notes.txt"), "not a csv");

    PipelineResult result = WriteYourOwnSource.run(csvs, tmp.resolve("lake"));

    assertThat(result.failures()).as("failures").isEmpty();
    assertThat(result.files()).extracting(f -> f.file().name()).containsExactly("sales_2019.csv", "sales_2020.csv");
    LocalCatalog catalog = LocalCatalog.at(tmp.resolve("lake"));
    assertThat(catalog.loadTable(TableId.of("my_data", "yearly")).orElseThrow().schema().toString())
        .isEqualTo("[store string, amount double, opened timestamp]");
    assertThat(catalog.partitions(TableId.of("my_data", "yearly"))).extracting(p -> p.values())
        .containsExactly(List.of("2019"), List.of("2020"));
  }
}
