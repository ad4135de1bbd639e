package dev.inlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cataloged locations are checked on this machine, and when a partition folder is missing its files. */
class LocalLocationsTest {
  @TempDir
  Path dir;

  @Test
  void aFolderWithParquetIsNotMissing_anEmptiedOrDeletedOneIs() throws Exception {
    Path version = Files.createDirectories(dir.resolve("year=2015/v-1"));
    Files.writeString(version.resolve("data_0.parquet"), "x");
    String location = version.toUri().toString();
    assertThat(LocalLocations.missingParquet(location)).isFalse();

    Files.delete(version.resolve("data_0.parquet"));
    Files.writeString(version.resolve(".data_0.parquet.crc"), "not data");
    assertThat(LocalLocations.missingParquet(location)).isTrue();

    Files.delete(version.resolve(".data_0.parquet.crc"));
    Files.delete(version);
    assertThat(LocalLocations.missingParquet(location)).isTrue();
    Files.delete(dir.resolve("year=2015"));
    assertThat(LocalLocations.missingParquet(location)).isTrue();
  }

  @Test
  void locationsThisMachineCannotCheckAreTrusted() throws Exception {
    assertThat(LocalLocations.missingParquet("s3://bucket/lake/silver/db/t/year=2015/v-1/"))
        .isFalse();
    assertThat(LocalLocations.missingParquet("hdfs://nn/lake/t/")).isFalse();
    assertThat(LocalLocations.path("s3://bucket/x/")).isEmpty();
    assertThat(LocalLocations.path("file:relative")).isEmpty();
    assertThat(LocalLocations.path(dir.toUri().toString())).contains(dir);
  }
}
