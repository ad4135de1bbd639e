package dev.inlet.benchmarks;

import dev.inlet.Codec;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.boston311.Boston311;
import dev.inlet.csv.CsvToParquet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Warm, in-process: converts one CSV held in memory {@code iterations} times (output discarded) and prints, per
 * iteration, the wall time, the CPU time of the converting thread (the calling thread; the CSV parser runs on
 * its own) and of the whole process (parser, GC and JIT included). Thread CPU time is far steadier than wall time on a shared machine, so it is the number to compare
 * when changing the Parquet side. Usage: {@code ConvertCpu CSV [iterations] [codec]}; prints medians of the
 * iterations after the first half (warm-up).
 */
public final class ConvertCpu {
  private ConvertCpu() {}

  public static void main(String[] args) throws IOException {
    byte[] csv = Files.readAllBytes(Path.of(args[0]));
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Codec codec = args.length > 2 ? Codec.valueOf(args[2]) : Codec.ZSTD;
    CsvToParquet converter = Boston311.legacyConverterBuilder().codec(codec).build();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] wall = new double[iterations];
    double[] cpu = new double[iterations];
    double[] processCpu = new double[iterations];
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long bytes = 0;
    for (int i = 0; i < iterations; i++) {
      SourceFile file = SourceFile.builder()
          .id("cpu")
          .name("cpu.csv")
          .opener(offset -> new ByteArrayInputStream(csv))
          .build();
      ConvertBenchmark.DiscardingStaging staging = new ConvertBenchmark.DiscardingStaging();
      long c0 = threads.getCurrentThreadCpuTime();
      long p0 = os.getProcessCpuTime();
      long w0 = System.nanoTime();
      ConversionResult r =
          converter.convert(file, new ByteArrayInputStream(csv), staging, ConversionProgress.NONE);
      wall[i] = (System.nanoTime() - w0) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
      processCpu[i] = (os.getProcessCpuTime() - p0) / 1e6;
      bytes = staging.bytes;
      System.out.printf(
          "iteration %d: %d rows, %.0f ms wall, %.0f ms converting-thread CPU, %.0f ms process CPU%n",
          i, r.rowsOut(), wall[i], cpu[i], processCpu[i]);
    }
    int from = iterations / 2;
    System.out.printf(
        "warm median: %.0f ms wall, %.0f ms converting-thread CPU, %.0f ms process CPU;"
            + " output %d bytes%n",
        median(Arrays.copyOfRange(wall, from, iterations)),
        median(Arrays.copyOfRange(cpu, from, iterations)),
        median(Arrays.copyOfRange(processCpu, from, iterations)),
        bytes);
  }

  private static double median(double[] v) {
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
