package com.example.consumer;

import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A custom source: CSV texts held in memory, one source file per year. Listing reads no bytes. */
public final class InMemoryCsvSource implements Source {
  private final Map<String, byte[]> csvByYear;

  /** @param csvByYear CSV text (with a header) per year, e.g. {@code "2024" -> "id,amount\n1,2.5\n"} */
  public InMemoryCsvSource(Map<String, String> csvByYear) {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    csvByYear.forEach((year, csv) -> copy.put(year, csv.getBytes(StandardCharsets.UTF_8)));
    this.csvByYear = Map.copyOf(copy);
  }

  @Override
  public List<SourceFile> list() {
    List<SourceFile> files = new ArrayList<>();
    csvByYear.keySet().stream().sorted().forEach(year -> {
      byte[] bytes = csvByYear.get(year);
      files.add(SourceFile.builder()
          .id("memory:" + year)
          .name("data_" + year + ".csv")
          .uri(java.net.URI.create("memory:/data_" + year + ".csv"))
          .partition("year", year)
          .version(
              new SourceVersion(null, Instant.EPOCH, (long) bytes.length, "data_" + year + ".csv"))
          .opener(offset -> {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            in.skipNBytes(offset);
            return in;
          })
          .build());
    });
    return files;
  }
}
