package dev.inlet.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules for partition values, in one place: their order, their Hive escaping in folder names and its inverse,
 * and the check that a registration keeps a table's partition keys. Not API.
 */
public final class PartitionValues {
  /** The value Hive, and so Inlet, gives a partition whose value is empty or null. */
  public static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /**
   * The order catalogs list partitions in: value by value, each by {@link String#compareTo}, a shorter list of
   * values before a longer one that starts with it.
   */
  public static final Comparator<List<String>> ORDER = PartitionValues::compare;

  /** Characters Hive's {@code FileUtils.escapePathName} escapes, besides control characters. */
  private static final String SPECIAL = "\"#%'*/:=?\\{[]^";

  private PartitionValues() {}

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /**
   * A partition value as a folder name, escaped as Hive's {@code FileUtils.escapePathName} does (control
   * characters, {@code DEL} and <code>"#%'&#42;/:=?\{[]^</code> become {@code %XX}); a leading {@code .} is escaped
   * too, so no value names {@code .} or {@code ..}. Empty becomes {@value #HIVE_DEFAULT_PARTITION}.
   *
   * @param value the partition value
   * @return the folder name, never empty and never holding a {@code /}
   */
  public static String escape(String value) {
    if (value.isEmpty()) {
      return HIVE_DEFAULT_PARTITION;
    }
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F || SPECIAL.indexOf(c) >= 0 || (i == 0 && c == '.')) {
        sb.append('%').append(String.format("%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * The inverse of {@link #escape}: each run of {@code %XX} sequences (two hex digits each) is decoded as UTF-8
   * bytes, as URL-encoding writers (DuckDB) mean them, or, when the run is not valid UTF-8, each {@code %XX} as the
   * character {@code XX}, as Hive's {@code FileUtils.unescapePathName} does; a {@code %} not followed by two hex
   * digits stays as it is. {@code unescape(escape(v))} is {@code v} for every non-empty {@code v}.
   *
   * @param name a folder name (the part after {@code key=})
   * @return the partition value
   */
  public static String unescape(String name) {
    int at = name.indexOf('%');
    if (at < 0) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    sb.append(name, 0, at);
    int i = at;
    while (i < name.length()) {
      int end = i;
      while (end + 2 < name.length()
          && name.charAt(end) == '%'
          && hex(name.charAt(end + 1)) >= 0
          && hex(name.charAt(end + 2)) >= 0) {
        end += 3;
      }
      if (end == i) {
        sb.append(name.charAt(i++));
        continue;
      }
      byte[] bytes = new byte[(end - i) / 3];
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = (byte) (hex(name.charAt(i + 3 * k + 1)) << 4 | hex(name.charAt(i + 3 * k + 2)));
      }
      try {
        sb.append(StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)));
      } catch (CharacterCodingException e) {
        for (byte b : bytes) {
          sb.append((char) (b & 0xFF));
        }
      }
      i = end;
    }
    return sb.toString();
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9'
        ? c - '0'
        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  /**
   * Whether a registration keeps the partition keys a catalog records for the table (compared ignoring case, as
   * Glue does). A catalog that gets a message throws it as a {@code SchemaMismatchException}.
   *
   * @param table the table's name, as the message names it
   * @param recorded the keys the catalog records, in order
   * @param registered the keys of the registration, in order
   * @return the message refusing the registration, or empty if the keys are the same
   */
  public static Optional<String> keysDiffer(
      String table, List<String> recorded, List<String> registered) {
    List<String> have = recorded.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    List<String> want = registered.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    if (have.equals(want)) {
      return Optional.empty();
    }
    return Optional.of(
        "Cannot register " + table + ": partition keys " + want + " differ from the catalog's "
            + have + "; partition keys cannot change, register into a new table");
  }
}
