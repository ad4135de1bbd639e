package dev.inlet.aws.glue;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one Glue crawler run, as {@code GetCrawler} ({@code LastCrawl}) and {@code GetCrawlerMetrics}
 * report it.
 *
 * @param crawler the crawler's name
 * @param status {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
 * @param errorMessage the crawler's error message, or null
 * @param tablesCreated tables the run created
 * @param tablesUpdated tables the run updated
 * @param elapsed time from start to the crawler being READY again, as observed by Inlet
 */
public record CrawlResult(
    String crawler,
    String status,
    String errorMessage,
    int tablesCreated,
    int tablesUpdated,
    Duration elapsed) {
  /**
   * Checks that the crawler, status and elapsed time are given.
   *
   * @param crawler the crawler's name
   * @param status {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}
   * @param errorMessage the crawler's error message, or null
   * @param tablesCreated tables the run created
   * @param tablesUpdated tables the run updated
   * @param elapsed time from start to the crawler being READY again, as observed by Inlet
   * @throws NullPointerException if the crawler, status or elapsed time is null
   */
  public CrawlResult {
    Objects.requireNonNull(crawler, "crawler");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Whether the run ended with {@code SUCCEEDED}.
   *
   * @return true if the crawl ended SUCCEEDED
   */
  public boolean succeeded() {
    return "SUCCEEDED".equals(status);
  }
}
