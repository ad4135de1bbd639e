package dev.inlet.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.TableId;
import dev.inlet.quality.Check;
import dev.inlet.quality.PublishGate;
import dev.inlet.quality.QualityHistory;
import dev.inlet.quality.QualityResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A gate checks the staged version in place of the live one: a version failing a fail check is refused. */
class PublishGateTest {
  static final TableId R = TableId.of("boston311", "requests");

  @Test
  void aStagedVersionWithDuplicateIdsIsRefused_theLiveOneIsUntouched() {
    try (DuckDbEngine engine = DuckDbEngine.create()) {
      engine.execute("CREATE SCHEMA boston311");
      engine.execute(
          "CREATE TABLE boston311.requests AS SELECT * FROM (VALUES ('a', 'legacy'), ('b', 'legacy'))"
              + " v(case_id, source_system)");
      engine.execute(
          "CREATE TABLE staged_bad AS SELECT * FROM (VALUES ('a', 'legacy'), ('a', 'legacy'))"
              + " v(case_id, source_system)");
      engine.execute(
          "CREATE TABLE staged_good AS SELECT * FROM (VALUES ('a', 'legacy'), ('c', 'legacy'))"
              + " v(case_id, source_system)");
      PublishGate gate = PublishGate.of(
          List.of(
              Check.unique(R, "source_system", "case_id").build(),
              Check.isComplete(TableId.of("other", "t"), "x").build()),
          QualityHistory.none());

      QualityResult bad = gate.check(R, "staged_bad", engine);
      assertThat(bad.blocks()).isTrue();
      assertThat(bad.results()).hasSize(1); // only the checks of the table being published
      assertThat(bad.results().get(0).samples())
          .containsExactly("source_system=legacy, case_id=a (2 rows)");
      assertThat(gate.allows(R, "staged_good", engine)).isTrue();
      assertThat(PublishGate.none().allows(R, "staged_bad", engine)).isTrue();
      assertThat(engine
              .query("SELECT count(*) FROM boston311.requests")
              .toList(1)
              .get(0)
              .get(0))
          .isEqualTo(2L);
    }
  }
}
