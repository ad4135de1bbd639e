package dev.inlet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.contract.FileStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store contract on a local folder, plus what only a store with real folders does. */
class LocalFileStoreContractTest extends FileStoreContract {
  @TempDir
  Path root;

  @Override
  protected FileStore newStore() {
    return LocalFileStore.at(root.resolve("lake"));
  }

  private Path lake() {
    return root.resolve("lake");
  }

  @Test
  void stagedOutput_isAHiddenFileBesideItsPath_andAbortRemovesTheFoldersItMade()
      throws IOException {
    StagedOutput out =
        store.create(dir + "year=2015/v-1/part.parquet", FileStore.WriteMode.REPLACE);
    out.write(1);
    out.close();
    try (Stream<Path> files = Files.list(lake().resolve(dir + "year=2015/v-1"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .singleElement()
          .satisfies(n -> assertThat(n).startsWith(".part.parquet.inprogress-"));
    }
    out.abort();
    assertThat(lake().resolve(dir)).doesNotExist();
    assertThat(lake()).isDirectory();
  }

  @Test
  void abort_keepsAFolderThatWasThereBefore() throws IOException {
    put(dir + "a/kept.bin", new byte[] {1});
    StagedOutput out = store.create(dir + "a/b/file.bin", FileStore.WriteMode.REPLACE);
    out.abort();
    assertThat(lake().resolve(dir + "a")).isDirectory();
    assertThat(lake().resolve(dir + "a/b")).doesNotExist();
  }

  @Test
  void deleteEmptyFolders_deletesUpwardsWhileEmpty_andKeepsTheRoot() throws IOException {
    put(dir + "keep.bin", new byte[] {1});
    Files.createDirectories(lake().resolve(dir + "x/y/z"));
    store.deleteEmptyFolders(dir + "x/y/z/");
    assertThat(lake().resolve(dir + "x")).doesNotExist();
    assertThat(lake().resolve(dir)).isDirectory();
    Files.delete(lake().resolve(dir + "keep.bin"));
    store.deleteEmptyFolders(dir);
    assertThat(lake()).isDirectory();
  }

  @Test
  void list_leavesOutHiddenFoldersBelowThePrefix_butListsHiddenFiles() throws IOException {
    put(dir + "_SUCCESS", new byte[0]);
    put(dir + ".staging/x.bin", new byte[] {1});
    put(dir + "_rejects/r.csv", new byte[] {1});
    assertThat(store.list(dir)).extracting(StoredFile::path).containsExactly(dir + "_SUCCESS");
    assertThat(store.list(dir + "_rejects/"))
        .extracting(StoredFile::path)
        .containsExactly(dir + "_rejects/r.csv");
  }

  @Test
  void location_isAFileUriThatReadersOpen() {
    assertThat(store.location(dir + "a b.bin"))
        .isEqualTo(lake().resolve(dir + "a b.bin").toUri().toString());
    assertThat(store.path(lake().resolve(dir + "a b.bin").toUri().toString()))
        .hasValue(dir + "a b.bin");
  }
}
