package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments a command does not understand are usage errors (exit 2) before anything starts: a stray word, an
 * unknown option, a number that is not one; {@code --help} or {@code -h} after a command prints the usage.
 */
class CliArgumentsTest {
  @TempDir Path dir;

  @Test
  void helpAfterACommand_printsTheUsage_andStartsNothing() {
    for (String help : new String[] {"--help", "-h"}) {
      for (String command : new String[] {"ingest", "query", "catalog"}) {
        InletCliTest.Run r = InletCliTest.cli(command, help, "--warehouse", dir.resolve("lake").toString());
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

    InletCliTest.Run unknown = InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--bogus");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option --bogus").doesNotContain("needs a value");

    InletCliTest.Run notANumber = InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--parallelism", "abc");
    assertThat(notANumber.code()).isEqualTo(2);
    assertThat(notANumber.err()).contains("--parallelism needs a whole number of at least 1, not 'abc'");

    InletCliTest.Run zero = InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--parallelism", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.out()).isEmpty(); // rejected before the sample portal starts and the banner is printed

    assertThat(Files.exists(dir.resolve("lake"))).isFalse();
  }

  @Test
  void limitFlags_reachTheConverter_andABadValueIsAUsageError() {
    String lake = dir.resolve("lake").toString();
    InletCliTest.Run bad = InletCliTest.cli("ingest", "--sample", "--warehouse", lake, "--max-columns", "0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--max-columns needs a whole number of at least 1, not '0'");
    assertThat(bad.out()).isEmpty();
    InletCliTest.Run badUrl = InletCliTest.cli("ingest", "--url", "http://127.0.0.1:1/a.csv", "--table", "t",
        "--warehouse", lake, "--max-field-bytes", "x");
    assertThat(badUrl.code()).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("lake"))).isFalse();

    InletCliTest.Run narrow = InletCliTest.cli("ingest", "--sample", "--years", "2015", "--warehouse", lake,
        "--max-columns", "5");
    assertThat(narrow.code()).isEqualTo(1);
    assertThat(narrow.out()).contains("more than maxColumns (5)");
    InletCliTest.Run fewPartitions = InletCliTest.cli("ingest", "--sample", "--years", "2015", "--new-system",
        "--warehouse", lake, "--max-partitions-per-file", "1");
    assertThat(fewPartitions.code()).isEqualTo(1);
    assertThat(fewPartitions.out()).contains("6,221").contains("1 FAILED").contains("maxPartitionsPerFile");
    InletCliTest.Run wide = InletCliTest.cli("ingest", "--sample", "--years", "2015", "--warehouse",
        dir.resolve("other").toString(), "--max-columns", "40", "--max-field-bytes", "100000",
        "--max-partitions-per-file", "1");
    assertThat(wide.code()).as(wide.out() + wide.err()).isZero();
    assertThat(wide.out()).contains("6,221");
  }
}
