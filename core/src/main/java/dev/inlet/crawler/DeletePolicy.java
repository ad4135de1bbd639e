package dev.inlet.crawler;

/** What a crawl does with catalog partitions whose folder holds no data any more, as Glue's DeleteBehavior. */
public enum DeletePolicy {
  /** Report them in the plan only. */
  LOG,
  /** Keep them, marked with the partition parameter {@value Crawler#PARAM_DEPRECATED}. */
  DEPRECATE_IN_DATABASE,
  /** Remove them from the catalog ({@link dev.inlet.Catalog#removePartitions}). */
  DELETE_FROM_DATABASE
}
