package dev.inlet.boston311;

import dev.inlet.ColumnType;
import dev.inlet.Converter;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.csv.CsvToParquet;
import dev.inlet.csv.PartitionSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Boston 311 preset: table names, schemas and converters for the City of Boston's 311 service requests.
 * Sources are made by {@link Boston311Source}.
 *
 * <ul>
 *   <li>Legacy yearly files (2011 onwards) go to {@link #LEGACY_TABLE}, partitioned by {@code year} (the
 *       resource's year). The 29-column files published up to about 2023 and the 30-column re-publications land in
 *       one table: headers are normalised (lower-case, trimmed, BOM stripped, a CKAN {@code _id} column dropped)
 *       and the four old names renamed ({@link #LEGACY_RENAMES}). Unknown extra columns are kept as strings.
 *   <li>The new-system file goes to {@link #NEW_SYSTEM_TABLE}, partitioned by the UTC year of {@code open_date}.
 * </ul>
 * Zip codes, wards, precincts and districts stay strings, so leading zeros survive. Both converters require
 * their id and open-date columns ({@link #LEGACY_REQUIRED_COLUMNS}, {@link #NEW_SYSTEM_REQUIRED_COLUMNS}), so a
 * body that is not a 311 file (an error page, a truncated or other file) fails instead of replacing a year. The
 * legacy converter also has a {@linkplain CsvToParquet.Builder#yearGuard(String) year guard} on {@code open_dt}: a
 * yearly file whose rows are mostly of another year (the 2015 file served as 2022) fails; turn it off with
 * {@code legacyConverterBuilder().noYearGuard()}.
 */
public final class Boston311 {
  /** The database of the Boston 311 tables: {@value}. */
  public static final String DATABASE = "boston311";
  /** The table of the legacy yearly files, {@code boston311.service_requests}. */
  public static final TableId LEGACY_TABLE = TableId.of(DATABASE, "service_requests");
  /** The table of the new-system file, {@code boston311.service_requests_new_system}. */
  public static final TableId NEW_SYSTEM_TABLE =
      TableId.of(DATABASE, "service_requests_new_system");

  /** The current 30-column legacy schema, in published order. */
  public static final Schema LEGACY_SCHEMA = Schema.builder()
      .column("case_enquiry_id", ColumnType.BIGINT)
      .column("open_dt", ColumnType.TIMESTAMP)
      .column("sla_target_dt", ColumnType.TIMESTAMP)
      .column("closed_dt", ColumnType.TIMESTAMP)
      .column("on_time", ColumnType.STRING)
      .column("case_status", ColumnType.STRING)
      .column("closure_reason", ColumnType.STRING)
      .column("case_title", ColumnType.STRING)
      .column("subject", ColumnType.STRING)
      .column("reason", ColumnType.STRING)
      .column("type", ColumnType.STRING)
      .column("queue", ColumnType.STRING)
      .column("department", ColumnType.STRING)
      .column("submitted_photo", ColumnType.STRING)
      .column("closed_photo", ColumnType.STRING)
      .column("location", ColumnType.STRING)
      .column("fire_district", ColumnType.STRING)
      .column("pwd_district", ColumnType.STRING)
      .column("city_council_district", ColumnType.STRING)
      .column("police_district", ColumnType.STRING)
      .column("neighborhood", ColumnType.STRING)
      .column("neighborhood_services_district", ColumnType.STRING)
      .column("ward", ColumnType.STRING)
      .column("precinct", ColumnType.STRING)
      .column("location_street_name", ColumnType.STRING)
      .column("location_zipcode", ColumnType.STRING)
      .column("latitude", ColumnType.DOUBLE)
      .column("longitude", ColumnType.DOUBLE)
      .column("geom_4326", ColumnType.STRING)
      .column("source", ColumnType.STRING)
      .build();

  /** Columns a legacy file must have (names after {@link #LEGACY_RENAMES}). */
  public static final java.util.List<String> LEGACY_REQUIRED_COLUMNS =
      java.util.List.of("case_enquiry_id", "open_dt");

  /** Columns a new-system file must have. */
  public static final java.util.List<String> NEW_SYSTEM_REQUIRED_COLUMNS =
      java.util.List.of("case_id", "open_date");

  /** Old legacy header names and their current names. */
  public static final Map<String, String> LEGACY_RENAMES = renames();

  /** The new-system schema (column order as documented by the portal; files may order columns differently). */
  public static final Schema NEW_SYSTEM_SCHEMA = Schema.builder()
      .column("case_id", ColumnType.STRING)
      .column("open_date", ColumnType.TIMESTAMP)
      .column("case_topic", ColumnType.STRING)
      .column("service_name", ColumnType.STRING)
      .column("assigned_department", ColumnType.STRING)
      .column("assigned_team", ColumnType.STRING)
      .column("case_status", ColumnType.STRING)
      .column("closure_reason", ColumnType.STRING)
      .column("closure_comments", ColumnType.STRING)
      .column("close_date", ColumnType.TIMESTAMP)
      .column("target_close_date", ColumnType.TIMESTAMP)
      .column("on_time", ColumnType.STRING)
      .column("report_source", ColumnType.STRING)
      .column("full_address", ColumnType.STRING)
      .column("street_number", ColumnType.STRING)
      .column("street_name", ColumnType.STRING)
      .column("zip_code", ColumnType.STRING)
      .column("neighborhood", ColumnType.STRING)
      .column("public_works_district", ColumnType.STRING)
      .column("city_council_district", ColumnType.STRING)
      .column("fire_district", ColumnType.STRING)
      .column("police_district", ColumnType.STRING)
      .column("ward", ColumnType.STRING)
      .column("precinct", ColumnType.STRING)
      .column("submitted_photo", ColumnType.STRING)
      .column("closed_photo", ColumnType.STRING)
      .column("longitude", ColumnType.DOUBLE)
      .column("latitude", ColumnType.DOUBLE)
      .build();

  private Boston311() {}

  private static Map<String, String> renames() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("target_dt", "sla_target_dt");
    m.put("ontime", "on_time");
    m.put("submittedphoto", "submitted_photo");
    m.put("closedphoto", "closed_photo");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * {@return a builder for the legacy converter, to change codec or row groups; partitions come from the source file}
   */
  public static CsvToParquet.Builder legacyConverterBuilder() {
    CsvToParquet.Builder b = CsvToParquet.builder()
        .schema(LEGACY_SCHEMA)
        .ignoreColumn("_id")
        .partitionBy(PartitionSpec.fromSource())
        .requiredColumns(LEGACY_REQUIRED_COLUMNS)
        .yearGuard("open_dt");
    LEGACY_RENAMES.forEach(b::renameColumn);
    return b;
  }

  /** {@return the converter for legacy yearly files} */
  public static Converter legacyConverter() {
    return legacyConverterBuilder().build();
  }

  /** {@return a builder for the new-system converter; rows are partitioned by the UTC year of {@code open_date}} */
  public static CsvToParquet.Builder newSystemConverterBuilder() {
    return CsvToParquet.builder()
        .schema(NEW_SYSTEM_SCHEMA)
        .ignoreColumn("_id")
        .partitionBy(PartitionSpec.yearOf("open_date"))
        .requiredColumns(NEW_SYSTEM_REQUIRED_COLUMNS);
  }

  /** {@return the converter for the new-system file} */
  public static Converter newSystemConverter() {
    return newSystemConverterBuilder().build();
  }
}
