package dev.inlet.examples;

import dev.inlet.Codec;
import dev.inlet.ConversionResult;
import dev.inlet.MalformedInputException;
import dev.inlet.boston311.Boston311;
import dev.inlet.csv.CsvToParquet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code convert IN.csv OUT.parquet}: one CSV file to one Parquet file. */
final class ConvertCommand {
  private ConvertCommand() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    args.allowPositional("--codec", "--schema");
    if (args.positional().size() != 2) {
      throw new IllegalArgumentException("convert takes IN.csv and OUT.parquet");
    }
    Path in = Path.of(args.positional().get(0));
    Path target = Path.of(args.positional().get(1));
    Codec codec = parseCodec(args.get("--codec", "zstd"));
    String schema = args.get("--schema", "infer");
    CsvToParquet.Builder converter;
    switch (schema) {
      case "boston311":
        converter = Boston311.legacyConverterBuilder();
        break;
      case "boston311-new-system":
        converter = Boston311.newSystemConverterBuilder();
        break;
      case "infer":
        converter = CsvToParquet.builder();
        break;
      default:
        throw new IllegalArgumentException(
            "Unknown --schema '" + schema + "': use boston311, boston311-new-system or infer");
    }
    if (!Files.isRegularFile(in)) {
      err.println("Cannot convert " + in + ": no such file");
      return 1;
    }
    long start = System.nanoTime();
    try {
      ConversionResult result = converter.codec(codec).build().convertFile(in, target);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "Converted %s -> %s: %,d rows, %.1f MB -> %.1f MB, %.2f s (%,.0f rows/s)%n",
          in,
          target,
          result.rowsOut(),
          Files.size(in) / 1e6,
          Files.size(target) / 1e6,
          seconds,
          result.rowsOut() / seconds);
      out.println("Schema: " + result.schema());
      return 0;
    } catch (MalformedInputException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("Cannot convert " + in + ": " + e.getMessage());
      return 1;
    }
  }

  private static Codec parseCodec(String name) {
    try {
      return Codec.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown --codec '" + name + "': use zstd, snappy, gzip or none");
    }
  }
}
