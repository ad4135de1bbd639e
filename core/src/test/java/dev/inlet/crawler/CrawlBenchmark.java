package dev.inlet.crawler;

import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.storage.LocalFileStore;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Not a test: writes {@code files} small Parquet files (default 1,000) in {@code partitions} folders (default 100,
 * {@code day=NNN}) and times crawls of them into an empty local catalog: the first in a fresh JVM (cold), then warm
 * ones, then applying the plan. Usage: {@code CrawlBenchmark [files] [partitions] [workDir]}; see docs/crawler.md.
 */
public final class CrawlBenchmark {
  private CrawlBenchmark() {}

  public static void main(String[] args) throws IOException {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("inlet-crawl-bench");
    Path data = work.resolve("events");
    Path one = sampleFile(work);
    for (int i = 0; i < files; i++) {
      Path folder = data.resolve(String.format("day=%03d", i % partitions));
      Files.createDirectories(folder);
      Files.copy(
          one,
          folder.resolve(String.format("part-%05d.parquet", i)),
          StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.printf(
        "data: %s, %d files of %d bytes in %d partitions%n",
        data, files, Files.size(one), partitions);
    Crawler crawler =
        Crawler.builder().target(LocalFileStore.at(data)).database("bench").build();
    for (int run = 1; run <= 6; run++) {
      Path warehouse = Files.createTempDirectory(work, "warehouse");
      LocalCatalog catalog = LocalCatalog.at(warehouse);
      long start = System.nanoTime();
      CrawlPlan plan = crawler.plan(catalog);
      long planned = System.nanoTime();
      crawler.apply(plan, catalog);
      long applied = System.nanoTime();
      System.out.printf(
          "run %d%s: plan %d ms (%d footers read, %d partitions), apply %d ms, total %d ms%n",
          run,
          run == 1 ? " (cold JVM)" : "",
          (planned - start) / 1_000_000,
          plan.filesRead(),
          plan.tables().get(0).partitions().size(),
          (applied - planned) / 1_000_000,
          (applied - start) / 1_000_000);
    }
  }

  private static Path sampleFile(Path work) throws IOException {
    StringBuilder csv = new StringBuilder("id,opened,subject,latitude\n");
    for (int i = 0; i < 50; i++) {
      csv.append(i)
          .append(",2024-01-0")
          .append(1 + i % 9)
          .append(" 10:00:00,Subject ")
          .append(i % 7)
          .append(',')
          .append(42.3 + i / 1000.0)
          .append('\n');
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    SourceFile file = SourceFile.builder()
        .id("bench")
        .opener(offset -> new ByteArrayInputStream(bytes))
        .build();
    TempDirStaging staging = new TempDirStaging(work.resolve("sample"));
    try (InputStream in = file.open()) {
      CsvToParquet.builder().build().convert(file, in, staging, ConversionProgress.NONE);
    }
    staging.commit();
    return staging.outputs().get(0).path();
  }
}
