package dev.inlet.examples;

import static dev.inlet.examples.InletCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the Boston report in a real headless Chromium with every host unresolvable (network off): the page runs its
 * script without a console error, has its charts, and its screenshot is kept at
 * {@code examples/target/quality-report.png}. Skips, saying so, where no Chromium is installed
 * ({@code .ci/install-chromium} installs it).
 */
class ReportInBrowserTest {
  @TempDir
  Path tmp;

  static Path chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private record Browser(int code, String out, String err) {}

  private Browser browse(Path chromium, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        chromium.toString(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--user-data-dir=" + tmp.resolve("profile"),
        "--enable-logging=stderr",
        "--v=0",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1200,2600"));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("browser.out");
    Path err = tmp.resolve("browser.err");
    Process p = new ProcessBuilder(cmd)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Chromium did not finish within 90 s: " + cmd);
    }
    return new Browser(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void bostonReport_rendersItsChartsOffline_withoutConsoleErrors() throws Exception {
    Path chromium = chromium();
    assumeTrue(
        chromium != null,
        "No Chromium on the PATH: run .ci/install-chromium (apt-get install chromium)"
            + " to run the report's browser test");
    Path lake = tmp.resolve("lake");
    assertThat(cli("ingest", "--sample", "--warehouse", lake.toString()).code()).isZero();
    Path report = tmp.resolve("report.html");
    assertThat(cli("check", "--warehouse", lake.toString(), "--report", report.toString())
            .code())
        .isZero();
    String url = report.toUri().toString();

    Browser dom = browse(chromium, "--dump-dom", url);
    assertThat(dom.code()).as(dom.err()).isZero();
    // the inline script ran and counted the charts it found in the rendered page
    Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom.out());
    assertThat(charts.find()).as("the page's script did not run: " + dom.err()).isTrue();
    assertThat(Integer.parseInt(charts.group(1))).isGreaterThanOrEqualTo(5);
    assertThat(dom.out())
        .contains("id=\"rows-per-month\"", "class=\"series\"", "class=\"bar\"", "id=\"summary\"");
    List<String> console = dom.err().lines().filter(l -> l.contains(":CONSOLE")).toList();
    assertThat(console).as("console messages").isEmpty();

    Path screenshot = Path.of("target", "quality-report.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    Browser shot = browse(chromium, "--screenshot=" + screenshot, "--hide-scrollbars", url);
    assertThat(shot.code()).as(shot.err()).isZero();
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    assertThat(shot.err().lines().filter(l -> l.contains(":CONSOLE")).toList()).isEmpty();
  }
}
