package dev.inlet.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimal option parsing: {@code --name value}, {@code --flag}, and positional arguments. An option given more than
 * once keeps every value ({@link #all}); {@link #get} returns the last one. A command declares what it takes with
 * {@link #allow} or {@link #allowPositional}, which fail (a usage error) for anything else: an unknown option, an
 * option without its value, a stray word.
 */
final class Args {
  private static final Set<String> FLAGS = Set.of(
      "--new-system",
      "--sample",
      "--glue",
      "--dry-run",
      "--full-refresh",
      "--allow-insecure-http",
      "--allow-shrink",
      "--allow-year-mismatch",
      "--snake-case",
      "--json",
      "--new-folders-only",
      "--refine",
      "--athena",
      "--gate",
      "--ignore-listed-size",
      "--no-catalog");

  private final Map<String, List<String>> options;
  private final List<String> positional;
  private final String missingValue;

  private Args(Map<String, List<String>> options, List<String> positional, String missingValue) {
    this.options = options;
    this.positional = positional;
    this.missingValue = missingValue;
  }

  static Args parse(String[] args) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    String missingValue = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        if (FLAGS.contains(a)) {
          options.computeIfAbsent(a, k -> new ArrayList<>()).add("true");
        } else if (i + 1 < args.length && !isOption(args[i + 1])) {
          options.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
        } else {
          options.computeIfAbsent(a, k -> new ArrayList<>());
          missingValue = missingValue != null ? missingValue : a;
        }
      } else {
        positional.add(a);
      }
    }
    return new Args(options, positional, missingValue);
  }

  /** {@code --name}: the next option, not a value (a value may start with "--" followed by a space, as SQL). */
  private static boolean isOption(String a) {
    return a.length() > 2 && a.startsWith("--") && Character.isLetter(a.charAt(2));
  }

  /** Whether {@code args} asks for the usage ({@code --help} or {@code -h}). */
  static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  String get(String name, String fallback) {
    List<String> values = options.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
  }

  /** The whole number of option {@code name}, at least {@code min}, or {@code fallback} if absent. */
  int getInt(String name, int fallback, int min) {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        name + " needs a whole number of at least " + min + ", not '" + v + "'");
  }

  /**
   * The duration of option {@code name}, more than zero: a number with a unit ({@code 500ms}, {@code 90s},
   * {@code 30m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30M}); {@code fallback} if absent.
   */
  java.time.Duration getDuration(String name, java.time.Duration fallback) {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    java.time.Duration d = null;
    java.util.regex.Matcher m = DURATION.matcher(v.trim());
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> java.time.Duration.ofMillis(n);
          case "s" -> java.time.Duration.ofSeconds(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          case "h" -> java.time.Duration.ofHours(n);
          default -> java.time.Duration.ofDays(n);
        };
      } else if (v.trim().toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
        d = java.time.Duration.parse(v.trim());
      }
    } catch (ArithmeticException
        | NumberFormatException
        | java.time.format.DateTimeParseException e) {
      d = null; // said below
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          name + " needs a duration of more than zero such as 30m, 90s, 2h or 500ms," + " not '"
              + Printable.of(v) + "'");
    }
    return d;
  }

  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  /** Every value of a repeatable option, in the order given; empty if absent. */
  List<String> all(String name) {
    return List.copyOf(options.getOrDefault(name, List.of()));
  }

  List<String> positional() {
    return positional;
  }

  /** For a command that takes only these options: fails for any other option, a missing value or a stray word. */
  Args allow(String... names) {
    allowPositional(names);
    if (!positional.isEmpty()) {
      throw new IllegalArgumentException("Unexpected argument '" + positional.get(0) + "'");
    }
    return this;
  }

  /** Like {@link #allow}, for a command that also takes positional arguments (it checks how many). */
  Args allowPositional(String... names) {
    Set<String> allowed = Set.of(names);
    for (String k : options.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("Unknown option " + k);
      }
    }
    if (missingValue != null) {
      throw new IllegalArgumentException("Option " + missingValue + " needs a value");
    }
    return this;
  }
}
