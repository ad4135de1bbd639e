package dev.inlet.csv;

import dev.inlet.Codec;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TempDirStaging;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: generates a Boston-311-like CSV (default 300,000 rows, cycling the real 2015 sample rows with fresh
 * ids and open dates) and times one conversion. Usage: {@code ConversionBenchmark [rows] [workDir] [codec]}.
 */
public final class ConversionBenchmark {
  private ConversionBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("inlet-bench");
    Codec codec = args.length > 2 ? Codec.valueOf(args[2]) : Codec.ZSTD;
    Path csv = work.resolve("boston311-like-" + rows + ".csv");
    if (!Files.exists(csv)) {
      generate(csv, rows);
    }
    System.out.printf("input: %s, %.1f MB%n", csv, Files.size(csv) / 1e6);
    SourceFile file = SourceFile.builder()
        .id("bench")
        .name(csv.getFileName().toString())
        .opener(offset -> Files.newInputStream(csv))
        .partition("year", "2015")
        .build();
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    ConversionResult result;
    TempDirStaging staging = new TempDirStaging(work.resolve("out-" + codec));
    try (InputStream in = file.open()) {
      result = CsvToParquet.builder()
          .codec(codec)
          .build()
          .convert(file, in, staging, ConversionProgress.NONE);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    long outBytes = 0;
    for (Path p : staging.paths()) {
      outBytes += Files.size(p);
    }
    System.out.printf(
        "codec %s: %d rows in %.2f s = %.0f rows/s, %.1f MB/s in; output %.1f MB in %d file(s);"
            + " peak heap (sum of pool peaks) %.0f MB, max heap %.0f MB%n",
        codec,
        result.rowsOut(),
        seconds,
        result.rowsOut() / seconds,
        Files.size(csv) / 1e6 / seconds,
        outBytes / 1e6,
        staging.paths().size(),
        peakHeap / 1e6,
        Runtime.getRuntime().maxMemory() / 1e6);
    System.out.println("schema: " + result.schema());
  }

  static void generate(Path csv, int rows) throws IOException {
    List<String> lines =
        Files.readAllLines(Samples.file(Samples.LEGACY_2015_6221), StandardCharsets.UTF_8);
    String header = lines.get(0);
    List<String> body = lines.subList(1, lines.size());
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write(header);
      w.write('\n');
      for (int i = 0; i < rows; i++) {
        String line = body.get(i % body.size());
        int c1 = line.indexOf(',');
        int c2 = line.indexOf(',', c1 + 1);
        int dayOfYear = i % 365;
        int month = Math.min(12, dayOfYear / 31 + 1);
        int day = dayOfYear % 28 + 1;
        w.write(Long.toString(101_001_000_000L + i));
        w.write(String.format(
            ",2015-%02d-%02d %02d:%02d:%02d", month, day, i % 24, i % 60, (i / 7) % 60));
        w.write(line, c2, line.length() - c2);
        w.write('\n');
      }
    }
  }
}
