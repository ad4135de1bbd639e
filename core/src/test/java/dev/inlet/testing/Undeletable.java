package dev.inlet.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Makes a real file impossible to delete, so a delete fails part-way: a read-only parent folder for a normal user,
 * {@code chattr +i} for root (whom permissions do not stop). A test where neither works here is skipped.
 */
public final class Undeletable implements AutoCloseable {
  private Path file;
  private final boolean immutable;

  private Undeletable(Path file, boolean immutable) {
    this.file = file;
    this.immutable = immutable;
  }

  /** Makes {@code file} undeletable until {@link #close()}; skips the test if this machine cannot. */
  public static Undeletable of(Path file) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Undeletable u;
    if (root) {
      assumeTrue(run("chattr", "+i", file.toString()), "chattr +i is not available here");
      u = new Undeletable(file, true);
    } else {
      Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
      u = new Undeletable(file, false);
    }
    boolean stays;
    try {
      Files.delete(file);
      stays = false;
    } catch (IOException expected) {
      stays = true;
    }
    if (!stays) {
      u.close();
    }
    assumeTrue(stays, "cannot make a file undeletable here");
    return u;
  }

  /** The file was moved (with its folder) to {@code now}: {@link #close()} makes that deletable again. */
  public void movedTo(Path now) {
    file = now;
  }

  @Override
  public void close() throws IOException {
    if (immutable) {
      try {
        run("chattr", "-i", file.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException notInstalled) {
      return false;
    }
  }
}
