package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.testing.TestHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits raised past the heap: the file runs out of memory in a child JVM at {@code -Xmx64m}; the pipeline stops at
 * the VM error and the CLI says what to change, exit 1, with nothing of the file visible.
 */
class OutOfMemoryCliTest {
  @TempDir
  Path dir;

  @Test
  void aFieldLargerThanTheHeap_underRaisedLimits_endsWithWhatToChange_exit1() throws Exception {
    byte[] head = "id,text\n1,".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte
        [head.length + (48 << 20) + 1]; // one 48 MB field: its chars need 96 MB of a 64 MB heap
    java.util.Arrays.fill(body, (byte) 'x');
    System.arraycopy(head, 0, body, 0, head.length);
    body[body.length - 1] = '\n';
    Path lake = dir.resolve("lake");
    Path out = dir.resolve("child.out");
    try (TestHttpServer server = TestHttpServer.start()) {
      server.script("/big.csv", TestHttpServer.ok(body));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(List.of(
              java,
              "-Xmx64m",
              "-XX:+UseSerialGC",
              "-cp",
              System.getProperty("java.class.path"),
              InletCli.class.getName(),
              "ingest",
              "--url",
              server.uri("/big.csv").toString(),
              "--table",
              "t",
              "--warehouse",
              lake.toString(),
              "--max-field-bytes",
              "200000000"))
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("the child JVM did not finish in 3 minutes");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(output).isEqualTo(1);
      assertThat(output)
          .contains("out of memory (Java heap space)")
          .contains("INLET_JAVA_OPTS=-Xmx1g")
          .contains("--max-field-bytes")
          .doesNotContain("\tat dev.inlet");
    }
    if (Files.exists(lake)) {
      try (var files = Files.walk(lake)) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet"))).isEmpty();
      }
    }
  }
}
