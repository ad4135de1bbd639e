package dev.inlet.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimal option parsing: {@code --name value}, {@code --flag}, and positional arguments. An option given more than
 * once keeps every value ({@link #all}); {@link #get} returns the last one.
 */
final class Args {
  private static final Set<String> FLAGS = Set.of("--new-system", "--sample", "--glue", "--dry-run", "--full-refresh",
      "--allow-insecure-http", "--allow-shrink", "--snake-case");

  private final Map<String, List<String>> options;
  private final List<String> positional;

  private Args(Map<String, List<String>> options, List<String> positional) {
    this.options = options;
    this.positional = positional;
  }

  static Args parse(String[] args) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        if (FLAGS.contains(a)) {
          options.computeIfAbsent(a, k -> new ArrayList<>()).add("true");
        } else if (i + 1 < args.length) {
          options.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
        } else {
          throw new IllegalArgumentException("Option " + a + " needs a value");
        }
      } else {
        positional.add(a);
      }
    }
    return new Args(options, positional);
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  String get(String name, String fallback) {
    List<String> values = options.get(name);
    return values == null ? fallback : values.get(values.size() - 1);
  }

  /** Every value of a repeatable option, in the order given; empty if absent. */
  List<String> all(String name) {
    return List.copyOf(options.getOrDefault(name, List.of()));
  }

  List<String> positional() {
    return positional;
  }

  /** Fails for options a command does not know, so typos are not silently ignored. */
  Args allow(String... names) {
    Set<String> allowed = Set.of(names);
    for (String k : options.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("Unknown option " + k);
      }
    }
    return this;
  }
}
