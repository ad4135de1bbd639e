package dev.inlet.examples;

import dev.inlet.TableId;
import dev.inlet.boston311.Boston311;
import dev.inlet.duckdb.DuckDbEngine;
import dev.inlet.duckdb.DuckDbSilverWriter;
import dev.inlet.local.LocalCatalog;
import dev.inlet.silver.Refinement;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.SqlDialect;
import java.nio.file.Path;
import java.util.List;

/**
 * Your own silver table: requests per department and month from the legacy Boston 311 bronze table, one SQL text per
 * dialect, refined incrementally with DuckDB into the local lake (run {@code ingest --sample} first). The same table
 * runs on Athena with {@code AthenaSilverWriter.of(athenaEngine, s3Client, URI.create("s3://bucket/lake/"))} and a
 * {@code GlueCatalog}.
 */
public final class MySilverTable implements SilverTable {
  static final TableId ID = TableId.of(Boston311.DATABASE, "requests_by_department");

  @Override
  public TableId id() {
    return ID;
  }

  @Override
  public List<TableId> inputs() {
    return List.of(Boston311.LEGACY_TABLE);
  }

  @Override
  public List<String> partitionKeys() {
    return List.of("year");
  }

  @Override
  public String select(SqlDialect dialect, SilverInputs inputs) {
    // the lineage columns input_table and input_partition come before the partition key, which is
    // last
    String month = dialect == SqlDialect.DUCKDB
        ? "strftime(open_dt, '%Y-%m')"
        : "date_format(open_dt, '%Y-%m')";
    return "SELECT department, " + month + " AS month, count(*) AS requests, '"
        + Boston311.LEGACY_TABLE
        + "' AS input_table, concat('year=', year) AS input_partition, year FROM "
        + inputs.relation(Boston311.LEGACY_TABLE) + " GROUP BY department, " + month + ", year";
  }

  public static void main(String[] args) {
    Path lake = Path.of(args.length > 0 ? args[0] : "lake");
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      for (Refinement.TableResult r : Refinement.builder()
          .writer(DuckDbSilverWriter.of(engine, lake))
          .catalog(LocalCatalog.at(lake))
          .table(new MySilverTable())
          .build()
          .run()) {
        System.out.println(RefineCommand.summary(r));
      }
    }
  }
}
