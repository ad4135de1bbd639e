package dev.inlet.silver;

import dev.inlet.Catalog;
import dev.inlet.Schema;
import dev.inlet.TableId;
import dev.inlet.sql.SqlEngine;
import java.util.List;
import java.util.Map;

/**
 * The engine- and storage-specific half of a {@link Refinement}: runs SQL on an engine that reads the catalog's
 * tables, and writes a {@code SELECT}'s rows as new, not yet cataloged version folders of a silver table's
 * partitions. Inlet's {@link Refinement} plans what to rebuild and commits in the catalog; the writer only computes
 * and moves files.
 *
 * <p>Implementations: {@code dev.inlet.duckdb.DuckDbSilverWriter} (module {@code inlet-duckdb}) writes to a local
 * folder, {@code dev.inlet.aws.athena.AthenaSilverWriter} (module {@code inlet-aws}) to S3.
 */
public interface SilverWriter {
  /** {@return the engine that runs the planning queries and the {@code SELECT}s; the writer does not close it} */
  SqlEngine engine();

  /**
   * {@return the SQL name under which the engine reads {@code table} (e.g. {@code "boston311"."service_requests"})}
   *
   * @param table the silver table
   */
  String relation(TableId table);

  /**
   * Makes {@code inputs} readable under their {@link #relation} names as {@code catalog} records them now.
   *
   * @param catalog the catalog holding the inputs
   * @param inputs the input tables
   */
  void prepare(Catalog catalog, List<TableId> inputs);

  /**
   * {@return the URI of {@code table}'s folder, ending in {@code /} (e.g. {@code file:///lake/silver/db/t/})}
   *
   * @param table the silver table
   */
  String location(TableId table);

  /**
   * Writes the rows of {@code select} (which gives only rows of {@code partitions}) to a hidden staging location,
   * then moves each partition's files to a new version folder {@code <table>/<key>=<value>/<version folder>/} that no
   * catalog entry references yet. On failure, removes what it wrote and throws; nothing of the call stays.
   *
   * @param partitionKeys the table's partition keys, the {@code SELECT}'s last columns
   * @param partitions the partition values the {@code SELECT} gives rows for, each in key order
   * @param table the silver table
   * @param select the {@code SELECT} computing the rows
   * @param version the version being written (a folder name)
   * @return the data schema (without the partition keys) and each partition's new folder URI
   */
  Written write(
      TableId table,
      String select,
      List<String> partitionKeys,
      List<List<String>> partitions,
      String version);

  /**
   * Makes the rows of {@code select} readable for the rest of one refinement of {@code table}, so that its lineage
   * query, its {@link Refinement.Builder#gate gate}'s checks and its writes do not each compute the {@code SELECT}
   * again: returns a relation of the engine's dialect (a name or a table function, usable after {@code FROM}). By
   * default the {@code SELECT} itself, computed again by each use (Athena bills each scan; a materialized copy
   * would be one more). {@link #release} ends it.
   *
   * @param table the silver table
   * @param select the {@code SELECT} computing the rows
   * @param version the version being written (a folder name)
   * @return a relation computing the {@code SELECT}'s rows, usable after {@code FROM}
   */
  default String materialize(TableId table, String select, String version) {
    return "(" + select + ")";
  }

  /**
   * Ends a relation {@link #materialize} returned (deletes what it wrote); nothing by default.
   *
   * @param table the silver table
   * @param relation the SQL name under which the engine reads it
   * @param version the version being written (a folder name)
   */
  default void release(TableId table, String relation, String version) {}

  /**
   * {@return whether the partition folder {@code location}, which the catalog records for {@code table}, has lost
   * its data files (deleted by hand, by a disk cleanup)} {@link Refinement} asks it of every partition on every run
   * and rebuilds a missing one even though its inputs did not change, instead of reporting it unchanged.
   *
   * <p>By default a {@code file:} location of this machine is checked on disk: it is missing when it is not a folder
   * or holds no {@code *.parquet} file (what a reader of the partition would find). Any other location cannot be
   * checked by default and is trusted (false), as before; a writer over another store overrides this
   * ({@code AthenaSilverWriter} lists the S3 prefix). Only whether any data file is left is checked, not whether
   * every file the partition was written with is.
   *
   * @param table the silver table
   * @param location a partition folder the catalog records, a URI string ending in {@code /}
   * @throws dev.inlet.InletException if the location cannot be checked (e.g. a folder that cannot be listed)
   */
  default boolean isMissing(TableId table, String location) {
    try {
      return dev.inlet.internal.LocalLocations.missingParquet(location);
    } catch (java.io.IOException e) {
      throw new dev.inlet.InletException(e.getMessage(), e);
    }
  }

  /**
   * Deletes the folder {@code location} (a version folder this writer wrote, or one a commit swapped out).
   *
   * @param location a location the writer made, a URI string ending in {@code /}
   */
  void delete(String location);

  /**
   * What {@link #write} wrote: the data columns and the new folder of each partition (by values).
   *
   * @param schema the data columns written
   * @param locations the new folder of each partition, by its values
   */
  record Written(Schema schema, Map<List<String>, String> locations) {
    /**
     * Creates the record.
     *
     * @param schema the data columns written
     * @param locations the new folder of each partition, by its values
     */
    public Written {
      java.util.Objects.requireNonNull(schema, "schema");
      locations = Map.copyOf(locations);
    }
  }
}
