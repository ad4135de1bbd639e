package dev.inlet.ckan;

import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.http.HttpDownloader;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One resource of a CKAN dataset, as {@code package_show} describes it.
 *
 * @param id the resource id, stable across re-publications
 * @param name the resource's human name (may be empty)
 * @param url where to download it (the portal's URL, which may redirect), absolute
 * @param format the declared format, e.g. {@code CSV} (may be empty)
 * @param size size in bytes as the portal reports it, or null
 * @param lastModified when the file was last published (CKAN {@code last_modified}, UTC), or null
 * @param packageId the id of the dataset the resource belongs to
 */
public record CkanResource(
    String id,
    String name,
    URI url,
    String format,
    Long size,
    Instant lastModified,
    String packageId) {

  /**
   * Creates the record.
   *
   * @param id the resource id, stable across re-publications
   * @param name the resource's human name (may be empty)
   * @param url where to download it (the portal's URL, which may redirect), absolute
   * @param format the declared format, e.g. {@code CSV} (may be empty)
   * @param size size in bytes as the portal reports it, or null
   * @param lastModified when the file was last published (CKAN {@code last_modified}, UTC), or null
   * @param packageId the id of the dataset the resource belongs to
   */
  public CkanResource {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    name = name == null ? "" : name;
    format = format == null ? "" : format;
  }

  /** {@return the file name at the end of the URL path, e.g. {@code tmphrybkxuh.csv}; null if the path has none} */
  public String fileName() {
    String path = url.getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return null;
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * {@return a source file for this resource: id = resource id, name = resource name (or id if blank), uri = url
   * without
   * query, version = (no ETag, lastModified, size, {@link #fileName()}); bytes come from {@code downloader}, which
   * fails a download shorter than {@code size} (see {@link HttpDownloader#opener(URI, Long)})}
   *
   * @param downloader the HTTP downloader it fetches with
   * @param partition the partition values of the file
   */
  public SourceFile toSourceFile(HttpDownloader downloader, Map<String, String> partition) {
    Objects.requireNonNull(downloader, "downloader");
    Objects.requireNonNull(partition, "partition");
    SourceFile.Builder b = SourceFile.builder()
        .id(id)
        .name(name.isBlank() ? id : name)
        .uri(HttpDownloader.redact(url))
        .version(new SourceVersion(null, lastModified, size, fileName()))
        .opener(downloader.opener(url, size)); // a shorter body than the listed size fails
    partition.forEach(b::partition);
    return b.build();
  }
}
