package dev.inlet.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Pipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * No package cycles among inlet-core's main classes: the JDK's {@code jdeps} lists which class uses which, and a
 * cycle between packages fails, naming the class edges that make it. The cycles of today are broken by the package
 * edges in {@link #ALLOWED}. Remove an entry when its edge is gone (a stale
 * entry fails too), never add one: move the type instead.
 */
class PackageCycleTest {
  /** Package edges that close a cycle today, as {@code from -> to}. The lead shrinks this list; it must not grow. */
  private static final Set<String> ALLOWED = Set.of();

  @Test
  void coreMainClasses_haveNoPackageCycleOutsideTheAllowList() {
    Map<String, Set<String>> classEdges = packageEdges(jdeps(classesRoot()));
    // the parse found the edges at all: a change of jdeps' output would otherwise pass with nothing
    // checked
    assertThat(classEdges)
        .as("package edges read from jdeps")
        .containsKeys("dev.inlet.local -> dev.inlet", "dev.inlet -> dev.inlet.internal");

    List<String> stale = new ArrayList<>();
    for (String allowed : ALLOWED) {
      if (!classEdges.containsKey(allowed)) {
        stale.add(allowed);
      }
    }

    Map<String, Set<String>> graph = new TreeMap<>();
    for (String edge : classEdges.keySet()) {
      if (!ALLOWED.contains(edge)) {
        String[] ends = edge.split(" -> ");
        graph.computeIfAbsent(ends[0], k -> new TreeSet<>()).add(ends[1]);
        graph.computeIfAbsent(ends[1], k -> new TreeSet<>());
      }
    }
    List<String> cycles = new ArrayList<>();
    for (Set<String> component : stronglyConnected(graph)) {
      if (component.size() > 1) {
        StringBuilder cycle = new StringBuilder("cycle among " + component + ":");
        for (String from : component) {
          for (String to : graph.get(from)) {
            if (component.contains(to)) {
              cycle
                  .append("\n  ")
                  .append(from)
                  .append(" -> ")
                  .append(to)
                  .append(": ")
                  .append(classEdges.get(from + " -> " + to));
            }
          }
        }
        cycles.add(cycle.toString());
      }
    }
    SoftAssertions.assertSoftly(soft -> {
      soft.assertThat(cycles)
          .as("package cycles in inlet-core (move a type; do not allow the edge)")
          .isEmpty();
      soft.assertThat(stale)
          .as("allowed package edges that are gone: take them off ALLOWED")
          .isEmpty();
    });
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> graph = new TreeMap<>(
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));

    assertThat(stronglyConnected(graph)).contains(Set.of("a", "b", "c"), Set.of("d"));
  }

  /** {@code jdeps -verbose:class} over the classes directory: one line per class edge. */
  private static String jdeps(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() ->
            new IllegalStateException("Cannot find jdeps: run the tests on a JDK, not a JRE"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = jdeps.run(
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        "-verbose:class",
        "-filter:none",
        classes.toString());
    assertThat(status).as("jdeps on %s: %s", classes, err).isZero();
    return out.toString();
  }

  /**
   * Package edges between Inlet packages, as {@code from -> to}, each with its class edges (outer classes, by simple
   * name).
   */
  static Map<String, Set<String>> packageEdges(String jdepsOutput) {
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : jdepsOutput.split("\\R")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3
          || !parts[1].equals("->")
          || !parts[0].startsWith("dev.inlet.")
          || !parts[2].startsWith("dev.inlet.")) {
        continue;
      }
      String from = packageOf(parts[0]);
      String to = packageOf(parts[2]);
      if (!from.equals(to)) {
        edges
            .computeIfAbsent(from + " -> " + to, k -> new TreeSet<>())
            .add(simpleName(parts[0]) + " -> " + simpleName(parts[2]));
      }
    }
    return edges;
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static String simpleName(String className) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    int nested = simple.indexOf('$');
    return nested < 0 ? simple : simple.substring(0, nested);
  }

  /** Tarjan's strongly connected components. */
  static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> components = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, onStack, components);
      }
    }
    return components;
  }

  private static void connect(
      String node,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> components) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, onStack, components);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      components.add(component);
    }
  }

  private static Path classesRoot() {
    try {
      return Path.of(
          Pipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
