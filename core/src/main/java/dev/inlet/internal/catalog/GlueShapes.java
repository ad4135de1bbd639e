package dev.inlet.internal.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Glue and Athena need to read a Parquet table, in one place for every catalog: the Hive input/output formats,
 * the SerDe, the table type and the parameters a Glue crawler sets.
 */
public final class GlueShapes {
  public static final String INPUT_FORMAT =
      "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
  public static final String OUTPUT_FORMAT =
      "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
  public static final String SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
  public static final String TABLE_TYPE = "EXTERNAL_TABLE";

  private GlueShapes() {}

  /** The parameters Glue's crawler sets on a Parquet table: {@code classification=parquet}, {@code EXTERNAL=TRUE}. */
  public static Map<String, String> tableParameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("classification", "parquet");
    p.put("EXTERNAL", "TRUE");
    return p;
  }
}
