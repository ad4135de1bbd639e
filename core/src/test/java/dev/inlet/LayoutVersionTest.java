package dev.inlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Version ids made one after the other sort in that order, even within one millisecond: removeReplaced deletes only
 * the versions that sort before its own, so two commits of a source in the same millisecond with the random part
 * in the wrong order left the older version behind (found by the sink contract over the in-memory store).
 */
class LayoutVersionTest {
  @Test
  void newVersion_idsMadeInARow_sortInTheOrderMade() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ids.add(Layout.newVersion());
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids).allMatch(id -> id.matches("\\d{8}T\\d{9}Z-[0-9a-f]{8}"));
  }
}
