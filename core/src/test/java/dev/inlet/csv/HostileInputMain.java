package dev.inlet.csv;

import dev.inlet.ConversionResult;
import dev.inlet.Converter.ConversionProgress;
import dev.inlet.MalformedInputException;
import dev.inlet.SourceFile;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM with a small heap by {@link BoundedMemoryTest}: converts one generated hostile (or large but
 * valid) input with the default limits and prints {@code OK rows=<n>}, {@code MALFORMED <message>} or
 * {@code OOM}. The input is generated as it is read, so the input itself takes no memory.
 */
public final class HostileInputMain {
  private HostileInputMain() {}

  public static void main(String[] args) throws IOException {
    String kind = args[0];
    Path dir = Files.createTempDirectory("inlet-hostile");
    try (InputStream in = input(kind)) {
      SourceFile file = SourceFile.builder()
          .id(kind + ".csv")
          .name(kind + ".csv")
          .opener(offset -> {
            throw new IOException("not reopened");
          })
          .build();
      CsvToParquet converter = kind.startsWith("years")
          ? dev.inlet.boston311.Boston311.newSystemConverterBuilder().build()
          : kind.equals("wide-years")
              ? CsvToParquet.builder()
                  .partitionBy(PartitionSpec.yearOf("created"))
                  .build()
              : kind.equals("wide-values")
                  ? CsvToParquet.builder()
                      .partitionBy(PartitionSpec.byColumn("created"))
                      .build()
                  : CsvToParquet.create();
      ConversionResult r =
          converter.convert(file, in, new TempDirStaging(dir), ConversionProgress.NONE);
      System.out.println("OK rows=" + r.rowsOut());
    } catch (MalformedInputException e) {
      System.out.println("MALFORMED " + e.getMessage());
    } catch (OutOfMemoryError e) {
      System.out.println("OOM");
      System.out.flush();
      Runtime.getRuntime().halt(3);
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  static InputStream input(String kind) throws IOException {
    switch (kind) {
      case "years-ok": // the new-system sample's rows, 300,000 of them, cycling through 100 years
        // (the default limit)
        return newSystemYears(300_000, 100);
      case "wide-years": // 150,000 rows of 2 KB of text that neither compresses nor repeats, over
        // 15 years
        return wideYears(150_000, 15, 2000);
      case "wide-values": // the same rows over 100 values of a column (the default limit), every
        // chunk in all
        return wideYears(150_000, 100, 2000);
      case "field": // one quoted field of 200 MB
        return new Generated("id,text\n1,\"", "x", 200L << 20, "\"\n2,y\n");
      case "unclosed": // a quote never closed swallows 200 MB of ordinary records
        return new Generated("id,text\n1,\"oops\n", "2,hello world\n", (200L << 20) / 14, "");
      case "columns": // 10,000 columns x 300 rows
        return new Generated(header(10_000) + "\n", row(10_000) + "\n", 300, "");
      case "columns-ok": // at the default limit: 1,000 columns x 3,000 rows
        return new Generated(header(1000) + "\n", row(1000) + "\n", 3000, "");
      case "fields-ok": // 300 records each with a field at the default limit
        return new Generated(
            "id,text\n",
            "1,\"" + "y".repeat(CsvToParquet.DEFAULT_MAX_FIELD_BYTES) + "\"\n",
            300,
            "");
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private static InputStream newSystemYears(int rows, int years) throws IOException {
    java.util.List<String> lines = Files.readAllLines(
        dev.inlet.testing.Samples.file(dev.inlet.testing.Samples.NEW_SYSTEM_5473),
        StandardCharsets.UTF_8);
    java.util.List<String> body = lines.subList(1, lines.size());
    return new InputStream() {
      private int row = -1;
      private byte[] current = (lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8);
      private int pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos == current.length) {
          if (++row >= rows) {
            return -1;
          }
          String line = body.get(row % body.size());
          int c1 = line.indexOf(',');
          // open_date is the second column, "yyyy-...": give each row the year 1900 + row % years
          current = (line.substring(0, c1 + 1) + (1900 + row % years) + line.substring(c1 + 5)
                  + "\n")
              .getBytes(StandardCharsets.UTF_8);
          pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /**
   * {@code rows} rows of {@code id,created,text}: the year cycles through {@code years} years from 2010, the text is
   * {@code textChars} pseudo-random letters (seeded), so each partition's row group buffer grows by about that much
   * per row.
   */
  private static InputStream wideYears(int rows, int years, int textChars) {
    return new InputStream() {
      private int row = -1;
      private byte[] current = "id,created,text\n".getBytes(StandardCharsets.US_ASCII);
      private int pos;
      private long seed = 42;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos == current.length) {
          if (++row >= rows) {
            return -1;
          }
          StringBuilder sb = new StringBuilder(textChars + 40);
          sb.append(row).append(',').append(2010 + row % years).append("-06-01 12:00:00,");
          for (int i = 0; i < textChars; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            sb.append((char) ('a' + (int) ((seed >>> 33) % 26)));
          }
          current = sb.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
          pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private static String header(int n) {
    StringBuilder sb = new StringBuilder("c0");
    for (int i = 1; i < n; i++) {
      sb.append(",c").append(i);
    }
    return sb.toString();
  }

  private static String row(int n) {
    StringBuilder sb = new StringBuilder("1");
    for (int i = 1; i < n; i++) {
      sb.append(',').append(i % 10 == 0 ? "text value " + i : Integer.toString(i));
    }
    return sb.toString();
  }

  /** {@code prefix}, {@code unit} {@code times} times, {@code suffix}: generated as read. */
  static final class Generated extends InputStream {
    private final byte[] prefix;
    private final byte[] unit;
    private final byte[] suffix;
    private final long total;
    private long pos;

    Generated(String prefix, String unit, long times, String suffix) {
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
      this.unit = unit.getBytes(StandardCharsets.UTF_8);
      this.suffix = suffix.getBytes(StandardCharsets.UTF_8);
      this.total = this.prefix.length + this.unit.length * times + this.suffix.length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - pos);
      long bodyEnd = total - suffix.length;
      for (int i = 0; i < n; i++) {
        long p = pos + i;
        b[off + i] = p < prefix.length
            ? prefix[(int) p]
            : p < bodyEnd
                ? unit[(int) ((p - prefix.length) % unit.length)]
                : suffix[(int) (p - bodyEnd)];
      }
      pos += n;
      return n;
    }
  }
}
