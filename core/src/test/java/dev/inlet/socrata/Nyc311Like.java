package dev.inlet.socrata;

import java.util.ArrayList;
import java.util.List;

/** A small NYC-311-like Socrata dataset: its columns as NYC publishes them and rows as SODA writes them. */
final class Nyc311Like {
  static final String ID = "erm2-nwe9";
  static final String NAME = "311 Service Requests from 2010 to Present";

  private Nyc311Like() {}

  static LocalSocrataPortal.Builder portal() {
    return LocalSocrataPortal.builder()
        .dataset(ID, NAME)
        .column(
            "Unique Key", "unique_key", "text") // NYC publishes the key as text; values are digits
        .column("Created Date", "created_date", "calendar_date")
        .column("Closed Date", "closed_date", "calendar_date")
        .column("Agency", "agency", "text")
        .column("Complaint Type", "complaint_type", "text")
        .column("Incident Zip", "incident_zip", "text")
        .column("Latitude", "latitude", "number")
        .column("Council District", "council_district", "number")
        .column("Open Data Channel", "is_open", "checkbox")
        .column("Location", "location", "point")
        .hiddenColumn("Internal Note", "internal_note", "text");
  }

  /** {@code n} rows starting at key {@code first}; every fifth has no closed date, one has a quote and a comma. */
  static List<List<String>> rows(int first, int n) {
    List<List<String>> out = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      String created = String.format("2024-01-%02dT%02d:%02d:00.000", 1 + i % 28, i % 24, i % 60);
      String closed = i % 5 == 0 ? null : String.format("2024-02-%02dT08:15:30.000", 1 + i % 28);
      double lat = 40.5 + (i % 1000) / 2000.0;
      double lon = -74.2 + (i % 700) / 1000.0;
      out.add(java.util.Arrays.asList(
          String.valueOf(60_000_000L + i),
          created,
          closed,
          i % 3 == 0 ? "NYPD" : "DSNY",
          i == first ? "Noise - \"Loud\" Music, Party" : "Illegal Parking",
          String.format("%05d", 10_001 + i % 300),
          String.valueOf(lat),
          String.valueOf(i % 51),
          i % 2 == 0 ? "true" : "false",
          "POINT (" + lon + " " + lat + ")",
          "secret note " + i));
    }
    return out;
  }

  static LocalSocrataPortal.Builder withRows(
      LocalSocrataPortal.Builder b, List<List<String>> rows) {
    for (List<String> r : rows) {
      b.row(r.toArray(String[]::new));
    }
    return b;
  }
}
