package dev.inlet.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real Boston 311 sample files: walks up from the working directory to {@code shared/boston311/samples}. */
public final class TestSamples {
  public static final String LEGACY_2022_100 = "legacy-29col-2022-jan-100rows.csv";
  public static final String LEGACY_2015_6221 = "legacy-30col-2015-animal-6221rows.csv";
  public static final String NEW_SYSTEM_5473 = "newsystem-2025-2026-5473rows.csv";

  private TestSamples() {}

  public static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolve("shared/boston311/samples");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("Cannot find shared/boston311/samples above " + Path.of("").toAbsolutePath());
  }

  public static Path file(String name) {
    Path f = dir().resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException("Cannot find sample " + f);
    }
    return f;
  }
}
