package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments a command does not understand are usage errors (exit 2) before anything starts: a stray word, an
 * unknown option, a number that is not one; {@code --help} or {@code -h} after a command prints the usage.
 */
class CliArgumentsTest {
  @TempDir
  Path dir;

  @Test
  void helpAfterACommand_printsTheUsage_andStartsNothing() {
    for (String help : new String[] {"--help", "-h"}) {
      for (String command : new String[] {"ingest", "query", "catalog"}) {
        InletCliTest.Run r =
            InletCliTest.cli(command, help, "--warehouse", dir.resolve("lake").toString());
        assertThat(r.code()).as(command + " " + help).isZero();
        assertThat(r.out()).contains("Usage").contains("ingest [--sample");
      }
    }
    assertThat(Files.exists(dir.resolve("lake"))).isFalse();
  }

  @Test
  void aStrayWord_anUnknownOption_andABadNumber_areUsageErrors_beforeAnythingStarts() {
    String lake = dir.resolve("lake").toString();
    InletCliTest.Run stray = InletCliTest.cli("ingest", "--sample", "stray", "--warehouse", lake);
    assertThat(stray.code()).isEqualTo(2);
    assertThat(stray.err()).contains("Unexpected argument 'stray'");

    InletCliTest.Run unknown =
        InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--bogus");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option --bogus").doesNotContain("needs a value");

    InletCliTest.Run notANumber =
        InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--parallelism", "abc");
    assertThat(notANumber.code()).isEqualTo(2);
    assertThat(notANumber.err())
        .contains("--parallelism needs a whole number of at least 1, not 'abc'");

    InletCliTest.Run zero =
        InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--parallelism", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.out())
        .isEmpty(); // rejected before the sample portal starts and the banner is printed

    assertThat(Files.exists(dir.resolve("lake"))).isFalse();
  }

  @Test
  void limitFlags_reachTheConverter_andABadValueIsAUsageError() {
    String lake = dir.resolve("lake").toString();
    InletCliTest.Run bad =
        InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--max-columns", "0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--max-columns needs a whole number of at least 1, not '0'");
    assertThat(bad.out()).isEmpty();
    InletCliTest.Run badUrl = InletCliTest.cli(
        "ingest",
        "--url",
        "http://127.0.0.1:1/a.csv",
        "--table",
        "t",
        "--warehouse",
        lake,
        "--max-field-bytes",
        "x");
    assertThat(badUrl.code()).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("lake"))).isFalse();

    InletCliTest.Run narrow = InletCliTest.cli(
        "ingest", "--sample", "--years", "2015", "--warehouse", lake, "--max-columns", "5");
    assertThat(narrow.code()).isEqualTo(1);
    assertThat(narrow.out()).contains("more than maxColumns (5)");
    InletCliTest.Run fewPartitions = InletCliTest.cli(
        "ingest",
        "--sample",
        "--years",
        "2015",
        "--new-system",
        "--warehouse",
        lake,
        "--max-partitions-per-file",
        "1");
    assertThat(fewPartitions.code()).isEqualTo(1);
    assertThat(fewPartitions.out())
        .contains("6,221")
        .contains("1 FAILED")
        .contains("maxPartitionsPerFile");
    InletCliTest.Run wide = InletCliTest.cli(
        "ingest",
        "--sample",
        "--years",
        "2015",
        "--warehouse",
        dir.resolve("other").toString(),
        "--max-columns",
        "40",
        "--max-field-bytes",
        "100000",
        "--max-partitions-per-file",
        "1");
    assertThat(wide.code()).as(wide.out() + wide.err()).isZero();
    assertThat(wide.out()).contains("6,221");
  }

  @Test
  void downloadFlags_reachTheDownloader_andABadValueIsAUsageError() throws Exception {
    String lake = dir.resolve("lake").toString();
    for (String bad : new String[] {"0", "abc", "30x", "-5m", "PT0S"}) {
      InletCliTest.Run r =
          InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--download-deadline", bad);
      assertThat(r.code()).as(bad).isEqualTo(2);
      assertThat(r.err())
          .contains("--download-deadline needs a duration of more than zero such as 30m");
      assertThat(r.out()).isEmpty();
    }
    InletCliTest.Run badUrl = InletCliTest.cli(
        "ingest",
        "--url",
        "http://127.0.0.1:1/a.csv",
        "--table",
        "t",
        "--warehouse",
        lake,
        "--download-deadline",
        "soon");
    assertThat(badUrl.code()).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("lake"))).isFalse();

    InletCliTest.Run tight = InletCliTest.cli(
        "ingest", "--sample", "--years", "2015", "--warehouse", lake, "--download-deadline", "1ms");
    assertThat(tight.code()).as(tight.out() + tight.err()).isNotIn(0, 2);
    assertThat(tight.out() + tight.err()).contains("download deadline of 1 ms");

    // a CKAN dataset whose listing gives a size larger than the file served (a stale listing)
    byte[] csv = "id,name\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);
    HttpServer portal =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + portal.getAddress().getPort();
    portal.createContext(
        "/api/3/action/package_show",
        ex -> send(
            ex,
            "application/json",
            ("{\"success\": true,"
                    + " \"result\": {\"id\": \"p1\", \"name\": \"ds\", \"resources\": [{\"id\": \"r1\", \"name\": \"all\","
                    + " \"format\": \"CSV\", \"url\": \"" + base + "/f.csv\", \"size\": "
                    + (csv.length * 10) + "}]}}")
                .getBytes(StandardCharsets.UTF_8)));
    portal.createContext("/f.csv", ex -> send(ex, "text/csv", csv));
    portal.start();
    try {
      InletCliTest.Run strict = InletCliTest.cli(
          "ingest", "--ckan", base, "--dataset", "ds", "--table", "t", "--warehouse", lake);
      assertThat(strict.code()).as(strict.out() + strict.err()).isEqualTo(1);
      assertThat(strict.out())
          .contains("but the listing gives the file's size as " + csv.length * 10 + " bytes");

      InletCliTest.Run ignoring = InletCliTest.cli(
          "ingest",
          "--ckan",
          base,
          "--dataset",
          "ds",
          "--table",
          "t",
          "--warehouse",
          lake,
          "--ignore-listed-size");
      assertThat(ignoring.code()).as(ignoring.out() + ignoring.err()).isZero();
      assertThat(InletCliTest.cli(
                  "query", "--warehouse", lake, "SELECT sum(id) * 100 AS n FROM \"default\".t")
              .out())
          .contains("\n300\n");
    } finally {
      portal.stop(0);
    }
  }

  private static void send(com.sun.net.httpserver.HttpExchange ex, String type, byte[] body)
      throws java.io.IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
