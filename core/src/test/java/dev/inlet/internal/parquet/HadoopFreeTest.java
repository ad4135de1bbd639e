package dev.inlet.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Codec;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise that Inlet runs without Hadoop: a conversion with every codec in a fresh JVM whose classpath is this
 * one minus the Hadoop jars, with class loading logged.
 */
class HadoopFreeTest {
  @TempDir
  Path dir;

  /** Run in the child JVM: converts a small CSV with each codec into {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    String csv =
        "id,ts,x,s\n1,2025-01-01 00:00:00,1.5,a\n2,2026-06-01 12:00:00.5+00,2.5,\"b, c\"\n";
    for (Codec codec : Codec.values()) {
      byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
      SourceFile file = SourceFile.builder()
          .id(codec.name())
          .opener(offset -> new ByteArrayInputStream(bytes))
          .build();
      TempDirStaging staging = new TempDirStaging(Path.of(args[0]).resolve(codec.name()));
      try (InputStream in = file.open()) {
        CsvToParquet.builder()
            .codec(codec)
            .build()
            .convert(file, in, staging, ConversionProgress.NONE);
      }
      staging.commit();
    }
    try {
      Class.forName("org.apache.hadoop.conf.Configuration");
      System.out.println("HADOOP-PRESENT");
    } catch (ClassNotFoundException expected) {
      System.out.println("HADOOP-ABSENT");
    }
  }

  @Test
  void convert_inJvmWithoutHadoopJars_worksForEveryCodec() throws Exception {
    String classpath = System.getProperty("java.class.path");
    List<String> entries = Arrays.stream(classpath.split(File.pathSeparator))
        .filter(e ->
            !e.contains("hadoop-client") && !e.contains(File.separator + "hadoop" + File.separator))
        .collect(Collectors.toList());
    // inlet-core declares no Hadoop jar, not even to compile; the filter keeps the child JVM
    // Hadoop-free should a
    // test dependency bring one back
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("child.log");
    List<String> command = new ArrayList<>(List.of(
        java,
        "-Xlog:class+load=info",
        "-cp",
        String.join(File.pathSeparator, entries),
        HadoopFreeTest.class.getName(),
        dir.toString()));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);

    assertThat(p.exitValue())
        .as(out.lines().filter(l -> !l.contains("class,load")).collect(Collectors.joining("\n")))
        .isZero();
    assertThat(out).contains("HADOOP-ABSENT");
    assertThat(out.lines().filter(l -> l.contains("org.apache.hadoop.")).toList())
        .isEmpty();
    assertThat(out).contains("dev.inlet.internal.parquet.ParquetRowWriter");
    try (ConverterDuckDb db = new ConverterDuckDb()) {
      for (Codec codec : Codec.values()) {
        List<Path> files;
        try (var s = Files.walk(dir.resolve(codec.name()))) {
          files = s.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
        assertThat(db.count("SELECT count(*) FROM " + ConverterDuckDb.parquet(files)))
            .isEqualTo(2);
      }
    }
  }
}
