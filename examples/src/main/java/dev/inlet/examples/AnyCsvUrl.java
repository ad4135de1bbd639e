package dev.inlet.examples;

import dev.inlet.ColumnType;
import dev.inlet.Pipeline;
import dev.inlet.PipelineResult;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.http.HttpSource;
import dev.inlet.local.LocalCatalog;
import dev.inlet.local.LocalWarehouse;
import java.net.URI;
import java.nio.file.Path;

/**
 * Any CSV URL into a local lake: the types inferred, one column's type overridden (the rest stay inferred), the
 * result checked, the table read back from the catalog. Logging goes through SLF4J; this module binds slf4j-simple.
 *
 * <p>Arguments: {@code <csv-url> <column>:<type> [lake-dir]}, e.g.
 * {@code https://raw.githubusercontent.com/nytimes/covid-19-data/master/us-states.csv fips:string lake}
 * (a FIPS code such as {@code 01} is an identifier, not a number).
 */
public final class AnyCsvUrl {
  private AnyCsvUrl() {}

  public static void main(String[] args) {
    if (args.length < 2 || !args[1].contains(":")) {
      System.err.println("Usage: AnyCsvUrl <csv-url> <column>:<type> [lake-dir]");
      System.exit(2);
    }
    String[] override = args[1].split(":", 2);
    Table table = run(
        URI.create(args[0]),
        override[0],
        ColumnType.parse(override[1]),
        Path.of(args.length > 2 ? args[2] : "lake"));
    System.out.println(
        table.id() + " at " + table.location() + ": " + table.schema().names());
  }

  /**
   * Ingests the CSV at {@code url} into table {@code csv.data} of {@code lake} with {@code column} as {@code type}
   * and every other column inferred; throws, naming the file and the cause, if it failed.
   *
   * @return the table as the catalog records it
   */
  public static Table run(URI url, String column, ColumnType type, Path lake) {
    TableId id = TableId.of("csv", "data");
    PipelineResult result = Pipeline.builder()
        .source(HttpSource.builder().file(url, "data.csv").build())
        .converter(CsvToParquet.builder().columnType(column, type).build())
        .sink(LocalWarehouse.at(lake))
        .catalog(LocalCatalog.at(lake))
        .table(id)
        .build()
        .run()
        .throwIfFailed();
    System.out.println(result.summary());
    return LocalCatalog.at(lake).loadTable(id).orElseThrow();
  }
}
