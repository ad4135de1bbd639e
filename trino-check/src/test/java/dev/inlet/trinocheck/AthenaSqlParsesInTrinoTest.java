package dev.inlet.trinocheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every statement inlet-aws's tests sent to FakeAthena (Athena engine version 3 is Trino) parses with Trino's own
 * parser, {@code io.trino.sql.parser.SqlParser#createStatement}. The parser is Java 24 bytecode, so it is loaded
 * reflectively on the JVM surefire runs ({@code trino.java}); on an older JVM the tests skip, saying why.
 */
class AthenaSqlParsesInTrinoTest {
  static final int TRINO_MIN_JAVA = 24;

  static Object parser;
  static Method createStatement;

  /** Loads Trino's parser, or skips the calling test, saying why (on stderr too, so the build log shows it). */
  static synchronized void requireTrinosParser() throws Exception {
    if (Runtime.version().feature() < TRINO_MIN_JAVA) {
      String why = "Skipped: Trino's SQL parser needs Java " + TRINO_MIN_JAVA
          + "+ but these tests run on Java "
          + Runtime.version() + "; install a JDK 24+ and pass -Dtrino.java=<jdk>/bin/java (default"
          + " /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)";
      System.err.println(why);
      assumeTrue(false, why);
    }
    if (parser == null) {
      Class<?> type = Class.forName("io.trino.sql.parser.SqlParser");
      parser = type.getConstructor().newInstance();
      createStatement = type.getMethod("createStatement", String.class);
    }
  }

  /**
   * Null if Trino parses {@code sql}, else Trino's message. Athena's one statement Trino lacks, {@code UNLOAD (query)
   * TO 's3://...' WITH (properties)}, is checked as the {@code CREATE TABLE ... WITH (properties) AS query} Trino
   * has: the query and the property list must parse, the target must be an {@code s3://} literal. Hive DDL (which
   * Athena runs outside Trino: {@code CREATE EXTERNAL TABLE}, {@code MSCK}) is rejected: Inlet registers tables
   * through the Glue API, not through Athena DDL.
   */
  static String parseError(String sql) throws Exception {
    String trino = sql;
    String head = sql.stripLeading();
    if (head.regionMatches(true, 0, "UNLOAD", 0, 6)) {
      int open = head.indexOf('(');
      int close = open < 0 ? -1 : matchingParen(head, open);
      if (open < 0 || !head.substring(6, open).isBlank() || close < 0) {
        return "UNLOAD: expected UNLOAD (<query>) TO 's3://...' WITH (...)";
      }
      String query = head.substring(open + 1, close);
      String rest = head.substring(close + 1).strip();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
              "(?is)TO\\s+'(s3://[^']+)'\\s*(WITH\\s*\\((.*)\\))?\\s*")
          .matcher(rest);
      if (!m.matches()) {
        return "UNLOAD: expected TO 's3://bucket/prefix/' [WITH (...)] after the query, got: "
            + rest;
      }
      trino = "CREATE TABLE unload_target"
          + (m.group(3) == null ? "" : " WITH (" + m.group(3) + ")") + " AS " + query;
    }
    try {
      createStatement.invoke(parser, trino);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
    }
  }

  /** The index of the parenthesis closing the one at {@code open}, skipping quoted text; -1 if none. */
  static int matchingParen(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, i + 1);
        while (end > 0 && end + 1 < s.length() && s.charAt(end + 1) == c) {
          end = s.indexOf(c, end + 2);
        }
        if (end < 0) {
          return -1;
        }
        i = end;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void everyStatementSentToFakeAthena_parsesWithTrinosParser() throws Exception {
    requireTrinosParser();
    Path log = Path.of(System.getProperty("inlet.athena.sqlLog", "../aws/target/athena-sql.log"));
    assumeTrue(
        Files.isRegularFile(log),
        "Skipped: no Athena SQL log at " + log.toAbsolutePath().normalize()
            + "; run inlet-aws's tests first (the full build does)");
    List<String> statements = new ArrayList<>();
    for (String s : Files.readString(log, StandardCharsets.UTF_8).split("\n\f\n")) {
      if (!s.isBlank()) {
        statements.add(s);
      }
    }
    assertThat(statements).as("statements in " + log).isNotEmpty();

    List<String> rejected = new ArrayList<>();
    for (String sql : statements) {
      String error = parseError(sql);
      if (error != null) {
        rejected.add(sql + "\n    -> " + error);
      }
    }

    assertThat(rejected)
        .as("statements of " + log + " that Trino's parser rejects")
        .isEmpty();
  }

  @Test
  void theParser_rejectsWhatTrinoRejects_soTheCheckIsReal() throws Exception {
    requireTrinosParser();
    for (String bad : Arrays.asList(
        "SELEC 1",
        "SELECT FROM",
        "CREATE EXTERNAL TABLE t (a string) STORED AS" + " PARQUET LOCATION 's3://lake/t/'")) {
      assertThat(parseError(bad)).as(bad).startsWith("ParsingException: line 1:");
    }
    String unload =
        "UNLOAD (SELECT * FROM boston311.service_requests WHERE year = '2015' AND x = ')')"
            + " TO 's3://lake/silver/' WITH (format = 'PARQUET', partitioned_by = ARRAY['year'])";
    assertThat(parseError(unload)).isNull();
    assertThat(parseError("UNLOAD (SELECT FROM t) TO 's3://lake/x/'"))
        .startsWith("ParsingException:");
    assertThat(parseError("UNLOAD (SELECT 1) TO '/tmp/x'"))
        .startsWith("UNLOAD: expected TO 's3://");
    assertThat(parseError("UNLOAD (SELECT 1) TO 's3://lake/x/' WITH (format = )"))
        .startsWith("ParsingException:");
  }
}
