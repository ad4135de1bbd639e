package dev.inlet.benchmarks;

import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.SourceFile;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.csv.PartitionSpec;
import dev.inlet.testing.TempDirStaging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;

/**
 * One partitioned conversion of a local CSV file in a fresh process (types inferred), written to a temporary
 * directory: prints wall time, rows, files, row groups and their median rows, then deletes the files. Run with
 * {@code java -Xmx256m -cp 'benchmarks/target/classes:benchmarks/target/lib/*'
 * dev.inlet.benchmarks.ConvertPartitioned FILE.csv (year-of:COLUMN | COLUMN | none)}.
 */
public final class ConvertPartitioned {
  private ConvertPartitioned() {}

  public static void main(String[] args) throws Exception {
    Path csv = Path.of(args[0]);
    String spec = args[1];
    CsvToParquet.Builder b = CsvToParquet.builder();
    if (spec.startsWith("year-of:")) {
      b.partitionBy(PartitionSpec.yearOf(spec.substring("year-of:".length())));
    } else if (!spec.equals("none")) {
      b.partitionBy(PartitionSpec.byColumn(spec));
    }
    CsvToParquet converter = b.build();
    Path dir = Files.createTempDirectory("inlet-partitioned");
    try {
      SourceFile file = SourceFile.builder()
          .id(csv.toString())
          .name(csv.getFileName().toString())
          .opener(offset -> {
            throw new IOException("not reopened");
          })
          .build();
      long start = System.nanoTime();
      ConversionResult r;
      try (InputStream in = Files.newInputStream(csv)) {
        r = converter.convert(file, in, new TempDirStaging(dir), ConversionProgress.NONE);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Path> files;
      try (Stream<Path> s = Files.walk(dir)) {
        files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
      }
      long[] groupRows = files.stream()
          .flatMap(ConvertPartitioned::rowGroupRows)
          .mapToLong(Long::longValue)
          .sorted()
          .toArray();
      long bytes = 0;
      for (Path p : files) {
        bytes += Files.size(p);
      }
      System.out.printf(
          "%s %s: %.2f s, %d rows, %d partitions, %d files, %d MB, %d row groups (median %d rows)%n",
          csv.getFileName(),
          spec,
          seconds,
          r.rowsOut(),
          r.rowsByPartition().size(),
          files.size(),
          bytes >> 20,
          groupRows.length,
          groupRows.length == 0 ? 0 : groupRows[groupRows.length / 2]);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Stream<Long> rowGroupRows(Path p) {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
      byte[] tail = new byte[8];
      f.seek(f.length() - 8);
      f.readFully(tail);
      int len = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt();
      byte[] footer = new byte[len];
      f.seek(f.length() - 8 - len);
      f.readFully(footer);
      FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(footer));
      return md.getRow_groups().stream().map(g -> g.getNum_rows()).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
