package dev.inlet.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.DataFile;
import dev.inlet.Layout;
import dev.inlet.Sink;
import dev.inlet.Staging;
import org.junit.jupiter.api.Test;

/** The shared sink contract for {@link S3Sink.Builder#replaceInPlace()}, on S3Proxy, and what only that mode does. */
class S3SinkInPlaceContractTest extends S3SinkContractTest {
  @Override
  protected Sink newSink() {
    return S3Sink.builder()
        .client(client)
        .bucket(BUCKET)
        .prefix("lake")
        .replaceInPlace()
        .build();
  }

  @Override
  protected boolean replacesInPlace() {
    return true;
  }

  @Test
  void removeReplaced_deletesVersionFoldersOfTheSource_leftByTheVersionedLayout() throws Exception {
    DataFile old;
    DataFile other;
    try (S3Sink versioned =
        S3Sink.builder().client(client).bucket(BUCKET).prefix("lake").build()) {
      try (Staging staging = versioned.stage(table, source("src-a"))) {
        write(staging, Y2015, "versioned a");
        old = staging.commit().get(0);
      }
      try (Staging staging = versioned.stage(table, source("src-b"))) {
        write(staging, Y2015, "versioned b");
        other = staging.commit().get(0);
      }
      assertThat(versioned.replacesInPlace()).isFalse();
    }
    try (Staging staging = sink.stage(table, source("src-a"))) {
      write(staging, Y2015, "in place");
      staging.commit();
      assertThat(text(old.location()))
          .isEqualTo("versioned a"); // the catalog may still point there
      staging.removeReplaced();
    }
    String oldFolder = old.location().substring(0, old.location().lastIndexOf('/') + 1);
    assertThat(listObjects(oldFolder)).isEmpty();
    assertThat(text(other.location())).isEqualTo("versioned b");
    assertThat(visible())
        .containsExactlyInAnyOrder(
            Layout.inPlaceFilePath(Y2015, "src-a", 0),
            other.location().substring(sink.location(table).length()));
    assertThat(text(sink.location(table) + Layout.inPlaceFilePath(Y2015, "src-a", 0)))
        .isEqualTo("in place");
  }

  @Test
  void multipartOutput_isReplacedInPlace_onCommitOnly() throws Exception {
    S3Sink small = (S3Sink) sink;
    byte[] big = new byte[(int) S3Sink.MIN_PART_SIZE + 1]; // more than one part: a multipart upload
    java.util.Arrays.fill(big, (byte) 'n');
    ingest("src-a", Y2015, "old");
    String location = sink.location(table) + Layout.inPlaceFilePath(Y2015, "src-a", 0);
    try (S3Sink multipart = S3Sink.builder()
            .client(client)
            .bucket(BUCKET)
            .prefix("lake")
            .replaceInPlace()
            .partSize(S3Sink.MIN_PART_SIZE)
            .build();
        Staging staging = multipart.stage(table, source("src-a"))) {
      try (java.io.OutputStream out = staging.newOutput(Y2015)) {
        out.write(big);
      }
      assertThat(text(location)).isEqualTo("old");
      assertThat(staging.commit())
          .singleElement()
          .satisfies(f -> assertThat(f.location()).isEqualTo(location));
      staging.removeReplaced();
    }
    assertThat(read(location)).isEqualTo(big);
    assertThat(small.replacesInPlace()).isTrue();
    assertThat(listObjects(sink.location(table)))
        .containsExactly(Layout.inPlaceFilePath(Y2015, "src-a", 0));
  }
}
