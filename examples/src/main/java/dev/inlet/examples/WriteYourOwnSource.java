package dev.inlet.examples;

import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom {@link Source}: every {@code <name>_<year>.csv} in a folder becomes a source file partitioned by year.
 * Types are inferred.
 *
 * <p>Arguments: {@code <csv-folder> [warehouse-dir]}.
 */
public final class WriteYourOwnSource {
  private WriteYourOwnSource() {}

  /** Lists {@code *_YYYY.csv} files of a folder; reading metadata only, as a source must. */
  static final class YearlyCsvFolder implements Source {
    private final Path dir;

    YearlyCsvFolder(Path dir) {
      this.dir = dir;
    }

    @Override
    public List<SourceFile> list() throws IOException {
      List<SourceFile> files = new ArrayList<>();
      try (DirectoryStream<Path> csvs =
          Files.newDirectoryStream(dir, "*_[0-9][0-9][0-9][0-9].csv")) {
        for (Path csv : csvs) {
          String name = csv.getFileName().toString();
          String year = name.substring(name.length() - 8, name.length() - 4);
          files.add(SourceFile.builder()
              .id(csv.toAbsolutePath().toString())
              .name(name)
              .uri(csv.toUri())
              .partition("year", year)
              .version(new SourceVersion(
                  null, Instant.ofEpochMilli(csv.toFile().lastModified()), Files.size(csv), name))
              .opener(offset -> open(csv, offset))
              .build());
        }
      }
      files.sort((a, b) -> a.name().compareTo(b.name()));
      return files;
    }

    private static InputStream open(Path csv, long offset) throws IOException {
      InputStream in = Files.newInputStream(csv);
      in.skipNBytes(offset);
      return in;
    }
  }

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("Usage: WriteYourOwnSource <csv-folder> [warehouse-dir]");
      System.exit(2);
    }
    PipelineResult result = run(Path.of(args[0]), Path.of(args.length > 1 ? args[1] : "lake"));
    System.out.println(
        result.rowsOut() + " rows; " + (result.succeeded() ? "ok" : result.failures()));
    System.exit(result.succeeded() ? 0 : 1);
  }

  /** Ingests every {@code *_YYYY.csv} of {@code csvFolder} into table {@code my_data.yearly} of {@code lake}. */
  public static PipelineResult run(Path csvFolder, Path lake) {
    return Pipeline.builder()
        .source(new YearlyCsvFolder(csvFolder))
        .converter(CsvToParquet.create())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(TableId.of("my_data", "yearly"))
        .build()
        .run();
  }
}
