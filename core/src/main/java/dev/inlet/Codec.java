package dev.inlet;

/** Compression of Parquet pages. Every codec is implemented without Hadoop. */
public enum Codec {
  /** Zstandard, level 3: the default; small files at good speed. */
  ZSTD,
  /** Snappy: fastest, larger files. */
  SNAPPY,
  /** Gzip (deflate): widest reader support, slowest. */
  GZIP,
  /** No compression. */
  NONE
}
