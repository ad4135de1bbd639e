package dev.inlet.crawler;

/** Which folders a crawl reads, as Glue's RecrawlPolicy. */
public enum RecrawlPolicy {
  /** Read the footers of every file and reconcile everything, deletions included. */
  CRAWL_EVERYTHING,
  /**
   * For tables crawled before (table parameter {@value Crawler#PARAM_LAST_CRAWL}): read only files in folders that
   * are not yet partitions of the table; known partitions are neither re-read nor checked for deletion. Tables not
   * crawled before are crawled fully.
   */
  CRAWL_NEW_FOLDERS_ONLY
}
