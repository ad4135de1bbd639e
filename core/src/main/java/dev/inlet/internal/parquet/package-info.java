/**
 * Hadoop-free Parquet writing, internal to Inlet: page encoders and row groups held in memory
 * ({@link dev.inlet.internal.parquet.RowGroupBuffer}), the file writer over a sink's stream
 * ({@link dev.inlet.internal.parquet.ParquetRowWriter}), page compression calling zstd-jni, snappy-java and
 * {@code java.util.zip} directly, and {@link dev.inlet.internal.parquet.ParquetTypes}, the one
 * mapping between {@link dev.inlet.ColumnType} and Parquet types (used by the converter and the crawler).
 *
 * <p>Not API: nothing under {@code dev.inlet.internal} is meant for users (the codec choice is
 * {@link dev.inlet.Codec}). Types are public only because other Inlet packages use them; they carry parquet-java
 * types and may change in any release. A test (PublicSignatureLeakTest) fails when the API's signatures name them.
 */
package dev.inlet.internal.parquet;
