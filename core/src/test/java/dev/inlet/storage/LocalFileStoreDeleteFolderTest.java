package dev.inlet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.local.LocalWarehouse;
import dev.inlet.testing.Undeletable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local {@code deleteFolder} that fails part-way: what it says and what it leaves. */
class LocalFileStoreDeleteFolderTest {
  @TempDir
  Path root;

  private static void put(FileStore s, String path) throws IOException {
    StagedOutput o = s.create(path, FileStore.WriteMode.REPLACE);
    try (OutputStream out = o) {
      out.write("x".getBytes(StandardCharsets.UTF_8));
    }
    o.commit();
  }

  private List<Path> hiddenBeside(String folder) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve(folder))) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  @Test
  void deleteFolder_thatFailsPartWay_namesTheHiddenFolderLeft_whichIsNeverListed_andIsSweptLater()
      throws Exception {
    LocalFileStore store = LocalFileStore.at(root);
    Path leftover;
    put(store, "bronze/t/v1/a.bin");
    put(store, "bronze/t/v1/sub/b.bin");
    put(store, "bronze/t/v2/c.bin");

    try (Undeletable stuck = Undeletable.of(root.resolve("bronze/t/v1/sub/b.bin"))) {
      IOException failure = null;
      try {
        store.deleteFolder("bronze/t/v1/");
      } catch (IOException e) {
        failure = e;
      }
      List<Path> hidden = hiddenBeside("bronze/t");
      assertThat(hidden)
          .singleElement()
          .satisfies(h -> assertThat(h.getFileName().toString()).startsWith(".v1.replaced-"));
      leftover = hidden.get(0);
      stuck.movedTo(leftover.resolve("sub/b.bin"));

      assertThat(failure)
          .isNotNull()
          .hasMessageStartingWith("Cannot delete folder bronze/t/v1/ of " + store.location() + ": ")
          .hasMessageContaining("hidden folder " + hidden.get(0))
          .hasMessageContaining("LocalWarehouse.removeStaleStaging");
      assertThat(hidden.get(0).resolve("a.bin")).doesNotExist();

      assertThat(store.list("")).extracting(StoredFile::path).containsExactly("bronze/t/v2/c.bin");
      assertThat(store.list("bronze/t/"))
          .extracting(StoredFile::path)
          .containsExactly("bronze/t/v2/c.bin");
      assertThat(store.list("bronze/t/v"))
          .extracting(StoredFile::path)
          .containsExactly("bronze/t/v2/c.bin");
    }
    // once deletable again, the warehouse's sweep removes it (age zero: no writer is running)
    assertThat(LocalWarehouse.removeStaleStaging(root, Duration.ZERO)).isEqualTo(1);
    assertThat(leftover).doesNotExist();
    assertThat(store.list("")).extracting(StoredFile::path).containsExactly("bronze/t/v2/c.bin");
  }
}
