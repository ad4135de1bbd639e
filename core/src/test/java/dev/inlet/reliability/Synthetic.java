package dev.inlet.reliability;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.DataFile;
import dev.inlet.Schema;
import dev.inlet.Sink;
import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.testing.ForwardingStaging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Small generated CSV files and a sink that counts what it is asked to do. */
final class Synthetic {
  static final TableId TABLE = TableId.of("rel", "events");
  static final Schema SCHEMA =
      Schema.of(List.of(Column.of("id", ColumnType.BIGINT), Column.of("value", ColumnType.STRING)));

  private Synthetic() {}

  /** A CSV of {@code rows} records with ids {@code version * 100000 + year * 100 + i}. */
  static byte[] csv(int year, int version, int rows) {
    StringBuilder sb = new StringBuilder("id,value\n");
    for (int i = 0; i < rows; i++) {
      sb.append(ids(year, version, rows).get(i))
          .append(",v")
          .append(version)
          .append("-")
          .append(i)
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The ids {@link #csv} writes, sorted as strings. */
  static List<String> ids(int year, int version, int rows) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ids.add(String.valueOf((long) version * 1_000_000 + (long) (year % 100) * 1000 + i));
    }
    ids.sort(null);
    return ids;
  }

  static CsvToParquet converter() {
    return CsvToParquet.builder().schema(SCHEMA).build();
  }

  /** Delegates to a sink and counts stagings opened and commits made. */
  static final class CountingSink implements Sink {
    final Sink delegate;
    final AtomicInteger stagings = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();

    CountingSink(Sink delegate) {
      this.delegate = delegate;
    }

    @Override
    public Staging stage(TableId table, SourceFile file) throws IOException {
      stagings.incrementAndGet();
      return new ForwardingStaging(delegate.stage(table, file)) {
        @Override
        public List<DataFile> commit() throws IOException {
          commits.incrementAndGet();
          return delegate.commit();
        }
      };
    }

    @Override
    public String location(TableId table) {
      return delegate.location(table);
    }
  }
}
