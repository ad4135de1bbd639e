package dev.inlet.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.TableId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckFileTest {
  static final TableId R = TableId.of("boston311", "requests");

  @Test
  void everyKind_parsesToTheBuilderEquivalent() {
    List<Check> checks = CheckFile.parse(
        "checks.dq",
        String.join(
            "\n",
            "# silver checks",
            "table boston311.requests",
            "IsComplete \"opened_at\" fail",
            "Completeness \"zip_code\" <= 0.05 warn",
            "IsUnique \"source_system\" \"case_id\"",
            "ColumnValues \"status\" in [\"open\", \"closed\"] warn   # lower case in silver",
            "ColumnValues \"latitude\" between 42.2 and 42.45 warn",
            "ColumnValues \"zip_code\" matches \"^\\d{5}$\" allow 0.01 warn",
            "RowCount between 1 and 10000000 by \"year\" fail",
            "RowCountChange <= 0.5 by \"year\" warn",
            "Freshness \"opened_at\" <= 30d warn",
            "SchemaChange warn",
            "CustomSql \"closed_after_opened\" \"SELECT * FROM boston311.requests WHERE closed_at < opened_at\" fail",
            ""));
    assertThat(checks)
        .containsExactly(
            Check.isComplete(R, "opened_at").build(),
            Check.isComplete(R, "zip_code")
                .threshold(0.05)
                .severity(Severity.WARN)
                .build(),
            Check.unique(R, "source_system", "case_id").build(),
            Check.acceptedValues(R, "status", List.of("open", "closed"))
                .severity(Severity.WARN)
                .build(),
            Check.range(R, "latitude", 42.2, 42.45).severity(Severity.WARN).build(),
            Check.matches(R, "zip_code", "^\\d{5}$")
                .threshold(0.01)
                .severity(Severity.WARN)
                .build(),
            Check.rowCount(R, 1, 10_000_000).partitionBy("year").build(),
            Check.rowCountChange(R, 0.5)
                .partitionBy("year")
                .severity(Severity.WARN)
                .build(),
            Check.freshness(R, "opened_at", Duration.ofDays(30))
                .severity(Severity.WARN)
                .build(),
            Check.schemaChange(R).severity(Severity.WARN).build(),
            Check.customSql(
                    R,
                    "closed_after_opened",
                    "SELECT * FROM boston311.requests WHERE closed_at < opened_at")
                .build());
  }

  @Test
  void mistakesNameFileLineAndColumn() {
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "IsComplete \"a\""))
        .hasMessage("c.dq:1:1: no table yet: write a line 'table database.name' before the checks");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table a.b\nIsComplet \"a\""))
        .hasMessageStartingWith("c.dq:2:1: unknown check 'IsComplet'");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table a.b\nCompleteness \"a\" <= 5 warn"))
        .hasMessageStartingWith("c.dq:2:21: threshold of a COMPLETENESS check is a fraction");
    assertThatThrownBy(
            () -> CheckFile.parse("c.dq", "table a.b\nColumnValues \"z\" matches \"([\""))
        .hasMessageStartingWith("c.dq:2:26: matches of z: not a regular expression");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table a.b\nIsComplete a"))
        .hasMessage("c.dq:2:12: expected a column name in double quotes, found 'a'");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table a.b\nIsComplete \"a\" warn extra"))
        .hasMessage("c.dq:2:21: expected the end of the line, found 'extra'");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table a.b\nFreshness \"t\" <="))
        .hasMessage(
            "c.dq:2:17: expected a duration such as 30d, 12h, 90m or 600s, found the end of the line");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table a.b\nIsComplete \"a"))
        .hasMessage("c.dq:2:12: this quote is not closed");
    assertThatThrownBy(() -> CheckFile.parse("c.dq", "table ab"))
        .hasMessage("c.dq:1:7: expected a table name database.table, found 'ab'");
  }
}
