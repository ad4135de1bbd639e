package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Any partition value maps to one safe folder name: never a path separator, never a dot segment. */
class LayoutProperties {
  @Property(tries = 500)
  void partitionPath_ofAnyValue_isOneSafeSegment(@ForAll String value) {
    String path = Layout.partitionPath(Map.of("year", value));
    assertThat(path).startsWith("year=");
    String segment = path.substring("year=".length());
    assertThat(segment)
        .doesNotContain("/")
        .doesNotContain("\\")
        .isNotEqualTo("..")
        .isNotEqualTo(".")
        .isNotEmpty();
    assertThat(path).doesNotContain("/../").doesNotStartWith(".");
  }

  @Property(tries = 200)
  void dataFilePath_staysInsideThePartitionFolder(@ForAll String value, @ForAll String sourceId) {
    String path = Layout.dataFilePath(Map.of("k", value), sourceId, Layout.newVersion(), 0);
    assertThat(path.split("/")).hasSize(3).allSatisfy(s -> assertThat(s).isNotIn(".", "..", ""));
  }
}
