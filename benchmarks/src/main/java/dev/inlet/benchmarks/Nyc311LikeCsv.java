package dev.inlet.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a deterministic NYC-311-like CSV shaped like Socrata's CSV of dataset {@code erm2-nwe9} ("311 Service
 * Requests from 2010 to Present" on data.cityofnewyork.us): the real 41 columns ({@link #COLUMNS}: display name,
 * field name, Socrata type); same seed and rows give the same bytes. About 600 bytes a row in the SODA style:
 * <ul>
 *   <li>style {@code soda} (default; what {@code SocrataSource} downloads, {@code /resource/ID.csv}, SODA 2.1): the
 *       field names as header, every header name and non-null value in double quotes, nulls as nothing, floating
 *       timestamps {@code 2019-12-31T23:59:02.000}, the location as {@code POINT (lon lat)}; style {@code export}
 *       (the {@code /api/views/ID/rows.csv} download): display names, quotes only where needed,
 *       {@code 12/31/2019 11:59:02 PM}, the location as {@code (lat, lon)};
 *   <li>low-cardinality categoricals (agency, complaint type, descriptor, borough, status, channel) with skewed
 *       frequencies; many mostly-empty columns (cross streets, landmark, taxi and bridge columns), as in the real data;
 *   <li>numbers: state-plane coordinates, latitude and longitude (about 2 % empty); digits in text columns (unique
 *       key, zip, BBL), as NYC publishes them;
 *   <li>about 1 % of resolution descriptions hold a doubled quote, 0.2 % a line break; many hold commas.
 * </ul>
 * Rows are in creation order over {@value #YEARS} years from 2015. Usage:
 * {@code Nyc311LikeCsv ROWS OUT.csv [SEED] [soda|export]}.
 */
public final class Nyc311LikeCsv {
  /** The dataset id of NYC 311 on data.cityofnewyork.us. */
  public static final String DATASET = "erm2-nwe9";
  /** Its name. */
  public static final String NAME = "311 Service Requests from 2010 to Present";
  /** Display name, field name and Socrata data type of each column, in order. */
  public static final String[][] COLUMNS = {
    {"Unique Key", "unique_key", "text"},
    {"Created Date", "created_date", "calendar_date"},
    {"Closed Date", "closed_date", "calendar_date"},
    {"Agency", "agency", "text"},
    {"Agency Name", "agency_name", "text"},
    {"Complaint Type", "complaint_type", "text"},
    {"Descriptor", "descriptor", "text"},
    {"Location Type", "location_type", "text"},
    {"Incident Zip", "incident_zip", "text"},
    {"Incident Address", "incident_address", "text"},
    {"Street Name", "street_name", "text"},
    {"Cross Street 1", "cross_street_1", "text"},
    {"Cross Street 2", "cross_street_2", "text"},
    {"Intersection Street 1", "intersection_street_1", "text"},
    {"Intersection Street 2", "intersection_street_2", "text"},
    {"Address Type", "address_type", "text"},
    {"City", "city", "text"},
    {"Landmark", "landmark", "text"},
    {"Facility Type", "facility_type", "text"},
    {"Status", "status", "text"},
    {"Due Date", "due_date", "calendar_date"},
    {"Resolution Description", "resolution_description", "text"},
    {"Resolution Action Updated Date", "resolution_action_updated_date", "calendar_date"},
    {"Community Board", "community_board", "text"},
    {"BBL", "bbl", "text"},
    {"Borough", "borough", "text"},
    {"X Coordinate (State Plane)", "x_coordinate_state_plane", "number"},
    {"Y Coordinate (State Plane)", "y_coordinate_state_plane", "number"},
    {"Open Data Channel Type", "open_data_channel_type", "text"},
    {"Park Facility Name", "park_facility_name", "text"},
    {"Park Borough", "park_borough", "text"},
    {"Vehicle Type", "vehicle_type", "text"},
    {"Taxi Company Borough", "taxi_company_borough", "text"},
    {"Taxi Pick Up Location", "taxi_pick_up_location", "text"},
    {"Bridge Highway Name", "bridge_highway_name", "text"},
    {"Bridge Highway Direction", "bridge_highway_direction", "text"},
    {"Road Ramp", "road_ramp", "text"},
    {"Bridge Highway Segment", "bridge_highway_segment", "text"},
    {"Latitude", "latitude", "number"},
    {"Longitude", "longitude", "number"},
    {"Location", "location", "point"}
  };

  static final int YEARS = 10;

  private static final String[][] AGENCIES = {
    {"NYPD", "New York City Police Department"},
    {"HPD", "Department of Housing Preservation and Development"},
    {"DSNY", "Department of Sanitation"},
    {"DOT", "Department of Transportation"},
    {"DEP", "Department of Environmental Protection"},
    {"DOB", "Department of Buildings"},
    {"DPR", "Department of Parks and Recreation"},
    {"DOHMH", "Department of Health and Mental Hygiene"},
    {"DHS", "Department of Homeless Services"},
    {"TLC", "Taxi and Limousine Commission"},
    {"DCWP", "Department of Consumer and Worker Protection"},
    {"EDC", "Economic Development Corporation"},
    {"DOE", "Department of Education"},
    {"DFTA", "Department for the Aging"},
    {"OTI", "Office of Technology and Innovation"}
  };
  /** Complaint type, the agency index handling it, descriptors. */
  private static final Object[][] COMPLAINTS = {
    {
      "Noise - Residential",
      0,
      new String[] {"Loud Music/Party", "Banging/Pounding", "Loud Talking", "Loud Television"}
    },
    {
      "Illegal Parking",
      0,
      new String[] {
        "Blocked Hydrant",
        "Double Parked Blocking Traffic",
        "Blocked Sidewalk",
        "Posted Parking Sign Violation",
        "Commercial Overnight Parking"
      }
    },
    {"HEAT/HOT WATER", 1, new String[] {"ENTIRE BUILDING", "APARTMENT ONLY"}},
    {"Blocked Driveway", 0, new String[] {"No Access", "Partial Access"}},
    {"Noise - Street/Sidewalk", 0, new String[] {"Loud Music/Party", "Loud Talking"}},
    {
      "Street Condition",
      3,
      new String[] {"Pothole", "Cave-in", "Failed Street Repair", "Rough, Pitted or Cracked Roads"}
    },
    {"UNSANITARY CONDITION", 1, new String[] {"PESTS", "MOLD", "GARBAGE"}},
    {
      "Water System",
      4,
      new String[] {"Hydrant Running (WC3)", "No Water (WNW)", "Leak (Use Comments) (WA2)"}
    },
    {"PLUMBING", 1, new String[] {"WATER SUPPLY", "TOILET", "BATHTUB/SHOWER", "STEAM PIPE/RISER"}},
    {
      "Street Light Condition",
      3,
      new String[] {"Street Light Out", "Street Light Cycling", "Lamppost Base Door/Cover Missing"}
    },
    {
      "Noise",
      4,
      new String[] {
        "Noise: Construction Before/After Hours (NM1)",
        "Noise, Barking Dog (NR5)",
        "Noise: Alarms (NR3)"
      }
    },
    {
      "General Construction/Plumbing",
      5,
      new String[] {
        "Contrary To LL 58/87(Handicapped Access)",
        "Working Contrary To Stop Work Order",
        "Illegal Conversion Of Residential Building/Space"
      }
    },
    {"Dirty Condition", 2, new String[] {"Trash", "Litter", "Dog Waste"}},
    {
      "Missed Collection",
      2,
      new String[] {"Trash", "Recycling - Paper", "Recycling - Metal/Glass/Plastic"}
    },
    {"Rodent", 7, new String[] {"Rat Sighting", "Mouse Sighting", "Condition Attracting Rodents"}},
    {"Abandoned Vehicle", 0, new String[] {"With License Plate", "No License Plate"}},
    {
      "Damaged Tree",
      6,
      new String[] {
        "Branch Cracked and Will Fall", "Tree Leaning/Uprooted", "Entire Tree Has Fallen Down"
      }
    },
    {"Traffic Signal Condition", 3, new String[] {"Controller", "Ped Flasher", "LED Lense"}},
    {
      "Sewer",
      4,
      new String[] {
        "Catch Basin Clogged/Flooding (Use Comments) (SC)", "Sewer Backup (Use Comments) (SA)"
      }
    },
    {"Homeless Person Assistance", 8, new String[] {"Chronic", "Non-Chronic"}},
    {
      "For Hire Vehicle Complaint",
      9,
      new String[] {"Driver Complaint - Non Passenger", "Car/Truck Horn"}
    },
    {
      "Consumer Complaint",
      10,
      new String[] {"Overcharge", "False Advertising", "Non-Delivery Goods/Services"}
    },
    {"Graffiti", 11, new String[] {"Graffiti"}},
    {"School Maintenance", 12, new String[] {"Heating Problem", "Rodents/Mice", "Plumbing"}},
    {"Elder Abuse", 13, new String[] {"Neglect", "Financial Exploitation"}},
    {"LinkNYC", 14, new String[] {"Damaged/Vandalized", "Not Working"}}
  };

  private static final String[] LOCATION_TYPES = {
    "Street/Sidewalk",
    "RESIDENTIAL BUILDING",
    "Residential Building/House",
    "Store/Commercial",
    "Sidewalk",
    "Club/Bar/Restaurant",
    "Street",
    "Park/Playground",
    "House of Worship",
    "Vacant Lot",
    "Highway",
    "Subway Station",
    ""
  };
  private static final String[] BOROUGHS = {
    "BROOKLYN", "QUEENS", "MANHATTAN", "BRONX", "STATEN ISLAND"
  };
  private static final String[][] CITIES = {
    {"BROOKLYN"},
    {
      "JAMAICA",
      "FLUSHING",
      "ASTORIA",
      "RIDGEWOOD",
      "CORONA",
      "ELMHURST",
      "FAR ROCKAWAY",
      "QUEENS VILLAGE",
      "BAYSIDE",
      "WOODSIDE"
    },
    {"NEW YORK"},
    {"BRONX"},
    {"STATEN ISLAND"}
  };
  private static final int[][] ZIP_RANGES = {
    {11201, 11256}, {11354, 11697}, {10001, 10282}, {10451, 10475}, {10301, 10314}
  };
  /** Latitude, longitude, state-plane x, y of each borough's centre, and the spread. */
  private static final double[][] CENTRES = {
    {40.650, -73.950, 995_000, 175_000},
    {40.705, -73.820, 1_035_000, 195_000},
    {40.776, -73.971, 991_000, 220_000},
    {40.845, -73.886, 1_016_000, 245_000},
    {40.580, -74.150, 943_000, 148_000}
  };

  private static final String[] STATUSES = {
    "Closed",
    "Closed",
    "Closed",
    "Closed",
    "Closed",
    "Closed",
    "Closed",
    "Closed",
    "Open",
    "In Progress",
    "Pending",
    "Assigned",
    "Started"
  };
  private static final String[] CHANNELS = {"PHONE", "ONLINE", "MOBILE", "UNKNOWN", "OTHER"};
  private static final String[] ADDRESS_TYPES = {
    "ADDRESS",
    "ADDRESS",
    "ADDRESS",
    "ADDRESS",
    "INTERSECTION",
    "BLOCKFACE",
    "LATLONG",
    "PLACENAME",
    ""
  };
  private static final String[] STREET_KINDS = {
    "STREET", "AVENUE", "ROAD", "PLACE", "BOULEVARD", "DRIVE", "LANE", "PARKWAY", "COURT", "TERRACE"
  };
  private static final String[] STREET_ROOTS =
      ("BROADWAY FLATBUSH OCEAN NOSTRAND BEDFORD ATLANTIC FULTON KINGS "
              + "QUEENS NORTHERN JAMAICA ROOSEVELT HILLSIDE UNION LIBERTY AMSTERDAM COLUMBUS LEXINGTON MADISON PARK "
              + "GRAND CONCOURSE FORDHAM JEROME WEBSTER TREMONT HYLAN VICTORY RICHMOND FOREST BAY OCEAN-PARKWAY CHURCH "
              + "MYRTLE DEKALB LAFAYETTE GATES PUTNAM MADISON MONROE HALSEY MACDONOUGH DECATUR BAINBRIDGE SUTTER "
              + "LINDEN PITKIN LIVONIA NEW-LOTS STANLEY WORTMAN COLUMBIA CLINTON HENRY COURT SMITH HOYT BOND NEVINS "
              + "ELM MAPLE OAK PINE CEDAR SPRUCE WALNUT CHESTNUT WILLOW HAWTHORNE")
          .split(" ");
  private static final String[] PREFIXES = {"", "", "", "", "EAST ", "WEST ", "NORTH ", "SOUTH "};
  private static final String[] RESOLUTIONS = {
    "The Police Department responded to the complaint and with the information available observed no evidence"
        + " of the violation at that time.",
    "The Police Department responded and upon arrival those responsible for the condition were gone.",
    "The Department of Housing Preservation and Development inspected the following conditions. Violations were"
        + " issued. Information about specific violations is available at www.nyc.gov/hpd.",
    "The Department of Transportation inspected this complaint and repaired the problem.",
    "The Department of Sanitation investigated this complaint and found no violation at the location.",
    "The Department of Environmental Protection determined that this complaint is a duplicate of a previously"
        + " filed complaint. The original complaint is being addressed.",
    "Service Request status for this request is available on the Department of Transportation website."
        + " Please click the Learn More link below.",
    "The Department of Health and Mental Hygiene will review your complaint to determine appropriate action."
        + " Complaints of this type usually result in an inspection. Please call 311 in 30 days from the date of"
        + " your complaint for status",
    "Your request can not be processed at this time because of insufficient contact information. Please create"
        + " a new Service Request on NYC.gov and provide more detailed contact information.",
    "The Department of Buildings reviewed this complaint and closed it. If the problem still exists, please call"
        + " 311 and file a new complaint. If you are outside of New York City, please call (212) 639-9675.",
    "The Police Department issued a summons in response to the complaint.",
    "The Department of Parks and Recreation has completed the requested work order and corrected the problem."
  };
  private static final int[] MONTH_DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private final SplittableRandom random;
  private final boolean soda;
  private final StringBuilder line = new StringBuilder(2048);
  private final StringBuilder stamp = new StringBuilder(32);
  private final String[] fields = new String[COLUMNS.length];
  private final String[] streets;
  private final long rows;

  Nyc311LikeCsv(long seed, boolean soda, long rows) {
    this.random = new SplittableRandom(seed);
    this.soda = soda;
    this.rows = Math.max(1, rows);
    SplittableRandom vocab = new SplittableRandom(42); // vocabularies are the same for every seed
    streets = new String[4000];
    for (int i = 0; i < streets.length; i++) {
      if (i % 3 == 0) {
        streets[i] = PREFIXES[vocab.nextInt(PREFIXES.length)] + (1 + vocab.nextInt(230)) + " "
            + STREET_KINDS[vocab.nextInt(3)];
      } else {
        streets[i] = PREFIXES[vocab.nextInt(PREFIXES.length)]
            + STREET_ROOTS[vocab.nextInt(STREET_ROOTS.length)].replace('-', ' ') + " "
            + STREET_KINDS[vocab.nextInt(STREET_KINDS.length)];
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Nyc311LikeCsv ROWS OUT.csv [SEED] [soda|export]");
      System.exit(2);
    }
    long rows = Long.parseLong(args[0]);
    Path out = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 311;
    String style = args.length > 3 ? args[3] : "soda";
    if (!style.equals("soda") && !style.equals("export")) {
      System.err.println(
          "Cannot generate " + out + ": unknown style '" + style + "'; use soda or export");
      System.exit(2);
    }
    long start = System.nanoTime();
    write(out, rows, seed, style.equals("soda"));
    System.out.printf(
        Locale.ROOT,
        "%s: %,d rows, %.1f MB in %.1f s%n",
        out,
        rows,
        Files.size(out) / 1e6,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * Writes {@code rows} rows (plus the header) to {@code out} in the SODA style ({@code soda}) or the rows.csv
   * download's, replacing it (through a temporary file).
   */
  public static void write(Path out, long rows, long seed, boolean soda) throws IOException {
    Nyc311LikeCsv g = new Nyc311LikeCsv(seed, soda, rows);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (OutputStream w = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
      byte[] buf = new byte[8192];
      StringBuilder header = new StringBuilder();
      for (String[] c : COLUMNS) {
        if (header.length() > 0) {
          header.append(',');
        }
        field(header, soda ? c[1] : c[0], soda);
      }
      w.write(header.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      for (long i = 0; i < rows; i++) {
        CharSequence row = g.row(i);
        int n = row.length();
        if (n > buf.length) {
          buf = new byte[n * 2];
        }
        for (int k = 0; k < n; k++) {
          buf[k] = (byte) row.charAt(k); // the vocabulary is ASCII
        }
        w.write(buf, 0, n);
      }
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** One row including its line end. */
  CharSequence row(long i) {
    String[] f = fields;
    java.util.Arrays.fill(f, null);
    SplittableRandom r = random;
    f[0] = String.valueOf(26_000_000L + i * 2 + r.nextInt(2));
    // creation times increase through YEARS years, as the export is ordered
    long created = (long) ((double) i / rows * YEARS * 365 * 86_400) + r.nextInt(600);
    f[1] = timestamp(created);
    String status = STATUSES[r.nextInt(STATUSES.length)];
    boolean closed = status.equals("Closed");
    long closedAt = created + (long) (Math.abs(r.nextGaussian()) * 400_000) + 60 + r.nextInt(3600);
    if (closed && r.nextInt(40) != 0) {
      f[2] = timestamp(closedAt);
    }
    Object[] complaint = COMPLAINTS[skewed(r, COMPLAINTS.length)];
    String[] agency = AGENCIES[(Integer) complaint[1]];
    String[] descriptors = (String[]) complaint[2];
    f[3] = agency[0];
    f[4] = agency[1];
    f[5] = (String) complaint[0];
    f[6] = descriptors[skewed(r, descriptors.length)];
    f[7] = LOCATION_TYPES[skewed(r, LOCATION_TYPES.length)];
    int borough = skewed(r, BOROUGHS.length);
    boolean located = r.nextInt(50) != 0;
    if (located) {
      int[] zr = ZIP_RANGES[borough];
      f[8] = String.valueOf(zr[0] + r.nextInt(zr[1] - zr[0] + 1));
    }
    int street = skewed(r, streets.length);
    String addressType = ADDRESS_TYPES[r.nextInt(ADDRESS_TYPES.length)];
    boolean address = addressType.equals("ADDRESS") && located;
    if (address) {
      f[9] = (1 + r.nextInt(3000)) + " " + streets[street];
    }
    if (address || addressType.equals("BLOCKFACE")) {
      f[10] = streets[street];
    }
    if (r.nextInt(3) == 0) {
      f[11] = streets[(street + 7) % streets.length];
      f[12] = streets[(street + 11) % streets.length];
    }
    if (addressType.equals("INTERSECTION")) {
      f[13] = streets[(street + 3) % streets.length];
      f[14] = streets[(street + 5) % streets.length];
    }
    f[15] = addressType;
    if (located) {
      String[] cities = CITIES[borough];
      f[16] = cities[skewed(r, cities.length)];
    }
    if (r.nextInt(100) == 0) {
      f[17] = "CENTRAL PARK";
    }
    f[18] = agency[0].equals("NYPD")
        ? "Precinct"
        : agency[0].equals("DSNY") ? "DSNY Garage" : r.nextInt(4) == 0 ? "N/A" : null;
    f[19] = status;
    if (r.nextInt(8) == 0) {
      f[20] = timestamp(created + 86_400L * (1 + r.nextInt(30)));
    }
    f[21] = resolution();
    f[22] = timestamp(closed ? closedAt : created + r.nextInt(86_400));
    String boroughName = located ? BOROUGHS[borough] : "Unspecified";
    if (located && r.nextInt(20) != 0) {
      int board = 1 + r.nextInt(18);
      f[23] = (board < 10 ? "0" : "") + board + " " + boroughName;
    } else {
      f[23] = "Unspecified " + BOROUGHS[borough];
    }
    if (address && r.nextInt(10) != 0) {
      f[24] = String.valueOf(
          (borough + 1) * 1_000_000_000L + (1 + r.nextInt(16_000)) * 10_000L + 1 + r.nextInt(9000));
    }
    f[25] = boroughName;
    double[] c = CENTRES[borough];
    double dy = r.nextGaussian() * 0.03;
    double dx = r.nextGaussian() * 0.03;
    if (located) {
      f[26] = String.valueOf((long) (c[2] + dx * 260_000));
      f[27] = String.valueOf((long) (c[3] + dy * 365_000));
    }
    f[28] = CHANNELS[skewed(r, CHANNELS.length)];
    f[29] = "Unspecified";
    f[30] = boroughName;
    if (complaint[0].equals("For Hire Vehicle Complaint")) {
      f[31] = "Car Service";
      f[32] = r.nextInt(2) == 0 ? BOROUGHS[borough] : null;
      f[33] = "Other";
    }
    if (r.nextInt(200) == 0) {
      f[34] = "BQE/Gowanus Expwy";
      f[35] = "East/Queens Bound";
      f[36] = "Roadway";
      f[37] = "Exit 26 (Hamilton Ave) - Exit 27 (Atlantic Ave)";
    }
    if (located) {
      double lat = Math.round((c[0] + dy) * 1e14) / 1e14;
      double lon = Math.round((c[1] + dx) * 1e14) / 1e14;
      f[38] = String.valueOf(lat);
      f[39] = String.valueOf(lon);
      f[40] = soda ? "POINT (" + lon + " " + lat + ")" : "(" + lat + ", " + lon + ")";
    }
    StringBuilder b = line;
    b.setLength(0);
    for (int k = 0; k < f.length; k++) {
      if (k > 0) {
        b.append(',');
      }
      if (f[k] != null) {
        field(b, f[k], soda);
      }
    }
    return b.append('\n');
  }

  private String resolution() {
    SplittableRandom r = random;
    if (r.nextInt(20) == 0) {
      return null; // no resolution yet
    }
    String text = RESOLUTIONS[skewed(r, RESOLUTIONS.length)];
    int kind = r.nextInt(1000);
    if (kind < 10) {
      return text + " Comments: tenant said \"no heat since Monday\".";
    } else if (kind < 12) {
      return text + "\nFollow-up scheduled.";
    }
    return text;
  }

  /**
   * Appends {@code s} as one CSV field: always quoted ({@code quoteAll}, as SODA writes every value), else only
   * when it holds a comma, quote or line break.
   */
  private static void field(StringBuilder b, String s, boolean quoteAll) {
    boolean quote = quoteAll;
    for (int k = 0; k < s.length() && !quote; k++) {
      char ch = s.charAt(k);
      quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
    }
    if (!quote) {
      b.append(s);
      return;
    }
    b.append('"');
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      if (ch == '"') {
        b.append('"');
      }
      b.append(ch);
    }
    b.append('"');
  }

  /** A time {@code second} seconds after 2015-01-01 00:00 (no leap days), in the export's style. */
  private String timestamp(long second) {
    StringBuilder b = stamp;
    b.setLength(0);
    int days = (int) (second / 86_400);
    int s = (int) (second % 86_400);
    int year = 2015 + days / 365;
    int d = days % 365;
    int m = 0;
    while (d >= MONTH_DAYS[m]) {
      d -= MONTH_DAYS[m];
      m++;
    }
    int hour = s / 3600;
    if (soda) {
      b.append(year).append('-');
      two(b, m + 1).append('-');
      two(b, d + 1).append('T');
      two(b, hour).append(':');
      two(b, s / 60 % 60).append(':');
      two(b, s % 60).append(".000");
    } else {
      two(b, m + 1).append('/');
      two(b, d + 1).append('/').append(year).append(' ');
      two(b, hour % 12 == 0 ? 12 : hour % 12).append(':');
      two(b, s / 60 % 60).append(':');
      two(b, s % 60).append(hour < 12 ? " AM" : " PM");
    }
    return b.toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    if (v < 10) {
      b.append('0');
    }
    return b.append(v);
  }

  /** An index in [0, n) where small indexes are much more frequent (roughly Zipf-like). */
  private static int skewed(SplittableRandom r, int n) {
    double u = r.nextDouble();
    return Math.min(n - 1, (int) (n * u * u));
  }
}
