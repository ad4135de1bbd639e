package com.example.consumer;

import dev.inlet.Sink;
import dev.inlet.contract.SinkContract;
import dev.inlet.local.LocalWarehouse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The published sink contract on the user's own sink, looking at the warehouse folder directly. */
class CountingSinkContractTest extends SinkContract {
  @TempDir
  Path warehouse;

  @Override
  protected Sink newSink() {
    return new CountingSink(LocalWarehouse.at(warehouse));
  }

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
}
