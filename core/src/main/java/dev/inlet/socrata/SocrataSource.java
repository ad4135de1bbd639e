package dev.inlet.socrata;

import dev.inlet.ColumnType;
import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import dev.inlet.http.HttpDownloader;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Socrata (Tyler Data &amp; Insights) dataset as one source file: its full CSV export.
 *
 * <p>{@link #list()} reads the dataset metadata ({@code GET <base>/api/views/<id>.json}, one request) and returns one
 * {@link SourceFile}: id = the export URL without query ({@code <base>/resource/<id>.csv}, stable), name = the
 * dataset's name as the portal writes it (not sanitized), version = (no ETag, {@code rowsUpdatedAt} as last
 * modified, no size, no file name). With a state store the pipeline therefore skips a dataset whose rows did not
 * change without downloading it; when the portal gives no {@code rowsUpdatedAt} the export is requested
 * conditionally and compared by content.
 *
 * <p>The export is the SODA 2.1 query {@code GET <base>/resource/<id>.csv?$limit=2147483647&$order=:id}: one
 * streamed request for all rows ({@code $limit} is unlimited on 2.1 endpoints, its default 1000), in a stable order
 * (so that a download cut mid-way restarts onto the same bytes). Chosen over {@code /api/views/<id>/rows.csv}
 * because SODA writes values in machine formats Inlet reads as typed: floating timestamps as
 * {@code 2024-01-15T10:30:00.000} (rows.csv writes {@code 01/15/2024 10:30:00 AM}, which is no timestamp to
 * Inlet), checkboxes as {@code true}/{@code false}, and its header is the field names ({@code created_date}), which
 * are already valid column names. {@link #columnTypes()} is keyed by those names.
 *
 * <p>An app token is sent as the {@code X-App-Token} header on every request to the portal (not on a redirect to
 * another host); it never appears in log lines, exception messages, {@link #toString()} or file ids. Throttling
 * ({@code 429} with {@code Retry-After}), retries, resume and completeness checks are the downloader's. Immutable
 * and thread-safe.
 *
 * <p>One of the {@link Source}s of Inlet core (see there for the others).
 */
public final class SocrataSource implements Source {
  /** A Socrata dataset id ("4x4"): two groups of four lower-case letters or digits, e.g. {@code erm2-nwe9}. */
  static final Pattern FOUR_BY_FOUR = Pattern.compile("[a-z0-9]{4}-[a-z0-9]{4}");
  /** The largest {@code $limit} asked for: all rows of any real dataset (NYC 311 has some 40 million). */
  static final long ALL_ROWS = Integer.MAX_VALUE;

  private final URI base;
  private final String dataset;
  private final boolean hasToken;
  private final HttpDownloader downloader;
  private final SocrataClient client;

  private SocrataSource(Builder b) {
    this.base = b.baseUrl;
    this.dataset = b.dataset;
    this.hasToken = b.appToken != null;
    HttpDownloader d = b.downloader == null ? HttpDownloader.create() : b.downloader;
    this.downloader =
        b.appToken == null ? d : d.toBuilder().header("X-App-Token", b.appToken).build();
    this.client = new SocrataClient(base, downloader);
  }

  /** {@return a builder; the base URL and the dataset id are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the portal base URL, without trailing slash} */
  public URI baseUrl() {
    return base;
  }

  /** {@return the dataset id, e.g. {@code erm2-nwe9}} */
  public String dataset() {
    return dataset;
  }

  /** {@return the export's URL: {@code <base>/resource/<id>.csv?$limit=...&$order=:id}} */
  public URI exportUri() {
    return URI.create(base + "/resource/" + dataset + ".csv?$limit=" + ALL_ROWS + "&$order=:id");
  }

  /**
   * Reads the dataset's metadata now (one request per call: nothing is cached, so a long-lived source sees
   * changes).
   *
   * @return the dataset's metadata, read now
   * @throws dev.inlet.SourceUnavailableException if the portal answers an error or not a tabular dataset's metadata
   * @throws IOException if the portal cannot be reached
   */
  public SocrataDataset metadata() throws IOException {
    return client.dataset(dataset);
  }

  /**
   * Column types from the metadata (read now, one request per call, see {@link #metadata()}), keyed by the
   * export's header names (field names): calendar dates and timestamps are {@code timestamp}, checkboxes
   * {@code boolean}, text, urls and geometry (point, location, ...) {@code string}; number columns are absent,
   * left to inference (bigint or double by values).
   *
   * @return the column types, by field name
   * @throws IOException if the portal cannot be reached
   */
  public Map<String, ColumnType> columnTypes() throws IOException {
    return metadata().columnTypes();
  }

  @Override
  public List<SourceFile> list() throws IOException {
    SocrataDataset meta = metadata();
    URI export = exportUri();
    SourceFile file = SourceFile.builder()
        .id(HttpDownloader.redact(export).toString())
        .name(meta.name())
        .uri(HttpDownloader.redact(export))
        .version(new SourceVersion(null, meta.rowsUpdatedAt(), null, null))
        .opener(downloader.opener(export))
        .build();
    return List.of(file);
  }

  @Override
  public String toString() {
    return "SocrataSource{" + base + ", dataset=" + dataset + (hasToken ? ", appToken=(set)" : "")
        + "}";
  }

  /** Builds a {@link SocrataSource}; base URL and dataset are required. Not thread-safe. */
  public static final class Builder {
    private URI baseUrl;
    private String dataset;
    private String appToken;
    private HttpDownloader downloader;

    private Builder() {}

    /**
     * Sets the portal's base URL, e.g. {@code https://data.cityofnewyork.us}.
     *
     * @param baseUrl the portal's base URL
     * @return this builder
     * @throws IllegalArgumentException unless an absolute http(s) URL with a host and without user info, query or
     *     fragment
     */
    public Builder baseUrl(URI baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      String scheme = baseUrl.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || baseUrl.getHost() == null
          || baseUrl.getRawQuery() != null
          || baseUrl.getRawFragment() != null
          || baseUrl.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "Cannot use Socrata portal " + HttpDownloader.redact(baseUrl)
                + ": expected an absolute http(s) base URL without user info, query or fragment, e.g."
                + " https://data.cityofnewyork.us");
      }
      String s = baseUrl.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      this.baseUrl = URI.create(s);
      return this;
    }

    /**
     * Sets the dataset id ("4x4"), e.g. {@code erm2-nwe9} (NYC 311), as in the dataset's URL.
     *
     * @param fourByFour the dataset id
     * @return this builder
     * @throws IllegalArgumentException unless it matches {@code [a-z0-9]{4}-[a-z0-9]{4}}
     */
    public Builder dataset(String fourByFour) {
      Objects.requireNonNull(fourByFour, "dataset");
      if (!FOUR_BY_FOUR.matcher(fourByFour).matches()) {
        throw new IllegalArgumentException("Cannot use Socrata dataset id '"
            + fourByFour.replaceAll("\\p{Cc}", "?")
            + "': expected 4x4 form, two groups of four lower-case"
            + " letters or digits such as erm2-nwe9 (the id in the dataset's URL)");
      }
      this.dataset = fourByFour;
      return this;
    }

    /**
     * Sets an application token, sent as {@code X-App-Token} on every request (Socrata throttles requests without
     * one
     * by IP address). Never logged nor shown.
     *
     * @param appToken an application token, sent as {@code X-App-Token} on every request
     * @return this builder
     * @throws IllegalArgumentException if blank or containing white space or control characters
     */
    public Builder appToken(String appToken) {
      Objects.requireNonNull(appToken, "appToken");
      if (appToken.isBlank() || !appToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "Cannot use the Socrata app token: it must be non-blank printable"
                + " ASCII without spaces; copy it from the portal's developer settings");
      }
      this.appToken = appToken;
      return this;
    }

    /**
     * Downloads with {@code downloader} (not owned; the token header is added to a copy); default {@link
     * HttpDownloader#create()}.
     *
     * @param downloader the HTTP downloader it fetches with
     * @return this builder
     */
    public Builder downloader(HttpDownloader downloader) {
      this.downloader = Objects.requireNonNull(downloader, "downloader");
      return this;
    }

    /**
     * @return the source
     * @throws IllegalStateException if the base URL or the dataset is missing
     */
    public SocrataSource build() {
      if (baseUrl == null) {
        throw new IllegalStateException(
            "Cannot build SocrataSource: baseUrl is missing; call baseUrl(URI)");
      }
      if (dataset == null) {
        throw new IllegalStateException(
            "Cannot build SocrataSource: dataset is missing; call dataset(String)");
      }
      return new SocrataSource(this);
    }
  }
}
