package dev.inlet.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a deterministic Boston-311-like CSV (the current 30-column legacy header): same seed, rows and year give
 * the same bytes. About 480 bytes a row, like the real yearly files:
 * <ul>
 *   <li>low-cardinality categoricals (status, on-time, department, subject, reason, type, queue, source,
 *       districts, neighborhoods, wards) drawn from fixed vocabularies with skewed frequencies;
 *   <li>high-cardinality text: closure reasons with the close date inside, addresses, photo URLs, EWKB points;
 *   <li>about 10 % empty {@code closed_dt}, about 30 % empty {@code sla_target_dt}, single-space "empty" values;
 *   <li>RFC 4180 quoting: about 3 % of closure reasons hold a comma, 1 % a doubled quote, 0.5 % a line break;
 *       1 % of addresses hold a comma.
 * </ul>
 * Usage: {@code Boston311LikeCsv ROWS OUT.csv [SEED] [YEAR]}.
 */
public final class Boston311LikeCsv {
  static final String HEADER =
      "case_enquiry_id,open_dt,sla_target_dt,closed_dt,on_time,case_status,"
          + "closure_reason,case_title,subject,reason,type,queue,department,submitted_photo,closed_photo,location,"
          + "fire_district,pwd_district,city_council_district,police_district,neighborhood,"
          + "neighborhood_services_district,ward,precinct,location_street_name,location_zipcode,latitude,longitude,"
          + "geom_4326,source";

  private static final String[] WORDS =
      ("the a of to and in is was on at for with not by from area crew "
              + "resolved request case closed noted duplicate location street sidewalk trash removed inspected found "
              + "no issue owner contacted referred scheduled completed repaired pothole light sign tree graffiti "
              + "vehicle abandoned parking snow ice plowed cleaned needle pickup rodent bait unit tenant permit "
              + "violation ticket issued work order created gone on arrival investigated please see notes")
          .split(" ");
  private static final String[] DEPARTMENTS = {
    "PWDx", "BTDT", "ISD", "PROP", "INFO", "GEN_", "PARK", "BWSC", "ANML", "DND", "BPS_", "BHA_",
    "ONS_", "BPD_"
  };
  private static final String[] SUBJECTS = {
    "Public Works Department",
    "Transportation - Traffic Division",
    "Inspectional Services",
    "Mayor's 24 Hour Hotline",
    "Property Management",
    "Parks & Recreation Department",
    "Boston Water & Sewer Commission",
    "Animal Control",
    "Neighborhood Services",
    "Boston Police Department",
    "Veterans",
    "Civil Rights"
  };
  private static final String[] SOURCES = {
    "Constituent Call",
    "Citizens Connect App",
    "Self Service",
    "City Worker App",
    "Employee Generated",
    "Twitter",
    "Maximo Integration"
  };
  private static final String[] NEIGHBORHOODS = {
    "Dorchester",
    "Roxbury",
    "South Boston / South Boston Waterfront",
    "Jamaica Plain",
    "Allston / Brighton",
    "Back Bay",
    "Downtown / Financial District",
    "East Boston",
    "Roslindale",
    "Hyde Park",
    "Mattapan",
    "Charlestown",
    "West Roxbury",
    "South End",
    "Fenway / Kenmore / " + "Audubon Circle / Longwood",
    "Beacon Hill",
    "North End",
    "Mission Hill",
    "Chinatown",
    "Bay Village",
    "Brighton",
    "Allston",
    "Boston",
    "Chestnut Hill",
    "Harbor Islands",
    ""
  };
  private static final String[] TOWNS = {
    "Dorchester",
    "Roxbury",
    "Boston",
    "Jamaica Plain",
    "Brighton",
    "East Boston",
    "Roslindale",
    "Hyde Park",
    "Mattapan",
    "Charlestown",
    "West Roxbury",
    "South Boston",
    "Allston"
  };
  private static final String[] SUFFIXES = {
    "St", "Ave", "Rd", "Pl", "Ter", "Way", "Sq", "Pk", "Ct", "Blvd"
  };
  private static final String[] STREET_ROOTS =
      ("Washington Centre Boylston Tremont Dorchester Blue-Hill Columbia "
              + "Massachusetts Commonwealth Beacon Cambridge Hyde-Park River Adams Warren Harrison Shawmut Newbury "
              + "Hanover Salem Bennington Meridian Saratoga Bunker-Hill Main Medford Brighton Harvard Washington "
              + "Gallivan Morton Talbot Norfolk Cummins American-Legion Walk-Hill Seaver Blue-Ledge Savin-Hill Geneva "
              + "Bowdoin Hancock Quincy Mount-Vernon Chestnut Charles Cross Shepard Seaverns South Summer Winter High "
              + "Milk Water State Court School Congress Atlantic Broad Kneeland Essex Beach Oak Elm Maple Pine Cedar "
              + "Spruce Walnut Linden Magnolia Poplar Ash Birch Willow Hawthorne Bellevue Ashmont Adams Codman Wood "
              + "Lamartine Green Boylston Heath Day Perkins Jamaicaway Arborway Forest-Hills Hyde Metropolitan Dudley "
              + "Blue Ruggles Parker Tremont Longwood Brookline Huntington Gainsborough Westland Hemenway Peterborough")
          .split(" ");
  private static final String[] VERBS = {
    "Request for",
    "Missed",
    "Broken",
    "Damaged",
    "Illegal",
    "Unsafe",
    "Overflowing",
    "Abandoned",
    "Improper",
    "Requests for",
    "Pick up",
    "Install new"
  };
  private static final String[] THINGS = {
    "Pothole Repair",
    "Street Light Outage",
    "Sidewalk",
    "Trash Pickup",
    "Recycling Cart",
    "Parking Enforcement",
    "Graffiti Removal",
    "Tree Pruning",
    "Dead Animal",
    "Snow Plowing",
    "Sign Repair",
    "Traffic Signal",
    "Needle Pickup",
    "Rodent Activity",
    "Heat - Excessive Insufficient",
    "Bulk Item Pickup",
    "Catch Basin",
    "Vehicle",
    "Street Cleaning",
    "Park Maintenance",
    "Noise Disturbance",
    "Building Inspection",
    "Unsatisfactory Living Conditions",
    "Poor Conditions of Property",
    "Litter Basket",
    "Construction Debris",
    "Water Leak",
    "Hydrant",
    "Valet Parking",
    "Bicycle"
  };
  private static final String[] OVERDUE = {"ONTIME", "ONTIME", "ONTIME", "OVERDUE"};
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final int[] MONTH_DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private final SplittableRandom random;
  private final int year;
  private final StringBuilder line = new StringBuilder(1024);
  private final String[] titles;
  private final String[] queues;
  private final String[] streets;
  private final String[] zips;

  Boston311LikeCsv(long seed, int year) {
    this.random = new SplittableRandom(seed);
    this.year = year;
    SplittableRandom vocab = new SplittableRandom(42); // vocabularies are the same for every seed
    titles = new String[VERBS.length * THINGS.length];
    for (int i = 0; i < titles.length; i++) {
      titles[i] = VERBS[i % VERBS.length] + " " + THINGS[i / VERBS.length];
    }
    queues = new String[120];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = DEPARTMENTS[i % DEPARTMENTS.length] + "_" + THINGS[vocab.nextInt(THINGS.length)]
          + (i >= THINGS.length ? " District " + (i % 12 + 1) : "");
    }
    streets = new String[2000];
    for (int i = 0; i < streets.length; i++) {
      String root = STREET_ROOTS[vocab.nextInt(STREET_ROOTS.length)].replace('-', ' ');
      streets[i] = (i < STREET_ROOTS.length
              ? ""
              : STREET_ROOTS[vocab.nextInt(STREET_ROOTS.length)].replace('-', ' ') + " ")
          + root + " " + SUFFIXES[vocab.nextInt(SUFFIXES.length)];
    }
    zips = new String[32];
    for (int i = 0; i < zips.length; i++) {
      zips[i] = String.format(Locale.ROOT, "02%03d", 108 + i * 2);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Boston311LikeCsv ROWS OUT.csv [SEED] [YEAR]");
      System.exit(2);
    }
    long rows = Long.parseLong(args[0]);
    Path out = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 311;
    int year = args.length > 3 ? Integer.parseInt(args[3]) : 2015;
    write(out, rows, seed, year);
    System.out.printf(Locale.ROOT, "%s: %,d rows, %.1f MB%n", out, rows, Files.size(out) / 1e6);
  }

  /** Writes {@code rows} rows (plus the header) to {@code out}, replacing it. */
  public static void write(Path out, long rows, long seed, int year) throws IOException {
    Boston311LikeCsv g = new Boston311LikeCsv(seed, year);
    try (Writer w = new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), 1 << 16)) {
      w.write(HEADER);
      w.write('\n');
      for (long i = 0; i < rows; i++) {
        w.append(g.row(i));
      }
    }
  }

  /** One row including its line end. */
  CharSequence row(long i) {
    StringBuilder b = line;
    b.setLength(0);
    SplittableRandom r = random;
    b.append(101_001_000_000L + (year - 2015) * 400_000L + i * 3 + r.nextInt(3)).append(',');
    int dayOfYear = r.nextInt(365);
    long openSecond = dayOfYear * 86_400L + 21_600 + r.nextInt(15 * 3600);
    timestamp(b, openSecond);
    b.append(',');
    if (r.nextInt(10) < 7) {
      timestamp(b, openSecond + 86_400L * (1 + r.nextInt(14)) - openSecond % 3600 + 1800);
    }
    b.append(',');
    boolean closed = r.nextInt(10) != 0;
    long closeSecond = openSecond + (long) (Math.abs(r.nextGaussian()) * 200_000) + r.nextInt(600);
    if (closed) {
      timestamp(b, closeSecond);
    }
    b.append(',')
        .append(OVERDUE[r.nextInt(OVERDUE.length)])
        .append(',')
        .append(closed ? "Closed" : "Open")
        .append(',');
    if (closed) {
      closureReason(b, closeSecond);
    } else {
      b.append(' ');
    }
    int title = skewed(r, titles.length);
    int dept = title % DEPARTMENTS.length;
    b.append(',')
        .append(titles[title])
        .append(',')
        .append(SUBJECTS[dept % SUBJECTS.length])
        .append(',')
        .append(THINGS[title / VERBS.length])
        .append(',')
        .append(titles[title])
        .append(',')
        .append(queues[(title * 7) % queues.length])
        .append(',')
        .append(DEPARTMENTS[dept])
        .append(',');
    if (r.nextInt(6) == 0) {
      photo(b);
    }
    b.append(',');
    if (closed && r.nextInt(10) == 0) {
      photo(b);
    }
    b.append(',');
    int street = skewed(r, streets.length);
    int hood = street % (NEIGHBORHOODS.length - 1);
    String zip = zips[street % zips.length];
    boolean geocoded = r.nextInt(20) != 0;
    if (!geocoded) {
      b.append(' ');
    } else if (r.nextInt(100) == 0) {
      b.append("\"INTERSECTION of ")
          .append(streets[street])
          .append(" & ")
          .append(streets[(street + 17) % 2000])
          .append(", ")
          .append(TOWNS[hood % TOWNS.length])
          .append("  MA\"");
    } else {
      b.append(1 + r.nextInt(400))
          .append(' ')
          .append(streets[street])
          .append("  ")
          .append(TOWNS[hood % TOWNS.length])
          .append("  MA  ")
          .append(zip);
    }
    b.append(',')
        .append(geocoded ? String.valueOf(hood % 12 + 1) : " ")
        .append(',')
        .append(geocoded ? String.format(Locale.ROOT, "%02d", hood % 10 + 1) : " ")
        .append(',')
        .append(geocoded ? String.valueOf(hood % 9 + 1) : " ")
        .append(',')
        .append(geocoded ? "ABCDE".charAt(hood % 5) + String.valueOf(hood % 18 + 1) : " ")
        .append(',');
    if (geocoded) {
      String n = NEIGHBORHOODS[hood];
      if (n.indexOf(',') >= 0) {
        b.append('"').append(n).append('"');
      } else {
        b.append(n);
      }
    } else {
      b.append(' ');
    }
    int ward = hood * 2 + 1 + r.nextInt(2);
    b.append(',').append(geocoded ? String.valueOf(hood % 15 + 1) : " ").append(',');
    if (geocoded) {
      b.append(r.nextInt(3) == 0 ? "Ward " + ward : String.format(Locale.ROOT, "%02d", ward));
    } else {
      b.append(' ');
    }
    b.append(',');
    if (geocoded) {
      b.append(String.format(Locale.ROOT, "%02d%02d", ward, 1 + r.nextInt(12)));
    } else {
      b.append(' ');
    }
    b.append(',')
        .append(geocoded ? streets[street] : "")
        .append(',')
        .append(geocoded ? zip : "")
        .append(',');
    double lat;
    double lon;
    if (geocoded) {
      lat = 42.23 + r.nextDouble() * 0.17;
      lon = -71.19 + r.nextDouble() * 0.2;
    } else {
      lat = 42.3594;
      lon = -71.0587;
    }
    b.append(lat).append(',').append(lon).append(',');
    b.append("0101000020E6100000");
    hexLittleEndian(b, Double.doubleToLongBits(lon));
    hexLittleEndian(b, Double.doubleToLongBits(lat));
    b.append(',').append(SOURCES[skewed(r, SOURCES.length)]).append('\n');
    return b;
  }

  private void closureReason(StringBuilder b, long closeSecond) {
    SplittableRandom r = random;
    int kind = r.nextInt(1000);
    boolean quoted = kind < 45;
    if (quoted) {
      b.append('"');
    }
    long days = closeSecond / 86_400;
    int secondOfDay = (int) (closeSecond % 86_400);
    int[] md = monthDay((int) days);
    b.append("Case Closed. Closed date : ")
        .append(DAYS[(int) ((days + dayOfWeekOfJan1()) % 7)])
        .append(' ')
        .append(MONTHS[md[0] - 1])
        .append(' ');
    two(b, md[1]).append(' ');
    two(b, secondOfDay / 3600).append(':');
    two(b, secondOfDay / 60 % 60).append(':');
    two(b, secondOfDay % 60).append(" EST ").append(year).append(' ');
    b.append(r.nextInt(3) == 0 ? "Noted" : "Resolved").append(' ');
    int words = r.nextInt(12);
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        b.append(' ');
      }
      b.append(WORDS[r.nextInt(WORDS.length)]);
      if (quoted && w == 1) {
        if (kind < 30) {
          b.append(',');
        } else if (kind < 40) {
          b.append(" \"\"as reported\"\"");
        } else {
          b.append("\r\n");
        }
      }
    }
    b.append(' ');
    if (quoted) {
      b.append('"');
    }
  }

  private void photo(StringBuilder b) {
    b.append("https://spot-boston-res.cloudinary.com/image/upload/v")
        .append(1_420_000_000 + random.nextInt(31_000_000))
        .append("/boston/production/");
    long bits = random.nextLong();
    for (int k = 0; k < 20; k++) {
      b.append("abcdefghijklmnopqrstuvwxyz0123456789"
          .charAt((int) ((bits >>> (k * 3)) % 36 + 36) % 36));
    }
    b.append(".jpg");
  }

  private void timestamp(StringBuilder b, long secondOfYear) {
    int days = (int) (secondOfYear / 86_400);
    int s = (int) (secondOfYear % 86_400);
    int[] md = monthDay(days);
    int y = year + days / 365;
    b.append(y).append('-');
    two(b, md[0]).append('-');
    two(b, md[1]).append(' ');
    two(b, s / 3600).append(':');
    two(b, s / 60 % 60).append(':');
    two(b, s % 60);
  }

  /** Month and day of a day of the year (no leap days; days past the year wrap into the next one). */
  private static int[] monthDay(int dayOfYear) {
    int d = dayOfYear % 365;
    int m = 0;
    while (d >= MONTH_DAYS[m]) {
      d -= MONTH_DAYS[m];
      m++;
    }
    return new int[] {m + 1, d + 1};
  }

  private int dayOfWeekOfJan1() {
    return (year - 2015) % 7 + 3; // 2015-01-01 was a Thursday
  }

  private static StringBuilder two(StringBuilder b, int v) {
    if (v < 10) {
      b.append('0');
    }
    return b.append(v);
  }

  private static void hexLittleEndian(StringBuilder b, long bits) {
    for (int k = 0; k < 8; k++) {
      int v = (int) (bits >>> (8 * k)) & 0xFF;
      b.append("0123456789ABCDEF".charAt(v >>> 4)).append("0123456789ABCDEF".charAt(v & 15));
    }
  }

  /** An index in [0, n) where small indexes are much more frequent (roughly Zipf-like). */
  private static int skewed(SplittableRandom r, int n) {
    double u = r.nextDouble();
    return Math.min(n - 1, (int) (n * u * u * u));
  }
}
