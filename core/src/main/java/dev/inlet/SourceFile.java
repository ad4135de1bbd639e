package dev.inlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One downloadable resource, the unit that flows through a {@link Pipeline}: e.g. one year of Boston 311.
 *
 * <p>It carries a stable {@link #id()} (a resource id or URL, the same across re-publications), a human
 * {@link #name()}, the partition values known up front ({@code year=2015}), version metadata, and a way to open
 * its bytes. Creating a {@code SourceFile} touches no data; {@link #open(long)} does. Immutable and thread-safe.
 */
public final class SourceFile {
  /**
   * Opens the bytes of a source file from a byte offset.
   *
   * <p>Implementations: {@link dev.inlet.http.HttpDownloader#opener} for HTTP(S) files (the sources of
   * {@code dev.inlet.http}, {@code dev.inlet.ckan} and {@code dev.inlet.socrata} use it); a lambda for anything else.
   */
  @FunctionalInterface
  public interface Opener {
    /**
     * Opens a new stream positioned at {@code offset}. The caller closes it.
     *
     * @param offset the number of bytes to skip from the start
     * @return the file's bytes from {@code offset} on; the caller closes the stream
     * @throws IOException if the bytes cannot be read; {@link SourceUnavailableException} may also be thrown
     */
    InputStream open(long offset) throws IOException;

    /**
     * Opens the bytes from the start unless the source confirms they still are the publication {@code known}
     * describes (HTTP: a conditional {@code GET} with {@code If-None-Match}/{@code If-Modified-Since} answered
     * {@code 304}). The default cannot tell and always opens.
     *
     * @param known the version recorded when the bytes were last ingested (typically from {@link VersionedStream})
     * @return a new stream the caller closes, or null if the bytes did not change (nothing was downloaded)
     * @throws IOException if the file cannot be read
     */
    default InputStream openIfChanged(SourceVersion known) throws IOException {
      return open(0);
    }

    /**
     * {@return an opener for one download of the file, however many streams it takes: the {@link Pipeline} takes one
     * per file and run and opens every attempt's stream through it, so that a bound the transport puts on a download
     * (HTTP's {@linkplain dev.inlet.http.HttpDownloader.Builder#downloadTimeout download deadline} and its
     * {@linkplain dev.inlet.http.HttpDownloader.Builder#maxAttempts attempts}, retries and resumes together) runs
     * from the first request of the first attempt instead of starting again with each attempt: the pipeline's
     * attempts do not multiply the transport's} The default returns this opener: streams that have no such bound
     * need nothing else.
     */
    default Opener oneDownload() {
      return this;
    }
  }

  /**
   * Implemented by streams that know the version of the bytes they deliver, e.g. an HTTP body with its
   * {@code ETag}, {@code Last-Modified} and length. The pipeline records it to make conditional requests next time.
   *
   * <p>Implementations: the streams {@link dev.inlet.http.HttpDownloader} and its openers return (internal classes
   * of {@code dev.inlet.http}).
   */
  public interface VersionedStream {
    /** {@return the version of these bytes as the transport reported it; fields it did not report are null} */
    SourceVersion version();
  }

  private final String id;
  private final String name;
  private final URI uri;
  private final Map<String, String> partition;
  private final SourceVersion version;
  private final Opener opener;

  private SourceFile(Builder b) {
    this.id = b.id;
    this.name = b.name == null ? b.id : b.name;
    this.uri = b.uri;
    this.partition = Collections.unmodifiableMap(new LinkedHashMap<>(b.partition));
    this.version = b.version;
    this.opener = b.opener;
  }

  /** {@return a builder; the id and the opener are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this file's values, to change some} */
  public Builder toBuilder() {
    Builder b = new Builder().id(id).name(name).uri(uri).version(version).opener(opener);
    b.partition.putAll(partition);
    return b;
  }

  /**
   * Stable identity of the resource, unchanged by re-publication (resource id, or URL).
   *
   * @return the file's id, unique within its source
   */
  public String id() {
    return id;
  }

  /**
   * Human name, used in progress, summaries and error messages.
   *
   * @return the file's name, for display
   */
  public String name() {
    return name;
  }

  /** {@return where the bytes come from, without query string, or null if not addressable} For display only. */
  public URI uri() {
    return uri;
  }

  /**
   * Partition values known up front, in key order (e.g. {@code year=2015}); empty if rows decide.
   *
   * @return the partition values the file's rows go to, by key
   */
  public Map<String, String> partition() {
    return partition;
  }

  /** {@return what the source said of this version of the file (ETag, last modified, size), as far as it knows} */
  public SourceVersion version() {
    return version;
  }

  /**
   * Opens the bytes from the start. The caller closes the stream.
   *
   * @return the file's bytes; the caller closes the stream
   * @throws IOException if the file cannot be read
   */
  public InputStream open() throws IOException {
    return opener.open(0);
  }

  /**
   * Opens the bytes from {@code offset} (for resuming). The caller closes the stream.
   *
   * @param offset the number of bytes to skip from the start
   * @return the file's bytes from {@code offset} on; the caller closes the stream
   * @throws IOException if the file cannot be read
   */
  public InputStream open(long offset) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    return opener.open(offset);
  }

  /**
   * Opens the bytes from the start unless the source confirms they still match {@code known} (see
   * {@link Opener#openIfChanged(SourceVersion)}).
   *
   * @param known what was recorded of the file at its last ingest, or null to download in any case
   * @throws IOException if the file cannot be read
   * @return a stream the caller closes, or null if the bytes did not change
   */
  public InputStream openIfChanged(SourceVersion known) throws IOException {
    Objects.requireNonNull(known, "known");
    return opener.openIfChanged(known);
  }

  /** This file's opener, for {@link Opener#oneDownload()}. */
  Opener opener() {
    return opener;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Builds a {@link SourceFile}; {@code id} and {@code opener} are required. */
  public static final class Builder {
    private String id;
    private String name;
    private URI uri;
    private final Map<String, String> partition = new LinkedHashMap<>();
    private SourceVersion version = SourceVersion.UNKNOWN;
    private Opener opener;

    private Builder() {}

    /**
     * Sets the file's id, unique within its source.
     *
     * @param id the id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets the file's name, for display; default the id.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets where the bytes come from, for display.
     *
     * @param uri the address, or null
     * @return this builder
     */
    public Builder uri(URI uri) {
      this.uri = uri;
      return this;
    }

    /**
     * Adds a partition value known up front; keys keep the order they are added in.
     *
     * @param key the partition key
     * @param value the value
     * @return this builder
     */
    public Builder partition(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      partition.put(key, value);
      return this;
    }

    /**
     * Sets what the source said of this version of the file.
     *
     * @param version the version
     * @return this builder
     */
    public Builder version(SourceVersion version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Sets how the file's bytes are opened.
     *
     * @param opener the opener
     * @return this builder
     */
    public Builder opener(Opener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    /**
     * @return the source file
     * @throws IllegalStateException if id or opener is missing
     */
    public SourceFile build() {
      if (id == null) {
        throw new IllegalStateException("Cannot build SourceFile: id is missing");
      }
      if (opener == null) {
        throw new IllegalStateException("Cannot build SourceFile " + id + ": opener is missing");
      }
      return new SourceFile(this);
    }
  }
}
