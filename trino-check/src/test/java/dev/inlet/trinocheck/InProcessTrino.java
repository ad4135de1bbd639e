package dev.inlet.trinocheck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Closeable;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * A real Trino engine (trino-main's {@code TestingTrinoServer}: coordinator and worker in one JVM, HTTP on
 * 127.0.0.1, an ephemeral port) with Trino's memory connector, queried over Trino's JDBC driver. Trino is Java 24
 * bytecode and these tests compile for Java 17, so the server is started reflectively; everything after start
 * goes through JDBC.
 */
final class InProcessTrino implements AutoCloseable {
  static final int TRINO_MIN_JAVA = 24;

  private final Closeable server;
  private final URI baseUrl;

  private InProcessTrino(Closeable server, URI baseUrl) {
    this.server = server;
    this.baseUrl = baseUrl;
  }

  /** Starts a server with one memory-connector catalog per name in {@code memoryCatalogs}; skips below Java 24. */
  static InProcessTrino start(String... memoryCatalogs) throws Exception {
    if (Runtime.version().feature() < TRINO_MIN_JAVA) {
      String why = "Skipped: Trino needs Java " + TRINO_MIN_JAVA + "+ but these tests run on Java "
          + Runtime.version() + "; install a JDK 24+ and pass -Dtrino.java=<jdk>/bin/java";
      System.err.println(why);
      assumeTrue(false, why);
    }
    Class<?> type = Class.forName("io.trino.server.testing.TestingTrinoServer");
    Closeable server;
    try {
      server = (Closeable) type.getMethod("create").invoke(null);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "Cannot start Trino in-process: " + e.getCause(), e.getCause());
    }
    try {
      Object plugin =
          Class.forName("io.trino.plugin.memory.MemoryPlugin").getConstructor().newInstance();
      type.getMethod("installPlugin", Class.forName("io.trino.spi.Plugin")).invoke(server, plugin);
      for (String catalog : memoryCatalogs) {
        type.getMethod("createCatalog", String.class, String.class, Map.class)
            .invoke(server, catalog, "memory", Map.of());
      }
      return new InProcessTrino(server, (URI) type.getMethod("getBaseUrl").invoke(server));
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  /** A new JDBC connection, session time zone UTC (as Athena's); the caller closes it. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "inlet");
    p.setProperty("timezone", "UTC");
    return DriverManager.getConnection(
        "jdbc:trino://" + baseUrl.getHost() + ":" + baseUrl.getPort(), p);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
