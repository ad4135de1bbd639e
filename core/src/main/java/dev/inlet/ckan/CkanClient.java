package dev.inlet.ckan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.SourceUnavailableException;
import dev.inlet.http.HttpDownloader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads dataset metadata from a CKAN portal's action API (version 3). Immutable and thread-safe; holds no
 * connection between calls. The given {@link HttpDownloader} is shared, not owned.
 */
public final class CkanClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CkanClient.class);

  private final URI portal;
  private final HttpDownloader downloader;

  private CkanClient(URI portal, HttpDownloader downloader) {
    this.portal = portal;
    this.downloader = downloader;
  }

  /**
   * {@return a client for the portal at {@code portal} (e.g. {@code https://data.boston.gov})}
   *
   * @param portal the portal's base URL, e.g. {@code https://data.boston.gov}
   * @param downloader the HTTP downloader it fetches with
   * @throws IllegalArgumentException if {@code portal} is not an absolute http(s) URL without query
   */
  public static CkanClient of(URI portal, HttpDownloader downloader) {
    return new CkanClient(checkPortal(portal), Objects.requireNonNull(downloader, "downloader"));
  }

  /** {@return the portal base URL, without trailing slash} */
  public URI portal() {
    return portal;
  }

  static URI checkPortal(URI portal) {
    Objects.requireNonNull(portal, "portal");
    String scheme = portal.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || portal.getHost() == null
        || portal.getRawQuery() != null) {
      throw new IllegalArgumentException("Cannot use CKAN portal " + HttpDownloader.redact(portal)
          + ": expected an absolute http(s) base URL without query, e.g. https://data.boston.gov");
    }
    String s = portal.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /**
   * Lists the usable resources of a dataset, in the portal's order, via {@code package_show}; resources without id
   * or url, or with an invalid url, are skipped with a warning (see {@link #listing} to get them).
   *
   * @param datasetIdOrName the dataset's id or name (slug), e.g. {@code 311-service-requests}
   * @return the dataset's resources, in the portal's order
   * @throws SourceUnavailableException if the portal answers an error, {@code success:false}, or not CKAN JSON
   * @throws IOException if the portal cannot be reached
   */
  public List<CkanResource> packageShow(String datasetIdOrName) throws IOException {
    Listing listing = listing(datasetIdOrName);
    for (Unusable u : listing.unusable()) {
      LOG.warn(
          "Skipping resource {} ('{}') of {}: {}",
          u.id(),
          u.name().replaceAll("\\p{Cc}", "?"),
          datasetIdOrName,
          u.reason());
    }
    return listing.resources();
  }

  /**
   * A resource {@code package_show} lists but that cannot be downloaded as listed (no id, no url, or a url that is
   * not a valid URI); names and urls are as the portal wrote them (not sanitized).
   *
   * @param id the resource id, or {@code #<index>} when the portal gave none
   * @param name the resource name, empty if none
   * @param reason why it cannot be used
   */
  public record Unusable(String id, String name, String reason) {}

  /**
   * The resources of a dataset that can be used, and those that cannot; in the portal's order.
   *
   * @param resources the usable resources
   * @param unusable the resources that cannot be used, and why
   */
  public record Listing(List<CkanResource> resources, List<Unusable> unusable) {
    /**
     * Creates the record.
     *
     * @param resources the usable resources
     * @param unusable the resources that cannot be used, and why
     */
    public Listing {
      resources = List.copyOf(resources);
      unusable = List.copyOf(unusable);
    }
  }

  /**
   * Like {@link #packageShow}, but one unusable resource does not fail the listing: it is returned apart, so that
   * a source fails only if it needs that resource.
   *
   * @param datasetIdOrName the dataset id or its name (slug)
   * @return the dataset's resources and what the portal said of each
   * @throws SourceUnavailableException if the portal answers an error, {@code success:false}, or not CKAN JSON
   * @throws IOException if the portal cannot be reached
   */
  public Listing listing(String datasetIdOrName) throws IOException {
    Objects.requireNonNull(datasetIdOrName, "datasetIdOrName");
    if (datasetIdOrName.isBlank()) {
      throw new IllegalArgumentException("dataset id or name must not be blank");
    }
    URI call = URI.create(portal + "/api/3/action/package_show?id="
        + URLEncoder.encode(datasetIdOrName, StandardCharsets.UTF_8));
    String what = "dataset '" + datasetIdOrName + "' on " + portal;
    String body;
    try {
      body = downloader.getString(call);
    } catch (SourceUnavailableException e) {
      throw new SourceUnavailableException(
          "Cannot list " + what + ": " + e.getMessage()
              + "; check the portal URL and the dataset id or name",
          e);
    }
    return parseListing(body, what, portal);
  }

  /** Parses a {@code package_show} answer; relative resource URLs are resolved against {@code portal}. */
  static Listing parseListing(String body, String what, URI portal) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new SourceUnavailableException(
          "Cannot list " + what + ": the answer is not JSON (starts with '" + preview(body)
              + "'); check that the portal is a CKAN site");
    }
    if (root == null || !root.isObject() || !root.has("success")) {
      throw new SourceUnavailableException(
          "Cannot list " + what + ": the answer is not a CKAN action result (no 'success' field)");
    }
    if (!root.path("success").asBoolean(false)) {
      JsonNode error = root.path("error");
      String message = error.path("message").asText(error.toString());
      throw new SourceUnavailableException(
          "Cannot list " + what + ": the portal answered success=false (" + message + ")");
    }
    JsonNode result = root.path("result");
    JsonNode resources = result.path("resources");
    if (!resources.isArray()) {
      throw new SourceUnavailableException("Cannot list " + what + ": result.resources is missing");
    }
    String packageId = text(result, "id");
    List<CkanResource> out = new ArrayList<>();
    List<Unusable> unusable = new ArrayList<>();
    int index = 0;
    for (JsonNode r : resources) {
      String id = text(r, "id");
      String url = text(r, "url");
      String name = text(r, "name") == null ? "" : text(r, "name");
      String ref = id == null ? "#" + index : id;
      index++;
      if (id == null || url == null || url.isBlank()) {
        unusable.add(new Unusable(ref, name, "has no id or url"));
        continue;
      }
      URI resolved;
      try {
        resolved = resolve(portal, url);
      } catch (URISyntaxException | IllegalArgumentException e) {
        unusable.add(new Unusable(
            ref,
            name,
            "has an invalid url ("
                + (e instanceof URISyntaxException u ? u.getReason() : e.getMessage()) + ")"));
        continue;
      }
      out.add(new CkanResource(
          id,
          text(r, "name"),
          resolved,
          text(r, "format"),
          size(r.path("size")),
          instant(text(r, "last_modified")),
          text(r, "package_id") == null ? packageId : text(r, "package_id")));
    }
    return new Listing(out, unusable);
  }

  private static URI resolve(URI portal, String url) throws URISyntaxException {
    String u = url.trim().replace(" ", "%20");
    URI parsed = new URI(u);
    return parsed.isAbsolute() ? parsed : URI.create(portal + "/").resolve(parsed);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Long size(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isTextual()) {
      try {
        return Long.parseLong(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** CKAN writes UTC times without zone ({@code 2024-01-05T12:34:56.789012}); some portals add one. */
  static Instant instant(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDateTime.parse(value.trim()).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value.trim()).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String preview(String body) {
    String s = body.strip();
    s = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return s.replaceAll("\\s+", " ");
  }

  @Override
  public String toString() {
    return "CkanClient{" + portal + "}";
  }
}
