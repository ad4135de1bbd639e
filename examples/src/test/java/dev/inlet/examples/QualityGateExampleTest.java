package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.inlet.local.LocalCatalog;
import dev.inlet.quality.CheckResult;
import dev.inlet.quality.Outcome;
import dev.inlet.quality.PublishRefusedException;
import dev.inlet.silver.Refinement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate snippet of docs/quality.md, run on the bundled sample: a failing version is refused, a passing one published. */
class QualityGateExampleTest {
  @TempDir
  Path tmp;

  @Test
  void aVersionFailingAFailCheckIsNotPublished_thenAPassingOneIs() throws Exception {
    Path lake = tmp.resolve("lake");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();
    LocalCatalog catalog = LocalCatalog.at(lake);

    // the sample's 2015 has 6,221 rows: at most 5,000 per year refuses the version
    PublishRefusedException refused = catchThrowableOfType(
        () -> QualityGateExample.refineGated(lake, QualityGateExample.checks(5_000)),
        PublishRefusedException.class);

    assertThat(refused).isNotNull();
    assertThat(refused.table()).isEqualTo(QualityGateExample.REQUESTS);
    assertThat(refused.result().results())
        .filteredOn(CheckResult::blocks)
        .extracting(CheckResult::partition, CheckResult::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("year=2015", Outcome.FAILED));
    assertThat(refused.getMessage())
        .contains("the previous version stays live")
        .contains(
            "row_count by year on boston311.requests [year=2015]: 6221 rows, allowed between 1 and 5000");
    assertThat(catalog.loadTable(QualityGateExample.REQUESTS)).isEmpty();
    assertThat(parquetFiles(lake.resolve("silver"))).isEmpty();

    List<Refinement.TableResult> published =
        QualityGateExample.refineGated(lake, QualityGateExample.checks(10_000_000));

    assertThat(published).singleElement().satisfies(r -> {
      assertThat(r.rebuilt())
          .containsExactly(List.of("2015"), List.of("2022"), List.of("2025"), List.of("2026"));
      assertThat(r.rows()).isEqualTo(11_794);
    });
    assertThat(catalog.partitions(QualityGateExample.REQUESTS)).hasSize(4);

    dev.inlet.quality.QualityResult first =
        QualityGateExample.check(lake, QualityGateExample.checks(5_000));
    assertThat(first.blocks()).isTrue();
    assertThat(first.summary())
        .contains("FAIL  row_count by year on boston311.requests [year=2015]");
    dev.inlet.quality.QualityResult second =
        QualityGateExample.check(lake, QualityGateExample.checks(10_000_000));
    assertThat(second.blocks()).isFalse();
    assertThat(second.results())
        .filteredOn(r -> r.check().kind() == dev.inlet.quality.Check.Kind.ROW_COUNT_CHANGE)
        .extracting(CheckResult::message)
        .contains("6221 rows, 6221 in the previous run (+0%), allowed ±50%");
  }

  private static List<Path> parquetFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).toList();
    }
  }
}
