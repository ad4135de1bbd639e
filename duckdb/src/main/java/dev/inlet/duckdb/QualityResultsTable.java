package dev.inlet.duckdb;

import dev.inlet.Catalog;
import dev.inlet.InletException;
import dev.inlet.TableId;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import dev.inlet.quality.QualityResultsLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * The catalog table {@code <database>.quality_results} of a local lake: every {@link #save saved} run's results as
 * one Parquet file under {@code <warehouse>/quality/<database>/quality_results/run_date=YYYY-MM-DD/}, written by
 * Inlet's own Parquet writer in the layout of {@link QualityResultsLayout} (the same as on S3) and registered in the
 * catalog like any table, so it is queryable with {@code query}; {@link #history()} reads it back through DuckDB for
 * the checks that compare with the previous run. The engine and catalog stay the caller's.
 */
public final class QualityResultsTable {
  /** The table's name in each database. */
  public static final String TABLE = QualityResultsLayout.TABLE;

  private final DuckDbEngine engine;
  private final Catalog catalog;
  private final Path folder;
  private final TableId id;

  private QualityResultsTable(
      DuckDbEngine engine, Catalog catalog, Path warehouse, String database) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.id = QualityResultsLayout.table(database);
    this.folder =
        warehouse.toAbsolutePath().normalize().resolve(QualityResultsLayout.tablePath(id));
  }

  /**
   * The results table of {@code database} in the lake at {@code warehouse}, registered in {@code catalog}.
   *
   * @param engine the engine that runs the SQL
   * @param catalog the catalog whose tables are read
   * @param warehouse the warehouse root folder
   * @param database the database
   * @return the QualityResultsTable
   */
  public static QualityResultsTable of(
      DuckDbEngine engine, Catalog catalog, Path warehouse, String database) {
    return new QualityResultsTable(engine, catalog, warehouse, database);
  }

  /**
   * The table the results are saved to.
   *
   * @return the table id
   */
  public TableId id() {
    return id;
  }

  /**
   * Writes {@code result} as a new file of its run date's partition (a hidden temporary file renamed into place, so
   * a reader never sees half a file) and registers the partition. A run without results writes nothing.
   *
   * @param result the quality result to record
   * @throws InletException if the folder or the file cannot be written (no file is left behind)
   */
  public void save(QualityResult result) {
    if (result.results().isEmpty()) {
      return;
    }
    Path dir = folder.resolve(QualityResultsLayout.partitionPath(result.runAt()));
    Path file = dir.resolve(QualityResultsLayout.fileName(result));
    Path temp = dir.resolve("." + file.getFileName() + ".inprogress");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(temp)) {
        QualityResultsLayout.write(result, out);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new InletException(
          "Cannot write the results of the run at " + result.runAt() + " to " + file + ": "
              + e.getMessage(),
          e);
    }
    catalog.register(QualityResultsLayout.registration(
        id, folder.toUri().toString(), result, dir.toUri().toString()));
  }

  /**
   * The stored results, oldest run first; none if the table does not exist yet.
   *
   * @return the history read from the stored results
   */
  public QualityHistory history() {
    if (catalog.loadTable(id).isEmpty()) {
      return QualityHistory.none();
    }
    engine.createView(catalog, id);
    return QualityResultsLayout.read(engine, id);
  }
}
