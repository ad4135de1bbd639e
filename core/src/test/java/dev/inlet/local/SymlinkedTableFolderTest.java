package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.SourceFile;
import dev.inlet.Staging;
import dev.inlet.TableId;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table folder that is a link to another disk is replaced like a real one: no file of an older ingest stays (review: one did, served twice). */
class SymlinkedTableFolderTest {
  private static final TableId T = TableId.of("db", "t");

  @TempDir
  Path tmp;

  private static SourceFile src() {
    return SourceFile.builder()
        .id("mem:a")
        .name("a")
        .opener(o -> new ByteArrayInputStream(new byte[0]))
        .build();
  }

  private static void write(LocalWarehouse w, int files) throws Exception {
    try (Staging s = w.stage(T, src())) {
      for (int i = 0; i < files; i++) {
        try (OutputStream o = s.newOutput(Map.of())) {
          o.write(i);
        }
      }
      s.commit();
      s.removeReplaced();
    }
  }

  private long parquet(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  @Test
  void reingestWithFewerFiles_dropsTheExtraOnes_alsoWhenTheTableFolderIsASymlink()
      throws Exception {
    Path disk = Files.createDirectories(tmp.resolve("disk2/t"));
    Files.createDirectories(tmp.resolve("lake/bronze/db"));
    Files.createSymbolicLink(tmp.resolve("lake/bronze/db/t"), disk);
    LocalWarehouse w =
        LocalWarehouse.builder().root(tmp.resolve("lake")).replaceInPlace().build();
    write(w, 2);
    assertThat(parquet(disk)).isEqualTo(2);
    write(w, 1);
    assertThat(parquet(disk))
        .as("files of source a after a re-ingest writing one")
        .isEqualTo(1);
  }

  @Test
  void sameWithARealFolder() throws Exception {
    LocalWarehouse w =
        LocalWarehouse.builder().root(tmp.resolve("lake")).replaceInPlace().build();
    write(w, 2);
    write(w, 1);
    assertThat(parquet(tmp.resolve("lake/bronze/db/t"))).isEqualTo(1);
  }
}
