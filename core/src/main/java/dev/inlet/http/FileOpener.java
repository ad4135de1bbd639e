package dev.inlet.http;

import dev.inlet.SourceFile;
import dev.inlet.SourceVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * The opener of one file. Its streams resume a body cut mid-way by themselves ({@link ResumingInputStream}).
 * Unless {@code oneDownload}, each stream it opens has its own {@link Budget} (tries and deadline); a
 * {@link #oneDownload()} opener makes the budget at its first request and every later stream (the pipeline's next
 * attempt of the file) draws on it, so that the downloader's attempts and deadline bound the file's whole download:
 * HTTP retries, body resumes and pipeline attempts together.
 */
final class FileOpener implements SourceFile.Opener {
  private final HttpDownloader d;
  private final URI uri;
  private final Long listedSize;
  private final boolean oneDownload;
  private Budget shared;

  FileOpener(HttpDownloader downloader, URI uri, Long listedSize, boolean oneDownload) {
    this.d = downloader;
    this.uri = uri;
    this.listedSize = listedSize;
    this.oneDownload = oneDownload;
  }

  @Override
  public InputStream open(long offset) throws IOException {
    Budget budget = budget();
    Body first = d.open(uri, offset, null, false, budget);
    return new ResumingInputStream(d, uri, first, offset, listedSize, budget);
  }

  @Override
  public InputStream openIfChanged(SourceVersion known) throws IOException {
    Budget budget = budget();
    Body first = d.conditional.openIfChanged(uri, known, budget);
    return first == null ? null : new ResumingInputStream(d, uri, first, 0, listedSize, budget);
  }

  @Override
  public SourceFile.Opener oneDownload() {
    return new FileOpener(d, uri, listedSize, true);
  }

  private synchronized Budget budget() {
    if (!oneDownload) {
      return d.budget();
    }
    if (shared == null) {
      shared = d.budget();
    }
    return shared;
  }
}
