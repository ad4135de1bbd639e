package dev.inlet.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.Pipeline;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of inlet-core is its public types outside {@code dev.inlet.internal.*}: no parquet-java, Hadoop,
 * AWS SDK or Inlet-internal type in its public signatures (public or protected members of public types), except the
 * leaks listed here. A new leak fails; a removed one fails too, until it is taken off the list. Internal packages
 * are public only so that Inlet's other modules can use them; they carry no compatibility promise.
 */
class PublicSignatureLeakTest {
  private static final String INTERNAL = "dev.inlet.internal.";
  private static final List<String> FOREIGN = List.of(
      "org.apache.parquet.",
      "org.apache.hadoop.",
      "shaded.parquet.",
      "software.amazon.awssdk.",
      INTERNAL);

  /** The leaks of today, as {@code Type#member: foreign type}. */
  private static final Set<String> KNOWN = new TreeSet<>(List.of());

  @Test
  void noParquetHadoopAwsOrInternalTypeInCorePublicSignatures() throws Exception {
    assertThat(leaks()).containsExactlyInAnyOrderElementsOf(KNOWN);
  }

  static List<Class<?>> publicTypes() throws Exception {
    Path root = classesRoot();
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = root.relativize(f).toString().replace('/', '.').replace('\\', '.');
        name = name.substring(0, name.length() - ".class".length());
        if (name.endsWith("package-info") || name.matches(".*\\$\\d.*")) {
          continue;
        }
        if (name.startsWith(INTERNAL)) {
          continue; // not API
        }
        Class<?> c = Class.forName(name, false, Pipeline.class.getClassLoader());
        if (isExported(c)) {
          types.add(c);
        }
      }
    }
    return types;
  }

  private static boolean isExported(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static Path classesRoot() throws URISyntaxException {
    return Path.of(
        Pipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Set<String> leaks() throws Exception {
    Set<String> found = new TreeSet<>();
    for (Class<?> c : publicTypes()) {
      String owner = c.getName();
      check(found, owner + " extends", c.getGenericSuperclass());
      for (Type i : c.getGenericInterfaces()) {
        check(found, owner + " implements", i);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic()) {
          String member = owner + "#" + m.getName();
          check(found, member, m.getGenericReturnType());
          for (Type p : m.getGenericParameterTypes()) {
            check(found, member, p);
          }
          for (Type e : m.getGenericExceptionTypes()) {
            check(found, member, e);
          }
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k.getModifiers()) && !k.isSynthetic()) {
          for (Type p : k.getGenericParameterTypes()) {
            check(found, owner + "#<init>", p);
          }
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f.getModifiers()) && !f.isSynthetic()) {
          check(found, owner + "#" + f.getName(), f.getGenericType());
        }
      }
    }
    return found;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void check(Set<String> found, String member, Type type) {
    if (type == null) {
      return;
    }
    String text = type.getTypeName();
    for (String prefix : FOREIGN) {
      int at = text.indexOf(prefix);
      while (at >= 0) {
        int end = at;
        while (end < text.length()
            && (Character.isJavaIdentifierPart(text.charAt(end))
                || text.charAt(end) == '.'
                || text.charAt(end) == '$')) {
          end++;
        }
        found.add(member + ": " + text.substring(at, end));
        at = text.indexOf(prefix, end);
      }
    }
  }

  @Test
  void countsThePublicTypes() throws Exception {
    List<Class<?>> types = publicTypes();
    long topLevel = types.stream().filter(c -> c.getDeclaringClass() == null).count();
    System.out.println(
        "inlet-core public types: " + topLevel + " top-level, " + types.size() + " with nested");
    assertThat(topLevel).isPositive();
  }
}
