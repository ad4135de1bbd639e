package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.ColumnType;
import dev.inlet.Schema;
import dev.inlet.testing.ConverterDuckDb;
import dev.inlet.testing.TempDirStaging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Arbitrary typed tables written as RFC 4180 CSV, converted, and read back by DuckDB equal the input. */
class CsvRoundTripProperties {
  private static final List<ColumnType> TYPES = List.of(
      ColumnType.STRING,
      ColumnType.BIGINT,
      ColumnType.DOUBLE,
      ColumnType.BOOLEAN,
      ColumnType.TIMESTAMP);
  private static final long MIN_MICROS = -2_208_988_800_000_000L; // 1900-01-01
  private static final long MAX_MICROS = 4_102_444_800_000_000L; // 2100-01-01

  private static ConverterDuckDb db;

  /** A timestamp value, in microseconds since the epoch (wall clock), and how it is spelled. */
  record Micros(long value, int style) {}

  /** A cell: its value (null, String, Long, Double, Boolean, Micros) and how a null or string is spelled. */
  record Cell(Object value, int spelling) {}

  record Table(List<ColumnType> types, List<List<Cell>> rows) {}

  @BeforeContainer
  static void openDb() {
    db = new ConverterDuckDb();
  }

  @AfterContainer
  static void closeDb() {
    db.close();
  }

  @Provide
  Arbitrary<Table> tables() {
    return Arbitraries.of(TYPES).list().ofMinSize(1).ofMaxSize(5).flatMap(types -> {
      List<Arbitrary<Cell>> cells = new ArrayList<>();
      for (ColumnType t : types) {
        cells.add(cell(t));
      }
      Arbitrary<List<Cell>> row = Combinators.combine(cells).as(list -> list);
      return row.list().ofMaxSize(25).map(rows -> new Table(types, rows));
    });
  }

  private static Arbitrary<Cell> cell(ColumnType t) {
    Arbitrary<?> value;
    switch (t.kind()) {
      case BIGINT:
        value = Arbitraries.longs();
        break;
      case DOUBLE:
        value = Arbitraries.doubles().filter(Double::isFinite);
        break;
      case BOOLEAN:
        value = Arbitraries.of(true, false);
        break;
      case TIMESTAMP:
        value = Combinators.combine(
                Arbitraries.longs().between(MIN_MICROS, MAX_MICROS),
                Arbitraries.integers().between(0, 3))
            .as(Micros::new);
        break;
      default:
        value = Arbitraries.strings()
            .withChars("abcXYZ 019,;\"'\n\r\t\u00e9\u6f22\u00a0")
            .ofMaxLength(12);
    }
    Arbitrary<Object> nullable = value.map(v -> (Object) v).injectNull(0.2);
    return Combinators.combine(nullable, Arbitraries.integers().between(0, 2)).as(Cell::new);
  }

  /** What the converter promises for a string: trimmed of blanks and no-break spaces; empty is null. */
  private static String expectedString(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) <= ' ' || s.charAt(a) == '\u00a0')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) <= ' ' || s.charAt(b - 1) == '\u00a0')) {
      b--;
    }
    return a == b ? null : s.substring(a, b);
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static String spell(Cell cell, boolean singleColumn) {
    Object v = cell.value();
    if (v == null) {
      // a blank line is skipped as a blank line, so a one-column null is always spelled quoted
      return singleColumn ? "\"\"" : new String[] {"", "\"\"", " "}[cell.spelling()];
    }
    if (v instanceof String s) {
      return quoted(s);
    }
    if (v instanceof Boolean bool) {
      String text = bool.toString();
      return cell.spelling() == 1 ? text.toUpperCase() : text;
    }
    if (v instanceof Micros m) {
      LocalDateTime t = LocalDateTime.ofEpochSecond(
          Math.floorDiv(m.value(), 1_000_000L),
          (int) Math.floorMod(m.value(), 1_000_000L) * 1000,
          ZoneOffset.UTC);
      String iso = t.toString(); // yyyy-MM-ddTHH:mm[:ss[.fff...]]
      if (t.getSecond() == 0 && t.getNano() == 0) {
        iso += ":00";
      }
      switch (m.style()) {
        case 1:
          return iso.replace('T', ' ');
        case 2:
          return iso + "Z";
        case 3:
          return t.minusHours(5).toString().replace('T', ' ')
              + (t.minusHours(5).getSecond() == 0 && t.getNano() == 0 ? ":00" : "") + "-05:00";
        default:
          return iso;
      }
    }
    return v.toString();
  }

  @Property(tries = 50)
  void convert_thenRead_equalsInput(@ForAll("tables") Table table) throws IOException {
    int n = table.types().size();
    Schema.Builder schema = Schema.builder();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < n; i++) {
      schema.column("c" + i, table.types().get(i));
      csv.append(i == 0 ? "" : ",").append("C").append(i);
    }
    String eol = table.rows().size() % 2 == 0 ? "\r\n" : "\n";
    csv.append(eol);
    for (List<Cell> row : table.rows()) {
      for (int i = 0; i < n; i++) {
        csv.append(i == 0 ? "" : ",").append(spell(row.get(i), n == 1));
      }
      csv.append(eol);
    }
    Path dir = Files.createTempDirectory("roundtrip");
    try {
      TempDirStaging staging = new TempDirStaging(dir);
      CsvFixtures.convert(
          CsvToParquet.builder().schema(schema.build()).build(), csv.toString(), staging);

      List<String> select = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        select.add(
            table.types().get(i).equals(ColumnType.TIMESTAMP)
                ? "epoch_us(c" + i + ") AS c" + i
                : "c" + i);
      }
      List<Map<String, Object>> read = staging.paths().isEmpty()
          ? List.of()
          : db.query("SELECT " + String.join(", ", select) + " FROM "
              + ConverterDuckDb.parquet(staging.paths()));
      assertThat(read).hasSize(table.rows().size());
      for (int r = 0; r < read.size(); r++) {
        for (int i = 0; i < n; i++) {
          Object in = table.rows().get(r).get(i).value();
          Object expected =
              in instanceof String s ? expectedString(s) : in instanceof Micros m ? m.value() : in;
          assertThat(read.get(r).get("c" + i))
              .as("row %d column c%d of%n%s", r, i, csv)
              .isEqualTo(expected);
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }
}
