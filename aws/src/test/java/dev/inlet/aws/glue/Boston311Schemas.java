package dev.inlet.aws.glue;

import dev.inlet.Schema;
import dev.inlet.boston311.Boston311;

/**
 * The Boston 311 legacy schemas: 30 columns as re-published ({@link Boston311#LEGACY_SCHEMA}), and 29 as first
 * published (the same without {@code geom_4326}, old names already renamed by the converter).
 */
final class Boston311Schemas {
  static final Schema LEGACY_30 = Boston311.LEGACY_SCHEMA;
  static final Schema LEGACY_29 = Schema.of(
      LEGACY_30.columns().stream().filter(c -> !c.name().equals("geom_4326")).toList());

  private Boston311Schemas() {}
}
