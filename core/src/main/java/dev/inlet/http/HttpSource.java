package dev.inlet.http;

import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A fixed list of HTTP(S) URLs as source files, in the order they were added. Listing touches no network.
 *
 * <p>Each file's id and {@link SourceFile#uri()} are the URL without query string (see
 * {@link HttpDownloader#redact(URI)}); its bytes are downloaded from the full URL. Immutable and thread-safe.
 *
 * <p>One of the {@link Source}s of Inlet core (see there for the others).
 */
public final class HttpSource implements Source {
  private final List<SourceFile> files;

  private HttpSource(List<SourceFile> files) {
    this.files = List.copyOf(files);
  }

  /**
   * A builder without files.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<SourceFile> list() {
    return files;
  }

  @Override
  public String toString() {
    return "HttpSource" + files;
  }

  /** Builds an {@link HttpSource}; at least one file is required. Not thread-safe. */
  public static final class Builder {
    private record Entry(URI uri, String name, Map<String, String> partition) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private HttpDownloader downloader;

    private Builder() {}

    /**
     * Downloads with {@code downloader}; default {@link HttpDownloader#create()}.
     *
     * @param downloader the downloader (its transport, retry policy, timeouts)
     * @return this builder
     */
    public Builder downloader(HttpDownloader downloader) {
      this.downloader = Objects.requireNonNull(downloader, "downloader");
      return this;
    }

    /**
     * Adds a file without partition values known up front.
     *
     * @param uri absolute http or https URL
     * @param name human name shown in progress and errors
     * @return this builder
     * @throws IllegalArgumentException as {@link #file(URI, String, Map)}
     */
    public Builder file(URI uri, String name) {
      return file(uri, name, Map.of());
    }

    /**
     * Adds a file.
     *
     * @param uri absolute http or https URL; its query (e.g. a presigned signature) is used to download only
     * @param name human name shown in progress and errors
     * @param partition partition values known up front, in key order (e.g. {@code year=2015}); may be empty
     * @return this builder
     * @throws IllegalArgumentException if the URL is not absolute http(s) or its redacted form was already added
     */
    public Builder file(URI uri, String name, Map<String, String> partition) {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(partition, "partition");
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("Cannot add " + HttpDownloader.redact(uri)
            + ": only absolute http and https URLs are supported");
      }
      String id = HttpDownloader.redact(uri).toString();
      if (!ids.add(id)) {
        throw new IllegalArgumentException("Cannot add " + id + ": the same URL was already added");
      }
      entries.add(new Entry(uri, name, new LinkedHashMap<>(partition)));
      return this;
    }

    /**
     * The source, listing the files in the order added.
     *
     * @return a new immutable source
     * @throws IllegalStateException if no file was added
     */
    public HttpSource build() {
      if (entries.isEmpty()) {
        throw new IllegalStateException(
            "Cannot build HttpSource: no file added; call file(uri, name, partition)");
      }
      HttpDownloader d = downloader == null ? HttpDownloader.create() : downloader;
      List<SourceFile> files = new ArrayList<>();
      for (Entry e : entries) {
        URI redacted = HttpDownloader.redact(e.uri());
        SourceFile.Builder f = SourceFile.builder()
            .id(redacted.toString())
            .name(e.name())
            .uri(redacted)
            .version(new SourceVersion(null, null, null, fileName(redacted)))
            .opener(d.opener(e.uri()));
        e.partition().forEach(f::partition);
        files.add(f.build());
      }
      return new HttpSource(files);
    }
  }

  /** The last path segment of {@code uri}, or null if it has none. */
  static String fileName(URI uri) {
    String path = uri.getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return null;
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
