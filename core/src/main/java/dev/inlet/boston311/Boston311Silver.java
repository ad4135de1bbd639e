package dev.inlet.boston311;

import dev.inlet.Pipeline;
import dev.inlet.TableId;
import dev.inlet.silver.SilverInputs;
import dev.inlet.silver.SilverInputs.InputPartition;
import dev.inlet.silver.SilverTable;
import dev.inlet.sql.SqlDialect;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The conformed Boston 311 table {@code boston311.requests}: one row per case of either system (legacy Lagan and
 * the new Creatio system; {@code source_system} is part of the key), UTC timestamps, normalised codes, lineage.
 * The SQL is one template with a few dialect substitutions (DuckDB, Trino/Athena); docs/silver.md has the column
 * mapping and the rules.
 *
 * <ul>
 *   <li>Legacy timestamps are Boston wall-clock times, converted with {@code America/New_York} rules: a local time
 *       in the spring-forward gap is read with the standard-time offset (02:30 becomes 03:30 EDT, 07:30 UTC); one in
 *       the fall-back overlap takes the earlier, daylight-time instant (01:30 becomes 05:30 UTC). The rule is written
 *       in SQL from the engine's UTC-to-New-York conversion, which is unambiguous, so both engines agree.
 *   <li>Re-published legacy files whose values were shifted early by the UTC offset are detected per input
 *       partition (file): the median of (close time written in {@code closure_reason} minus {@code closed_dt})
 *       between 3.5 and 5.5 hours marks the file shifted, and its timestamps are shifted back.
 *   <li>A case in several legacy partitions appears once: the latest publication wins, by the partition's
 *       {@code inlet.source.last_modified}, then by partition order.
 * </ul>
 *
 * <p>A {@link SilverTable}, refined by {@link dev.inlet.silver.Refinement} with either engine's
 * {@link dev.inlet.silver.SilverWriter}.
 */
public final class Boston311Silver implements SilverTable {
  /** The silver table of both systems, {@code boston311.requests}. */
  public static final TableId REQUESTS = TableId.of(Boston311.DATABASE, "requests");

  /** The output columns, in order; {@code year} (the Boston-local year of {@code opened_at}) is last. */
  public static final List<String> COLUMNS = List.of(
      "case_id",
      "source_system",
      "opened_at",
      "closed_at",
      "due_at",
      "status",
      "on_time",
      "type",
      "title",
      "subject",
      "reason",
      "department",
      "queue",
      "closure_reason",
      "closure_comments",
      "neighborhood",
      "ward",
      "precinct",
      "city_council_district",
      "police_district",
      "fire_district",
      "public_works_district",
      "zip_code",
      "latitude",
      "longitude",
      "location_outside_boston",
      "source_channel",
      "address",
      "street",
      "source_resource",
      "source_file",
      "tz_detected_shift_hours",
      "tz_offset_correction_hours",
      "input_table",
      "input_partition",
      "year");

  /** The placeholder point older files give un-geocoded rows. */
  public static final double PLACEHOLDER_LATITUDE = 42.3594;
  /** The placeholder point's longitude. */
  public static final double PLACEHOLDER_LONGITUDE = -71.0587;
  /** The box a Boston point must fall in (city limits with the harbour islands, rounded out). */
  public static final double MIN_LATITUDE = 42.22;
  /** The northern edge of the box a Boston point must fall in: {@value}. */
  public static final double MAX_LATITUDE = 42.41;
  /** The western edge of the box a Boston point must fall in: {@value}. */
  public static final double MIN_LONGITUDE = -71.20;
  /** The eastern edge of the box a Boston point must fall in: {@value}. */
  public static final double MAX_LONGITUDE = -70.85;

  private static final String ZONE = "America/New_York";

  private final TableId id;
  private final TableId legacy;
  private final TableId newSystem;

  private Boston311Silver(String database) {
    this.id = TableId.of(database, REQUESTS.table());
    this.legacy = TableId.of(database, Boston311.LEGACY_TABLE.table());
    this.newSystem = TableId.of(database, Boston311.NEW_SYSTEM_TABLE.table());
  }

  /**
   * {@code boston311.requests} over {@code boston311.service_requests} and {@code ..._new_system}.
   *
   * @return the silver table {@code boston311.requests}
   */
  public static SilverTable requests() {
    return requests(Boston311.DATABASE);
  }

  /**
   * {@code <database>.requests} over {@code <database>.service_requests} and {@code ..._new_system}.
   *
   * @param database the database holding the bronze and silver tables
   * @return the silver table {@code <database>.requests}
   */
  public static SilverTable requests(String database) {
    Objects.requireNonNull(database, "database");
    return new Boston311Silver(database);
  }

  @Override
  public TableId id() {
    return id;
  }

  @Override
  public List<TableId> inputs() {
    return List.of(legacy, newSystem);
  }

  @Override
  public List<String> partitionKeys() {
    return List.of("year");
  }

  @Override
  public String select(SqlDialect dialect, SilverInputs inputs) {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(inputs, "inputs");
    Sql f = new Sql(dialect);
    StringBuilder s = new StringBuilder();
    s.append("WITH lineage AS (").append(lineage(inputs)).append("),\n");
    // legacy rows with their input partition and its publication rank
    s.append(
            "legacy_rows AS (SELECT r.*, l.source_resource, l.source_file, l.published_rank, l.input_partition AS ip"
                + " FROM ")
        .append(inputs.relation(legacy))
        .append(" r LEFT JOIN lineage l ON l.input_table = '")
        .append(legacy)
        .append("' AND l.input_partition = ")
        .append(pathExpression(inputs, legacy, "r"))
        .append("),\n");
    // the close time written in closure_reason, in two formats
    s.append(
            "legacy_embedded AS (SELECT ip, closed_dt, coalesce(TRY_CAST(nullif(regexp_extract(closure_reason,"
                + " 'Closed date : (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})', 1), '') AS TIMESTAMP), TRY_CAST(")
        .append(embeddedJavaDate("closure_reason"))
        .append(" AS TIMESTAMP)) AS embedded FROM legacy_rows),\n");
    s.append("legacy_files AS (SELECT ip, ")
        .append(f.median("CAST(date_diff('minute', closed_dt, embedded) AS" + " DOUBLE)"))
        .append(
            " AS median_minutes FROM legacy_embedded WHERE embedded IS NOT NULL AND closed_dt IS"
                + " NOT NULL GROUP BY ip),\n");
    s.append(
        "legacy_local AS (SELECT r.*, round(fl.median_minutes / 60.0, 1) AS tz_detected_shift_hours,"
            + " coalesce(fl.median_minutes BETWEEN 210 AND 330, false) AS shifted FROM legacy_rows r LEFT JOIN"
            + " legacy_files fl ON fl.ip = r.ip),\n");
    s.append("legacy_fixed AS (SELECT r.*, ")
        .append(fixed("open_dt", f))
        .append(" AS open_l, ")
        .append(fixed("closed_dt", f))
        .append(" AS closed_l, ")
        .append(fixed("sla_target_dt", f))
        .append(" AS due_l FROM legacy_local r),\n");
    s.append(
            "legacy AS (SELECT CAST(case_enquiry_id AS VARCHAR) AS case_id, 'legacy' AS source_system, ")
        .append(f.utc("open_l"))
        .append(" AS opened_at, ")
        .append(f.utc("closed_l"))
        .append(" AS closed_at, ")
        .append(f.utc("due_l"))
        .append(" AS due_at, ")
        .append(clean("case_status"))
        .append(" AS status, ")
        .append(onTime("on_time"))
        .append(" AS on_time, ")
        .append(clean("type"))
        .append(" AS type, ")
        .append(clean("case_title"))
        .append(" AS title, ")
        .append(clean("subject"))
        .append(" AS subject, ")
        .append(clean("reason"))
        .append(" AS reason, ")
        .append(clean("department"))
        .append(" AS department, ")
        .append(clean("queue"))
        .append(" AS queue, ")
        .append(clean("closure_reason"))
        .append(" AS closure_reason, CAST(NULL AS VARCHAR) AS closure_comments, ")
        .append(clean("neighborhood"))
        .append(" AS neighborhood, ")
        .append(number(clean("ward")))
        .append(" AS ward, ")
        .append(number("CASE WHEN length(" + clean("precinct") + ") = 4 THEN substr("
            + clean("precinct") + ", 3) ELSE " + clean("precinct") + " END"))
        .append(" AS precinct, ")
        .append(number(clean("city_council_district")))
        .append(" AS city_council_district, ")
        .append(clean("police_district"))
        .append(" AS police_district, ")
        .append(clean("fire_district"))
        .append(" AS fire_district, ")
        .append(clean("pwd_district"))
        .append(" AS public_works_district, ")
        .append(zip(clean("location_zipcode")))
        .append(" AS zip_code, latitude AS lat, longitude AS lon, ")
        .append(clean("source"))
        .append(" AS source_channel, ")
        .append(clean("location"))
        .append(" AS address, ")
        .append(clean("location_street_name"))
        .append(" AS street, source_resource, source_file,"
            + " tz_detected_shift_hours, CAST(date_diff('hour', open_dt, open_l) AS INTEGER) AS"
            + " tz_offset_correction_hours, '")
        .append(legacy)
        .append("' AS input_table, ip AS input_partition, ")
        .append(
            "CAST(year(open_l) AS VARCHAR) AS year, row_number() OVER (PARTITION BY case_enquiry_id ORDER BY"
                + " published_rank DESC, ip DESC, open_dt DESC) AS publication FROM legacy_fixed"
                + " WHERE case_enquiry_id IS NOT NULL AND open_dt IS NOT NULL),\n");
    // new system: UTC values as published
    s.append(
            "new_rows AS (SELECT r.*, l.source_resource, l.source_file, l.published_rank, l.input_partition AS ip"
                + " FROM ")
        .append(inputs.relation(newSystem))
        .append(" r LEFT JOIN lineage l ON l.input_table = '")
        .append(newSystem)
        .append("' AND l.input_partition = ")
        .append(pathExpression(inputs, newSystem, "r"))
        .append("),\n");
    s.append("new_system AS (SELECT ")
        .append(clean("case_id"))
        .append(
            " AS case_id, 'new_system' AS"
                + " source_system, open_date AS opened_at, close_date AS closed_at, target_close_date AS due_at, ")
        .append(clean("case_status"))
        .append(" AS status, ")
        .append(onTime("on_time"))
        .append(" AS on_time, ")
        .append(clean("case_topic"))
        .append(" AS type, ")
        .append(clean("service_name"))
        .append(" AS title, ")
        .append("CAST(NULL AS VARCHAR) AS subject, CAST(NULL AS VARCHAR) AS reason, ")
        .append(clean("assigned_department"))
        .append(" AS department, ")
        .append(clean("assigned_team"))
        .append(" AS queue, ")
        .append(clean("closure_reason"))
        .append(" AS closure_reason, ")
        .append(clean("closure_comments"))
        .append(" AS closure_comments, ")
        .append(clean("neighborhood"))
        .append(" AS neighborhood, ")
        .append(number(clean("ward")))
        .append(" AS ward, ")
        .append(number(clean("precinct")))
        .append(" AS precinct, ")
        .append(number(clean("city_council_district")))
        .append(" AS city_council_district, ")
        .append(clean("police_district"))
        .append(" AS police_district, ")
        .append(clean("fire_district"))
        .append(" AS fire_district, ")
        .append(clean("public_works_district"))
        .append(" AS public_works_district, ")
        .append(zip(clean("zip_code")))
        .append(" AS zip_code, latitude AS" + " lat, longitude AS lon, ")
        .append(clean("report_source"))
        .append(" AS source_channel, ")
        .append(clean("full_address"))
        .append(" AS address, nullif(concat_ws(' ', ")
        .append(clean("street_number"))
        .append(", ")
        .append(clean("street_name"))
        .append(
            "), '') AS street, source_resource, source_file,"
                + " CAST(NULL AS DOUBLE) AS tz_detected_shift_hours, 0 AS tz_offset_correction_hours, '")
        .append(newSystem)
        .append("' AS input_table, ip AS input_partition, CAST(year(")
        .append(f.newYork("open_date"))
        .append(") AS VARCHAR) AS year, row_number() OVER (PARTITION BY"
            + " case_id ORDER BY published_rank DESC, ip DESC, open_date DESC) AS publication FROM new_rows"
            + " WHERE nullif(trim(case_id), '') IS NOT NULL AND open_date IS NOT NULL),\n");
    s.append(
        "cases AS (SELECT * FROM legacy WHERE publication = 1 UNION ALL SELECT * FROM new_system WHERE"
            + " publication = 1)\n");
    String placeholder = "(round(lat, 4) = " + PLACEHOLDER_LATITUDE + " AND round(lon, 4) = "
        + PLACEHOLDER_LONGITUDE + ")";
    String located = "(lat IS NOT NULL AND lon IS NOT NULL AND lat <> 0 AND lon <> 0 AND NOT "
        + placeholder + ")";
    String inside = "(lat BETWEEN " + MIN_LATITUDE + " AND " + MAX_LATITUDE + " AND lon BETWEEN "
        + MIN_LONGITUDE + " AND " + MAX_LONGITUDE + ")";
    s.append(
            "SELECT case_id, source_system, opened_at, closed_at, due_at, status, on_time, type, title, subject,"
                + " reason, department, queue, closure_reason, closure_comments, neighborhood, ward, precinct,"
                + " city_council_district, police_district, fire_district, public_works_district, zip_code, CASE WHEN ")
        .append(located)
        .append(" AND ")
        .append(inside)
        .append(" THEN lat END AS latitude, CASE WHEN ")
        .append(located)
        .append(" AND ")
        .append(inside)
        .append(" THEN lon END AS longitude, CASE WHEN ")
        .append(located)
        .append(" THEN NOT ")
        .append(inside)
        .append(" END AS location_outside_boston,"
            + " source_channel, address, street, source_resource, source_file, tz_detected_shift_hours,"
            + " tz_offset_correction_hours, input_table, input_partition, year FROM cases");
    return s.toString();
  }

  /**
   * The lineage relation: per input partition its table, Hive path, source resource ({@code inlet.source.id}),
   * published file name and publication rank (higher is later).
   */
  private String lineage(SilverInputs inputs) {
    List<String> rows = new ArrayList<>();
    for (TableId t : inputs()) {
      List<InputPartition> ps = inputs.partitions(t);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < ps.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.<Integer, Instant>comparing(i -> lastModified(ps.get(i)))
          .thenComparing(i -> i));
      int[] rank = new int[ps.size()];
      for (int r = 0; r < order.size(); r++) {
        rank[order.get(r)] = r + 1;
      }
      for (int i = 0; i < ps.size(); i++) {
        InputPartition p = ps.get(i);
        String file = p.parameter(Pipeline.PARAM_SOURCE_PUBLISHED_NAME);
        if (file == null) {
          file = p.parameter(Pipeline.PARAM_SOURCE_NAME);
        }
        rows.add("(" + literal(t.toString()) + ", " + literal(p.path()) + ", "
            + literal(p.parameter(Pipeline.PARAM_SOURCE_ID)) + ", " + literal(file) + ", " + rank[i]
            + ")");
      }
    }
    if (rows.isEmpty()) {
      return "SELECT CAST(NULL AS VARCHAR) AS input_table, CAST(NULL AS VARCHAR) AS input_partition,"
          + " CAST(NULL AS VARCHAR) AS source_resource, CAST(NULL AS VARCHAR) AS source_file, 0 AS published_rank"
          + " WHERE 1 = 0";
    }
    return "SELECT * FROM (VALUES " + String.join(", ", rows)
        + ") AS t(input_table, input_partition, source_resource, source_file, published_rank)";
  }

  private static Instant lastModified(InputPartition p) {
    String v = p.parameter(Pipeline.PARAM_SOURCE_LAST_MODIFIED);
    if (v != null) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        // not ISO-8601: order by partition only
      }
    }
    return Instant.MIN;
  }

  /** The SQL building a row's Hive path from its partition columns (those the recorded partitions use). */
  private static String pathExpression(SilverInputs inputs, TableId table, String alias) {
    List<InputPartition> ps = inputs.partitions(table);
    List<String> keys = ps.isEmpty() ? List.of("year") : ps.get(0).keys();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      parts.add((i > 0 ? "'/" : "'") + keys.get(i) + "=' || CAST(" + alias + ".\"" + keys.get(i)
          + "\" AS VARCHAR)");
    }
    return String.join(" || ", parts);
  }

  /** A legacy timestamp as Boston wall-clock time, shifted back when its file was detected shifted. */
  private static String fixed(String column, Sql f) {
    return "CASE WHEN shifted THEN " + f.utc(column) + " ELSE " + column + " END";
  }

  /** {@code Sun Jan 02 11:03:10 EST 2022} inside {@code column} as {@code 2022-01-02 11:03:10} text, or null. */
  private static String embeddedJavaDate(String column) {
    String re = "'[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\\d{2}) (\\d{2}:\\d{2}:\\d{2}) E[SD]T (\\d{4})'";
    StringBuilder month = new StringBuilder("CASE regexp_extract(" + column + ", " + re + ", 1)");
    String[] names = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    for (int i = 0; i < names.length; i++) {
      month
          .append(" WHEN '")
          .append(names[i])
          .append("' THEN '")
          .append(String.format("%02d", i + 1))
          .append("'");
    }
    month.append(" END");
    return "regexp_extract(" + column + ", " + re + ", 4) || '-' || " + month
        + " || '-' || regexp_extract(" + column + ", " + re + ", 2) || ' ' || regexp_extract("
        + column + ", " + re + ", 3)";
  }

  /** Text trimmed (NBSP as space), HTML entities decoded, empty as null. */
  private static String clean(String column) {
    String x = "CAST(" + column + " AS VARCHAR)";
    x = "replace(" + x + ", chr(160), ' ')";
    String[][] entities = {
      {"&nbsp;", " "},
      {"&quot;", "\""},
      {"&#39;", "''"},
      {"&#039;", "''"},
      {"&apos;", "''"},
      {"&lt;", "<"},
      {"&gt;", ">"},
      {"&amp;", "&"}
    };
    for (String[] e : entities) {
      x = "replace(" + x + ", '" + e[0] + "', '" + e[1] + "')";
    }
    return "nullif(trim(" + x + "), '')";
  }

  /** {@code Ward 5}, {@code 05}, {@code 5} as {@code 5}; 0 and anything else as null. */
  private static String number(String text) {
    return "nullif(nullif(regexp_extract(" + text + ", '^(?:[Ww]ard\\s*)?0*(\\d+)$', 1), ''), '0')";
  }

  /** A 5-digit zip: {@code 2135.0} as {@code 02135}, ZIP+4 cut to 5 digits; anything else null. */
  private static String zip(String text) {
    return "lpad(nullif(regexp_extract(" + text
        + ", '^(\\d{1,5})(?:\\.0*|-\\d{4})?$', 1), ''), 5, '0')";
  }

  private static String onTime(String column) {
    return "CASE upper(" + clean(column)
        + ") WHEN 'ONTIME' THEN true WHEN 'OVERDUE' THEN false END";
  }

  private static String literal(String v) {
    return v == null ? "CAST(NULL AS VARCHAR)" : "'" + v.replace("'", "''") + "'";
  }

  /** The dialect substitutions. */
  private record Sql(SqlDialect dialect) {
    /** The Boston wall-clock time of the UTC timestamp {@code utc} (unambiguous). */
    String newYork(String utc) {
      return switch (dialect) {
        case DUCKDB -> "timezone('" + ZONE + "', timezone('UTC', " + utc + "))";
        case TRINO ->
          "CAST(with_timezone(" + utc + ", 'UTC') AT TIME ZONE '" + ZONE + "' AS TIMESTAMP)";
      };
    }

    /**
     * The UTC timestamp of the Boston wall-clock time {@code local}: daylight time (+4 h) when New York is on
     * daylight time at that instant, else standard time (+5 h). A time in the spring gap so gets +5 h (02:30 is
     * 07:30 UTC, 03:30 EDT); one in the fall overlap gets +4 h (the earlier instant).
     */
    String utc(String local) {
      String edt = local + " + INTERVAL '4' HOUR";
      return "CASE WHEN date_diff('hour', " + newYork(edt) + ", " + edt + ") = 4 THEN " + edt
          + " ELSE " + local + " + INTERVAL '5' HOUR END";
    }

    String median(String x) {
      return switch (dialect) {
        case DUCKDB -> "median(" + x + ")";
        case TRINO -> "approx_percentile(" + x + ", 0.5)";
      };
    }
  }
}
