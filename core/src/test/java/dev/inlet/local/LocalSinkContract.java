package dev.inlet.local;

import dev.inlet.contract.SinkContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The sink contract on a local warehouse folder, looked at directly through the file system. */
abstract class LocalSinkContract extends SinkContract {
  @TempDir
  Path warehouse;

  @Override
  protected List<String> listObjects(String location) throws Exception {
    Path dir = Path.of(URI.create(location));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> dir.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  @Override
  protected byte[] read(String location) throws Exception {
    return Files.readAllBytes(Path.of(URI.create(location)));
  }

  /** The {@code year=2015} folder of the test's table. */
  Path partitionDir() {
    return warehouse
        .toAbsolutePath()
        .resolve(dev.inlet.Layout.tablePath(table))
        .resolve("year=2015");
  }
}
