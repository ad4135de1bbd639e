package dev.inlet.socrata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.SourceUnavailableException;
import dev.inlet.http.HttpDownloader;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads dataset metadata from {@code GET <base>/api/views/<id>.json}. Immutable and thread-safe; the downloader
 * (which carries the app token header, if any) is shared, not owned.
 */
final class SocrataClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpDownloader downloader;

  SocrataClient(URI base, HttpDownloader downloader) {
    this.base = base;
    this.downloader = downloader;
  }

  URI metadataUri(String dataset) {
    return URI.create(base + "/api/views/" + dataset + ".json");
  }

  /**
   * @throws SourceUnavailableException if the portal answers an error (e.g. 404 for an unknown id, 403 for a bad
   *     app token), or not the metadata of a tabular dataset
   * @throws IOException if the portal cannot be reached
   */
  SocrataDataset dataset(String dataset) throws IOException {
    String what = "Socrata dataset " + dataset + " on " + base;
    String body;
    try {
      body = downloader.getString(metadataUri(dataset));
    } catch (SourceUnavailableException e) {
      throw new SourceUnavailableException(
          "Cannot read the metadata of " + what + ": " + e.getMessage()
              + "; check the base URL, the dataset id and the app token",
          e);
    }
    return parse(body, dataset, what);
  }

  static SocrataDataset parse(String body, String dataset, String what) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new SourceUnavailableException("Cannot read the metadata of " + what
          + ": the answer is not JSON" + "; check that the base URL is a Socrata portal");
    }
    if (root == null || !root.isObject() || !root.path("columns").isArray()) {
      throw new SourceUnavailableException(
          "Cannot read the metadata of " + what + ": the answer has no"
              + " 'columns' array; check that the base URL is a Socrata portal and the id a dataset");
    }
    String viewType = text(root, "viewType");
    if (viewType != null && !viewType.equals("tabular")) {
      throw new SourceUnavailableException("Cannot ingest " + what + ": it is a " + viewType
          + " asset, not a" + " table; use the id of a tabular dataset");
    }
    List<SocrataColumn> columns = new ArrayList<>();
    for (JsonNode c : root.path("columns")) {
      if (hidden(c)) {
        continue;
      }
      String field = text(c, "fieldName");
      if (field == null || field.isBlank()) {
        continue;
      }
      String name = text(c, "name");
      columns.add(new SocrataColumn(name == null ? field : name, field, text(c, "dataTypeName")));
    }
    String name = text(root, "name");
    return new SocrataDataset(
        dataset,
        name == null || name.isBlank() ? dataset : name,
        columns,
        epochSeconds(root.get("rowsUpdatedAt")),
        epochSeconds(root.get("viewLastModified")));
  }

  private static boolean hidden(JsonNode column) {
    for (JsonNode f : column.path("flags")) {
      if ("hidden".equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  private static Instant epochSeconds(JsonNode v) {
    if (v == null || !v.canConvertToLong() && !v.isTextual()) {
      return null;
    }
    try {
      long s = v.isTextual() ? Long.parseLong(v.asText().trim()) : v.asLong();
      return s > 0 ? Instant.ofEpochSecond(s) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
