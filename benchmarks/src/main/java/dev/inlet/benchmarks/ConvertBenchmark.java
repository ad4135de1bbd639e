package dev.inlet.benchmarks;

import dev.inlet.Codec;
import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.DataFile;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.boston311.Boston311;
import dev.inlet.csv.CsvToParquet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm, in-process conversion of a generated Boston-311-like CSV held in memory, output discarded: the steady
 * state of parse + convert + encode + compress, without disk or JVM start-up. Run with
 * {@code java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' org.openjdk.jmh.Main ConvertBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m", "-XX:+UseParallelGC"})
public class ConvertBenchmark {
  @Param({"100000"})
  public int rows;

  @Param({"ZSTD"})
  public String codec;

  /** {@code boston311}: the explicit legacy schema; {@code infer}: inference from the first 1000 records. */
  @Param({"boston311", "infer"})
  public String schema;

  private byte[] csv;
  private CsvToParquet converter;

  @Setup
  public void setUp() throws IOException {
    Path tmp = Files.createTempFile("inlet-jmh", ".csv");
    try {
      Boston311LikeCsv.write(tmp, rows, 311, 2015);
      csv = Files.readAllBytes(tmp);
    } finally {
      Files.delete(tmp);
    }
    CsvToParquet.Builder b =
        schema.equals("boston311") ? Boston311.legacyConverterBuilder() : CsvToParquet.builder();
    converter = b.codec(Codec.valueOf(codec)).build();
  }

  @Benchmark
  public long convert() throws IOException {
    SourceFile file = SourceFile.builder()
        .id("jmh")
        .name("jmh.csv")
        .opener(offset -> new ByteArrayInputStream(csv))
        .build();
    ConversionResult r = converter.convert(
        file, new ByteArrayInputStream(csv), new DiscardingStaging(), ConversionProgress.NONE);
    return r.rowsOut();
  }

  /** Counts bytes and discards them. */
  static final class DiscardingStaging implements Staging {
    long bytes;

    @Override
    public OutputStream newOutput(Map<String, String> partition) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes += len;
        }
      };
    }

    @Override
    public List<DataFile> commit() {
      return List.of();
    }

    @Override
    public void abort() {}

    @Override
    public void close() {}
  }
}
