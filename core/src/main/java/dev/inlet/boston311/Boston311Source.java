package dev.inlet.boston311;

import dev.inlet.Source;
import dev.inlet.SourceFile;
import dev.inlet.SourceUnavailableException;
import dev.inlet.ckan.CkanClient;
import dev.inlet.ckan.CkanResource;
import dev.inlet.http.HttpDownloader;
import java.io.IOException;
import java.net.URI;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Boston 311 service requests from Analyze Boston (a CKAN portal), as source files.
 *
 * <p>Two sources, two factories: {@link #legacy()} lists one file per calendar year of the legacy CRM, each with
 * partition {@code year=<YYYY>}; {@link #newSystem()} lists the single "NEW SYSTEM" file, which spans several
 * years, so its rows decide the partition. {@link #list()} calls {@code package_show} once. Download file names
 * change at every re-publication, so a resource's year is taken from its <em>name</em>
 * ("311 SERVICE REQUESTS - 2015"), then from the known resource ids ({@link #LEGACY_RESOURCE_IDS}), never from
 * the file name. Immutable and thread-safe.
 *
 * <p>One of the {@link Source}s of Inlet core (see there for the others).
 */
public final class Boston311Source implements Source {
  /** The Analyze Boston portal. */
  public static final URI DEFAULT_PORTAL = URI.create("https://data.boston.gov");

  /** The dataset slug of the 311 service requests. */
  public static final String DEFAULT_DATASET = "311-service-requests";

  /** The resource id of "311 Service Requests - NEW SYSTEM" (since Aug 2025). */
  public static final String NEW_SYSTEM_RESOURCE_ID = "254adca6-64ab-4c5c-9fc0-a6da622be185";

  /** The first year published. */
  public static final int FIRST_YEAR = 2011;

  /** Known resource ids of the legacy yearly files, stable across re-publications. */
  public static final Map<Integer, String> LEGACY_RESOURCE_IDS = Map.ofEntries(
      Map.entry(2011, "94b499d9-712a-4d2a-b790-7ceec5c9c4b1"),
      Map.entry(2012, "382e10d9-1864-40ba-bef6-4eea3c75463c"),
      Map.entry(2013, "407c5cd0-f764-4a41-adf8-054ff535049e"),
      Map.entry(2014, "bdae89c8-d4ce-40e9-a6e1-a5203953a2e0"),
      Map.entry(2015, "c9509ab4-6f6d-4b97-979a-0cf2a10c922b"),
      Map.entry(2016, "b7ea6b1b-3ca4-4c5b-9713-6dc1db52379a"),
      Map.entry(2017, "30022137-709d-465e-baae-ca155b51927d"),
      Map.entry(2018, "2be28d90-3a90-4af1-a3f6-f28c1e25880a"),
      Map.entry(2019, "ea2e4696-4a2d-429c-9807-d02eb92e0222"),
      Map.entry(2020, "6ff6a6fd-3141-4440-a880-6f60a37fe789"),
      Map.entry(2021, "f53ebccd-bc61-49f9-83db-625f209c95f5"),
      Map.entry(2022, "81a7b022-f8fc-4da5-80e4-b160058ca207"),
      Map.entry(2023, "e6013a93-1321-4f2a-bf91-8d8a02f1e62f"),
      Map.entry(2024, "dff4d804-5031-443a-8409-8344efd0e5c8"),
      Map.entry(2025, "9d7c2214-4709-478a-a2e8-fb2020a5bb94"),
      Map.entry(2026, "1a0b420d-99f1-4887-9851-990b2a5a6e17"));

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(Boston311Source.class);
  private static final Pattern YEAR = Pattern.compile("(?<!\\d)(20\\d\\d)(?!\\d)");
  private static final String NEW_SYSTEM = "NEW SYSTEM";

  private final URI portal;
  private final String dataset;
  private final HttpDownloader downloader;
  private final SortedSet<Integer> years; // null for the new system

  private Boston311Source(Builder<?> b, SortedSet<Integer> years) {
    this.portal = b.portal;
    this.dataset = b.dataset;
    this.downloader = b.downloader == null ? HttpDownloader.create() : b.downloader;
    this.years = years == null ? null : new TreeSet<>(years);
  }

  /** {@return the legacy yearly files; years 2015..2020 unless {@link LegacyBuilder#years} says otherwise} */
  public static LegacyBuilder legacy() {
    return new LegacyBuilder();
  }

  /** {@return the single "311 Service Requests - NEW SYSTEM" file (resource {@value #NEW_SYSTEM_RESOURCE_ID})} */
  public static NewSystemBuilder newSystem() {
    return new NewSystemBuilder();
  }

  /**
   * Lists the wanted files, legacy years in ascending order.
   *
   * @throws SourceUnavailableException if a wanted year or the new-system file is not on the portal, naming what
   *     is missing and the resources seen
   * @throws IOException if the portal cannot be reached
   */
  @Override
  public List<SourceFile> list() throws IOException {
    CkanClient.Listing listing = CkanClient.of(portal, downloader).listing(dataset);
    return years == null ? listNewSystem(listing) : listLegacy(listing);
  }

  private List<SourceFile> listNewSystem(CkanClient.Listing listing) {
    List<CkanResource> resources = listing.resources();
    CkanResource found = resources.stream()
        .filter(r -> r.id().equals(NEW_SYSTEM_RESOURCE_ID))
        .findFirst()
        .orElseGet(() ->
            resources.stream().filter(r -> isNewSystem(r.name())).findFirst().orElse(null));
    if (found == null) {
      CkanClient.Unusable bad = listing.unusable().stream()
          .filter(u -> u.id().equals(NEW_SYSTEM_RESOURCE_ID) || isNewSystem(u.name()))
          .findFirst()
          .orElse(null);
      if (bad != null) {
        return List.of(unusable(bad, Map.of()));
      }
    }
    warnUnused(
        listing.unusable(),
        bad -> bad.id().equals(NEW_SYSTEM_RESOURCE_ID) || isNewSystem(bad.name()));
    if (found == null) {
      throw new SourceUnavailableException("Cannot list Boston 311 new-system file on " + portal
          + " dataset " + dataset + ": no resource with id " + NEW_SYSTEM_RESOURCE_ID
          + " or named '" + NEW_SYSTEM + "'; resources seen: " + seen(resources));
    }
    return List.of(sourceFile(found, Map.of()));
  }

  private List<SourceFile> listLegacy(CkanClient.Listing listing) {
    List<CkanResource> resources = listing.resources();
    Map<Integer, String> ambiguous = new TreeMap<>();
    Map<Integer, CkanResource> byYear = mapYears(resources, ambiguous);
    ambiguous.forEach((year, why) -> {
      if (!years.contains(year)) {
        LOG.warn(
            "Ignoring Boston 311 year {} on {}, not asked for: {}",
            year,
            portal,
            why.replaceAll("\\p{Cc}", "?"));
      }
    });
    Map<Integer, CkanClient.Unusable> badByYear = new TreeMap<>();
    for (CkanClient.Unusable u : listing.unusable()) {
      Integer year = isNewSystem(u.name()) ? null : yearInName(u.name());
      if (year == null) {
        year = LEGACY_RESOURCE_IDS.entrySet().stream()
            .filter(e -> e.getValue().equals(u.id()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
      }
      if (year != null && !byYear.containsKey(year)) {
        badByYear.putIfAbsent(year, u);
      }
    }
    List<CkanClient.Unusable> asked =
        years.stream().map(badByYear::get).filter(Objects::nonNull).toList();
    warnUnused(listing.unusable(), asked::contains);
    List<Integer> missing = years.stream()
        .filter(
            y -> !byYear.containsKey(y) && !badByYear.containsKey(y) && !ambiguous.containsKey(y))
        .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new SourceUnavailableException(
          "Cannot list Boston 311 " + (missing.size() == 1 ? "year " : "years ")
              + missing.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " on "
              + portal
              + " dataset " + dataset
              + ": no resource named with the year or with its known id; years found: "
              + byYear.keySet() + "; resources seen: " + seen(resources));
    }
    List<SourceFile> files = new ArrayList<>();
    for (int year : years) {
      Map<String, String> partition = Map.of("year", String.valueOf(year));
      CkanResource r = byYear.get(year);
      if (r != null) {
        files.add(sourceFile(r, partition));
      } else if (ambiguous.containsKey(year)) {
        files.add(failing(
            "boston311:" + year,
            "311 SERVICE REQUESTS - " + year,
            partition,
            ambiguous.get(year)
                + "; rename one on the portal, or list the resources with CkanSource"));
      } else {
        files.add(unusable(badByYear.get(year), partition));
      }
    }
    return List.copyOf(files);
  }

  /** Warns about the unusable resources that were not asked for: they cannot hurt this run. */
  private void warnUnused(
      List<CkanClient.Unusable> unusable, java.util.function.Predicate<CkanClient.Unusable> asked) {
    for (CkanClient.Unusable u : unusable) {
      if (!asked.test(u)) {
        LOG.warn(
            "Ignoring resource {} ('{}') of dataset {} on {}, not asked for: it {}",
            u.id(),
            u.name().replaceAll("\\p{Cc}", "?"),
            dataset,
            portal,
            u.reason());
      }
    }
  }

  /**
   * The source file of {@code r}; one the downloader refuses (e.g. an unsupported URL scheme) fails when opened, so
   * that it fails alone instead of the whole listing.
   */
  private SourceFile sourceFile(CkanResource r, Map<String, String> partition) {
    try {
      return r.toSourceFile(downloader, partition);
    } catch (IllegalArgumentException e) {
      return failing(
          r.id(),
          r.name(),
          partition,
          "Cannot download resource " + r.id() + " ('" + r.name() + "') of"
              + " dataset " + dataset + " on " + portal + ": " + e.getMessage()
              + "; the portal must list an http(s)"
              + " URL for it");
    }
  }

  private SourceFile unusable(CkanClient.Unusable u, Map<String, String> partition) {
    return failing(
        u.id(),
        u.name(),
        partition,
        "Cannot download resource " + u.id() + " ('" + u.name() + "') of"
            + " dataset " + dataset + " on " + portal + ": it " + u.reason()
            + " in the portal's listing; the portal"
            + " must list a valid URL for it");
  }

  private static SourceFile failing(
      String id, String name, Map<String, String> partition, String message) {
    SourceFile.Builder b = SourceFile.builder()
        .id(id)
        .name(name.isBlank() ? id : name)
        .opener(offset -> {
          throw new SourceUnavailableException(message);
        });
    partition.forEach(b::partition);
    return b.build();
  }

  /**
   * Maps legacy resources to years: by the year in their name first, then by known resource id.
   *
   * @throws SourceUnavailableException if two resources are named with one year and neither has its known id
   */
  static Map<Integer, CkanResource> mapYears(List<CkanResource> resources) {
    Map<Integer, String> ambiguous = new TreeMap<>();
    Map<Integer, CkanResource> byYear = mapYears(resources, ambiguous);
    if (!ambiguous.isEmpty()) {
      throw new SourceUnavailableException(ambiguous.values().iterator().next());
    }
    return byYear;
  }

  /**
   * Like {@link #mapYears(List)}, but a year two resources are named with (neither having the known id) is left
   * out of the map and put into {@code ambiguous} with the reason, so that it fails only if asked for.
   */
  static Map<Integer, CkanResource> mapYears(
      List<CkanResource> resources, Map<Integer, String> ambiguous) {
    Map<Integer, CkanResource> byYear = new TreeMap<>();
    List<CkanResource> unnamed = new ArrayList<>();
    for (CkanResource r : resources) {
      if (isNewSystem(r.name())) {
        continue;
      }
      Integer year = yearInName(r.name());
      if (year == null) {
        unnamed.add(r);
        continue;
      }
      CkanResource previous = byYear.get(year);
      if (previous == null || r.id().equals(LEGACY_RESOURCE_IDS.get(year))) {
        byYear.put(year, r);
      } else if (!previous.id().equals(LEGACY_RESOURCE_IDS.get(year))) {
        ambiguous.putIfAbsent(
            year,
            "Cannot list Boston 311 year " + year + ": two resources are named with it, '"
                + previous.name()
                + "' (" + previous.id() + ") and '" + r.name() + "' (" + r.id()
                + "), and neither has the known id " + LEGACY_RESOURCE_IDS.get(year));
      }
    }
    for (CkanResource r : unnamed) {
      LEGACY_RESOURCE_IDS.forEach((year, id) -> {
        if (id.equals(r.id())) {
          if (ambiguous.containsKey(year)) {
            byYear.put(year, r); // the known id settles it
          } else {
            byYear.putIfAbsent(year, r);
          }
        }
      });
    }
    ambiguous
        .keySet()
        .removeIf(year -> byYear.get(year).id().equals(LEGACY_RESOURCE_IDS.get(year)));
    ambiguous.keySet().forEach(byYear::remove);
    return byYear;
  }

  /** The single year 2011..2099 in a resource name, or null if none or several. */
  static Integer yearInName(String name) {
    Matcher m = YEAR.matcher(name);
    Integer found = null;
    while (m.find()) {
      int y = Integer.parseInt(m.group(1));
      if (y < FIRST_YEAR) {
        continue;
      }
      if (found != null && found != y) {
        return null;
      }
      found = y;
    }
    return found;
  }

  private static boolean isNewSystem(String name) {
    return name.toUpperCase(Locale.ROOT).contains(NEW_SYSTEM);
  }

  private static String seen(List<CkanResource> resources) {
    return resources.stream()
        .map(r -> "'" + r.name() + "' (" + r.id() + ")")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public String toString() {
    return "Boston311Source{" + portal + ", dataset=" + dataset + ", "
        + (years == null ? "new system" : "legacy years " + years) + "}";
  }

  /** Settings shared by both Boston 311 sources. Not thread-safe. */
  public abstract static class Builder<B extends Builder<B>> {
    private URI portal = DEFAULT_PORTAL;
    private String dataset = DEFAULT_DATASET;
    private HttpDownloader downloader;

    Builder() {}

    /**
     * {@return the CKAN portal base; default {@link #DEFAULT_PORTAL}}
     *
     * @param portal the portal's base URL, e.g. {@code https://data.boston.gov}
     */
    public B portal(URI portal) {
      Objects.requireNonNull(portal, "portal");
      String scheme = portal.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || portal.getHost() == null
          || portal.getRawQuery() != null) {
        throw new IllegalArgumentException("Cannot use portal " + HttpDownloader.redact(portal)
            + ": expected an absolute http(s) URL without query");
      }
      this.portal = portal;
      return self();
    }

    /**
     * {@return the dataset id or slug; default {@link #DEFAULT_DATASET}}
     *
     * @param dataset the dataset id or name (slug)
     */
    public B dataset(String dataset) {
      Objects.requireNonNull(dataset, "dataset");
      if (dataset.isBlank()) {
        throw new IllegalArgumentException("dataset must not be blank");
      }
      this.dataset = dataset;
      return self();
    }

    /**
     * Downloads with {@code downloader}; default {@link HttpDownloader#create()}.
     *
     * @param downloader the HTTP downloader it fetches with
     * @return this builder
     */
    public B downloader(HttpDownloader downloader) {
      this.downloader = Objects.requireNonNull(downloader, "downloader");
      return self();
    }

    abstract B self();

    /** {@return the source} */
    public abstract Boston311Source build();
  }

  /** Builds the legacy yearly source. */
  public static final class LegacyBuilder extends Builder<LegacyBuilder> {
    private SortedSet<Integer> years = range(2015, 2020);

    private LegacyBuilder() {}

    /**
     * Sets the years to list, both ends included.
     *
     * @param fromInclusive the first year
     * @param toInclusive the last year
     * @return this builder
     * @throws IllegalArgumentException if {@code from > to}, or a year is before 2011 or after the current year
     */
    public LegacyBuilder years(int fromInclusive, int toInclusive) {
      if (fromInclusive > toInclusive) {
        throw new IllegalArgumentException("Cannot select Boston 311 years " + fromInclusive + ".."
            + toInclusive + ": from is after to");
      }
      checkYear(fromInclusive);
      checkYear(toInclusive);
      this.years = range(fromInclusive, toInclusive);
      return this;
    }

    /**
     * Sets the years to list (any order, duplicates ignored).
     *
     * @param years the years to list
     * @return this builder
     * @throws IllegalArgumentException if empty, or a year is before 2011 or after the current year
     */
    public LegacyBuilder years(Collection<Integer> years) {
      Objects.requireNonNull(years, "years");
      if (years.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot select Boston 311 years: the collection is empty");
      }
      SortedSet<Integer> set = new TreeSet<>();
      for (Integer y : years) {
        checkYear(Objects.requireNonNull(y, "year"));
        set.add(y);
      }
      this.years = set;
      return this;
    }

    @Override
    LegacyBuilder self() {
      return this;
    }

    @Override
    public Boston311Source build() {
      return new Boston311Source(this, years);
    }

    private static SortedSet<Integer> range(int from, int to) {
      SortedSet<Integer> set = new TreeSet<>();
      for (int y = from; y <= to; y++) {
        set.add(y);
      }
      return set;
    }

    private static void checkYear(int year) {
      int now = Year.now(ZoneOffset.UTC).getValue();
      if (year < FIRST_YEAR || year > now) {
        throw new IllegalArgumentException("Cannot select Boston 311 year " + year
            + ": legacy files exist for " + FIRST_YEAR + ".." + now);
      }
    }
  }

  /** Builds the new-system source. */
  public static final class NewSystemBuilder extends Builder<NewSystemBuilder> {
    private NewSystemBuilder() {}

    @Override
    NewSystemBuilder self() {
      return this;
    }

    @Override
    public Boston311Source build() {
      return new Boston311Source(this, null);
    }
  }
}
