package dev.inlet.silver;

import dev.inlet.TableId;
import dev.inlet.sql.SqlDialect;
import java.util.List;

/**
 * A table an engine computes from other catalog tables with one {@code SELECT}: a silver table over bronze ones.
 * Inlet plans which partitions to rebuild, lets the engine write them to a new location, and commits them in the
 * catalog the way bronze partitions are committed.
 *
 * <p>The {@code SELECT}'s output columns are the table's columns, with the {@linkplain #partitionKeys() partition
 * keys} last, as strings (Hive partition values). It reads its inputs only through {@link SilverInputs}: the
 * relation names of {@link #inputs()} and the recorded partitions of those inputs.
 *
 * <p>Implementations: {@link dev.inlet.boston311.Boston311Silver}.
 */
public interface SilverTable {
  /** {@return the table this computes, e.g. {@code boston311.requests}} */
  TableId id();

  /**
   * {@return the catalog tables the {@code SELECT} reads; a change to one of their partitions may change this table}
   */
  List<TableId> inputs();

  /** {@return the partition keys: the last output columns of the {@code SELECT}, in order; string values} */
  List<String> partitionKeys();

  /**
   * {@return whether a partition's rows depend only on the input partitions that give rows to it (no deduplication,
   * window or
   * join across partitions)} Then a change rebuilds only the partitions its inputs feed. False by default, the safe
   * answer for a table like {@code boston311.requests}, whose latest-publication-wins dedup spans every input: a
   * changed input may move a case's winning row out of, or into, a partition it does not feed. Where the engine can
   * fingerprint rows (DuckDB), Inlet then rebuilds exactly the partitions whose rows changed; elsewhere (Athena) any
   * changed input rebuilds every partition.
   */
  default boolean partitionLocal() {
    return false;
  }

  /**
   * {@return the {@code SELECT} computing every row of the table, in {@code dialect}}
   *
   * @param dialect the SQL dialect to write it in
   * @param inputs the input partitions and SQL names
   * @throws UnsupportedOperationException if this table has no text for {@code dialect}
   */
  String select(SqlDialect dialect, SilverInputs inputs);
}
