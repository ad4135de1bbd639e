package dev.inlet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.storage.FileStore;
import dev.inlet.storage.FileStore.WriteMode;
import dev.inlet.storage.StagedOutput;
import dev.inlet.storage.StoredFile;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FileStore} guarantees: staged writes invisible until commit and gone after abort, replace and
 * create-only commits, sorted listing by prefix with sizes, range reads, streams, and deletes of a file and of a
 * folder. Extend it with a store on fresh or shared storage ({@link #newStore()}); each test works in its own
 * folder below the store's root, so storage may be shared between tests.
 */
public abstract class FileStoreContract {
  /**
   * A store to test; may be the same storage for every test.
   *
   * @return the store
   * @throws Exception if it cannot be made
   */
  protected abstract FileStore newStore() throws Exception;

  /** The store under test, made by {@link #newStore()} before each test. */
  protected FileStore store;
  /** This test's folder below the store's root, ending in {@code /}. */
  protected String dir;

  /** For subclasses. */
  protected FileStoreContract() {}

  @BeforeEach
  void setUpStore() throws Exception {
    store = newStore();
    dir = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  /**
   * Writes {@code content} to {@code path} and commits it.
   *
   * @param path the file, below the store's root
   * @param content the bytes
   * @return the committed size
   * @throws IOException if writing fails
   */
  protected long put(String path, byte[] content) throws IOException {
    StagedOutput out = store.create(path, WriteMode.REPLACE);
    out.write(content);
    out.close();
    return out.commit();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] readAll(String path) throws IOException {
    try (InputStream in = store.open(path)) {
      return in.readAllBytes();
    }
  }

  private List<String> paths(String prefix) throws IOException {
    return store.list(prefix).stream().map(StoredFile::path).toList();
  }

  @Test
  void location_ofRootEndsInSlash_andPathOfALocationIsThePath() {
    assertThat(store.location()).endsWith("/");
    assertThat(store.location("")).isEqualTo(store.location());
    String file = dir + "year=2015/part-00000.parquet";
    assertThat(store.location(file)).startsWith(store.location()).doesNotEndWith("/");
    assertThat(store.location(dir + "year=2015/")).startsWith(store.location()).endsWith("/");
    assertThat(store.path(store.location(file))).hasValue(file);
    assertThat(store.path(store.location(dir + "year=2015/"))).hasValue(dir + "year=2015/");
    assertThat(store.path("elsewhere://bucket/" + file)).isEmpty();
  }

  @Test
  void stagedOutput_isInvisibleUntilCommit_thenListedWithItsSizeAndReadBack() throws IOException {
    String path = dir + "a/file.bin";
    StagedOutput out = store.create(path, WriteMode.REPLACE);
    assertThat(out.path()).isEqualTo(path);
    out.write(utf8("hello, "));
    out.write(utf8("lake"));
    out.close();
    assertThat(out.isClosed()).isTrue();
    assertThat(paths(dir)).isEmpty();

    assertThat(out.commit()).isEqualTo(11);

    List<StoredFile> listed = store.list(dir);
    assertThat(listed).extracting(StoredFile::path).containsExactly(path);
    assertThat(listed.get(0).size()).isEqualTo(11);
    assertThat(readAll(path)).isEqualTo(utf8("hello, lake"));
  }

  @Test
  void abort_leavesNothing_isIdempotent_andCommitAfterItFails() throws IOException {
    StagedOutput out = store.create(dir + "new/folder/file.bin", WriteMode.REPLACE);
    out.write(utf8("discard me"));
    out.abort();
    out.abort();
    assertThat(paths(dir)).isEmpty();
    assertThatThrownBy(out::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void abort_ofAnOpenOutput_closesIt() throws IOException {
    StagedOutput out = store.create(dir + "file.bin", WriteMode.REPLACE);
    out.write(utf8("x"));
    out.abort();
    assertThat(out.isClosed()).isTrue();
    assertThat(paths(dir)).isEmpty();
  }

  @Test
  void commit_ofAnOpenOutput_failsAndCommitsNothing() throws IOException {
    StagedOutput out = store.create(dir + "file.bin", WriteMode.REPLACE);
    out.write(utf8("x"));
    assertThatThrownBy(out::commit)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("open");
    out.abort();
    assertThat(paths(dir)).isEmpty();
  }

  @Test
  void abort_afterCommit_keepsTheFile() throws IOException {
    String path = dir + "file.bin";
    StagedOutput out = store.create(path, WriteMode.REPLACE);
    out.write(utf8("kept"));
    out.close();
    out.commit();
    out.abort();
    assertThat(readAll(path)).isEqualTo(utf8("kept"));
  }

  @Test
  void replace_overwritesTheFileAtCommit_andTheOldOneStaysReadableUntilThen() throws IOException {
    String path = dir + "file.bin";
    put(path, utf8("old"));
    StagedOutput out = store.create(path, WriteMode.REPLACE);
    out.write(utf8("newer"));
    out.close();
    assertThat(readAll(path)).isEqualTo(utf8("old"));
    assertThat(out.commit()).isEqualTo(5);
    assertThat(readAll(path)).isEqualTo(utf8("newer"));
    assertThat(paths(dir)).containsExactly(path);
  }

  @Test
  void createOnly_whenTheFileExists_failsNamingItAndKeepsTheOriginal() throws IOException {
    String path = dir + "file.bin";
    put(path, utf8("original"));
    StagedOutput out = store.create(path, WriteMode.CREATE_ONLY);
    out.write(utf8("intruder"));
    out.close();
    assertThatThrownBy(out::commit)
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("file.bin");
    assertThat(readAll(path)).isEqualTo(utf8("original"));
    assertThat(paths(dir)).containsExactly(path);
  }

  @Test
  void createOnly_whenTheFileIsMissing_commits() throws IOException {
    String path = dir + "file.bin";
    StagedOutput out = store.create(path, WriteMode.CREATE_ONLY);
    out.write(utf8("first"));
    out.close();
    assertThat(out.commit()).isEqualTo(5);
    assertThat(readAll(path)).isEqualTo(utf8("first"));
  }

  @Test
  void commit_ofSeveralOutputsAtOnce_commitsEachInOrder_andReturnsTheirSizes() throws IOException {
    List<StagedOutput> outs = new java.util.ArrayList<>();
    for (String name : List.of("a/1.bin", "b/2.bin", "a/3.bin")) {
      StagedOutput out = store.create(dir + name, WriteMode.REPLACE);
      out.write(utf8(name));
      out.close();
      outs.add(out);
    }
    assertThat(store.commit(outs)).containsExactly(7, 7, 7);
    assertThat(paths(dir)).containsExactly(dir + "a/1.bin", dir + "a/3.bin", dir + "b/2.bin");
    assertThat(readAll(dir + "b/2.bin")).isEqualTo(utf8("b/2.bin"));
  }

  @Test
  void commit_ofSeveralOutputsAtOnce_stopsAtACreateOnlyConflict_andAbortsIt() throws IOException {
    put(dir + "taken.bin", utf8("original"));
    StagedOutput first = store.create(dir + "first.bin", WriteMode.REPLACE);
    first.write(utf8("1"));
    first.close();
    StagedOutput taken = store.create(dir + "taken.bin", WriteMode.CREATE_ONLY);
    taken.write(utf8("intruder"));
    taken.close();
    StagedOutput last = store.create(dir + "last.bin", WriteMode.REPLACE);
    last.write(utf8("3"));
    last.close();

    assertThatThrownBy(() -> store.commit(List.of(first, taken, last)))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("taken.bin");
    last.abort();

    assertThat(readAll(dir + "taken.bin")).isEqualTo(utf8("original"));
    assertThat(paths(dir)).doesNotContain(dir + "last.bin").contains(dir + "taken.bin");
    assertThatThrownBy(taken::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void list_isSortedAtAnyDepth_byFolderOrNamePrefix_andEmptyForAMissingFolder() throws IOException {
    put(dir + "b/2.bin", utf8("22"));
    put(dir + "a/x/1.bin", utf8("1"));
    put(dir + "a/part-1.bin", utf8("333"));
    put(dir + "a/part-0.bin", utf8("4444"));
    put(dir + "ab/3.bin", utf8("5"));

    assertThat(paths(dir))
        .containsExactly(
            dir + "a/part-0.bin",
            dir + "a/part-1.bin",
            dir + "a/x/1.bin",
            dir + "ab/3.bin",
            dir + "b/2.bin");
    assertThat(paths(dir + "a/"))
        .containsExactly(dir + "a/part-0.bin", dir + "a/part-1.bin", dir + "a/x/1.bin");
    assertThat(paths(dir + "a/part-")).containsExactly(dir + "a/part-0.bin", dir + "a/part-1.bin");
    assertThat(store.list(dir + "a/part-")).extracting(StoredFile::size).containsExactly(4L, 3L);
    assertThat(paths(dir + "missing/")).isEmpty();
  }

  @Test
  void list_byANameStartThatReachesIntoAHiddenFolder_listsThatFolder() throws IOException {
    // "t/_rej" names the start of "_rejects", so that folder is asked for, not hidden below the
    // prefix
    put(dir + "t/_rejects/x.csv", utf8("1"));
    put(dir + "t/_rejects/y/z.csv", utf8("22"));
    put(dir + "t/_rejected.csv", utf8("333"));
    put(dir + "t/_other/o.csv", utf8("4"));
    put(dir + "t/part-0.parquet", utf8("5"));

    assertThat(paths(dir + "t/_rej"))
        .containsExactly(
            dir + "t/_rejected.csv", dir + "t/_rejects/x.csv", dir + "t/_rejects/y/z.csv");
    assertThat(paths(dir + "t/_rejects"))
        .containsExactly(dir + "t/_rejects/x.csv", dir + "t/_rejects/y/z.csv");
    assertThat(paths(dir + "t/_rejects/"))
        .containsExactly(dir + "t/_rejects/x.csv", dir + "t/_rejects/y/z.csv");
    assertThat(store.list(dir + "t/_rej")).extracting(StoredFile::size).containsExactly(3L, 1L, 2L);
  }

  @Test
  void read_ofARange_readsExactlyIt_andPastTheEndFails() throws IOException {
    String path = dir + "file.bin";
    put(path, utf8("0123456789"));
    ByteBuffer into = ByteBuffer.allocate(4);
    store.read(path, 3, into);
    assertThat(into.position()).isEqualTo(4);
    assertThat(new String(into.array(), StandardCharsets.UTF_8)).isEqualTo("3456");
    assertThatThrownBy(() -> store.read(path, 8, ByteBuffer.allocate(4)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void read_andOpen_ofAMissingFile_fail() {
    assertThatThrownBy(() -> store.read(dir + "missing.bin", 0, ByteBuffer.allocate(1)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.open(dir + "missing.bin").close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void largeOutput_writtenInUnevenChunks_readsBackEqual() throws IOException {
    byte[] data = new byte[6 * 1024 * 1024 + 123];
    new Random(42).nextBytes(data);
    String path = dir + "large.bin";
    StagedOutput out = store.create(path, WriteMode.REPLACE);
    for (int off = 0, n = 1; off < data.length; off += n, n = n * 3 + 7) {
      n = Math.min(n, data.length - off);
      out.write(data, off, n);
    }
    out.close();
    assertThat(paths(dir)).isEmpty();
    assertThat(out.commit()).isEqualTo(data.length);
    assertThat(Arrays.equals(readAll(path), data)).isTrue();
    ByteBuffer tail = ByteBuffer.allocate(8);
    store.read(path, data.length - 8, tail);
    assertThat(tail.array()).isEqualTo(Arrays.copyOfRange(data, data.length - 8, data.length));
  }

  @Test
  void delete_ofFiles_deletesThem_andAMissingOneIsFine() throws IOException {
    put(dir + "a.bin", utf8("a"));
    put(dir + "b.bin", utf8("b"));
    put(dir + "c.bin", utf8("c"));
    store.delete(List.of(dir + "a.bin", dir + "c.bin", dir + "missing.bin"));
    assertThat(paths(dir)).containsExactly(dir + "b.bin");
    store.delete(dir + "b.bin");
    store.delete(dir + "b.bin");
    assertThat(paths(dir)).isEmpty();
  }

  @Test
  void deleteFolder_deletesEverythingUnderIt_andNothingBesideIt() throws IOException {
    put(dir + "v/1.bin", utf8("1"));
    put(dir + "v/deeper/2.bin", utf8("2"));
    put(dir + "v-2/3.bin", utf8("3"));
    put(dir + "vv.bin", utf8("4"));

    assertThat(store.deleteFolder(dir + "v/")).isEqualTo(2);

    assertThat(paths(dir)).containsExactly(dir + "v-2/3.bin", dir + "vv.bin");
    assertThat(store.deleteFolder(dir + "v/")).isZero();
  }

  @Test
  void invalidPaths_areRefused() {
    assertThatThrownBy(() -> store.create(dir + "../escape.bin", WriteMode.REPLACE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.create(dir, WriteMode.REPLACE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteFolder(dir + "file.bin"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
