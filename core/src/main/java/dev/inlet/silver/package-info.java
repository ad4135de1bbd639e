/**
 * Silver tables: tables an engine ({@link dev.inlet.sql.SqlEngine}) computes from bronze tables with one
 * {@code SELECT} ({@link dev.inlet.silver.SilverTable}), rebuilt per partition and committed in the catalog like
 * bronze partitions.
 */
package dev.inlet.silver;
