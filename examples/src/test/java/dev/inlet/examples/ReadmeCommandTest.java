package dev.inlet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as written there, run in-process against a temporary lake. */
class ReadmeCommandTest {
  @TempDir
  Path lake;

  @Test
  void theFirstCommand_ingestsRefinesAndAnswersRequestsPerMonthAcrossBothSystems()
      throws IOException {
    List<List<String>> commands = firstCommand();
    assertThat(commands).extracting(c -> c.get(0)).containsExactly("ingest", "query");

    InletCliTest.Run last = null;
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add(1, "--warehouse");
      args.add(2, lake.toString());
      last = InletCliTest.cli(args.toArray(String[]::new));
      assertThat(last.code())
          .as(String.join(" ", args) + "\n" + last.out() + last.err())
          .isZero();
    }
    // one line per month and system: the legacy years and the new system's months, on one UTC axis
    assertThat(last.out())
        .containsPattern("2015-\\d\\d\\s+\\|?\\s*legacy")
        .containsPattern("2025-\\d\\d\\s+\\|?\\s*new_system");
  }

  /** The {@code bin/inlet ...} parts of the first {@code sh} block, split into words as a POSIX shell would. */
  static List<List<String>> firstCommand() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```sh\n") + "```sh\n".length();
    String line = readme.substring(start, readme.indexOf("\n```", start)).strip();
    List<List<String>> commands = new ArrayList<>();
    for (String part : line.split("&&")) {
      List<String> words = words(part.strip());
      if (words.get(0).equals("bin/inlet")) {
        commands.add(words.subList(1, words.size()));
      }
    }
    return commands;
  }

  private static List<String> words(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : s.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(w.toString());
    }
    return words;
  }
}
