package dev.inlet.csv;

import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers to run a conversion in tests. */
final class CsvFixtures {
  private CsvFixtures() {}

  static SourceFile source(String name, Path file) {
    return SourceFile.builder()
        .id(name)
        .name(name)
        .opener(offset -> {
          InputStream in = Files.newInputStream(file);
          in.skipNBytes(offset);
          return in;
        })
        .build();
  }

  static SourceFile source(String name, byte[] bytes) {
    return SourceFile.builder()
        .id(name)
        .name(name)
        .opener(
            offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset))
        .build();
  }

  static ConversionResult convert(CsvToParquet converter, SourceFile file, TempDirStaging staging)
      throws IOException {
    try (InputStream in = file.open()) {
      return converter.convert(file, in, staging, ConversionProgress.NONE);
    }
  }

  static ConversionResult convert(CsvToParquet converter, String csv, TempDirStaging staging)
      throws IOException {
    return convert(converter, source("test.csv", csv.getBytes(StandardCharsets.UTF_8)), staging);
  }
}
