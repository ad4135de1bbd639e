package dev.inlet;

import java.time.Instant;

/**
 * What identifies one publication of a source file, as far as it is known without downloading it. Every field
 * may be null when the source does not know it.
 *
 * @param etag the HTTP ETag of the bytes
 * @param lastModified the HTTP Last-Modified of the bytes, or the portal's modification time
 * @param size the size in bytes
 * @param publishedName the published file name (e.g. {@code tmphrybkxuh.csv}), which changes at re-publication
 */
public record SourceVersion(String etag, Instant lastModified, Long size, String publishedName) {
  /** A version with nothing known: the file is downloaded in any case. */
  public static final SourceVersion UNKNOWN = new SourceVersion(null, null, null, null);
}
