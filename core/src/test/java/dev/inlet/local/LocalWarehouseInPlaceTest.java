package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.Staging;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sink contract for {@link LocalWarehouse.Builder#replaceInPlace()}, and what only that mode does. */
class LocalWarehouseInPlaceTest extends LocalSinkContract {
  @Override
  protected Sink newSink() {
    return LocalWarehouse.builder().root(warehouse).replaceInPlace().build();
  }

  @Override
  protected boolean replacesInPlace() {
    return true;
  }

  @Test
  void newOutput_writesUnderHiddenStagingName_directlyInThePartition() throws Exception {
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "x");
      try (Stream<Path> files = Files.list(partitionDir())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .singleElement()
            .satisfies(n -> assertThat(Layout.isStagingName(n)).isTrue())
            .satisfies(n -> assertThat(n).startsWith("." + Layout.fileName("src-a", 0)));
      }
    }
    assertThat(partitionDir())
        .doesNotExist(); // the partition folder this staging created goes with it
  }

  @Test
  void removeReplaced_deletesVersionFoldersOfTheSource_leftByTheVersionedLayout() throws Exception {
    LocalWarehouse versioned = LocalWarehouse.at(warehouse);
    DataFile old;
    DataFile other;
    try (Staging staging = versioned.stage(table, source("src-a"))) {
      write(staging, Y2015, "versioned a");
      old = staging.commit().get(0);
    }
    try (Staging staging = versioned.stage(table, source("src-b"))) {
      write(staging, Y2015, "versioned b");
      other = staging.commit().get(0);
    }
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "in place");
      staging.commit();
      assertThat(text(old.location()))
          .isEqualTo("versioned a"); // the catalog may still point there
      staging.removeReplaced();
    }
    assertThat(Path.of(URI.create(old.location())).getParent()).doesNotExist();
    assertThat(text(other.location())).isEqualTo("versioned b");
    assertThat(text(sink.location(table) + Layout.inPlaceFilePath(Y2015, "src-a", 0)))
        .isEqualTo("in place");
  }

  @Test
  void atAndDefaultBuilder_keepTheVersionedLayout() {
    assertThat(LocalWarehouse.at(warehouse).replacesInPlace()).isFalse();
    assertThat(LocalWarehouse.builder().root(warehouse).build().replacesInPlace())
        .isFalse();
    assertThat(((LocalWarehouse) sink).replacesInPlace()).isTrue();
  }

  @Test
  void builder_withoutRoot_failsNamingIt() {
    assertThatThrownBy(() -> LocalWarehouse.builder().replaceInPlace().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("root(");
    assertThatThrownBy(() -> LocalWarehouse.builder().root(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
