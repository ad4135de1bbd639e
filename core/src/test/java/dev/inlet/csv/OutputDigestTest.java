package dev.inlet.csv;

import static dev.inlet.csv.CsvFixtures.convert;
import static dev.inlet.csv.CsvFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.boston311.Boston311;
import dev.inlet.testing.Samples;
import dev.inlet.testing.TempDirStaging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact bytes written for existing configurations (both conversion paths, inferred and explicit schemas, year
 * partitioning, renames): a change here changes every lake's files. Digests taken before issue 15's converter
 * features; update them only for an intended change of the output.
 */
class OutputDigestTest {
  @TempDir
  Path dir;

  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("fingerprint-default", "1feae71e5ec1d180a924449779aedcbd");
    EXPECTED.put("fingerprint-legacy", "a2c60f35584adca5a071148b37ab321e");
    EXPECTED.put("inferred-chunked", "7a3602826cae368121374780398682b0");
    EXPECTED.put("inferred-rows", "7a3602826cae368121374780398682b0");
    // year partitioning converts in chunks since issue 15's last step: with rowGroupRows(1000),
    // each row group
    // decides its dictionaries on its own rows (row by row, the first 1000 rows of a partition
    // decided for all)
    EXPECTED.put("inferred-year-renamed", "0cbe34861e9d82db22978a92822960ec");
    EXPECTED.put("legacy-explicit", "9231ff343977e4a28ca44298708257ea");
    EXPECTED.put("legacy-explicit-rows", "031949869d9c2ec4617a9b5b2abba02e");
    EXPECTED.put("new-explicit-year", "c58b60aff656006b22af36cdc9c43008");
  }

  private String digest(String name, CsvToParquet converter, String sample) throws Exception {
    Path out = Files.createDirectory(dir.resolve(name));
    TempDirStaging staging = new TempDirStaging(out);
    convert(converter, source(sample, Samples.file(sample)), staging);
    MessageDigest md = MessageDigest.getInstance("MD5");
    for (TempDirStaging.Output o : staging.outputs()) {
      md.update(o.partition().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update(Files.readAllBytes(o.path()));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private Map<String, String> digests() throws Exception {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("inferred-chunked", digest("a", CsvToParquet.create(), Samples.NEW_SYSTEM_5473));
    d.put(
        "inferred-rows",
        digest(
            "b",
            CsvToParquet.builder().badRows(BadRowPolicy.QUARANTINE).build(),
            Samples.NEW_SYSTEM_5473));
    d.put(
        "legacy-explicit",
        digest("c", Boston311.legacyConverterBuilder().build(), Samples.LEGACY_2015_6221));
    d.put(
        "legacy-explicit-rows",
        digest(
            "d",
            Boston311.legacyConverterBuilder().badRows(BadRowPolicy.QUARANTINE).build(),
            Samples.LEGACY_2022_100));
    d.put(
        "new-explicit-year",
        digest(
            "e",
            Boston311.newSystemConverterBuilder()
                .partitionBy(PartitionSpec.yearOf("open_date"))
                .build(),
            Samples.NEW_SYSTEM_5473));
    d.put(
        "inferred-year-renamed",
        digest(
            "f",
            CsvToParquet.builder()
                .renameColumn("case_id", "id")
                .ignoreColumn("case_topic")
                .partitionBy(PartitionSpec.yearOf("open_date"))
                .rowGroupRows(1000)
                .build(),
            Samples.NEW_SYSTEM_5473));
    d.put("fingerprint-default", md5(CsvToParquet.create().fingerprint()));
    d.put("fingerprint-legacy", md5(Boston311.legacyConverterBuilder().build().fingerprint()));
    return d;
  }

  private static String md5(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5")
            .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void existingConfigurations_writeTheSameBytesAsBefore() throws Exception {
    Map<String, String> actual = digests();
    assertThat(actual).isEqualTo(EXPECTED);
  }
}
