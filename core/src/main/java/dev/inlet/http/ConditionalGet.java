package dev.inlet.http;

import static dev.inlet.http.HttpDownloader.redact;

import dev.inlet.SourceVersion;
import java.io.IOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conditional {@code GET}: {@code If-None-Match} with the known ETag and {@code If-Modified-Since} with the known
 * last-modified time (as the server reported them); an HTTP 304 answer means unchanged.
 */
final class ConditionalGet {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);

  private final HttpDownloader d;

  ConditionalGet(HttpDownloader downloader) {
    this.d = downloader;
  }

  /** The body from the start, or null if the server answered 304 (unchanged). */
  Body openIfChanged(URI uri, SourceVersion known, Budget budget) throws IOException {
    d.checkUri(uri);
    Objects.requireNonNull(known, "known");
    Map<String, String> headers = new LinkedHashMap<>();
    if (known.etag() != null) {
      headers.put("If-None-Match", known.etag());
    }
    if (known.lastModified() != null) {
      headers.put(
          "If-Modified-Since",
          DateTimeFormatter.RFC_1123_DATE_TIME.format(known.lastModified().atZone(ZoneOffset.UTC)));
    }
    HttpTransport.Response response = d.loop.send(uri, 0, headers, budget, false);
    if (response.status() == 304) {
      response.close();
      LOG.debug("{} is unchanged (HTTP 304)", redact(uri));
      return null;
    }
    try {
      return d.bodies.positioned(uri, response, 0, budget, true);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
  }
}
