/**
 * Hadoop-free Parquet writing, internal to Inlet: page encoders and row groups held in memory
 * ({@link dev.inlet.parquet.RowGroupBuffer}), the file writer over a sink's stream
 * ({@link dev.inlet.parquet.ParquetRowWriter}), page compression calling zstd-jni, snappy-java and
 * {@code java.util.zip} directly, and {@link dev.inlet.parquet.ParquetTypes}, the one
 * mapping between {@link dev.inlet.ColumnType} and Parquet types (used by the converter and the crawler).
 *
 * <p>Nothing here is meant for users (the codec choice is {@link dev.inlet.csv.Codec}). Types are public because
 * other Inlet packages use them; they carry parquet-java types and may change in any release.
 */
package dev.inlet.parquet;
