package dev.inlet.boston311;

import dev.inlet.TableId;
import dev.inlet.quality.Check;
import dev.inlet.quality.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in data quality checks of the Boston 311 tables, for {@link dev.inlet.quality.QualityChecks}: unique
 * case ids per system, {@code opened_at} present, closed after opened, coordinates inside Boston's bounding box, zip
 * format, status in the known set, rows per year within a band of the previous run, the schema unchanged since the
 * previous run and the freshness of the new system's table. Checks that describe a known property of the open data
 * (legacy zips that lost their leading zero, cases closed before they opened) are warnings; those a pipeline must
 * not publish past (duplicate ids, missing open time) fail.
 */
public final class Boston311Checks {
  /** Boston's bounding box: the silver table's ({@link Boston311Silver#MIN_LATITUDE} and the others), one rule. */
  public static final double MIN_LATITUDE = Boston311Silver.MIN_LATITUDE;
  /** The northern edge of the box a Boston point must fall in, as {@link Boston311Silver#MAX_LATITUDE}. */
  public static final double MAX_LATITUDE = Boston311Silver.MAX_LATITUDE;
  /** The western edge of the box a Boston point must fall in, as {@link Boston311Silver#MIN_LONGITUDE}. */
  public static final double MIN_LONGITUDE = Boston311Silver.MIN_LONGITUDE;
  /** The eastern edge of the box a Boston point must fall in, as {@link Boston311Silver#MAX_LONGITUDE}. */
  public static final double MAX_LONGITUDE = Boston311Silver.MAX_LONGITUDE;

  /** The silver table of both systems ({@code <database>.requests}; see Boston311Silver). */
  public static final String SILVER_TABLE = "requests";

  private Boston311Checks() {}

  /** {@return the bronze checks of the {@link Boston311#DATABASE} database} */
  public static List<Check> bronze() {
    return bronze(Boston311.DATABASE);
  }

  /**
   * {@return the checks of the two bronze tables ({@code service_requests}, {@code service_requests_new_system})}
   *
   * @param database the database holding the tables
   */
  public static List<Check> bronze(String database) {
    TableId legacy = TableId.of(database, Boston311.LEGACY_TABLE.table());
    TableId next = TableId.of(database, Boston311.NEW_SYSTEM_TABLE.table());
    List<Check> checks = new ArrayList<>();
    // a case in two publications (a re-published year) is expected in bronze; silver keeps one row
    // per case
    checks.add(Check.unique(legacy, "case_enquiry_id").severity(Severity.WARN).build());
    checks.add(Check.isComplete(legacy, "open_dt").build());
    checks.add(closedAfterOpened(legacy, "case_enquiry_id", "open_dt", "closed_dt"));
    checks.addAll(box(legacy));
    checks.add(Check.matches(legacy, "location_zipcode", "^\\d{5}$")
        .severity(Severity.WARN)
        .name("zip format of " + legacy)
        .build());
    checks.add(Check.acceptedValues(legacy, "case_status", List.of("Open", "Closed"))
        .severity(Severity.WARN)
        .build());
    checks.add(Check.rowCountChange(legacy, 0.5)
        .partitionBy("year")
        .severity(Severity.WARN)
        .build());
    checks.add(Check.schemaChange(legacy).severity(Severity.WARN).build());

    checks.add(Check.unique(next, "case_id").build());
    checks.add(Check.isComplete(next, "open_date").build());
    checks.add(closedAfterOpened(next, "case_id", "open_date", "close_date"));
    checks.addAll(box(next));
    checks.add(Check.matches(next, "zip_code", "^\\d{5}$")
        .severity(Severity.WARN)
        .name("zip format of " + next)
        .build());
    checks.add(Check.acceptedValues(
            next,
            "case_status",
            List.of("Closed", "In progress", "Create", "Submit", "Error", "Needs Reallocation"))
        .severity(Severity.WARN)
        .build());
    checks.add(Check.rowCountChange(next, 0.5)
        .partitionBy("year")
        .severity(Severity.WARN)
        .build());
    checks.add(Check.freshness(next, "open_date", Duration.ofDays(7))
        .severity(Severity.WARN)
        .build());
    checks.add(Check.schemaChange(next).severity(Severity.WARN).build());
    return List.copyOf(checks);
  }

  /** {@return the silver checks of the {@link Boston311#DATABASE} database} */
  public static List<Check> silver() {
    return silver(Boston311.DATABASE);
  }

  /**
   * {@return the checks of {@code <database>.requests}, the silver table of both systems, by its agreed columns
   * ({@code case_id}, {@code source_system}, {@code opened_at}, {@code closed_at}, {@code zip_code}, {@code latitude},
   * {@code longitude}, {@code status}, partition {@code year})}
   *
   * @param database the database holding the tables
   */
  public static List<Check> silver(String database) {
    TableId t = TableId.of(database, SILVER_TABLE);
    List<Check> checks = new ArrayList<>();
    checks.add(Check.unique(t, "source_system", "case_id").build());
    checks.add(Check.isComplete(t, "opened_at").build());
    checks.add(Check.isComplete(t, "source_system").build());
    checks.add(closedAfterOpened(t, "case_id", "opened_at", "closed_at"));
    checks.addAll(box(t));
    checks.add(Check.matches(t, "zip_code", "^\\d{5}$").severity(Severity.WARN).build());
    checks.add(Check.acceptedValues(
            t,
            "status",
            List.of(
                "open",
                "closed",
                "Open",
                "Closed",
                "In progress",
                "Create",
                "Submit",
                "Error",
                "Needs Reallocation"))
        .severity(Severity.WARN)
        .build());
    checks.add(
        Check.rowCountChange(t, 0.5).partitionBy("year").severity(Severity.WARN).build());
    // a legacy file published with its times shifted (corrected in silver): warned per file, so the
    // shift shows
    checks.add(Check.range(t, "tz_detected_shift_hours", -1, 1)
        .partitionBy("source_file")
        .severity(Severity.WARN)
        .name("time-zone shift detected in the legacy file (corrected in " + t + ")")
        .build());
    checks.add(Check.freshness(t, "opened_at", Duration.ofDays(7))
        .severity(Severity.WARN)
        .build());
    checks.add(Check.schemaChange(t).build());
    return List.copyOf(checks);
  }

  private static Check closedAfterOpened(TableId t, String id, String opened, String closed) {
    String sql =
        "SELECT \"" + id + "\", \"" + opened + "\", \"" + closed + "\" FROM \"" + t.database()
            + "\".\"" + t.table() + "\" WHERE \"" + closed + "\" < \""
            + opened + "\"";
    return Check.customSql(t, "closed before opened on " + t, sql)
        .severity(Severity.WARN)
        .build();
  }

  private static List<Check> box(TableId t) {
    return List.of(
        Check.range(t, "latitude", MIN_LATITUDE, MAX_LATITUDE)
            .severity(Severity.WARN)
            .build(),
        Check.range(t, "longitude", MIN_LONGITUDE, MAX_LONGITUDE)
            .severity(Severity.WARN)
            .build());
  }
}
