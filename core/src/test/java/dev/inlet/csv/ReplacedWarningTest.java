package dev.inlet.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The invalid-UTF-8 warning names the file without putting its control characters on the terminal. */
class ReplacedWarningTest {
  @Test
  void aFileNameWithEscapesAndCarriageReturns_isLoggedPrintable() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ChunkedConversion.warnReplaced("evil\u001b[2K\r  done forged.csv", 3, 7);
    } finally {
      System.setErr(err);
    }
    String logged = captured.toString(StandardCharsets.UTF_8);
    assertThat(logged)
        .contains("Replaced 3 byte sequence(s)")
        .contains("forged.csv")
        .doesNotContain("\u001b")
        .doesNotContain("\r");
  }
}
