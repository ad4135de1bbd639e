package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ConversionResult;
import dev.inlet.InletException;
import dev.inlet.Partition;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.SourceFile;
import dev.inlet.boston311.Boston311;
import dev.inlet.boston311.Boston311Source;
import dev.inlet.ckan.LocalCkanPortal;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F8: a yearly file whose rows are of another year (the 2015 file served as 2022) fails before anything is written. */
class YearGuardTest {
  @TempDir
  Path dir;

  private static SourceFile yearly(String name, Path file, String year) {
    return SourceFile.builder()
        .id(name)
        .name(name)
        .partition("year", year)
        .opener(offset -> {
          InputStream in = Files.newInputStream(file);
          in.skipNBytes(offset);
          return in;
        })
        .build();
  }

  private static SourceFile yearly(String name, String csv, String year) {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    return SourceFile.builder()
        .id(name)
        .name(name)
        .partition("year", year)
        .opener(offset ->
            new java.io.ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  @Test
  void legacyPreset_when2015FileIsServedAs2022_failsNamingFileAndYears_andWritesNothing() {
    // the chunked path (bad rows fail) and the row-by-row path (bad rows quarantined) have the same
    // guard
    for (CsvToParquet converter : new CsvToParquet[] {
      Boston311.legacyConverterBuilder().build(),
      Boston311.legacyConverterBuilder().badRows(BadRowPolicy.QUARANTINE).build()
    }) {
      TempDirStaging staging =
          new TempDirStaging(dir.resolve(converter.badRows().name()));
      assertThatThrownBy(() -> convert(
              converter,
              yearly("tmp_2022.csv", Samples.file(Samples.LEGACY_2015_6221), "2022"),
              staging))
          .isInstanceOf(InletException.class)
          .hasMessageStartingWith(
              "Cannot ingest tmp_2022.csv as year=2022: 6,221 of its 6,221 rows (100 %) have"
                  + " open_dt in another year, most of them in 2015 (6,221 rows)")
          .hasMessageContaining("--allow-year-mismatch");
    }
  }

  @Test
  void pipeline_when2015FileIsRepublishedAs2022_failsAndTheLakeKeeps2022() throws Exception {
    Path lake = dir.resolve("lake");
    PipelineResult first = ingest2022(lake, Samples.LEGACY_2022_100, Boston311.legacyConverter());
    assertThat(first.succeeded()).isTrue();
    List<Partition> before = LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE);

    PipelineResult second = ingest2022(lake, Samples.LEGACY_2015_6221, Boston311.legacyConverter());

    assertThat(second.succeeded()).isFalse();
    assertThat(second.failures().get(0).error())
        .hasMessageContaining("as year=2022: 6,221 of its 6,221 rows");
    assertThat(LocalCatalog.at(lake).partitions(Boston311.LEGACY_TABLE)).isEqualTo(before);
    assertThat(before.get(0).parameters()).containsEntry(Pipeline.PARAM_ROWS, "100");
    try (java.util.stream.Stream<Path> files = Files.walk(lake.resolve("bronze"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet"))).hasSize(1);
    }
    // the user who knows better turns the guard off
    assertThat(ingest2022(
                lake,
                Samples.LEGACY_2015_6221,
                Boston311.legacyConverterBuilder().noYearGuard().build())
            .succeeded())
        .isTrue();
  }

  private static PipelineResult ingest2022(Path lake, String sample, dev.inlet.Converter converter)
      throws IOException {
    try (LocalCkanPortal portal = LocalCkanPortal.builder()
        .dataset("311-service-requests")
        .resource("r2022", "311 SERVICE REQUESTS - 2022", "tmp_2022.csv", Samples.file(sample))
        .start()) {
      return Pipeline.builder()
          .source(Boston311Source.legacy()
              .portal(portal.baseUri())
              .years(List.of(2022))
              .build())
          .converter(converter)
          .sink(LocalWarehouse.at(lake))
          .catalog(LocalCatalog.at(lake))
          .table(Boston311.LEGACY_TABLE)
          .build()
          .run();
    }
  }

  @Test
  void legacyPreset_whenFileIsOfItsYear_orGuardIsOff_converts() throws IOException {
    Path file = Samples.file(Samples.LEGACY_2015_6221);
    ConversionResult r = convert(
        Boston311.legacyConverterBuilder().build(),
        yearly("2015.csv", file, "2015"),
        new TempDirStaging(dir.resolve("own")));
    assertThat(r.rowsByPartition()).isEqualTo(Map.of(Map.of("year", "2015"), 6221L));
    r = convert(
        Boston311.legacyConverterBuilder().noYearGuard().build(),
        yearly("2022.csv", file, "2022"),
        new TempDirStaging(dir.resolve("off")));
    assertThat(r.rowsByPartition()).isEqualTo(Map.of(Map.of("year", "2022"), 6221L));
  }

  @Test
  void guard_allowsUpToItsShareOfRowsInOtherYears_ignoringNulls() throws IOException {
    // 3 of 5 dated rows in 2021, 2 in 2022 (the boundary rows show the year is taken exactly), one
    // null
    String csv = "id,ts\n1,2021-12-31 23:59:59\n2,2022-01-01 00:00:00\n3,2021-06-01 00:00:00\n4,\n"
        + "5,2021-01-01 00:00:00\n6,2022-12-31 23:59:59\n";
    CsvToParquet half = CsvToParquet.builder().yearGuard("TS").build();
    assertThatThrownBy(
            () -> convert(half, yearly("a.csv", csv, "2022"), new TempDirStaging(dir.resolve("a"))))
        .hasMessageStartingWith(
            "Cannot ingest a.csv as year=2022: 3 of its 5 rows (60 %) have ts in another"
                + " year, most of them in 2021 (3 rows)");
    assertThat(convert(half, yearly("b.csv", csv, "2021"), new TempDirStaging(dir.resolve("b")))
            .rowsOut())
        .isEqualTo(6);
    CsvToParquet strict = CsvToParquet.builder().yearGuard("ts", 0.0).build();
    assertThatThrownBy(() ->
            convert(strict, yearly("c.csv", csv, "2021"), new TempDirStaging(dir.resolve("c"))))
        .hasMessageContaining(
            "2 of its 5 rows (40 %) have ts in another year, most of them in 2022");
    // no declared year (or not a number): nothing to check
    assertThat(convert(
                strict,
                CsvFixtures.source("d.csv", csv.getBytes(StandardCharsets.UTF_8)),
                new TempDirStaging(dir.resolve("d")))
            .rowsOut())
        .isEqualTo(6);
    assertThat(convert(strict, yearly("e.csv", csv, "latest"), new TempDirStaging(dir.resolve("e")))
            .rowsOut())
        .isEqualTo(6);
  }

  @Test
  void guard_whenColumnIsMissingOrNotATimestamp_failsAtTheHeader() {
    CsvToParquet guard = CsvToParquet.builder().yearGuard("ts").build();
    assertThatThrownBy(
            () -> convert(guard, yearly("a.csv", "id,x\n1,2\n", "2022"), new TempDirStaging(dir)))
        .hasMessageContaining("line 1")
        .hasMessageContaining("the file has no column 'ts' (columns: [id, x])");
    assertThatThrownBy(
            () -> convert(guard, yearly("a.csv", "id,ts\n1,2\n", "2022"), new TempDirStaging(dir)))
        .hasMessageContaining("column 'ts' is bigint, not timestamp or date");
    assertThatThrownBy(() -> CsvToParquet.builder().yearGuard("ts", 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noYearGuard()");
  }
}
