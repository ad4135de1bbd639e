package dev.inlet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local lake reached through links lists what a reader sees; a malformed folder name is refused (review). */
class LocalFileStoreLinksTest {
  @TempDir
  Path tmp;

  private static void put(FileStore s, String path) throws Exception {
    StagedOutput o = s.create(path, FileStore.WriteMode.REPLACE);
    try (OutputStream out = o) {
      out.write("x".getBytes(StandardCharsets.UTF_8));
    }
    o.commit();
  }

  @Test
  void rootThatIsALink_listsItsFiles() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    put(LocalFileStore.at(real), "bronze/db/t/a.parquet");
    Path link = Files.createSymbolicLink(tmp.resolve("lake"), real);
    assertThat(LocalFileStore.at(link).list(""))
        .extracting(StoredFile::path)
        .containsExactly("bronze/db/t/a.parquet");
  }

  @Test
  void fileLinkedIntoTheLake_isListed() throws Exception {
    Path outside = Files.writeString(tmp.resolve("f.parquet"), "x");
    Path root = Files.createDirectories(tmp.resolve("r/t"));
    Files.createSymbolicLink(root.resolve("f.parquet"), outside);
    assertThat(LocalFileStore.at(tmp.resolve("r")).list(""))
        .extracting(StoredFile::path)
        .containsExactly("t/f.parquet");
  }

  /**
   * Found by the worst-day CLI test: a lake ingested once through a link to its folder and once through the folder
   * kept every replaced version folder, as if the catalog's locations of the other way were another lake's.
   */
  @Test
  void path_ofALocationThroughTheLinkOrThroughItsTarget_isTheSamePath() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("lake"), real);
    put(LocalFileStore.at(real), "bronze/db/t/v-1/a.parquet");
    FileStore viaLink = LocalFileStore.at(link);
    FileStore viaReal = LocalFileStore.at(real);

    String linkLocation = viaLink.location("bronze/db/t/v-1/");
    String realLocation = viaReal.location("bronze/db/t/v-1/");
    assertThat(linkLocation).isNotEqualTo(realLocation);
    for (FileStore s : new FileStore[] {viaLink, viaReal}) {
      assertThat(s.path(linkLocation)).contains("bronze/db/t/v-1/");
      assertThat(s.path(realLocation)).contains("bronze/db/t/v-1/");
      assertThat(s.path(viaLink.location("bronze/db/t/gone/x.parquet")))
          .contains("bronze/db/t/gone/x.parquet");
    }
    // another folder stays outside, and so does the target of a link inside the lake
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.createSymbolicLink(real.resolve("bronze/db/u"), other);
    assertThat(viaLink.path(other.toUri().toString() + "v-1/")).isEmpty();
    assertThat(viaReal.path(tmp.resolve("elsewhere/bronze/db/t/").toUri().toString()))
        .isEmpty();
  }

  @Test
  void deleteFolder_ofALinkedFolder_keepsTheTargetsFiles() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "k");
    Path root = Files.createDirectories(tmp.resolve("root/bronze"));
    Files.createSymbolicLink(root.resolve("v"), outside);
    LocalFileStore.at(tmp.resolve("root")).deleteFolder("bronze/v/");
    assertThat(outside.resolve("keep.txt")).exists();
  }

  @Test
  void deleteFolder_withADoubleSlash_isRefused_andDeletesNothing() throws Exception {
    FileStore s = LocalFileStore.at(tmp.resolve("r"));
    put(s, "x/a");
    assertThatThrownBy(() -> s.deleteFolder("x//")).isInstanceOf(IllegalArgumentException.class);
    assertThat(s.list("")).extracting(StoredFile::path).containsExactly("x/a");
  }
}
