package dev.inlet.http;

import static dev.inlet.http.HttpDownloader.redact;

import dev.inlet.SourceUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a request until it has an answer worth reading, within the download's {@link Budget}: connect errors,
 * timeouts, resets, HTTP 5xx and 429 are retried after the {@link dev.inlet.RetryPolicy}'s backoff (a
 * {@code Retry-After} of a 429 or 503 honoured up to its largest delay); other 4xx fail at once. Each attempt takes
 * one try of the budget, except the first attempt of a request verifying a body's end (it belongs to the try that
 * brought the body).
 */
final class RetryLoop {
  private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);

  private final HttpDownloader d;
  private final Redirects redirects;

  RetryLoop(HttpDownloader downloader) {
    this.d = downloader;
    this.redirects = new Redirects(downloader);
  }

  /**
   * Sends GET with retries and redirects until the deadline; returns a 200 or 206 response (304 if conditional
   * headers were sent, 416 if {@code verifying}) whose body the caller closes.
   */
  HttpTransport.Response send(
      URI uri, long offset, Map<String, String> headers, Budget budget, boolean verifying)
      throws IOException {
    String lastFailure = null;
    IOException lastError = null;
    for (int attempt = 1; ; attempt++) {
      if (budget.passed()) {
        throw new HttpDownloader.DeadlineExceededException(
            d.deadlineMessage(uri) + lastFailure(lastFailure, attempt));
      }
      if (!(verifying && attempt == 1) && !budget.take()) {
        throw new SourceUnavailableException(
            "Cannot download " + redact(uri) + ": its download already made the "
                + budget.attempts()
                + " attempt(s) it may make in all (HTTP retries, resumes and the pipeline's attempts"
                + " together)"
                + (budget.gaveUp() == null
                    ? ""
                    : ", the last ending: " + lastEnding(uri, budget.gaveUp()))
                + "; try again later, or allow more with HttpDownloader.builder().maxAttempts(...)");
      }
      Duration retryAfter = null;
      try {
        Redirects.Hop hop = redirects.follow(uri, offset, headers, budget);
        HttpTransport.Response response = hop.response();
        int status = response.status();
        if (status == 200
            || status == 206
            || status == 304 && !headers.isEmpty()
            || status == 416 && verifying) {
          return response;
        }
        response.close();
        String where = hop.uri().equals(uri) ? "" : " (redirected to " + redact(hop.uri()) + ")";
        if (status != 429 && status < 500) {
          throw new SourceUnavailableException("Cannot download " + redact(uri) + where + ": HTTP "
              + status + " " + explain(status));
        }
        lastFailure = "HTTP " + status + where;
        lastError = null;
        if (status == 429 || status == 503) {
          retryAfter = retryAfter(response).orElse(null);
        }
      } catch (HttpDownloader.NotResumableException e) {
        throw lastFailure == null
            ? e
            : new HttpDownloader.NotResumableException(
                e.getMessage() + lastFailure(lastFailure, attempt), e);
      } catch (HttpDownloader.DeadlineExceededException e) {
        throw lastFailure == null
            ? e
            : new HttpDownloader.DeadlineExceededException(
                e.getMessage() + lastFailure(lastFailure, attempt), e);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("Cannot download " + redact(uri) + ": interrupted");
        }
        // connect errors, timeouts, resets before the body starts are all transient here
        lastFailure = describe(e);
        lastError = e;
      }
      if (!budget.hasTries()) {
        String message = "Cannot download " + redact(uri) + ": " + lastFailure + " after " + attempt
            + (attempt == 1 ? " attempt" : " attempts")
            + (budget.used() > attempt
                ? " (" + budget.used() + " for this download in all, its budget)"
                : "")
            + "; try again later";
        budget.gaveUp(message);
        if (lastError != null) {
          throw new IOException(message, lastError);
        }
        throw new SourceUnavailableException(message);
      }
      Duration delay = Redirects.min(d.backoff(budget.used(), retryAfter), budget.remaining());
      LOG.debug(
          "Retrying {} in {} ms after {} (attempt {} of {})",
          redact(uri),
          delay.toMillis(),
          lastFailure,
          budget.used() + 1,
          budget.attempts());
      d.pause(uri, delay);
    }
  }

  /** {@code message} without the "Cannot download URL: " it shares with the message it goes into. */
  private static String lastEnding(URI uri, String message) {
    String prefix = "Cannot download " + redact(uri) + ": ";
    String m = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return m.endsWith("; try again later")
        ? m.substring(0, m.length() - "; try again later".length())
        : m;
  }

  private static String lastFailure(String lastFailure, int attempt) {
    return lastFailure == null
        ? ""
        : "; last failure: " + lastFailure + " after " + (attempt - 1)
            + (attempt == 2 ? " attempt" : " attempts");
  }

  static Optional<Duration> retryAfter(HttpTransport.Response response) {
    Optional<String> value = response.header("Retry-After");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException e) {
      try {
        Instant at =
            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration delay = Duration.between(Instant.now(), at);
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static String explain(int status) {
    switch (status) {
      case 401:
      case 403:
        return "(forbidden): the link may have expired or need credentials; list the source again for a fresh link";
      case 404:
      case 410:
        return "(not found): check the URL; the file may have been removed or re-published under a new name";
      case 416:
        return "(range not satisfiable): the file is shorter than the resume offset; download it from the start";
      default:
        return "(client error): check the URL";
    }
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    // JDK exception messages name the host and port at most, never the query
    return e.getMessage() == null ? type : type + " (" + e.getMessage() + ")";
  }
}
