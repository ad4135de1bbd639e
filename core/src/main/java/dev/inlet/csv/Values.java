package dev.inlet.csv;

import java.math.BigDecimal;

/**
 * Hand-written parsers for CSV cell text (no regex, no DateTimeFormatter): integers, decimals, booleans, dates and
 * timestamps. One instance per conversion: results of the {@code try*} methods land in fields. Not thread-safe.
 */
final class Values {
  static final long MICROS_PER_SECOND = 1_000_000L;
  static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  long longValue;
  double doubleValue;

  /**
   * Strips control characters, spaces and no-break spaces (U+00A0, which Boston 311 exports leave in free text)
   * from both ends; returns {@code s} itself when there is nothing to strip.
   */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isBlank(s.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(s.charAt(end - 1))) {
      end--;
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  private static boolean isBlank(char c) {
    return c <= ' ' || c == '\u00A0';
  }

  /** Optional sign and digits, fitting a long. Leading zeros allowed. */
  boolean tryLong(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n == 0) {
      return false;
    }
    char c0 = s.charAt(0);
    if (c0 == '-' || c0 == '+') {
      negative = c0 == '-';
      i = 1;
      if (n == 1) {
        return false;
      }
    }
    if (n - i > 19) {
      return false;
    }
    long acc = 0; // accumulate negatively to reach Long.MIN_VALUE
    for (; i < n; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (acc < (Long.MIN_VALUE + d) / 10) {
        return false;
      }
      acc = acc * 10 - d;
    }
    if (!negative) {
      if (acc == Long.MIN_VALUE) {
        return false;
      }
      acc = -acc;
    }
    longValue = acc;
    return true;
  }

  /**
   * A decimal number: optional sign, digits with an optional fraction, optional exponent when
   * {@code allowExponent}. No NaN, Infinity, hex or type suffixes (which {@link Double#parseDouble} would take).
   */
  boolean tryDouble(String s, boolean allowExponent) {
    int fast = fastDouble(s);
    if (fast >= 0) {
      return fast == 1;
    }
    if (!isDecimalText(s, allowExponent)) {
      return false;
    }
    doubleValue = Double.parseDouble(s);
    return !Double.isInfinite(doubleValue);
  }

  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /**
   * The exact fast path of decimal parsing (Clinger): text {@code [sign]digits[.digits]} whose digits form an
   * integer below 2^53 with at most 22 decimals is that integer divided by a power of ten, both exact doubles, so
   * the one division rounds correctly, exactly as {@link Double#parseDouble} would. Sets {@link #doubleValue}.
   *
   * @return 1 parsed, 0 not a decimal number, -1 undecided (exponent, too many digits): use the slow path
   */
  private int fastDouble(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    long mantissa = 0;
    int digits = 0;
    int fracDigits = -1;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits > 19) {
          return -1;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fracDigits >= 0) {
          fracDigits++;
        }
      } else if (c == '.' && fracDigits < 0) {
        fracDigits = 0;
      } else if (c == 'e' || c == 'E') {
        return -1;
      } else {
        return 0;
      }
    }
    if (digits == 0) {
      return 0;
    }
    if (mantissa < 0 || mantissa > (1L << 53) || fracDigits > 22) {
      // 16 to 19 digits (coordinates written with full double precision): Eisel-Lemire, else the
      // slow path
      return eiselLemire(mantissa, fracDigits <= 0 ? 0 : -fracDigits, negative) ? 1 : -1;
    }
    double v = fracDigits <= 0 ? (double) mantissa : mantissa / POWERS_OF_TEN[fracDigits];
    doubleValue = negative ? -v : v;
    return 1;
  }

  /** Decimal exponents the Eisel-Lemire tables below cover: enough for up to 27 decimals. */
  private static final int LEMIRE_MIN_Q = -27;

  private static final int LEMIRE_MAX_Q = 0;
  /** 128-bit approximations of 5^q, q in [LEMIRE_MIN_Q, LEMIRE_MAX_Q], high then low word, as in fast_float. */
  private static final long[] POWERS_OF_FIVE_128 = powersOfFive();

  private static long[] powersOfFive() {
    long[] t = new long[2 * (LEMIRE_MAX_Q - LEMIRE_MIN_Q + 1)];
    java.math.BigInteger two128 = java.math.BigInteger.ONE.shiftLeft(128);
    java.math.BigInteger two127 = java.math.BigInteger.ONE.shiftLeft(127);
    for (int q = LEMIRE_MIN_Q; q <= LEMIRE_MAX_Q; q++) {
      java.math.BigInteger c;
      if (q < 0) {
        java.math.BigInteger power5 = java.math.BigInteger.valueOf(5).pow(-q);
        int z =
            power5.subtract(java.math.BigInteger.ONE).bitLength(); // smallest z with 2^z >= 5^-q
        c = java.math.BigInteger.ONE
            .shiftLeft(z + 127)
            .divide(power5)
            .add(java.math.BigInteger.ONE);
      } else {
        c = java.math.BigInteger.valueOf(5).pow(q);
        while (c.compareTo(two127) < 0) {
          c = c.shiftLeft(1);
        }
        while (c.compareTo(two128) >= 0) {
          c = c.shiftRight(1);
        }
      }
      int i = 2 * (q - LEMIRE_MIN_Q);
      t[i] = c.shiftRight(64).longValue();
      t[i + 1] = c.longValue();
    }
    return t;
  }

  /**
   * Eisel and Lemire's exact conversion of {@code w * 10^q} ({@code w} an unsigned 64-bit integer) to the nearest
   * double, as Daniel Lemire's fast_float does it ("Number Parsing at a Gigabyte per Second", 2021), for the
   * exponents of the table above. Sets {@link #doubleValue}; false where the algorithm cannot decide (then
   * {@link Double#parseDouble} does).
   */
  private boolean eiselLemire(long w, int q, boolean negative) {
    if (w == 0 || q < LEMIRE_MIN_Q || q > LEMIRE_MAX_Q) {
      return false;
    }
    int lz = Long.numberOfLeadingZeros(w);
    w <<= lz;
    int index = 2 * (q - LEMIRE_MIN_Q);
    long hi = unsignedMultiplyHigh(w, POWERS_OF_FIVE_128[index]);
    long lo = w * POWERS_OF_FIVE_128[index];
    if ((hi & 0x1FF) == 0x1FF) {
      long secondHi = unsignedMultiplyHigh(w, POWERS_OF_FIVE_128[index + 1]);
      lo += secondHi;
      if (Long.compareUnsigned(secondHi, lo) > 0) {
        hi++;
      }
    }
    int upperBit = (int) (hi >>> 63);
    long mantissa = hi >>> (upperBit + 9);
    int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperBit - lz + 1023;
    if (power2 <= 0) {
      return false; // subnormal: not for this fast path
    }
    if (Long.compareUnsigned(lo, 1) <= 0
        && q >= -4
        && (mantissa & 3) == 1
        && (mantissa << (upperBit + 9)) == hi) {
      mantissa &= ~1L; // exactly halfway: round to even
    }
    mantissa += mantissa & 1;
    mantissa >>>= 1;
    if (mantissa >= (2L << 52)) {
      mantissa = 1L << 52;
      power2++;
    }
    mantissa &= ~(1L << 52);
    if (power2 >= 0x7FF) {
      return false;
    }
    double v = Double.longBitsToDouble(mantissa | (long) power2 << 52);
    doubleValue = negative ? -v : v;
    return true;
  }

  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  static boolean isDecimalText(String s, boolean allowExponent) {
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    int intDigits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        fracDigits++;
      }
    }
    if (intDigits + fracDigits == 0) {
      return false;
    }
    if (i < n && allowExponent && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  /**
   * Whether a number-looking text starts with a zero that carries meaning ({@code 02127}, {@code 0706},
   * {@code -012}, {@code 00.5}): such values are codes, never numbers, for type inference. {@code 0}, {@code 0.5}
   * and {@code -0.25} are numbers.
   */
  static boolean hasLeadingZero(String s) {
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    return i + 1 < s.length() && s.charAt(i) == '0' && isDigit(s.charAt(i + 1));
  }

  /** 1 for true, 0 for false (ignoring case), -1 otherwise. */
  static int parseBoolean(String s) {
    if (s.equalsIgnoreCase("true")) {
      return 1;
    }
    if (s.equalsIgnoreCase("false")) {
      return 0;
    }
    return -1;
  }

  /** Days since 1970-01-01 for {@code yyyy-MM-dd}, or {@link Long#MIN_VALUE} if not a valid date. */
  static long parseDate(String s) {
    if (s.length() != 10) {
      return Long.MIN_VALUE;
    }
    return dateAt(s);
  }

  /**
   * Microseconds since 1970-01-01T00:00 for {@code yyyy-MM-dd[( |T)HH:mm:ss[.f{1,9}][zone]]} with zone one of
   * {@code Z}, {@code ±HH}, {@code ±HHmm}, {@code ±HH:mm}. A zone converts the value to UTC; without one the
   * wall-clock value is kept. Digits past microseconds are truncated. A date alone is midnight.
   *
   * @return the micros, or {@link Long#MIN_VALUE} if {@code s} is not such a timestamp
   */
  static long parseTimestamp(String s) {
    int n = s.length();
    if (n < 10) {
      return Long.MIN_VALUE;
    }
    long day = dateAt(s);
    if (day == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    if (n == 10) {
      return day * MICROS_PER_DAY;
    }
    char sep = s.charAt(10);
    if ((sep != ' ' && sep != 'T') || n < 19 || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int hour = twoDigits(s, 11);
    int minute = twoDigits(s, 14);
    int second = twoDigits(s, 17);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    long micros = day * MICROS_PER_DAY + (hour * 3600L + minute * 60L + second) * MICROS_PER_SECOND;
    int i = 19;
    if (i < n && s.charAt(i) == '.') {
      long f = fraction(s, i + 1);
      if (f < 0) {
        return Long.MIN_VALUE;
      }
      i = (int) (f >>> 32);
      micros += f & 0xFFFFFFFFL;
    }
    if (i == n) {
      return micros;
    }
    char z = s.charAt(i);
    if (z == 'Z') {
      return i + 1 == n ? micros : Long.MIN_VALUE;
    }
    if (z != '+' && z != '-') {
      return Long.MIN_VALUE;
    }
    int sign = z == '-' ? -1 : 1;
    int rest = n - i - 1;
    int offHours;
    int offMinutes = 0;
    if (rest == 2) {
      offHours = twoDigits(s, i + 1);
    } else if (rest == 4) {
      offHours = twoDigits(s, i + 1);
      offMinutes = twoDigits(s, i + 3);
    } else if (rest == 5 && s.charAt(i + 3) == ':') {
      offHours = twoDigits(s, i + 1);
      offMinutes = twoDigits(s, i + 4);
    } else {
      return Long.MIN_VALUE;
    }
    if (offHours < 0 || offHours > 18 || offMinutes < 0 || offMinutes > 59) {
      return Long.MIN_VALUE;
    }
    return micros - sign * (offHours * 3600L + offMinutes * 60L) * MICROS_PER_SECOND;
  }

  /** A decimal at exactly {@code scale} (zero-padded, never rounded) within {@code precision}, or null. */
  static BigDecimal parseDecimal(String s, int precision, int scale) {
    if (!isDecimalText(s, false)) {
      return null;
    }
    BigDecimal d = new BigDecimal(s);
    if (d.scale() > scale) {
      d = d.stripTrailingZeros();
      if (d.scale() > scale) {
        return null;
      }
    }
    d = d.setScale(scale);
    return d.precision() > precision ? null : d;
  }

  /** Epoch day of the {@code yyyy-MM-dd} at the start of {@code s}, or {@link Long#MIN_VALUE}. */
  private static long dateAt(String s) {
    if (s.charAt(4) != '-' || s.charAt(7) != '-') {
      return Long.MIN_VALUE;
    }
    int y1 = twoDigits(s, 0);
    int y2 = twoDigits(s, 2);
    int month = twoDigits(s, 5);
    int dayOfMonth = twoDigits(s, 8);
    if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || dayOfMonth < 1) {
      return Long.MIN_VALUE;
    }
    int year = y1 * 100 + y2;
    if (dayOfMonth > daysInMonth(year, month)) {
      return Long.MIN_VALUE;
    }
    return epochDay(year, month, dayOfMonth);
  }

  /**
   * Days since 1970-01-01 for a US date {@code M/d/yyyy} (month and day of one or two digits), or
   * {@link Long#MIN_VALUE}. Only columns whose type was inferred from US dates are read this way (see
   * {@link TypeInference#usDates}): a {@code 06/07/2023} is never guessed.
   */
  static long parseUsDate(String s) {
    int end = usDateEnd(s);
    return end == s.length() ? usDay(s) : Long.MIN_VALUE;
  }

  /**
   * Microseconds since 1970-01-01T00:00 (wall clock, no zone) for a US timestamp {@code M/d/yyyy[ H:mm[:ss[.f]]]}
   * with 24-hour time, or {@code M/d/yyyy h:mm[:ss[.f]] AM|PM} (as Socrata's CSV export writes them); a date alone is
   * midnight. {@link Long#MIN_VALUE} if {@code s} is not one.
   */
  static long parseUsTimestamp(String s) {
    int end = usDateEnd(s);
    if (end < 0) {
      return Long.MIN_VALUE;
    }
    long day = usDay(s);
    if (day == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    int n = s.length();
    if (end == n) {
      return day * MICROS_PER_DAY;
    }
    if (s.charAt(end) != ' ') {
      return Long.MIN_VALUE;
    }
    int i = end + 1;
    int hourStart = i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    if (i - hourStart < 1 || i - hourStart > 2 || i + 3 > n || s.charAt(i) != ':') {
      return Long.MIN_VALUE;
    }
    int hour = Integer.parseInt(s, hourStart, i, 10);
    int minute = twoDigits(s, i + 1);
    i += 3;
    int second = 0;
    long fraction = 0;
    if (i < n && s.charAt(i) == ':') {
      if (i + 3 > n) {
        return Long.MIN_VALUE;
      }
      second = twoDigits(s, i + 1);
      i += 3;
      if (i < n && s.charAt(i) == '.') {
        long f = fraction(s, i + 1);
        if (f < 0) {
          return Long.MIN_VALUE;
        }
        i = (int) (f >>> 32);
        fraction = f & 0xFFFFFFFFL;
      }
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    if (i < n) {
      if (n - i != 3 || s.charAt(i) != ' ') {
        return Long.MIN_VALUE;
      }
      String half = s.substring(i + 1);
      boolean pm = half.equalsIgnoreCase("PM");
      if (!pm && !half.equalsIgnoreCase("AM")) {
        return Long.MIN_VALUE;
      }
      if (hour < 1 || hour > 12) {
        return Long.MIN_VALUE;
      }
      hour = hour % 12 + (pm ? 12 : 0);
    } else if (hour > 23) {
      return Long.MIN_VALUE;
    }
    return day * MICROS_PER_DAY
        + (hour * 3600L + minute * 60L + second) * MICROS_PER_SECOND
        + fraction;
  }

  /**
   * The fraction of a second whose digits start at {@code from} (1 to 9 of them, past microseconds truncated), as
   * {@code (index after the digits) << 32 | microseconds}, or -1 if there are none or more than 9.
   */
  private static long fraction(String s, int from) {
    int n = s.length();
    int i = from;
    long micros = 0;
    while (i < n && isDigit(s.charAt(i))) {
      if (i - from < 6) {
        micros = micros * 10 + (s.charAt(i) - '0');
      }
      i++;
    }
    int digits = i - from;
    if (digits == 0 || digits > 9) {
      return -1;
    }
    for (int k = digits; k < 6; k++) {
      micros *= 10;
    }
    return (long) i << 32 | micros;
  }

  /** The month of a US date at the start of {@code s} ({@code M/d/yyyy}), or -1. */
  static int usMonth(String s) {
    int slash = s.indexOf('/');
    return slash == 1 || slash == 2 ? Integer.parseInt(s, 0, slash, 10) : -1;
  }

  /** The day of the month of a US date at the start of {@code s}, or -1. */
  static int usDayOfMonth(String s) {
    int first = s.indexOf('/');
    int second = first < 0 ? -1 : s.indexOf('/', first + 1);
    return second - first == 2 || second - first == 3
        ? Integer.parseInt(s, first + 1, second, 10)
        : -1;
  }

  /** Where the {@code M/d/yyyy} at the start of {@code s} ends, or -1 if it does not start with one. */
  private static int usDateEnd(String s) {
    int n = s.length();
    int i = 0;
    for (int part = 0; part < 2; part++) {
      int start = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i - start < 1 || i - start > 2 || i >= n || s.charAt(i) != '/') {
        return -1;
      }
      i++;
    }
    int start = i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    return i - start == 4 ? i : -1;
  }

  private static long usDay(String s) {
    int month = usMonth(s);
    int day = usDayOfMonth(s);
    int yearStart = s.indexOf('/', s.indexOf('/') + 1) + 1;
    int year = Integer.parseInt(s, yearStart, yearStart + 4, 10);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return Long.MIN_VALUE;
    }
    return epochDay(year, month, day);
  }

  static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days from 1970-01-01 (proleptic Gregorian; Howard Hinnant's days_from_civil). */
  static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  // --- fast paths over ASCII bytes, for the byte parser: each either decides exactly as the String
  // method above
  // would (success with the same value) or answers "undecided", and the caller falls back to the
  // String method.

  /** Like {@link #tryLong(String)} on {@code b[from, to)}; false means undecided. */
  boolean tryLong(byte[] b, int from, int to) {
    int n = to - from;
    if (n < 1 || n > 18) {
      return false; // 19 digits may overflow: the String method decides
    }
    int i = from;
    boolean negative = b[i] == '-';
    if (negative || b[i] == '+') {
      i++;
      if (i == to) {
        return false;
      }
    }
    long acc = 0;
    for (; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      acc = acc * 10 + d;
    }
    longValue = negative ? -acc : acc;
    return true;
  }

  /** Like {@link #tryDouble(String, boolean)} on {@code b[from, to)} without an exponent; false means undecided. */
  boolean tryDouble(byte[] b, int from, int to) {
    int i = from;
    if (i == to) {
      return false;
    }
    boolean negative = b[i] == '-';
    if (negative || b[i] == '+') {
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fracDigits = -1;
    for (; i < to; i++) {
      int c = b[i];
      if (c >= '0' && c <= '9') {
        if (++digits > 19) {
          return false;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fracDigits >= 0) {
          fracDigits++;
        }
      } else if (c == '.' && fracDigits < 0) {
        fracDigits = 0;
      } else {
        return false;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (mantissa < 0 || mantissa > (1L << 53) || fracDigits > 22) {
      return eiselLemire(mantissa, fracDigits <= 0 ? 0 : -fracDigits, negative);
    }
    double v = fracDigits <= 0 ? (double) mantissa : mantissa / POWERS_OF_TEN[fracDigits];
    doubleValue = negative ? -v : v;
    return true;
  }

  /**
   * Like {@link #parseTimestamp(String)} on {@code b[from, to)} for the plain forms {@code yyyy-MM-dd} and
   * {@code yyyy-MM-dd( |T)HH:mm:ss[.f{1,9}]} (no zone); {@link Long#MIN_VALUE} means undecided.
   */
  static long parseTimestamp(byte[] b, int from, int to) {
    int n = to - from;
    if (n != 10 && n < 19) {
      return Long.MIN_VALUE;
    }
    if (b[from + 4] != '-' || b[from + 7] != '-') {
      return Long.MIN_VALUE;
    }
    int y1 = twoDigits(b, from);
    int y2 = twoDigits(b, from + 2);
    int month = twoDigits(b, from + 5);
    int dayOfMonth = twoDigits(b, from + 8);
    if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || dayOfMonth < 1) {
      return Long.MIN_VALUE;
    }
    int year = y1 * 100 + y2;
    if (dayOfMonth > daysInMonth(year, month)) {
      return Long.MIN_VALUE;
    }
    long day = epochDay(year, month, dayOfMonth);
    if (n == 10) {
      return day * MICROS_PER_DAY;
    }
    byte sep = b[from + 10];
    if ((sep != ' ' && sep != 'T') || b[from + 13] != ':' || b[from + 16] != ':') {
      return Long.MIN_VALUE;
    }
    int hour = twoDigits(b, from + 11);
    int minute = twoDigits(b, from + 14);
    int second = twoDigits(b, from + 17);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    long micros = day * MICROS_PER_DAY + (hour * 3600L + minute * 60L + second) * MICROS_PER_SECOND;
    int i = from + 19;
    if (i == to) {
      return micros;
    }
    if (b[i] != '.') {
      return Long.MIN_VALUE; // a zone, or not a timestamp: the String method decides
    }
    i++;
    int digits = 0;
    long fraction = 0;
    while (i < to && b[i] >= '0' && b[i] <= '9') {
      if (digits < 6) {
        fraction = fraction * 10 + (b[i] - '0');
      }
      digits++;
      i++;
    }
    if (i != to || digits == 0 || digits > 9) {
      return Long.MIN_VALUE;
    }
    for (int k = digits; k < 6; k++) {
      fraction *= 10;
    }
    return micros + fraction;
  }

  private static int twoDigits(byte[] b, int at) {
    int x = b[at] - '0';
    int y = b[at + 1] - '0';
    if (x < 0 || x > 9 || y < 0 || y > 9) {
      return -1;
    }
    return x * 10 + y;
  }

  private static int twoDigits(String s, int at) {
    int a = s.charAt(at) - '0';
    int b = s.charAt(at + 1) - '0';
    if (a < 0 || a > 9 || b < 0 || b > 9) {
      return -1;
    }
    return a * 10 + b;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
