package dev.inlet.quality;

import dev.inlet.TableId;
import dev.inlet.sql.SqlEngine;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a new version of a table may be published, before the commit that makes it live: a refine (or
 * any writer) calls {@link #check} with the staged version, and publishes only if the result does not
 * {@link QualityResult#blocks() block}; otherwise the previous version stays live and the writer reports the
 * result. One abstract method; implementations are immutable and thread-safe.
 *
 * <p>A writer calls it like this (the engine is the writer's; the staged relation reads the new files):
 *
 * <pre>{@code
 * QualityResult verdict = gate.check(table, "read_parquet('" + staged + "/*.parquet')", engine);
 * if (verdict.blocks()) {
 *   throw new InletException("Not publishing " + table + ": " + verdict.summary());  // nothing committed
 * }
 * catalog.register(...);  // the commit
 * }</pre>
 *
 * <p>Implementations: {@link #none()} and {@link #of(List, QualityHistory)}, which runs {@link QualityChecks}; being
 * one method, a lambda is one too.
 */
@FunctionalInterface
public interface PublishGate {
  /**
   * Checks the staged version of {@code table}, readable on {@code engine} as {@code stagedRelation} (a relation
   * in the engine's dialect: a table name, or e.g. DuckDB's {@code read_parquet([...])}).
   *
   * @param table the table whose version is checked
   * @param stagedRelation the SQL name under which the engine reads the staged version
   * @param engine the SQL engine to run on; it stays the caller's
   * @return the checks' results on the staged version
   */
  QualityResult check(TableId table, String stagedRelation, SqlEngine engine);

  /**
   * {@return whether the staged version may be published: {@link #check} found no failed fail-severity check}
   *
   * @param table the table whose version is checked
   * @param stagedRelation the SQL name under which the engine reads the staged version
   * @param engine the SQL engine to run on; it stays the caller's
   */
  default boolean allows(TableId table, String stagedRelation, SqlEngine engine) {
    return !check(table, stagedRelation, engine).blocks();
  }

  /**
   * Publishes everything (no check).
   *
   * @return a gate that allows every version
   */
  static PublishGate none() {
    return (table, staged, engine) -> new QualityResult(java.time.Instant.now(), List.of());
  }

  /**
   * Runs those of {@code checks} that are on the table being published against its staged version, comparing
   * with {@code history} (e.g. the stored results, so a version that shrank by half is caught).
   *
   * @param checks the checks
   * @param history the results of earlier runs, for the checks that compare with them
   * @return a gate running {@code checks} through {@link QualityChecks}
   */
  static PublishGate of(List<Check> checks, QualityHistory history) {
    List<Check> copy = List.copyOf(checks);
    Objects.requireNonNull(history, "history");
    return (table, staged, engine) -> QualityChecks.builder()
        .engine(engine)
        .history(history)
        .relation(table, staged)
        .build()
        .run(copy.stream().filter(c -> c.table().equals(table)).toList());
  }
}
