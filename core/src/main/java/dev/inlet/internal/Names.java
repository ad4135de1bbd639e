package dev.inlet.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Glue's naming rule, in one place: a database, table or partition-key name holds lower-case letters, digits and
 * {@code _}, at most 255 of them, so a name valid here is valid in Glue and Athena. Not API.
 */
public final class Names {
  private static final Pattern GLUE_NAME = Pattern.compile("[a-z0-9_]{1,255}");

  private Names() {}

  /**
   * Whether {@code name} follows Glue's naming rule.
   *
   * @param name the name, may be null
   * @return true if it is 1 to 255 lower-case letters, digits and {@code _}
   */
  public static boolean isGlueName(String name) {
    return name != null && GLUE_NAME.matcher(name).matches();
  }

  /**
   * Checks {@code name} against Glue's naming rule.
   *
   * @param what what the name names ({@code database}, {@code table}, {@code partition key}), for the message
   * @param name the name
   * @return {@code name}
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if it is not a Glue name
   */
  public static String requireGlueName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (!isGlueName(name)) {
      throw new IllegalArgumentException("Invalid " + what + " name '" + name
          + "': use lower-case letters, digits and '_' (at most 255),"
          + " as Glue and Athena require");
    }
    return name;
  }
}
