package dev.inlet.aws.glue;

import dev.inlet.ColumnType;
import dev.inlet.Schema;

/** The Boston 311 legacy schemas, as the preset types them: 29 columns as first published, 30 as re-published. */
final class Boston311Schemas {
  static final Schema LEGACY_29 = legacy(false);
  static final Schema LEGACY_30 = legacy(true);

  private Boston311Schemas() {}

  private static Schema legacy(boolean withGeom) {
    Schema.Builder b = Schema.builder()
        .column("case_enquiry_id", ColumnType.BIGINT)
        .column("open_dt", ColumnType.TIMESTAMP)
        .column("sla_target_dt", ColumnType.TIMESTAMP)
        .column("closed_dt", ColumnType.TIMESTAMP);
    for (String s : new String[] {"on_time", "case_status", "closure_reason", "case_title", "subject", "reason",
        "type", "queue", "department", "submitted_photo", "closed_photo", "location", "fire_district",
        "pwd_district", "city_council_district", "police_district", "neighborhood",
        "neighborhood_services_district", "ward", "precinct", "location_street_name", "location_zipcode"}) {
      b.column(s, ColumnType.STRING);
    }
    b.column("latitude", ColumnType.DOUBLE).column("longitude", ColumnType.DOUBLE);
    if (withGeom) {
      b.column("geom_4326", ColumnType.STRING);
    }
    return b.column("source", ColumnType.STRING).build();
  }
}
