package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile inputs converted with the default limits in a child JVM at {@code -Xmx256m} (the smallest heap Inlet
 * promises to work in): each fails the file with its line and the limit instead of {@link OutOfMemoryError},
 * and files at the limits still convert there.
 */
class BoundedMemoryTest {
  @TempDir
  Path dir;

  private String runChild(String kind) throws IOException, InterruptedException {
    Path out = dir.resolve(kind + ".out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            HostileInputMain.class.getName(),
            kind))
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM for " + kind + " did not finish in 4 minutes");
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(output).as("child output").doesNotContain("OOM").doesNotContain("OutOfMemoryError");
    return output;
  }

  @ParameterizedTest
  @ValueSource(strings = {"field", "unclosed"})
  void convert_whenFieldIsLongerThanTheLimit_failsWithLineAndLimit_notOutOfMemory(String kind)
      throws Exception {
    assertThat(runChild(kind))
        .contains("MALFORMED Cannot convert " + kind + ".csv: line 2: a field of the record"
            + " starting here is longer than maxFieldBytes (1048576)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"columns"})
  void convert_whenHeaderHas10000Columns_failsWithTheLimit_notOutOfMemory(String kind)
      throws Exception {
    assertThat(runChild(kind))
        .contains("MALFORMED Cannot convert columns.csv: line 1: the record starting here"
            + " has more than 1000 fields, more than maxColumns (1000)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"wide-years", "wide-values"})
  void convert_whenWideRowsFallIntoManyYearPartitions_boundsTheBuffersOfAllOpenPartitions(
      String kind) throws Exception {
    assertThat(runChild(kind)).contains("OK rows=150000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"columns-ok", "fields-ok", "years-ok"})
  void convert_whenInputIsAtTheDefaultLimits_convertsIn256MiB(String kind) throws Exception {
    assertThat(runChild(kind))
        .contains("OK rows="
            + (kind.equals("columns-ok") ? 3000 : kind.equals("fields-ok") ? 300 : 300_000));
  }
}
