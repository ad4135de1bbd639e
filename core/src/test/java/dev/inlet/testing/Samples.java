package dev.inlet.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real Boston 311 sample files: the {@code inlet.samples} system property if set, else
 * {@code shared/boston311/samples} above the working directory (a sibling of the repository root), else the same
 * files as the example jar bundles them ({@code examples/src/main/resources/boston311-samples}), so that a clone
 * anywhere runs the tests.
 */
public final class Samples {
  /** 100 rows, 29 columns, January 2022 as first published. */
  public static final String LEGACY_2022_100 = "legacy-29col-2022-jan-100rows.csv";
  /** 6,221 rows, 30 columns, 2015 animal-related requests as re-published. */
  public static final String LEGACY_2015_6221 = "legacy-30col-2015-animal-6221rows.csv";
  /** 5,473 rows of the new system, 2025 and 2026. */
  public static final String NEW_SYSTEM_5473 = "newsystem-2025-2026-5473rows.csv";

  private Samples() {}

  /** The samples directory. */
  public static Path dir() {
    String override = System.getProperty("inlet.samples");
    if (override != null) {
      return existing(Path.of(override));
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path d = start; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("boston311").resolve("samples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    for (Path d = start; d != null; d = d.getParent()) {
      Path bundled = d.resolve("examples")
          .resolve("src")
          .resolve("main")
          .resolve("resources")
          .resolve("boston311-samples");
      if (Files.isDirectory(bundled)) {
        return bundled;
      }
    }
    throw new IllegalStateException(
        "Cannot find shared/boston311/samples or examples/src/main/resources/"
            + "boston311-samples above " + start + "; set -Dinlet.samples=<dir>");
  }

  /** A sample file by name, e.g. {@code legacy-29col-2022-jan-100rows.csv}. */
  public static Path file(String name) {
    Path f = dir().resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException("Cannot find sample " + name + " in " + dir());
    }
    return f;
  }

  private static Path existing(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Cannot find samples: " + dir + " is not a directory");
    }
    return dir;
  }
}
