package dev.inlet.ckan;

import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.http.HttpDownloader;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The resources of one CKAN dataset as source files, in the portal's order. {@link #list()} calls
 * {@code package_show} once; each file downloads from the resource URL (following the portal's redirect).
 *
 * <p>Each file: id = resource id, name = resource name, uri = resource URL without query, version =
 * (no ETag, {@code last_modified}, {@code size}, file name from the URL path), partition from the partitioner.
 * A resource without id or url, or with an invalid url, is skipped with a warning (the filter cannot see it); one
 * whose url the downloader refuses (not http/https) is listed and fails alone when opened. Immutable and
 * thread-safe.
 *
 * <p>One of the {@link Source}s of Inlet core (see there for the others).
 */
public final class CkanSource implements Source {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CkanSource.class);

  private final CkanClient client;
  private final String dataset;
  private final HttpDownloader downloader;
  private final Predicate<CkanResource> filter;
  private final Function<CkanResource, Map<String, String>> partitioner;

  private CkanSource(Builder b) {
    this.downloader = b.downloader == null ? HttpDownloader.create() : b.downloader;
    this.client = CkanClient.of(b.portal, downloader);
    this.dataset = b.dataset;
    this.filter = b.filter;
    this.partitioner = b.partitioner;
  }

  /** {@return a builder; the portal and dataset are required} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<SourceFile> list() throws IOException {
    List<SourceFile> files = new ArrayList<>();
    CkanClient.Listing listing = client.listing(dataset);
    for (CkanClient.Unusable u : listing.unusable()) {
      LOG.warn(
          "Skipping resource {} ('{}') of dataset {} on {}: it {}",
          u.id(),
          u.name().replaceAll("\\p{Cc}", "?"),
          dataset,
          client.portal(),
          u.reason());
    }
    for (CkanResource r : listing.resources()) {
      if (filter.test(r)) {
        Map<String, String> partition = partitioner.apply(r);
        partition = partition == null ? Map.of() : partition;
        try {
          files.add(r.toSourceFile(downloader, partition));
        } catch (IllegalArgumentException e) {
          // A URL the downloader refuses (e.g. not http) fails this file alone, when opened, not
          // the listing.
          String message = "Cannot download resource " + r.id() + " ('" + r.name()
              + "') of dataset " + dataset + " on " + client.portal() + ": " + e.getMessage()
              + "; the portal must list an http(s) URL for it";
          SourceFile.Builder b = SourceFile.builder()
              .id(r.id())
              .name(r.name().isBlank() ? r.id() : r.name())
              .opener(offset -> {
                throw new dev.inlet.SourceUnavailableException(message);
              });
          partition.forEach(b::partition);
          files.add(b.build());
        }
      }
    }
    return List.copyOf(files);
  }

  @Override
  public String toString() {
    return "CkanSource{" + client.portal() + ", dataset=" + dataset + "}";
  }

  /** Builds a {@link CkanSource}; portal and dataset are required. Not thread-safe. */
  public static final class Builder {
    private URI portal;
    private String dataset;
    private HttpDownloader downloader;
    private Predicate<CkanResource> filter = r -> true;
    private Function<CkanResource, Map<String, String>> partitioner = r -> Map.of();

    private Builder() {}

    /**
     * Sets the portal base URL, e.g. {@code https://data.boston.gov}.
     *
     * @param portal the portal base URL
     * @return this builder
     */
    public Builder portal(URI portal) {
      this.portal = CkanClient.checkPortal(portal);
      return this;
    }

    /**
     * Sets the dataset id or name (slug).
     *
     * @param dataset the dataset id or name
     * @return this builder
     */
    public Builder dataset(String dataset) {
      Objects.requireNonNull(dataset, "dataset");
      if (dataset.isBlank()) {
        throw new IllegalArgumentException("dataset must not be blank");
      }
      this.dataset = dataset;
      return this;
    }

    /**
     * Downloads with {@code downloader}; default {@link HttpDownloader#create()}.
     *
     * @param downloader the HTTP downloader it fetches with
     * @return this builder
     */
    public Builder downloader(HttpDownloader downloader) {
      this.downloader = Objects.requireNonNull(downloader, "downloader");
      return this;
    }

    /**
     * Keeps only the resources accepted by {@code filter}; default all.
     *
     * @param filter which resources to list
     * @return this builder
     */
    public Builder filter(Predicate<CkanResource> filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Partition values known up front for a resource (keys in order); default none.
     *
     * @param partitioner gives each resource's partition values
     * @return this builder
     */
    public Builder partitioner(Function<CkanResource, Map<String, String>> partitioner) {
      this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
      return this;
    }

    /**
     * @return the source
     * @throws IllegalStateException if portal or dataset is missing
     */
    public CkanSource build() {
      if (portal == null) {
        throw new IllegalStateException(
            "Cannot build CkanSource: portal is missing; call portal(URI)");
      }
      if (dataset == null) {
        throw new IllegalStateException(
            "Cannot build CkanSource: dataset is missing; call dataset(String)");
      }
      return new CkanSource(this);
    }
  }
}
